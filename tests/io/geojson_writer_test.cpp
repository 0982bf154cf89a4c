// The hand-written GeoJSON writer against GDAL's GeoJSON driver, the
// oracle: the files must be the same bytes (geojson_writer.cpp).
#include "io/geojson_writer.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_p.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "geo/crs.h"
#include "hotspot/errors.h"
#include "hotspot/ledger.h"
#include "hotspot/run_spec.h"
#include "io/area_reader.h"
#include "test_paths.h"
#include "common/real_areas.h"

namespace hotspot::io {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TempDir {
  std::filesystem::path dir;
  TempDir() {
    dir = std::filesystem::temp_directory_path() / ("hotspot_geojson_" + std::to_string(::getpid()) + "_" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~TempDir() { std::filesystem::remove_all(dir); }
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

// Writes `t` (geometries in EPSG:4326) with both writers on 1 and 3
// threads and expects the same bytes as GDAL's.
void expect_same_as_gdal(const OutTable& t) {
  GDALAllRegister();
  TempDir tmp;
  write_geojson_gdal(tmp.path("gdal.geojson"), t, t.points, t.polygons);
  const std::string want = slurp(tmp.path("gdal.geojson"));
  ASSERT_FALSE(want.empty());
  for (int threads : {1, 3}) {
    write_geojson(tmp.path("own.geojson"), t, "EPSG:4326", threads);
    const std::string got = slurp(tmp.path("own.geojson"));
    if (got != want) {  // kept for a look: diff the two files
      std::filesystem::copy_file(tmp.path("own.geojson"), "/tmp/geojson_writer_own.geojson",
                                 std::filesystem::copy_options::overwrite_existing);
      std::filesystem::copy_file(tmp.path("gdal.geojson"), "/tmp/geojson_writer_gdal.geojson",
                                 std::filesystem::copy_options::overwrite_existing);
    }
    ASSERT_EQ(got.size(), want.size()) << "threads " << threads;
    EXPECT_TRUE(got == want) << "threads " << threads << "; first difference at byte "
                             << std::mismatch(got.begin(), got.end(), want.begin()).first - got.begin();
  }
}

TEST(GeoJsonWriter, CoordinatesAsGdalFormatsThem) {
  std::vector<double> values = {0.0,          -0.0,         1.0,           -1.0,          52.0,        0.5,
                                1e-8,         -1e-8,        -4e-8,         6e-8,          1.23456785,  -1.2,
                                -1.2345678,   52.9999999,   52.99999995,   -179.99999995, 179.9999999, 90.0,
                                -89.99999999, 123.45678901, -10.123456789, 12.00000001,   99.9999999};
  std::mt19937_64 rng(13);
  for (double scale : {1e-6, 1e-3, 1.0, 10.0, 100.0, 180.0}) {
    std::uniform_real_distribution<double> d(-scale, scale);
    for (int i = 0; i < 40000; ++i) values.push_back(d(rng));
  }
  // Decimals with long 0 / 9 runs (where GDAL's rounding acts).
  for (int i = 0; i < 2000; ++i) {
    const double whole = std::floor(std::uniform_real_distribution<double>(-180, 180)(rng));
    values.push_back(whole + 1e-7 * (i % 20) - 1e-9 * (i % 7));
  }
  // Exact ties at the 8th decimal (k / 256 = ...0625 / ...5 at 8 decimals):
  // rounded to even, as snprintf's "%.7f" (append_geojson_coordinate uses
  // std::to_chars, which must round the same).
  for (int k = -3000; k <= 3000; ++k) values.push_back(k / 256.0), values.push_back(k / 1024.0 + 51.0);
  for (double v : values) {
    char gdal[80];
    OGRFormatDouble(gdal, sizeof gdal, v, '.', 7, 'f');
    std::string own;
    append_geojson_coordinate(own, v);
    ASSERT_EQ(own, gdal) << "value " << v;
  }
}

TEST(GeoJsonWriter, PropertiesOfEveryKindSameBytesAsGdal) {
  OutTable t;
  t.name = "props";
  t.kind = GeometryKind::kPoint;
  t.add_column("text");
  t.add_column("count", ColumnType::kInteger);
  t.add_column("rate", ColumnType::kReal);
  t.add_column("id");  // an "id" column stays a property (no FID is written)
  t.add_column("odd \"name\"/\\ é");
  const std::vector<std::string> texts = {"plain",
                                          "a/b \"q\" \\ back",
                                          "tab\there\nnew\rret\bbs\fff",
                                          "\x01\x1f\x7f ctrl",
                                          "UTF-8: é ü 中 🙂",
                                          "On or near Pink Lane",
                                          "{not json",
                                          "[x",
                                          "E01025000",
                                          " lead and trail "};
  const std::vector<std::string> ints = {"0", "-1", "42", "9223372036854775807", "-9223372036854775808", "007"};
  std::vector<std::string> reals = {"0",
                                    "-0",
                                    "1",
                                    "1.5",
                                    "0.1",
                                    "1e-300",
                                    "1e300",
                                    "2.5e-7",
                                    "123456789012345678",
                                    "0.30000000000000004",
                                    "1.0000000000000002",
                                    "0.999999999999999",
                                    "3.14159",
                                    "-2.5",
                                    "100",
                                    "1e21",
                                    "4.35e-05"};
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> d(-1000, 1000);
  for (int i = 0; i < 3000; ++i) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", 1 + i % 17, d(rng) * std::pow(10.0, (i % 13) - 6));
    reals.push_back(buf);
  }
  for (size_t r = 0; r < reals.size(); ++r) {
    t.rows.push_back({r % 11 == 10 ? "" : texts[r % texts.size()], r % 7 == 6 ? "" : ints[r % ints.size()], reals[r],
                      r % 3 ? std::to_string(r) : "", r % 5 ? "" : "x"});
    t.points.push_back({-1.0 - 1e-4 * double(r), 52.5 + 1e-5 * double(r)});
  }
  t.rows.push_back({"", "", "", "", ""});  // no properties at all
  t.points.push_back({0.0, 0.0});
  expect_same_as_gdal(t);
}

TEST(GeoJsonWriter, PolygonsAndHolesSameBytesAsGdal) {
  OutTable t;
  t.name = "polys";
  t.kind = GeometryKind::kPolygon;
  t.add_column("code");
  const Ring ccw = {{0, 0}, {1, 0}, {1, 1}, {0, 1}}, cw = {{0, 0}, {0, 1}, {1, 1}, {1, 0}};
  const Ring hole_cw = {{0.2, 0.2}, {0.2, 0.4}, {0.4, 0.4}, {0.4, 0.2}};
  const Ring hole_ccw = {{0.5, 0.5}, {0.7, 0.5}, {0.7, 0.7}, {0.5, 0.7}};
  // A degenerate ring (repeated lowest point), where GDAL's orientation
  // test takes its fallback.
  const Ring degenerate = {{0, 0}, {0, 0}, {2, 0}, {2, 2}};
  const std::vector<MultiPolygon> shapes = {
      {{ccw}}, {{cw}}, {{ccw, hole_cw, hole_ccw}}, {{cw, hole_ccw}}, {{ccw}, {cw, hole_cw}}, {{degenerate}}};
  for (size_t i = 0; i < shapes.size(); ++i) {
    t.rows.push_back({"A" + std::to_string(i)});
    MultiPolygon mp = shapes[i];
    for (Polygon& p : mp)
      for (Ring& r : p)
        for (Point& pt : r) pt = {-1.5 + pt.x * 0.01, 52.6 + pt.y * 0.01};
    t.polygons.push_back(mp);
  }
  expect_same_as_gdal(t);
}

TEST(GeoJsonWriter, RealLsoasSameBytesAsGdal) {
  const AreaLayer areas = testing::charnwood_lsoas("EPSG:4326");
  OutTable t;
  t.name = "lsoa";
  t.kind = GeometryKind::kPolygon;
  t.add_column("code");
  t.add_column("count", ColumnType::kInteger);
  t.add_column("rate", ColumnType::kReal);
  for (size_t i = 0; i < areas.code.size(); ++i) {
    t.rows.push_back({areas.code[i], std::to_string(i * 37 % 101), std::to_string(double(i) / 7.0)});
    t.polygons.push_back(areas.geometry[i]);
  }
  ASSERT_EQ(t.rows.size(), 99u);
  expect_same_as_gdal(t);
}

TEST(GeoJsonWriter, ValuesItDoesNotReproduceGoThroughGdal) {
  // A text value GDAL parses as JSON, and an integer column holding a
  // non-integer: the table is written by GDAL, so the files still agree.
  for (const std::vector<std::string>& row :
       {std::vector<std::string>{"{\"a\": 1}", "1"}, std::vector<std::string>{"[1, 2]", "2"},
        std::vector<std::string>{"x", "3.5"}}) {
    OutTable t;
    t.name = "odd";
    t.kind = GeometryKind::kPoint;
    t.add_column("text");
    t.add_column("n", ColumnType::kInteger);
    t.rows = {row, {"plain", "4"}};
    t.points = {{-1.0, 52.0}, {-1.1, 52.1}};
    expect_same_as_gdal(t);
  }
}

TEST(GeoJsonWriter, EmptyLayerAndTransformedLayer) {
  OutTable empty;
  empty.name = "none";
  empty.kind = GeometryKind::kPoint;
  empty.add_column("a");
  expect_same_as_gdal(empty);

  // From the working CRS: the same coordinates as GDAL given the bulk
  // transform's output.
  OutTable t;
  t.name = "bng";
  t.kind = GeometryKind::kPoint;
  t.add_column("a");
  std::vector<double> x, y;
  for (int i = 0; i < 1000; ++i) {
    t.rows.push_back({std::to_string(i)});
    t.points.push_back({450000.0 + 37.1 * i, 300000.0 + 11.3 * i});
    x.push_back(t.points.back().x), y.push_back(t.points.back().y);
  }
  geo::transform_points("EPSG:27700", "EPSG:4326", x, y, 1);
  OutTable wgs = t;
  for (size_t i = 0; i < x.size(); ++i) wgs.points[i] = {x[i], y[i]};
  TempDir tmp;
  write_geojson_gdal(tmp.path("gdal.geojson"), wgs, wgs.points, wgs.polygons);
  write_geojson(tmp.path("own.geojson"), t, "EPSG:27700", 2);
  EXPECT_EQ(slurp(tmp.path("own.geojson")), slurp(tmp.path("gdal.geojson")));
}

// A polygon table in the working CRS whose first row carries its polygon
// already in lon/lat (OutTable::lonlat_polygons: an unrepaired area of a
// WGS 84 source): that row is written from those coordinates as they are,
// the second (a repaired area: no lon/lat copy) through the transform.
TEST(GeoJsonWriter, LonLatPolygonsWrittenAsTheyAreOthersTransformed) {
  OutTable t;
  t.name = "lsoa";
  t.kind = GeometryKind::kPolygon;
  t.add_column("code");
  t.rows = {{"A"}, {"B"}};
  const Ring square = {{450000, 310000}, {450100, 310000}, {450100, 310100}, {450000, 310100}};
  t.polygons = {{{square}}, {{square}}};
  // Deliberately not square's transform: proves the copy is what is written.
  const MultiPolygon own = {{{{-1.123456789, 52.1}, {-1.0, 52.1}, {-1.0, 52.2}, {-1.123456789, 52.2}}}};
  t.lonlat_polygons = {own, {}};
  std::vector<double> x, y;
  for (const Point& p : square) x.push_back(p.x), y.push_back(p.y);
  geo::transform_points("EPSG:27700", "EPSG:4326", x, y, 1);
  MultiPolygon moved = {{square}};
  for (size_t i = 0; i < x.size(); ++i) moved[0][0][i] = {x[i], y[i]};
  TempDir tmp;
  write_geojson_gdal(tmp.path("gdal.geojson"), t, {}, {own, moved});
  for (int threads : {1, 2}) {
    write_geojson(tmp.path("own.geojson"), t, "EPSG:27700", threads);
    EXPECT_EQ(slurp(tmp.path("own.geojson")), slurp(tmp.path("gdal.geojson"))) << threads;
  }
  EXPECT_NE(slurp(tmp.path("own.geojson")).find("[ -1.1234568, 52.1 ]"), std::string::npos);  // 7 decimals
}

TEST(GeoJsonWriter, AFullDiskIsAnError) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  OutTable t;
  t.name = "full";
  t.kind = GeometryKind::kPoint;
  t.add_column("a");
  for (int i = 0; i < 20000; ++i)
    t.rows.push_back({"some text to fill a buffer " + std::to_string(i)}), t.points.push_back({-1, 52});
  EXPECT_THROW(write_geojson("/dev/full", t, "EPSG:4326", 2), OutputError);
}

}  // namespace
}  // namespace hotspot::io
