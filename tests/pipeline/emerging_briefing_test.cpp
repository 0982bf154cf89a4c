// The space-time cubes in the briefings and packs (issue 10, point 7) and
// the one monthly series the charts and the per-area trends share (point 6).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "common/change_specs.h"
#include "hotspot/batch.h"
#include "hotspot/pipeline.h"
#include "pipeline/emerging_run.h"
#include "report/emerging_section.h"
#include "stats/mann_kendall.h"
#include "stats/monthly_series.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
using testing::demo_with_cubes;

size_t count_of(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = 0; (at = text.find(part, at)) != std::string::npos; at += part.size()) ++n;
  return n;
}

// Every (LSOA, category) trend is computed on stats::monthly_series of the
// layer's counts: totals and Mann-Kendall S equal to the series the charts draw.
TEST(EmergingSeries, CategoryTrendsUseTheChartsMonthlySeries) {
  const RunResult r = run_pipeline(demo_with_cubes());
  const pipeline::EmergingRun& e = *r.emerging.at(0);
  const AreaCounts& counts = r.counts.at(0);
  ASSERT_FALSE(e.category_trends.empty());
  EXPECT_NE(e.parameters.at("category_trends").find("2018-10 .. 2019-02 (5 months"), std::string::npos);
  for (const auto& ct : e.category_trends) {
    const size_t c = size_t(std::find(r.incidents.categories.begin(), r.incidents.categories.end(), ct.category) -
                            r.incidents.categories.begin());
    ASSERT_LT(c, r.incidents.categories.size());
    std::vector<bool> one(r.incidents.categories.size(), false);
    one[c] = true;
    for (int a = 0; a < counts.areas; ++a) {
      const std::vector<double> series = stats::monthly_series(counts, a, one);
      ASSERT_EQ(series.size(), 5u);
      double total = 0;
      for (int m = 0; m < 5; ++m) {
        ASSERT_EQ(series[size_t(m)], double(counts.at(a, int(c), m)));
        total += series[size_t(m)];
      }
      ASSERT_EQ(ct.total[size_t(a)], total);
      ASSERT_EQ(ct.trend[size_t(a)].s, stats::mann_kendall(series, true).s);
    }
  }
}

class EmergingBriefing : public testing::TempDirTest {};

// The run's briefing: a category map per cube and a table whose counts are
// the cube's patterns.
TEST_F(EmergingBriefing, RunBriefingHasTheCategoryMapAndTable) {
  RunSpec spec = demo_with_cubes();
  spec.output.dir = (dir_ / "out").string();
  spec.output.geojson = false;
  const RunResult r = run_pipeline(spec);
  const std::string html = slurp(dir_ / "out/briefing.html");
  EXPECT_NE(html.find("Emerging hot spots: lsoa_all_crime (areas of layer lsoa, 5 month steps, 2018-10 .. 2019-02)"),
            std::string::npos);
  EXPECT_NE(html.find("Emerging hot spots: grid_250m"), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"choropleth lsoa\""), std::string::npos);
  // The table rows: category and the number of LSOAs, as the cube's patterns.
  std::map<std::string, int> tally;
  for (const auto& p : r.emerging[0]->pattern) ++tally[emerging::pattern_name(p.pattern)];
  for (const auto& [category, n] : tally)
    EXPECT_NE(html.find("<tr><td>" + category + "</td><td class=\"n\">" + std::to_string(n) + "</td>"),
              std::string::npos)
        << category;
  EXPECT_EQ(count_of(html, "table class=\"emerging\""), 2u);
  EXPECT_EQ(report::pattern_colour("persistent hot spot"), "#cb181d");
  EXPECT_EQ(report::pattern_colour("no pattern"), "none");
}

// Packs: the LSOA cube's locations near the beat in the pack's GeoPackage
// and briefing; the grid cube (run-wide) in neither.
TEST_F(EmergingBriefing, PacksCarryTheAreaCubeNearTheirArea) {
  RunSpec spec = demo_with_cubes();
  spec.output.geojson = false;
  BatchSpec b;
  b.layer = "beat";
  b.areas = {"56"};  // its first LSOAs are kept in place: the clip must not empty them
  b.out = (dir_ / "packs").string();
  b.jobs = 1;
  const BatchResult res = run_batch(spec, b);
  ASSERT_EQ(res.failed, 0) << (res.packs.empty() ? "" : res.packs[0].error);
  const fs::path pack = dir_ / "packs" / res.packs.at(0).folder;
  GDALAllRegister();
  GDALDatasetUniquePtr gpkg(GDALDataset::Open((pack / "hotspot.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(gpkg);
  OGRLayer* cube = gpkg->GetLayerByName("emerging_lsoa_all_crime");
  ASSERT_NE(cube, nullptr);
  EXPECT_GT(cube->GetFeatureCount(), 0);
  EXPECT_LT(cube->GetFeatureCount(), 99);  // not the whole borough
  // Every kept location whole: its outline and values (the clip once moved
  // rows onto themselves, which emptied them; beat 56 then crashed the writer).
  for (auto& f : *cube) {
    ASSERT_NE(f->GetGeometryRef(), nullptr);
    EXPECT_FALSE(f->GetGeometryRef()->IsEmpty());
    EXPECT_TRUE(f->IsFieldSetAndNotNull(0));
  }
  EXPECT_EQ(gpkg->GetLayerByName("emerging_grid_250m"), nullptr);
  EXPECT_NE(gpkg->GetLayerByName("lsoa")->GetLayerDefn()->GetFieldIndex("trend_lsoa_all_crime"), -1);
  const std::string html = slurp(pack / "briefing.html");
  EXPECT_NE(html.find("Emerging hot spots: lsoa_all_crime"), std::string::npos);
  EXPECT_EQ(html.find("Emerging hot spots: grid_250m"), std::string::npos);
  const std::string manifest = slurp(pack / "manifest.json");
  EXPECT_NE(manifest.find("emerging_parameters"), std::string::npos);
}

}  // namespace
}  // namespace hotspot
