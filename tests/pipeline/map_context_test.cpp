// Issue 9, points 4, 6 and 8 on the demo: maps with labels and context
// layers, standalone SVG / PNG maps, the QGIS basemap switch, hotspot areas
// that meet the minimum size and carry names (restricted and public), and
// Gi* on a neighbourhood of the kernel radius.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "run_cli.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
using testing::slurp;

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}

// A road across Loughborough town centre (beat 62) and one far away (cut
// off by the clip), and a place point, in lon/lat.
constexpr const char* kRoads = R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"name": "Test Road"},
  "geometry": {"type": "LineString", "coordinates": [[-1.2150, 52.7690], [-1.2060, 52.7715], [-1.1950, 52.7750]]}},
 {"type": "Feature", "properties": {"name": "Far Away Lane"},
  "geometry": {"type": "LineString", "coordinates": [[-0.10, 51.50], [-0.09, 51.51]]}}]})";
constexpr const char* kPlaces = R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"name": "Testplace"},
  "geometry": {"type": "Point", "coordinates": [-1.2065, 52.7705]}}]})";

// data/demo.toml with absolute input paths, output in `dir`, plus `extra`.
std::string demo_config(const fs::path& dir, const std::string& extra) {
  std::string s = slurp(std::string(HOTSPOT_DATA_DIR) + "/demo.toml");
  const std::string data = std::string(HOTSPOT_DATA_DIR) + "/";
  replace_all(s, "paths = [\"", "paths = [\"" + data);
  replace_all(s, "path = \"population", "path = \"" + data + "population");
  replace_all(s, "lookup = \"", "lookup = \"" + data);
  replace_all(s, "dir = \"../out/demo\"", "dir = \"" + (dir / "out").string() + "\"");
  // The demo has a [report] table already: [report] keys go into it.
  std::string more = extra;
  const std::string report = "[report]\n";
  if (more.rfind(report, 0) == 0 && s.find("\n" + report) != std::string::npos) {
    replace_all(s, "\n" + report, "\n" + more);
    more.clear();
  }
  std::ofstream(dir / "run.toml") << s << "\n" << more;
  return (dir / "run.toml").string();
}

std::map<std::string, std::string> surface_parameters(const fs::path& csv, const std::string& surface) {
  std::map<std::string, std::string> out;
  std::istringstream in(slurp(csv));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(surface + ",", 0) != 0) continue;
    const size_t k = line.find(',', surface.size() + 1);
    std::string value = line.substr(k + 1);
    if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
    replace_all(value, "\"\"", "\"");
    out[line.substr(surface.size() + 1, k - surface.size() - 1)] = value;
  }
  return out;
}

struct HotspotRow {
  std::string name, incidents;
};
// Every feature of every hotspots_* layer in a GeoPackage.
std::vector<HotspotRow> gpkg_hotspots(const fs::path& gpkg) {
  std::vector<HotspotRow> out;
  GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  EXPECT_TRUE(ds) << gpkg;
  if (!ds) return out;
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer* l = ds->GetLayer(i);
    if (std::string(l->GetName()).rfind("hotspots_", 0) != 0) continue;
    for (auto& f : *l) out.push_back({f->GetFieldAsString("name"), f->GetFieldAsString("incidents")});
  }
  return out;
}

int64_t feature_count(const fs::path& gpkg, const std::string& layer) {
  GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  OGRLayer* l = ds ? ds->GetLayerByName(layer.c_str()) : nullptr;
  return l ? l->GetFeatureCount() : -1;
}

// The cells of every row of the briefing's hotspot tables.
std::vector<std::vector<std::string>> briefing_hotspot_rows(const std::string& html) {
  std::vector<std::vector<std::string>> rows;
  for (size_t t = 0; (t = html.find("<table id=\"hotspot-areas\">", t)) != std::string::npos; ++t) {
    const std::string table = html.substr(t, html.find("</table>", t) - t);
    const std::string body = table.substr(table.find("<tbody>"));
    const std::regex cell("<td[^>]*>([^<]*)</td>");
    for (size_t r = 0; (r = body.find("<tr", r)) != std::string::npos; ++r) {
      const std::string row = body.substr(r, body.find("</tr>", r) - r);
      rows.emplace_back();
      for (auto it = std::sregex_iterator(row.begin(), row.end(), cell); it != std::sregex_iterator(); ++it)
        rows.back().push_back((*it)[1]);
    }
  }
  return rows;
}

uint32_t be32(const std::string& b, size_t at) {
  return uint32_t(uint8_t(b[at])) << 24 | uint32_t(uint8_t(b[at + 1])) << 16 | uint32_t(uint8_t(b[at + 2])) << 8 |
         uint32_t(uint8_t(b[at + 3]));
}

