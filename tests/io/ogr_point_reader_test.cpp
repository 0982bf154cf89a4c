// Tests for io/ogr_point_reader on GeoPackages written here with GDAL.
#include "io/ogr_point_reader.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <tuple>

#include "hotspot/errors.h"

namespace hotspot::io {
namespace {

namespace fs = std::filesystem;

class GdalEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { GDALAllRegister(); }
};
[[maybe_unused]] const auto* const kGdalEnv = ::testing::AddGlobalTestEnvironment(new GdalEnvironment);

// US survey foot in metres (EPSG:9003).
constexpr double kUsFoot = 1200.0 / 3937.0;

struct PointSpec {
  std::optional<GIntBig> fid;             // explicit FID, or the driver's next one
  std::optional<std::pair<double, double>> xy;  // nullopt = null geometry
  std::optional<std::array<int, 5>> date;       // y, m, d, hh, mm; nullopt = null field
  std::string type;
  std::string id;
};

class OgrPointReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("hotspot_io_ogr_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Writes a GeoPackage point layer "incidents" with fields date
  // (OFTDateTime), type and id; epsg 0 = a layer created without CRS.
  std::string write_gpkg(const std::string& name, int epsg, const std::vector<PointSpec>& points) {
    return write_layer("GPKG", name, epsg, points, OFTDateTime);
  }

  // Same with any vector driver; date_type OFTString writes the date as
  // "YYYY-MM-DD HH:MM" text.
  std::string write_layer(const char* driver_name, const std::string& name, int epsg,
                          const std::vector<PointSpec>& points, OGRFieldType date_type) {
    const std::string path = (dir_ / name).string();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    EXPECT_NE(driver, nullptr);
    if (!driver) return path;
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    EXPECT_TRUE(ds) << CPLGetLastErrorMsg();
    if (!ds) return path;
    OGRSpatialReference srs;
    if (epsg) {
      EXPECT_EQ(srs.importFromEPSG(epsg), OGRERR_NONE);
      // Traditional order so x is easting whatever the CRS's axis order.
      srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    }
    OGRLayer* layer = ds->CreateLayer("incidents", epsg ? &srs : nullptr, wkbPoint, nullptr);
    EXPECT_NE(layer, nullptr) << CPLGetLastErrorMsg();
    if (!layer) return path;
    for (auto [field_name, type] : {std::pair{"date", date_type}, {"type", OFTString}, {"id", OFTString}}) {
      OGRFieldDefn defn(field_name, type);
      EXPECT_EQ(layer->CreateField(&defn), OGRERR_NONE);
    }
    for (const PointSpec& p : points) {
      OGRFeature f(layer->GetLayerDefn());
      if (p.fid) f.SetFID(*p.fid);
      if (p.xy) {
        OGRPoint pt(p.xy->first, p.xy->second);
        f.SetGeometry(&pt);
      }
      if (p.date) {
        const auto& d = *p.date;
        if (date_type == OFTString) {
          char text[32];
          std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d", d[0], d[1], d[2], d[3], d[4]);
          f.SetField("date", text);
        } else {
          f.SetField("date", d[0], d[1], d[2], d[3], d[4], 0.0f, 0);
        }
      } else {
        f.SetFieldNull(f.GetFieldIndex("date"));
      }
      f.SetField("type", p.type.c_str());
      f.SetField("id", p.id.c_str());
      EXPECT_EQ(layer->CreateFeature(&f), OGRERR_NONE) << CPLGetLastErrorMsg();
    }
    return path;  // ds closes here
  }

  static IncidentSource source() {
    IncidentSource s;
    s.format = IncidentFormat::kOgr;
    s.x_field = s.y_field = "";  // coordinates from the point geometry
    s.date_field = "date";
    s.category_field = "type";
    s.id_field = "id";
    return s;
  }

  fs::path dir_;
};

// San Francisco in EPSG:2227 (NAD83 / California zone 3, US survey feet).
const std::vector<PointSpec> kThreePoints = {
    {std::nullopt, std::pair{6010000.5, 2110000.25}, std::array{2018, 10, 5, 14, 30}, "Burglary", "A1"},
    {std::nullopt, std::nullopt, std::array{2018, 10, 6, 9, 0}, "Theft", "A2"},
    {std::nullopt, std::pair{6011000.0, 2111000.0}, std::array{2018, 10, 7, 0, 0}, "Robbery", "A1"},
};

TEST_F(OgrPointReaderTest, ReadsGeoPackageInUsFeet) {
  const std::string path = write_gpkg("sf.gpkg", 2227, kThreePoints);
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_ogr_points(source(), path, ctx);

  OGRSpatialReference crs;
  ASSERT_EQ(crs.SetFromUserInput(batch.crs.c_str()), OGRERR_NONE) << batch.crs;
  const char* code = crs.GetAuthorityCode(nullptr);
  if (!code && crs.AutoIdentifyEPSG() == OGRERR_NONE) code = crs.GetAuthorityCode(nullptr);
  ASSERT_NE(code, nullptr) << batch.crs;
  EXPECT_STREQ(code, "2227");
  EXPECT_NEAR(crs.GetLinearUnits(), kUsFoot, 1e-12);

  const IncidentTable& t = batch.table;
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t.x[0], 6010000.5);  // still feet: no transform in the reader
  EXPECT_EQ(t.y[0], 2110000.25);
  EXPECT_EQ(t.id[0], "A1");
  EXPECT_EQ(t.categories, std::vector<std::string>{"Burglary"});
  EXPECT_EQ(t.month[0], make_month(2018, 10));
  // 2018-10-05 is day 17809 after 1970-01-01.
  EXPECT_EQ(t.minute[0], int64_t{17809} * 1440 + 14 * 60 + 30);
  EXPECT_EQ(t.source_row[0], 1);
  EXPECT_EQ(t.sources, std::vector<std::string>{path});

