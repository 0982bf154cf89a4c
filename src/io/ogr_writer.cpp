#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "geo/crs.h"
#include "hotspot/errors.h"
#include "io/gdal_error_scope.h"
#include "io/geojson_writer.h"
#include "io/gpkg_rows.h"
#include "io/out_table.h"

namespace hotspot::io {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw OutputError(path + ": " + what + ": " + CPLGetLastErrorMsg());
}

OGRFieldType ogr_type(ColumnType t) {
  switch (t) {
    case ColumnType::kInteger: return OFTInteger64;
    case ColumnType::kReal: return OFTReal;
    case ColumnType::kDateTime: return OFTDateTime;
    case ColumnType::kText: break;
  }
  return OFTString;
}

OGRPolygon* to_ogr(const Polygon& poly) {
  auto* p = new OGRPolygon();
  for (const Ring& ring : poly) {
    auto* r = new OGRLinearRing();
    for (const Point& pt : ring) r->addPoint(pt.x, pt.y);
    if (!ring.empty()) r->addPoint(ring.front().x, ring.front().y);
    p->addRingDirectly(r);
  }
  return p;
}

// The table's geometries, or others in their place (one per row).
struct Geometries {
  const std::vector<Point>* points;
  const std::vector<MultiPolygon>* polygons;
};

// Creates the layer and writes its rows (unless `with_rows` is false: the
// caller inserts them, gpkg_rows.h). The layer lives as long as `ds`.
OGRLayer* write_layer(GDALDataset& ds, const std::string& path, const OutTable& t, OGRSpatialReference* srs,
                      const std::vector<std::string>& options, Geometries geometry, bool with_rows = true) {
  const OGRwkbGeometryType type = t.kind == GeometryKind::kPoint     ? wkbPoint
                                  : t.kind == GeometryKind::kPolygon ? wkbMultiPolygon
                                                                     : wkbNone;
  CPLStringList opts;
  for (const std::string& o : options) opts.AddString(o.c_str());
  OGRLayer* layer = ds.CreateLayer(t.name.c_str(), type == wkbNone ? nullptr : srs, type, opts.List());
  if (!layer) fail(path, "cannot create layer " + t.name);
  for (const Column& c : t.columns) {
    OGRFieldDefn field(c.name.c_str(), ogr_type(c.type));
    if (layer->CreateField(&field) != OGRERR_NONE) fail(path, "cannot create field " + c.name);
  }
  if (!with_rows) return layer;
  const bool transaction = ds.StartTransaction() == OGRERR_NONE;
  t.for_each_row([&](size_t r, const std::vector<std::string>& row) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    for (size_t c = 0; c < t.columns.size(); ++c)
      if (!row[c].empty()) f->SetField(int(c), row[c].c_str());
    if (t.kind == GeometryKind::kPoint) {
      f->SetGeometryDirectly(new OGRPoint((*geometry.points)[r].x, (*geometry.points)[r].y));
    } else if (t.kind == GeometryKind::kPolygon) {
      auto* mp = new OGRMultiPolygon();
      for (const Polygon& poly : (*geometry.polygons)[r]) mp->addGeometryDirectly(to_ogr(poly));
      f->SetGeometryDirectly(mp);
    }
    if (layer->CreateFeature(f.get()) != OGRERR_NONE) fail(path, "cannot write to layer " + t.name);
  });
  if (transaction && ds.CommitTransaction() != OGRERR_NONE) fail(path, "cannot commit layer " + t.name);
  return layer;
}

// Counts the members of a FeatureCollection's "features" array while a SAX
// parse checks the whole file is well-formed JSON.
class FeatureCounter : public nlohmann::json_sax<nlohmann::json> {
 public:
  size_t features = 0;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    if (depth_ == 2 && in_features_) ++features;
    ++depth_;
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ == 1) features_key_ = k == "features";
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 1 && features_key_) in_features_ = true;
    ++depth_;
    return true;
  }
  bool end_array() override {
    if (--depth_ == 1) in_features_ = false;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  int depth_ = 0;
  bool features_key_ = false, in_features_ = false;
};

