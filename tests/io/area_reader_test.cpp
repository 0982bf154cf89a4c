// read_area_layer's lon/lat copy (AreaLayer::lonlat): the source's own
// coordinates, kept for a WGS 84 source's unrepaired areas so that the
// GeoJSON output need not transform them back from the working CRS.
#include "io/area_reader.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "hotspot/ledger.h"
#include "hotspot/run_spec.h"

namespace hotspot::io {
namespace {

// A valid square with many decimals (area A) and a bow tie (area B, which
// MakeValid repairs), in a GeoJSON whose CRS is `crs_member` ("" = CRS84).
std::string write_areas(const std::string& name, const std::string& crs_member, double x0, double y0, double d) {
  GDALAllRegister();
  const std::string path =
      (std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()) + ".geojson")).string();
  auto pt = [](double x, double y) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "[%.17g, %.17g]", x, y);
    return std::string(buf);
  };
  std::ofstream out(path);
  out << "{\"type\": \"FeatureCollection\", " << crs_member << "\"features\": [\n"
      << "{\"type\": \"Feature\", \"properties\": {\"code\": \"A\"}, \"geometry\": {\"type\": \"Polygon\", "
      << "\"coordinates\": [[" << pt(x0, y0) << ", " << pt(x0 + d, y0) << ", " << pt(x0 + d, y0 + d * 1.3) << ", "
      << pt(x0, y0 + d * 1.3) << ", " << pt(x0, y0) << "]]}},\n"
      << "{\"type\": \"Feature\", \"properties\": {\"code\": \"B\"}, \"geometry\": {\"type\": \"Polygon\", "
      << "\"coordinates\": [[" << pt(x0, y0) << ", " << pt(x0 + d, y0 + d) << ", " << pt(x0 + d, y0) << ", "
      << pt(x0, y0 + d) << ", " << pt(x0, y0) << "]]}}\n]}\n";
  return path;
}

AreaLayer read(const std::string& path) {
  AreaSource s;
  s.name = "lsoa";
  s.paths = {path};
  s.code_field = "code";
  Ledger ledger;
  return read_area_layer(s, "EPSG:27700", ledger, 2);
}

TEST(AreaReader, Wgs84SourceCoordinatesKeptBitExactUnlessRepaired) {
  const double x0 = -1.1234567890123457, y0 = 52.765432109876543, d = 0.0012345678901234567;
  const std::string path = write_areas("hotspot_lonlat", "", x0, y0, d);
  const AreaLayer layer = read(path);
  std::filesystem::remove(path);
  ASSERT_EQ(layer.code, (std::vector<std::string>{"A", "B"}));
  ASSERT_EQ(layer.repaired, 1);  // the bow tie
  ASSERT_EQ(layer.lonlat.size(), 2u);
  // A: the source's doubles, bit for bit (the ring's closing point dropped,
  // as in `geometry`), while `geometry` is in the working CRS.
  const MultiPolygon want = {{{{x0, y0}, {x0 + d, y0}, {x0 + d, y0 + d * 1.3}, {x0, y0 + d * 1.3}}}};
  ASSERT_EQ(layer.lonlat[0].size(), 1u);
  ASSERT_EQ(layer.lonlat[0][0].size(), 1u);
  ASSERT_EQ(layer.lonlat[0][0][0].size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(layer.lonlat[0][0][0][i].x, want[0][0][i].x) << i;
    EXPECT_EQ(layer.lonlat[0][0][0][i].y, want[0][0][i].y) << i;
  }
  EXPECT_GT(layer.geometry[0][0][0][0].x, 1000.0);  // metres of EPSG:27700
  // B was repaired: its polygons are MakeValid's, made in the working CRS,
  // so it keeps no lon/lat copy and goes through the transform.
  EXPECT_TRUE(layer.lonlat[1].empty());
}

TEST(AreaReader, ProjectedSourceKeepsNoLonLatCopy) {
  const std::string crs =
      "\"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"urn:ogc:def:crs:EPSG::27700\"}}, ";
  const std::string path = write_areas("hotspot_bng", crs, 450000.123, 310000.456, 100.0);
  const AreaLayer layer = read(path);
  std::filesystem::remove(path);
  ASSERT_EQ(layer.size(), 2u);
  EXPECT_TRUE(layer.lonlat.empty());
}

}  // namespace
}  // namespace hotspot::io