  EXPECT_EQ(ledger.rows_read, 3);
  EXPECT_EQ(ledger.accepted, 1);
  EXPECT_EQ(ledger.read_by_file.at(path), 3);
  ASSERT_EQ(ledger.rejects.size(), 2u);
  EXPECT_EQ(ledger.rejects[0].reason, RejectReason::kMissingGeometry);
  EXPECT_EQ(ledger.rejects[0].row, 2);
  EXPECT_EQ(ledger.rejects[0].field, "geometry");
  EXPECT_NE(ledger.rejects[0].raw.find("A2"), std::string::npos) << ledger.rejects[0].raw;
  EXPECT_EQ(ledger.rejects[1].reason, RejectReason::kDuplicateId);
  EXPECT_EQ(ledger.rejects[1].row, 3);
  EXPECT_EQ(ledger.rejects[1].field, "id");
  EXPECT_NE(ledger.rejects[1].raw.find("Robbery"), std::string::npos) << ledger.rejects[1].raw;
  EXPECT_EQ(ledger.rejects[1].file, path);
  EXPECT_TRUE(ledger.reconciles());
}

TEST_F(OgrPointReaderTest, UserCrsOverridesTheLayers) {
  const std::string path = write_gpkg("sf.gpkg", 2227, kThreePoints);
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentSource s = source();
  s.crs = "EPSG:2227";
  EXPECT_EQ(read_ogr_points(s, path, ctx).crs, "EPSG:2227");
}

