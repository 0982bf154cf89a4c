// GeoPackage layers with geometry whose rows go in through SQLite directly
// (gpkg_rows.cpp, gpkg_blob.cpp) against the same layers written by GDAL's
// own GPKG driver, feature by feature: the blobs byte for byte, the
// attributes, the R-tree's entries, the extent, spatial filters, the
// integrity check, and the triggers still working for rows added later.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "hotspot/ledger.h"
#include "hotspot/run_spec.h"
#include "io/area_reader.h"
#include "io/gpkg_blob.h"
#include "io/gpkg_rows.h"
#include "io/out_table.h"
#include "test_paths.h"
#include "common/real_areas.h"

namespace hotspot::io {
namespace {

std::string temp_path(const std::string& what) {
  return (std::filesystem::temp_directory_path() / ("hotspot_gpkg_geom_" + what + std::to_string(::getpid()) + ".gpkg"))
      .string();
}

// Charnwood's 99 real LSOAs (holes and multipart areas among them) with
// text, integer and real columns, and a point layer at their first vertices.
void real_layers(OutTable& areas, OutTable& points) {
  const AreaLayer layer = testing::charnwood_lsoas();
  areas.name = "lsoa";
  areas.kind = GeometryKind::kPolygon;
  areas.add_column("code");
  areas.add_column("count", ColumnType::kInteger);
  areas.add_column("rate", ColumnType::kReal);
  points.name = "incidents";
  points.kind = GeometryKind::kPoint;
  points.add_column("id");
  points.add_column("month");
  for (size_t a = 0; a < layer.code.size(); ++a) {
    areas.rows.push_back({layer.code[a], a % 7 == 3 ? "" : std::to_string(a * 3), std::to_string(double(a) / 7.0)});
    areas.polygons.push_back(layer.geometry[a]);
    points.rows.push_back({"id" + std::to_string(a), "2019-02"});
    points.points.push_back(layer.geometry[a][0][0][a % layer.geometry[a][0][0].size()]);
  }
}

std::vector<std::string> query(GDALDataset& ds, const std::string& sql) {
  std::vector<std::string> out;
  OGRLayer* r = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (!r) return {"(no result: " + sql + ")"};
  for (const auto& f : *r) {
    std::string row;
    for (int i = 0; i < f->GetFieldCount(); ++i) row += std::string(f->GetFieldAsString(i)) + "|";
    out.push_back(row);
  }
  ds.ReleaseResultSet(r);
  return out;
}

std::vector<GIntBig> fids_within(OGRLayer& layer, double x0, double y0, double x1, double y1) {
  layer.SetSpatialFilterRect(x0, y0, x1, y1);
  std::vector<GIntBig> fids;
  for (const auto& f : layer) fids.push_back(f->GetFID());
  layer.SetSpatialFilter(nullptr);
  // GDAL returns them in the R-tree's order, which depends on how the tree
  // was built (packed here, one insert at a time by GDAL): the same set.
  std::sort(fids.begin(), fids.end());
  return fids;
}

TEST(GpkgGeometry, RealLayersSameAsGdalsDriverBlobsRtreeExtentAndTriggers) {
  OutTable areas, points;
  real_layers(areas, points);
  ASSERT_EQ(areas.rows.size(), 99u);
  ASSERT_TRUE(rows_insertable_directly(areas));
  ASSERT_TRUE(rows_insertable_directly(points));
  const std::string direct_path = temp_path("direct"), gdal_path = temp_path("gdal");
  std::filesystem::remove(direct_path);
  std::filesystem::remove(gdal_path);
  write_ogr(direct_path, "GPKG", {&points, &areas}, "EPSG:27700");
  {  // the oracle: every row through GDAL's driver
    GDALDatasetUniquePtr ds(
        GetGDALDriverManager()->GetDriverByName("GPKG")->Create(gdal_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_TRUE(ds);
    write_ogr_layers(*ds, gdal_path, {&points, &areas}, "EPSG:27700");
  }
  GDALDatasetUniquePtr direct(GDALDataset::Open(direct_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
  GDALDatasetUniquePtr gdal(GDALDataset::Open(gdal_path.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(direct && gdal);
  for (const char* name : {"incidents", "lsoa"}) {
    SCOPED_TRACE(name);
    const std::string t = name;
    // Blobs and attributes as stored, byte for byte.
    const std::string rows = "SELECT fid, hex(geom), * FROM \"" + t + "\" ORDER BY fid";
    EXPECT_EQ(query(*direct, rows), query(*gdal, rows));
    EXPECT_EQ(query(*direct, rows).size(), 99u);
    // The R-tree's entries (32-bit floats, rounded outwards either way).
    const std::string rtree = "SELECT id, minx, maxx, miny, maxy FROM rtree_" + t + "_geom ORDER BY id";
    EXPECT_EQ(query(*direct, rtree), query(*gdal, rtree));
    const std::string meta =
        "SELECT c.table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id, feature_count FROM "
        "gpkg_contents c JOIN gpkg_ogr_contents o ON lower(o.table_name) = lower(c.table_name) WHERE c.table_name = '" +
        t + "'";
    EXPECT_EQ(query(*direct, meta), query(*gdal, meta));
    const std::string triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '" + t +
                                 "' ORDER BY name";
    EXPECT_EQ(query(*direct, triggers), query(*gdal, triggers));
    EXPECT_EQ(query(*direct, triggers).size(), 8u);  // 6 R-tree, 2 feature count
    OGRLayer* dl = direct->GetLayerByName(name);
    OGRLayer* gl = gdal->GetLayerByName(name);
    OGREnvelope de, ge;
    ASSERT_EQ(dl->GetExtent(&de), OGRERR_NONE);
    ASSERT_EQ(gl->GetExtent(&ge), OGRERR_NONE);
    EXPECT_EQ(de, ge);
    // Spatial filters (answered from the R-tree) select the same features.
    for (size_t k : {0, 30, 60, 90}) {  // 3 km windows around a few of the points
      const double x = points.points[k].x, y = points.points[k].y;
      const std::vector<GIntBig> got = fids_within(*dl, x - 1500, y - 1500, x + 1500, y + 1500);
      EXPECT_EQ(got, fids_within(*gl, x - 1500, y - 1500, x + 1500, y + 1500));
      EXPECT_FALSE(got.empty());
    }
  }
  EXPECT_EQ(query(*direct, "PRAGMA integrity_check"), std::vector<std::string>{"ok|"});
  // The triggers put back work: a feature added through GDAL is indexed and counted.
  OGRLayer* dl = direct->GetLayerByName("lsoa");
  OGRFeatureUniquePtr f(OGRFeature::CreateFeature(dl->GetLayerDefn()));
  f->SetField(0, "new");
  OGRPolygon square;
  auto* ring = new OGRLinearRing();
  for (auto [x, y] : {std::pair{0.0, 0.0}, {10.0, 0.0}, {10.0, 10.0}, {0.0, 0.0}}) ring->addPoint(x, y);
  square.addRingDirectly(ring);
  OGRMultiPolygon mp;
  mp.addGeometry(&square);
  f->SetGeometry(&mp);
  ASSERT_EQ(dl->CreateFeature(f.get()), OGRERR_NONE);
  EXPECT_EQ(query(*direct, "SELECT id, minx, maxx FROM rtree_lsoa_geom WHERE id = 100"),
            std::vector<std::string>{"100|0|10|"});
  EXPECT_EQ(query(*direct, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'lsoa'"),
            std::vector<std::string>{"100|"});
  direct.reset();
  gdal.reset();
  std::filesystem::remove(direct_path);
  std::filesystem::remove(gdal_path);
}

// The packed R-tree (gpkg_rtree.cpp) on enough rows for three levels
// (51 cells a node: 12,000 points need at least 236 leaves): SQLite's own check of
// the tree's structure, entries equal to those GDAL's trigger writes, every
// window query equal to a scan, and SQLite's own inserts and deletes still
// working on it afterwards (GDAL's triggers, as when a user edits the layer).
TEST(GpkgGeometry, PackedRtreeIsOneSqliteChecksAndKeepsUpToDate) {
  GDALAllRegister();
  OutTable points;
  points.name = "incidents";
  points.kind = GeometryKind::kPoint;
  points.add_column("id");
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> x(400000, 480000), y(280000, 340000);
  for (int i = 0; i < 12000; ++i) {
    // Repeated locations (police.uk snaps to map points) and exact ties too.
    const Point p = i % 10 == 9 ? points.points[size_t(i) / 2] : Point{x(random), y(random)};
    points.points.push_back(p);
    points.rows.push_back({"r" + std::to_string(i)});
  }
  const std::string direct_path = temp_path("rtree_direct"), gdal_path = temp_path("rtree_gdal");
  std::filesystem::remove(direct_path);
  std::filesystem::remove(gdal_path);
  write_ogr(direct_path, "GPKG", {&points}, "EPSG:27700");
  {
    GDALDatasetUniquePtr ds(
        GetGDALDriverManager()->GetDriverByName("GPKG")->Create(gdal_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_TRUE(ds);
    write_ogr_layers(*ds, gdal_path, {&points}, "EPSG:27700");
  }
  GDALDatasetUniquePtr direct(GDALDataset::Open(direct_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
  GDALDatasetUniquePtr gdal(GDALDataset::Open(gdal_path.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(direct && gdal);
  EXPECT_EQ(query(*direct, "SELECT rtreecheck('rtree_incidents_geom')"), std::vector<std::string>{"ok|"});
  const std::string entries = "SELECT id, minx, maxx, miny, maxy FROM rtree_incidents_geom ORDER BY id";
  const std::vector<std::string> got = query(*direct, entries);
  EXPECT_EQ(got.size(), 12000u);
  EXPECT_EQ(got, query(*gdal, entries));
  // Three levels: the root's depth is 2; the nodes are full but for the
  // slices' rounding (236 leaves at the least, 5 nodes above them, the root).
  EXPECT_EQ(query(*direct, "SELECT hex(substr(data, 1, 2)) FROM rtree_incidents_geom_node WHERE nodeno = 1"),
            std::vector<std::string>{"0002|"});
  const std::vector<std::string> nodes = query(*direct, "SELECT count(*) FROM rtree_incidents_geom_node");
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_GE(std::stoi(nodes[0]), 242);
  EXPECT_LE(std::stoi(nodes[0]), 250);
  OGRLayer* dl = direct->GetLayerByName("incidents");
  OGRLayer* gl = gdal->GetLayerByName("incidents");
  std::uniform_real_distribution<double> size(10, 20000);
  for (int q = 0; q < 60; ++q) {
    const double x0 = x(random), y0 = y(random), w = size(random), h = size(random);
    std::vector<GIntBig> scan;
    for (size_t i = 0; i < points.points.size(); ++i) {
      const Point& p = points.points[i];
      if (p.x >= x0 && p.x <= x0 + w && p.y >= y0 && p.y <= y0 + h) scan.push_back(GIntBig(i) + 1);
    }
    const std::vector<GIntBig> from_tree = fids_within(*dl, x0, y0, x0 + w, y0 + h);
    EXPECT_EQ(from_tree, scan) << q;
    EXPECT_EQ(from_tree, fids_within(*gl, x0, y0, x0 + w, y0 + h)) << q;
  }
  // Edits through GDAL (its triggers, SQLite's inserts into full nodes and
  // deletes) keep the tree whole and answering.
  ASSERT_EQ(direct->StartTransaction(), OGRERR_NONE);
  for (GIntBig fid = 1; fid <= 3000; fid += 3) ASSERT_EQ(dl->DeleteFeature(fid), OGRERR_NONE);
  for (int i = 0; i < 2000; ++i) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(dl->GetLayerDefn()));
    f->SetField(0, "new");
    OGRPoint p(x(random), y(random));
    f->SetGeometry(&p);
    ASSERT_EQ(dl->CreateFeature(f.get()), OGRERR_NONE);
  }
  ASSERT_EQ(direct->CommitTransaction(), OGRERR_NONE);
  EXPECT_EQ(query(*direct, "SELECT rtreecheck('rtree_incidents_geom')"), std::vector<std::string>{"ok|"});
  EXPECT_EQ(query(*direct, "SELECT count(*) FROM rtree_incidents_geom"), std::vector<std::string>{"13000|"});
  EXPECT_EQ(query(*direct, "PRAGMA integrity_check"), std::vector<std::string>{"ok|"});
  direct.reset();
  gdal.reset();
  std::filesystem::remove(direct_path);
  std::filesystem::remove(gdal_path);
}

TEST(GpkgGeometry, EmptyOrNonFiniteGeometriesStayWithGdal) {
  EXPECT_FALSE(gpkg_blob_writable(MultiPolygon{}));
  EXPECT_FALSE(gpkg_blob_writable(MultiPolygon{Polygon{}}));
  EXPECT_FALSE(gpkg_blob_writable(MultiPolygon{Polygon{Ring{}}}));
  EXPECT_FALSE(gpkg_blob_writable(MultiPolygon{Polygon{Ring{{0, 0}, {1, NAN}, {1, 1}}}}));
  EXPECT_TRUE(gpkg_blob_writable(MultiPolygon{Polygon{Ring{{0, 0}, {1, 0}, {1, 1}}}}));
  EXPECT_FALSE(gpkg_blob_writable(Point{INFINITY, 0}));
  OutTable t;
  t.name = "l";
  t.kind = GeometryKind::kPolygon;
  t.add_column("a");
  t.rows = {{"x"}, {"y"}};
  t.polygons = {MultiPolygon{Polygon{Ring{{0, 0}, {1, 0}, {1, 1}}}}, MultiPolygon{}};
  EXPECT_FALSE(rows_insertable_directly(t));
  OutTable dated;  // GDAL rewrites date-times ("...T10:00:00.000Z"): GDAL writes them
  dated.name = "d";
  dated.add_column("start", ColumnType::kDateTime);
  dated.rows = {{"2019-02-01T10:00:00"}};
  EXPECT_FALSE(rows_insertable_directly(dated));
  // Through GDAL it is still written whole: the empty geometry too.
  const std::string path = temp_path("empty");
  std::filesystem::remove(path);
  write_ogr(path, "GPKG", {&t}, "EPSG:27700");
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->GetLayerByName("l")->GetFeatureCount(TRUE), 2);
  ds.reset();
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace hotspot::io
