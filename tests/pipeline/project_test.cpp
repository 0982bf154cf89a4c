// Issue 9: the QGIS project is built from the run's own layers (any surface
// or area names), opens on the study area and carries its print layouts
// (an A4 page; the borough run an atlas over its area layer). Real QGIS
// opens and prints these in tests/qgis/run_check.sh (check_layouts.py).
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <string>

#include "pipeline/run_cli.h"
#include "pipeline/temp_dir.h"
#include "report/qgis_layouts.h"
#include "test_paths.h"

namespace hotspot {
namespace {

using testing::run_cli;

class Project : public testing::TempDirTest {
 protected:
  // data/demo.toml with its area "beat" named "sector" and surface "all"
  // named "everything", written beside the demo's data (paths are relative).
  std::string renamed_config() {
    std::string toml = slurp(std::string(HOTSPOT_DATA_DIR) + "/demo.toml");
    for (auto [from, to] : {std::pair<std::string, std::string>{"name = \"beat\"", "name = \"sector\""},
                            {"table_layer = \"beat\"", "table_layer = \"sector\""},
                            {"name = \"all\" ", "name = \"everything\" "},
                            {"dir = \"../out/demo\"", "dir = \"" + (dir_ / "out").string() + "\""}}) {
      const size_t at = toml.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      if (at != std::string::npos) toml.replace(at, from.size(), to);
    }
    // Relative paths resolve from the config's folder: point them at data/.
    toml = std::regex_replace(toml, std::regex("\"(police-uk|boundaries/|population/|charnwood_beats)"),
                              "\"" + std::string(HOTSPOT_DATA_DIR) + "/$1");
    return write("renamed.toml", toml);
  }

  // The <layer-tree-layer> tag whose source is `source`.
  static std::string tree_entry(const std::string& project, const std::string& source) {
    const size_t at = project.find("<layer-tree-layer source=\"" + source + "\"");
    return at == std::string::npos ? "" : project.substr(at, project.find('>', at) - at);
  }
};

TEST_F(Project, BuiltFromTheRunsOwnLayerNamesWithAnAtlas) {
  const auto r = run_cli("run -q -c " + renamed_config());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string project = slurp(dir_ / "out/project.qgs");
  // The renamed area and surface are shown: boundaries over the heat map,
  // hotspot areas on top (the tree's order, top first).
  const std::string hot = tree_entry(project, "./hotspot.gpkg|layername=hotspots_everything");
  const std::string area = tree_entry(project, "./hotspot.gpkg|layername=sector");
  const std::string heat = tree_entry(project, "./kde/everything.tif");
  for (const std::string* e : {&hot, &area, &heat}) {
    ASSERT_FALSE(e->empty());
    EXPECT_NE(e->find("checked=\"Qt::Checked\""), std::string::npos) << *e;
  }
  EXPECT_LT(project.find(hot), project.find(area));
  EXPECT_LT(project.find(area), project.find(heat));
  // Opens on the study area (Charnwood's wards: about 20 x 25 km).
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  const size_t view = project.find("<DefaultViewExtent ");
  ASSERT_NE(view, std::string::npos);
  ASSERT_EQ(std::sscanf(project.c_str() + view, "<DefaultViewExtent xmin=\"%lf\" ymin=\"%lf\" xmax=\"%lf\" ymax=\"%lf\"",
                        &x0, &y0, &x1, &y1),
            4);
  EXPECT_GT(x1 - x0, 15000);
  EXPECT_LT(x1 - x0, 40000);
  EXPECT_GT(x0, 440000);
  EXPECT_LT(y0, 320000);
  // The A4 layout and the atlas over the renamed area layer, by its id.
  EXPECT_NE(project.find("<Layout name=\"A4 All sector areas\""), std::string::npos);
  const size_t id_at = area.find(" id=\"");
  const std::string id = area.substr(id_at + 5, area.find('"', id_at + 5) - id_at - 5);
  EXPECT_NE(project.find("<Atlas enabled=\"1\" coverageLayer=\"" + id + "\""), std::string::npos) << id;
  EXPECT_NE(project.find("labelText=\"RESTRICTED\""), std::string::npos);
  EXPECT_NE(project.find("Contains OS data \u00A9 Crown copyright and database right 2019; police.uk data under the "
                         "Open Government Licence v3.0"),
            std::string::npos);
  // The legends list the shown layers, the renamed ones too.
  EXPECT_NE(project.find("<layer-tree-layer id=\"" + id + "\" name=\"sector (boundaries)\""), std::string::npos);
}

TEST_F(Project, APublicPackHasOneLayoutMarkedPublicOnItsBeat) {
  const auto r = run_cli("batch -q --public -c " + std::string(HOTSPOT_DATA_DIR) +
                         "/demo.toml --layer beat --areas 57 --out " + (dir_ / "packs").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string project = slurp(dir_ / "packs/beat_57/project.qgs");
  EXPECT_NE(project.find("<Layout name=\"A4 beat 57"), std::string::npos);
  EXPECT_EQ(project.find("<Atlas "), std::string::npos);  // an atlas in the borough project only
  EXPECT_NE(project.find("labelText=\"PUBLIC\""), std::string::npos);
  EXPECT_EQ(project.find("RESTRICTED"), std::string::npos);
}

TEST(ProjectLayouts, MapExtentKeepsTheItemsShape) {
  const Box b = report::fit_aspect({0, 0, 100, 100}, 200, 100);  // a square area in a 2:1 map
  EXPECT_DOUBLE_EQ(b.min_x, -50);
  EXPECT_DOUBLE_EQ(b.max_x, 150);
  EXPECT_DOUBLE_EQ(b.min_y, 0);
  EXPECT_DOUBLE_EQ(b.max_y, 100);
  const Box tall = report::fit_aspect({0, 0, 10, 100}, 200, 165);
  EXPECT_NEAR((tall.max_x - tall.min_x) / (tall.max_y - tall.min_y), 200.0 / 165, 1e-12);
  EXPECT_DOUBLE_EQ(tall.min_y, 0);
}

TEST(ProjectLayouts, AttributionNamesTheYear) {
  EXPECT_EQ(report::attribution(2019),
            "Contains OS data \u00A9 Crown copyright and database right 2019; police.uk data under the Open "
            "Government Licence v3.0");
  EXPECT_EQ(report::attribution(0).find(" 0;"), std::string::npos);
}

}  // namespace
}  // namespace hotspot