TEST_F(OgrPointReaderTest, LayerWithoutCrsNeedsOne) {
  // A Shapefile without .prj: GDAL reports no CRS at all. (A GeoJSON
  // without "crs" is EPSG:4326 by RFC 7946, so it cannot serve here.)
  const std::string path = write_layer("ESRI Shapefile", "nocrs.shp", 0, kThreePoints, OFTString);
  ASSERT_FALSE(fs::exists(dir_ / "nocrs.prj"));
  {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    ASSERT_EQ(ds->GetLayer(0)->GetSpatialRef(), nullptr) << "the fixture layer should have no CRS";
  }
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  try {
    read_ogr_points(source(), path, ctx);
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no CRS"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_EQ(ledger.rows_read, 0);

  IncidentSource s = source();
  s.crs = "EPSG:2227";
  IncidentBatch batch = read_ogr_points(s, path, ctx);
  EXPECT_EQ(batch.crs, "EPSG:2227");
  ASSERT_EQ(batch.table.size(), 1u);
  EXPECT_EQ(batch.table.x[0], 6010000.5);
  EXPECT_EQ(batch.table.y[0], 2110000.25);
  // Text dates go through parse_date.
  EXPECT_EQ(batch.table.minute[0], int64_t{17809} * 1440 + 14 * 60 + 30);
  EXPECT_EQ(ledger.rejected_by_reason.at(RejectReason::kMissingGeometry), 1);
  EXPECT_EQ(ledger.rejected_by_reason.at(RejectReason::kDuplicateId), 1);
  EXPECT_TRUE(ledger.reconciles());
}

// BUG: a GeoPackage layer created without a CRS gets srs_id 0, which GDAL
// (3.6) reads back as GEOGCRS "Undefined geographic SRS" (srs_id -1 is
// "Undefined Cartesian SRS"). ogr_point_reader.cpp:58-63 accepts that
// placeholder as the layer's CRS instead of asking the user for one, so
// coordinates in, say, feet are later taken for degrees.
TEST_F(OgrPointReaderTest, GeoPackageWithUndefinedSrsNeedsOne) {
  const std::string path = write_gpkg("nocrs.gpkg", 0, kThreePoints);
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  try {
    IncidentBatch batch = read_ogr_points(source(), path, ctx);
    ADD_FAILURE() << "expected InputError; got crs " << batch.crs.substr(0, 60);
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no CRS"), std::string::npos) << e.what();
  }

  IncidentSource s = source();
  s.crs = "EPSG:2227";
  Ledger ledger2;
  ReadContext ctx2{&ledger2, {}};
  IncidentBatch batch = read_ogr_points(s, path, ctx2);
  EXPECT_EQ(batch.crs, "EPSG:2227");
  ASSERT_EQ(batch.table.size(), 1u);
  EXPECT_EQ(batch.table.x[0], 6010000.5);
  EXPECT_TRUE(ledger2.reconciles());
}

TEST_F(OgrPointReaderTest, NullDateZeroPointAndBlankTypeAreRejected) {
  const std::string path = write_gpkg(
      "rejects.gpkg", 2227,
      {{std::nullopt, std::pair{6010000.0, 2110000.0}, std::nullopt, "Theft", "B1"},
       {std::nullopt, std::pair{0.0, 0.0}, std::array{2018, 10, 5, 0, 0}, "Theft", "B2"},
       {std::nullopt, std::pair{6010000.0, 2110000.0}, std::array{2018, 10, 5, 0, 0}, "  ", "B3"},
       {std::nullopt, std::pair{6010000.0, 2110000.0}, std::array{2019, 2, 28, 23, 59}, " Theft ", ""},
       {std::nullopt, std::pair{6010001.0, 2110001.0}, std::array{2019, 3, 1, 0, 1}, "Theft", ""}});
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_ogr_points(source(), path, ctx);
  ASSERT_EQ(ledger.rejects.size(), 3u);
  EXPECT_EQ(ledger.rejects[0].reason, RejectReason::kBadDate);
  EXPECT_EQ(ledger.rejects[0].field, "date");
  EXPECT_EQ(ledger.rejects[1].reason, RejectReason::kZeroCoordinates);
  EXPECT_EQ(ledger.rejects[2].reason, RejectReason::kMissingCategory);
  EXPECT_EQ(ledger.rejects[2].field, "type");
  // Blank ids are never duplicates; categories are trimmed.
  const IncidentTable& t = batch.table;
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.categories, std::vector<std::string>{"Theft"});
  EXPECT_EQ(t.month, (std::vector<MonthIndex>{make_month(2019, 2), make_month(2019, 3)}));
  EXPECT_EQ(t.source_row, (std::vector<int64_t>{4, 5}));
  EXPECT_TRUE(ledger.reconciles());
}