// GDAL's GeoJSON writer does not check its writes (GDAL 3.6): a full disk
// leaves a truncated file and no error. Reading the file back is the check:
// well-formed JSON with one feature per row, or OutputError.
void verify_geojson(const std::string& path, size_t rows) {
  std::ifstream in(path, std::ios::binary);
  FeatureCounter counter;
  if (!in || !nlohmann::json::sax_parse(in, &counter) || counter.features != rows)
    throw OutputError(path + ": the written GeoJSON is incomplete (disk full?); nothing was replaced");
}

}  // namespace

void write_ogr(const std::string& path, const std::string& driver_name, const std::vector<const OutTable*>& tables,
               const std::string& crs, const std::vector<std::string>& layer_options) {
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
  if (!driver) throw OutputError(path + ": GDAL has no " + driver_name + " driver");
  GdalErrorScope errors;
  std::vector<GpkgRows> direct;  // GeoPackage attribute tables: GDAL creates them, SQLite fills them
  {
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) fail(path, "cannot create");
    geo::SrsPtr srs = geo::make_srs(crs, path);
    for (const OutTable* t : tables) {
      const bool rows_direct = driver_name == "GPKG" && rows_insertable_directly(*t);
      OGRLayer* layer =
          write_layer(*ds, path, *t, srs.get(), layer_options, {&t->points, &t->polygons}, !rows_direct);
      if (!rows_direct) continue;
      // GDAL defers creating an empty table (and a layer's R-tree and its
      // triggers) to the close; created now, the tables keep GDAL's order
      // in gpkg_contents.
      if (layer->SyncToDisk() != OGRERR_NONE) fail(path, "cannot create table " + t->name);
      GpkgRows g{t, layer->GetName(), {}, t->kind == GeometryKind::kNone ? "" : layer->GetGeometryColumn()};
      OGRFeatureDefn* defn = layer->GetLayerDefn();
      for (int i = 0; i < defn->GetFieldCount(); ++i) g.column_names.push_back(defn->GetFieldDefn(i)->GetNameRef());
      if (g.column_names.size() != t->columns.size()) fail(path, "cannot create the fields of " + t->name);
      direct.push_back(std::move(g));
    }
  }  // closed here, so a failed flush is seen below
  if (errors.failed()) throw OutputError(path + ": write failed: " + errors.first_failure());
  insert_gpkg_rows(path, direct);
  if (driver_name == "GeoJSON" && tables.size() == 1) verify_geojson(path, tables[0]->row_count());
}

void write_ogr_layers(GDALDataset& ds, const std::string& display_name, const std::vector<const OutTable*>& tables,
                      const std::string& crs, const std::vector<std::string>& layer_options) {
  geo::SrsPtr srs = geo::make_srs(crs, display_name);
  for (const OutTable* t : tables) write_layer(ds, display_name, *t, srs.get(), layer_options, {&t->points, &t->polygons});
}

void write_geojson_gdal(const std::string& path, const OutTable& table, const std::vector<Point>& points,
                        const std::vector<MultiPolygon>& polygons) {
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GeoJSON");
  if (!driver) throw OutputError(path + ": GDAL has no GeoJSON driver");
  GdalErrorScope errors;
  {
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) fail(path, "cannot create");
    geo::SrsPtr wgs84 = geo::make_srs("EPSG:4326", path);
    write_layer(*ds, path, table, wgs84.get(), {"RFC7946=YES", "WRITE_NAME=NO"}, {&points, &polygons});
  }  // closed here, so a failed flush is seen below
  if (errors.failed()) throw OutputError(path + ": write failed: " + errors.first_failure());
  verify_geojson(path, table.row_count());
}

}  // namespace hotspot::io