// One beat pack (62, Loughborough town centre) with a road and a place
// layer, one public pack without the basemap; both built once.
class MapContext : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    GDALAllRegister();
    root_ = fs::temp_directory_path() / ("hotspot_map_context_" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "a");
    fs::create_directories(root_ / "b");
    std::ofstream(root_ / "roads.geojson") << kRoads;
    std::ofstream(root_ / "places.geojson") << kPlaces;
    const std::string context = "[[context]]\nname = \"roads\"\npath = \"" + (root_ / "roads.geojson").string() +
                                "\"\nkind = \"lines\"\nlabel_field = \"name\"\n\n[[context]]\nname = \"places\"\n"
                                "path = \"" + (root_ / "places.geojson").string() +
                                "\"\nkind = \"points\"\nlabel_field = \"name\"\n";
    restricted_ = testing::run_cli("batch -q -c " + demo_config(root_ / "a", context) + " -l beat --areas 62 --out " +
                                   (root_ / "a/packs").string());
    public_ = testing::run_cli("batch -q --public -c " + demo_config(root_ / "b", "[report]\nbasemap = false\n") +
                               " -l beat --areas 62 --out " + (root_ / "b/packs").string());
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }
  static fs::path pack() { return root_ / "a/packs/beat_62"; }
  static fs::path public_pack() { return root_ / "b/packs/beat_62"; }
  static fs::path root_;
  static testing::CliResult restricted_, public_;
};
fs::path MapContext::root_;
testing::CliResult MapContext::restricted_, MapContext::public_;

TEST_F(MapContext, EveryHotspotListedHasTheMinimumIncidentsAndAName) {
  ASSERT_EQ(restricted_.exit_code, 0) << restricted_.output;
  const std::vector<HotspotRow> layer = gpkg_hotspots(pack() / "hotspot.gpkg");
  ASSERT_FALSE(layer.empty());
  for (const HotspotRow& h : layer) {
    EXPECT_GE(std::atoi(h.incidents.c_str()), 5) << h.name;
    EXPECT_FALSE(h.name.empty());
  }
  // Names read as a place: "On or near <street>, <ward>".
  EXPECT_NE(layer[0].name.find("On or near "), std::string::npos) << layer[0].name;
  EXPECT_NE(layer[0].name.find(", Loughborough"), std::string::npos) << layer[0].name;
  const auto rows = briefing_hotspot_rows(slurp(pack() / "briefing.html"));
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 8u);
    EXPECT_FALSE(row[1].empty());                      // Name
    EXPECT_GE(std::atoi(row[6].c_str()), 5) << row[1];  // Incidents
  }
}

TEST_F(MapContext, DroppedHotspotsAreCounted) {
  const fs::path csv = pack() / "csv/surface_parameters.csv";
  int64_t listed = 0;
  for (const char* s : {"all", "burglary", "asb_latest_month"}) {
    const auto p = surface_parameters(csv, s);
    ASSERT_TRUE(p.count("hotspots_found")) << s;
    ASSERT_TRUE(p.count("hotspots_dropped_small")) << s;
    EXPECT_EQ(p.at("hotspot_min_size"), "at least 5 incidents and 4 cells");
    const int64_t kept = feature_count(pack() / "hotspot.gpkg", std::string("hotspots_") + s);
    EXPECT_EQ(std::stoll(p.at("hotspots_found")) - std::stoll(p.at("hotspots_dropped_small")), kept) << s;
    listed += std::stoll(p.at("hotspots_dropped_small"));
  }
  EXPECT_GT(listed, 0);  // the demo has specks: the rule is not idle
  EXPECT_NE(slurp(pack() / "briefing.html").find("not listed."), std::string::npos);
}

TEST_F(MapContext, GistarDefaultNeighbourhoodIsTheKernelRadius) {
  const auto p = surface_parameters(pack() / "csv/surface_parameters.csv", "all");
  EXPECT_EQ(p.at("radius_m"), "300");
  EXPECT_EQ(p.at("gistar_neighbourhood"), "by rule: 300 m");
  EXPECT_EQ(p.at("gistar"), "cells within 300 m incl. self on cell counts");
  EXPECT_NE(p.at("gistar_band_rule").find("the kernel radius R"), std::string::npos);
}

TEST_F(MapContext, MapsCarryAreaLabelsAndNumberedHotspots) {
  const std::string html = slurp(pack() / "briefing.html");
  EXPECT_NE(html.find("class=\"label-beat\""), std::string::npos);
  EXPECT_TRUE(std::regex_search(html, std::regex("class=\"label-beat\"[^>]*>62</text>")));
  EXPECT_NE(html.find("class=\"label-ward\""), std::string::npos);
  EXPECT_TRUE(std::regex_search(html, std::regex("class=\"rank\"[^>]*>1</text>")));
  // The legend states the ramp's top and the hotspot threshold together.
  EXPECT_NE(html.find("hotspot area: density &#8805; "), std::string::npos);
  EXPECT_NE(html.find("ramp top "), std::string::npos);
}