TEST_F(OgrPointReaderTest, MissingFieldOrLayerOrFileIsAnInputError) {
  const std::string path = write_gpkg("sf.gpkg", 2227, kThreePoints);
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  auto message = [&](const IncidentSource& s, const std::string& p) -> std::string {
    try {
      read_ogr_points(s, p, ctx);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no InputError)";
  };
  IncidentSource s = source();
  s.category_field = "crime_kind";
  EXPECT_NE(message(s, path).find("'crime_kind'"), std::string::npos) << message(s, path);
  EXPECT_NE(message(s, path).find("(fields: date, type, id)"), std::string::npos) << message(s, path);
  s = source();
  s.layer_name = "beats";
  EXPECT_NE(message(s, path).find("'beats'"), std::string::npos) << message(s, path);
  EXPECT_NE(message(s, path).find("(layers: incidents)"), std::string::npos) << message(s, path);
  const std::string missing = (dir_ / "missing.gpkg").string();
  EXPECT_NE(message(source(), missing).find(missing), std::string::npos) << message(source(), missing);
  EXPECT_EQ(ledger.rows_read, 0);
}

// BUG: ledger.h documents Reject::row as "OGR: FID", but
// ogr_point_reader.cpp:81-87 records a 1-based feature counter, so a reject
// cannot be found by FID in a layer whose FIDs are not 1, 2, 3, ...
TEST_F(OgrPointReaderTest, RejectRowIsTheFeatureFid) {
  const std::string path = write_gpkg(
      "fids.gpkg", 2227,
      {{GIntBig{10}, std::pair{6010000.0, 2110000.0}, std::array{2018, 10, 5, 0, 0}, "Theft", "C1"},
       {GIntBig{20}, std::nullopt, std::array{2018, 10, 5, 0, 0}, "Theft", "C2"},
       {GIntBig{30}, std::pair{6010000.0, 2110000.0}, std::array{2018, 10, 5, 0, 0}, "Theft", "C1"}});
  {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    std::vector<GIntBig> fids;
    for (auto& f : *ds->GetLayer(0)) fids.push_back(f->GetFID());
    ASSERT_EQ(fids, (std::vector<GIntBig>{10, 20, 30})) << "the driver should keep the FIDs given";
  }
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  read_ogr_points(source(), path, ctx);
  ASSERT_EQ(ledger.rejects.size(), 2u);
  EXPECT_EQ(ledger.rejects[0].reason, RejectReason::kMissingGeometry);
  EXPECT_EQ(ledger.rejects[0].row, 20);
  EXPECT_EQ(ledger.rejects[1].reason, RejectReason::kDuplicateId);
  EXPECT_EQ(ledger.rejects[1].row, 30);
}

// Issue 8: a driver that hits a broken file reports a CPLError and ends the
// feature loop early; the reader must not take the rest as the whole layer.
TEST_F(OgrPointReaderTest, TruncatedShapefileIsAnInputError) {
  std::vector<PointSpec> points;
  for (int i = 0; i < 200; ++i)
    points.push_back({std::nullopt, std::pair{6010000.0 + i, 2110000.0 + i}, std::array{2018, 10, 5, 0, 0},
                      "Theft", "T" + std::to_string(i)});
  const std::string path = write_layer("ESRI Shapefile", "cut.shp", 2227, points, OFTString);
  const auto size = fs::file_size(path);
  fs::resize_file(path, size / 2);  // the .shx still lists all 200 records
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  try {
    read_ogr_points(source(), path, ctx);
    ADD_FAILURE() << "expected InputError; read " << ledger.rows_read << " of 200 features";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("read error"), std::string::npos) << e.what();
  }
}

// Issue 8: x/y given on an ogr source were ignored, even when the fields
// did not exist. A table without geometry (GeoPackage attribute table) is
// read from its x/y columns; a point layer's geometry is replaced by them.
TEST_F(OgrPointReaderTest, XyFieldsGiveTheCoordinates) {
  const std::string path = (dir_ / "table.gpkg").string();
  {
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    ASSERT_NE(driver, nullptr);
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_TRUE(ds);
    OGRSpatialReference bng;
    ASSERT_EQ(bng.importFromEPSG(27700), OGRERR_NONE);
    bng.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    for (bool with_points : {false, true}) {
      OGRLayer* layer = ds->CreateLayer(with_points ? "points" : "table", with_points ? &bng : nullptr,
                                        with_points ? wkbPoint : wkbNone, nullptr);
      ASSERT_NE(layer, nullptr);
      for (auto [name, type] : {std::pair{"ex", OFTReal}, {"ny", OFTString}, {"type", OFTString}}) {
        OGRFieldDefn defn(name, type);
        ASSERT_EQ(layer->CreateField(&defn), OGRERR_NONE);
      }
      const std::vector<std::tuple<std::optional<double>, std::string>> rows = {
          {451000.5, "311000.25"}, {std::nullopt, "311000"}, {452000.0, "north"}, {453000.0, " 313000 "}};
      for (const auto& [ex, ny] : rows) {
        OGRFeature f(layer->GetLayerDefn());
        if (ex) f.SetField("ex", *ex);
        f.SetField("ny", ny.c_str());
        f.SetField("type", "Theft");
        OGRPoint far_away(1.0, 2.0);  // the point layer's geometry is not used
        if (with_points) f.SetGeometry(&far_away);
        ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
      }
    }
  }
  for (const char* layer_name : {"table", "points"}) {
    SCOPED_TRACE(layer_name);
    IncidentSource s;
    s.format = IncidentFormat::kOgr;
    s.layer_name = layer_name;
    s.category_field = "type";
    s.x_field = "ex";
    s.y_field = "ny";
    s.crs = "EPSG:27700";  // the attribute table has no CRS of its own
    Ledger ledger;
    ReadContext ctx{&ledger, {}};
    IncidentBatch batch = read_ogr_points(s, path, ctx);
    EXPECT_EQ(batch.table.x, (std::vector<double>{451000.5, 453000.0}));
    EXPECT_EQ(batch.table.y, (std::vector<double>{311000.25, 313000.0}));
    ASSERT_EQ(ledger.rejects.size(), 2u);
    EXPECT_EQ(ledger.rejects[0].reason, RejectReason::kBlankCoordinates);
    EXPECT_EQ(ledger.rejects[0].field, "ex");
    EXPECT_EQ(ledger.rejects[1].reason, RejectReason::kBadNumber);
    EXPECT_EQ(ledger.rejects[1].field, "ny");
    EXPECT_TRUE(ledger.reconciles());

    // A field that does not exist: the error lists the fields there are.
    s.x_field = "easting";
    try {
      read_ogr_points(s, path, ctx);
      ADD_FAILURE() << "expected InputError";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("no field 'easting' (fields: ex, ny, type)"), std::string::npos) << e.what();
    }
    s.x_field = "";
    EXPECT_THROW(read_ogr_points(s, path, ctx), ConfigError);  // y without x
  }
}

// Issue 8: a point at 1e308 reached the KDE (undefined behaviour).
TEST_F(OgrPointReaderTest, AbsurdPointIsRejectedOutOfRange) {
  const std::string path = write_gpkg(
      "absurd.gpkg", 2227,
      {{std::nullopt, std::pair{1e308, 2110000.0}, std::array{2018, 10, 5, 0, 0}, "Theft", "D1"},
       {std::nullopt, std::pair{6010000.0, -3e8}, std::array{2018, 10, 5, 0, 0}, "Theft", "D2"},
       {std::nullopt, std::pair{6010000.0, 2110000.0}, std::array{2018, 10, 5, 0, 0}, "Theft", "D3"}});
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_ogr_points(source(), path, ctx);
  EXPECT_EQ(batch.table.id.strings(), std::vector<std::string>{"D3"});
  ASSERT_EQ(ledger.rejects.size(), 2u);
  for (const Reject& r : ledger.rejects) {
    EXPECT_EQ(r.reason, RejectReason::kOutOfRange);
    EXPECT_EQ(r.field, "geometry");
  }
  EXPECT_TRUE(ledger.reconciles());
}

}  // namespace
}  // namespace hotspot::io