TEST_F(MapContext, EachMapIsAStandaloneSvgAndPngOfTheStatedSize) {
  for (const char* m : {"heat_all", "heat_burglary", "significance"}) {
    const std::string svg = slurp(pack() / "maps" / (std::string(m) + ".svg"));
    ASSERT_FALSE(svg.empty()) << m;
    EXPECT_NE(svg.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
    std::smatch size;
    ASSERT_TRUE(std::regex_search(svg, size, std::regex("width=\"(\\d+)\" height=\"(\\d+)\""))) << m;
    const std::string png = slurp(pack() / "maps" / (std::string(m) + ".png"));
    ASSERT_GT(png.size(), 1000u) << m;
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(png.substr(12, 4), "IHDR");
    EXPECT_EQ(be32(png, 16), 1600u) << m;
    EXPECT_EQ(std::to_string(be32(png, 16)), size[1].str());
    EXPECT_EQ(std::to_string(be32(png, 20)), size[2].str());
  }
  // The page links them.
  EXPECT_NE(slurp(pack() / "briefing.html").find("href=\"maps/heat_all.png\""), std::string::npos);
}

TEST_F(MapContext, ContextLayersReachTheMapsTheGeoPackageAndTheProject) {
  const std::string svg = slurp(pack() / "maps/heat_all.svg");
  EXPECT_NE(svg.find("class=\"ctx-line\""), std::string::npos);
  EXPECT_NE(svg.find(">Test Road</text>"), std::string::npos);
  EXPECT_NE(svg.find("class=\"ctx-point\""), std::string::npos);
  EXPECT_EQ(svg.find("Far Away Lane"), std::string::npos);  // clipped away
  EXPECT_EQ(feature_count(pack() / "hotspot.gpkg", "context_roads"), 1);
  EXPECT_EQ(feature_count(pack() / "hotspot.gpkg", "context_places"), 1);
  const std::string project = slurp(pack() / "project.qgs");
  EXPECT_NE(project.find("<datasource>./hotspot.gpkg|layername=context_roads</datasource>"), std::string::npos);
  EXPECT_NE(project.find("name=\"Context\""), std::string::npos);
}

TEST_F(MapContext, BasemapIsInTheProjectUnlessSwitchedOff) {
  const std::string project = slurp(pack() / "project.qgs");
  EXPECT_NE(project.find("type=xyz&amp;url=https://tile.openstreetmap.org/"), std::string::npos);
  EXPECT_NE(project.find("<provider>wms</provider>"), std::string::npos);
  // Bottom of the layer order: the last entry of the tree and of the custom order.
  const size_t tree_end = project.find("<custom-order");
  EXPECT_GT(project.rfind("providerKey=\"wms\"", tree_end), project.rfind("providerKey=\"ogr\"", tree_end));
  ASSERT_EQ(public_.exit_code, 0) << public_.output;
  EXPECT_EQ(slurp(public_pack() / "project.qgs").find("tile.openstreetmap.org"), std::string::npos);
}

TEST_F(MapContext, PublicPacksListNoSmallHotspotButKeepTheNames) {
  ASSERT_EQ(public_.exit_code, 0) << public_.output;
  const std::vector<HotspotRow> layer = gpkg_hotspots(public_pack() / "hotspot.gpkg");
  ASSERT_FALSE(layer.empty());
  for (const HotspotRow& h : layer) {
    EXPECT_GT(std::atoi(h.incidents.c_str()), 5) << h.name << " " << h.incidents;
    EXPECT_FALSE(h.name.empty());
  }
  for (const auto& row : briefing_hotspot_rows(slurp(public_pack() / "briefing.html")))
    EXPECT_GT(std::atoi(row.at(6).c_str()), 5) << row.at(1);
}

class MapConfig : public testing::TempDirTest {};

TEST_F(MapConfig, UnknownReportKeyIsNamedWithASuggestion) {
  const auto r = testing::run_cli("validate -c " + demo_config(dir_, "[report]\nbasemapp = false\n"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("unknown key 'basemapp'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("basemap"), std::string::npos) << r.output;
}

TEST_F(MapConfig, BadContextAndRuleValuesAreListed) {
  const auto r = testing::run_cli(
      "validate -c " + demo_config(dir_, "[[context]]\nname = \"roads\"\npath = \"" + std::string(HOTSPOT_DATA_DIR) +
                                             "/boundaries/wards2013_charnwood.geojson\"\nkind = \"line\"\n") +
      " 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("kind: 'line' is not one of"), std::string::npos) << r.output;
  const auto share = testing::run_cli(
      "validate -c " + demo_config(dir_, "") + " 2>&1");  // the demo itself is valid
  EXPECT_EQ(share.exit_code, 0) << share.output;
}

TEST_F(MapConfig, ASmallerGistarNeighbourhoodIsWarnedAbout) {
  std::string cfg = demo_config(dir_, "");
  std::string text = slurp(cfg);
  replace_all(text, "hotspot_top_percent = 1 ", "hotspot_top_percent = 1\ngistar_distance = 50\n");
  std::ofstream(cfg) << text;
  const auto r = testing::run_cli("run -q --no-geojson -c " + cfg);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto p = surface_parameters(dir_ / "out/csv/surface_parameters.csv", "all");
  EXPECT_EQ(p.at("gistar_neighbourhood"), "given: 50 m (below the rule)");
  EXPECT_NE(slurp(dir_ / "out/csv/surface_parameters.csv").find("is smaller than the rule's 300 m"),
            std::string::npos);
}

}  // namespace
}  // namespace hotspot
