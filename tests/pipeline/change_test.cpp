// [[change.surfaces]] end to end on the Charnwood demo: February 2019
// against January on one grid, the GeoTIFFs and their styles, the
// permutation test on 1 and 2 threads, public mode.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include <gdal_priv.h>

#include "common/change_specs.h"
#include "hotspot/pipeline.h"
#include "pipeline/change_run.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
using testing::demo_with_change;
using testing::has_warning;

std::vector<float> band(const fs::path& tif, int b) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(tif.c_str(), GDAL_OF_RASTER));
  if (!ds) return {};
  GDALRasterBand* band = ds->GetRasterBand(b);
  std::vector<float> v(size_t(band->GetXSize()) * size_t(band->GetYSize()));
  if (band->RasterIO(GF_Read, 0, 0, band->GetXSize(), band->GetYSize(), v.data(), band->GetXSize(),
                     band->GetYSize(), GDT_Float32, 0, 0) != CE_None)
    return {};
  return v;
}

// The periods' incidents are counted independently from the incident table;
// the difference is after - before of the two per-month densities, which
// integrate (per km2 x cell area) to about the incidents of each month.
TEST(ChangeSurfaces, DemoFebruaryAgainstJanuary) {
  const RunResult r = run_pipeline(demo_with_change(0));
  ASSERT_EQ(r.change.size(), 1u);
  const pipeline::ChangeRun& c = *r.change[0];
  int64_t jan = 0, feb = 0;
  const IncidentTable& t = r.incidents;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t.categories[t.category[i]] == "Anti-social behaviour") continue;
    jan += t.month[i] == make_month(2019, 1);
    feb += t.month[i] == make_month(2019, 2);
  }
  EXPECT_EQ(c.parameters.at("incidents_before"), std::to_string(jan));
  EXPECT_EQ(c.parameters.at("incidents_after"), std::to_string(feb));
  EXPECT_EQ(c.before_label, "2019-01");
  EXPECT_EQ(c.after_label, "2019-02");
  EXPECT_EQ(c.parameters.at("radius_m"), "400");
  EXPECT_EQ(c.parameters.at("permutation_test"), "off");
  const change::ChangeGrids& g = c.grids;
  double sum_before = 0, sum_after = 0;
  size_t ratios = 0, inside = 0;
  for (size_t k = 0; k < g.difference.size(); ++k) {
    if (std::isnan(g.difference.values[k])) continue;
    ++inside;
    EXPECT_DOUBLE_EQ(g.difference.values[k], g.after.values[k] - g.before.values[k]);
    sum_before += g.before.values[k], sum_after += g.after.values[k];
    if (!std::isnan(g.log_ratio.values[k])) {
      ++ratios;
      ASSERT_GT(g.before.values[k], std::stod(c.parameters.at("floor")));
      ASSERT_NEAR(g.log_ratio.values[k], std::log(g.after.values[k] / g.before.values[k]), 1e-12);
    }
  }
  // Per km2 over 100 m cells (0.01 km2 each): the sums are about the month's
  // incidents (a little less: kernels spill outside Charnwood's beats).
  EXPECT_NEAR(sum_before * 0.01, double(jan), 0.05 * double(jan));
  EXPECT_NEAR(sum_after * 0.01, double(feb), 0.05 * double(feb));
  EXPECT_GT(inside, 10000u);
  EXPECT_GT(ratios, 1000u);
  EXPECT_LT(ratios, inside);  // the floor leaves out the near-empty countryside
}

// The permutation test on 1 and 2 threads: the same p in every cell.
TEST(ChangeSurfaces, PermutationPIsTheSameOnOneAndTwoThreads) {
  RunSpec one = demo_with_change(49), two = demo_with_change(49);
  one.threads = 1, two.threads = 2;
  const RunResult a = run_pipeline(one), b = run_pipeline(two);
  const Grid &pa = a.change.at(0)->grids.p, &pb = b.change.at(0)->grids.p;
  ASSERT_EQ(pa.size(), pb.size());
  ASSERT_GT(pa.size(), 0u);
  size_t n = 0, low = 0;
  for (size_t k = 0; k < pa.size(); ++k) {
    if (std::isnan(pa.values[k])) {
      ASSERT_TRUE(std::isnan(pb.values[k]));
      continue;
    }
    ASSERT_EQ(pa.values[k], pb.values[k]) << k;
    const double hits = pa.values[k] * 50;  // (1 + hits) / (R + 1), R = 49
    ASSERT_NEAR(hits, std::round(hits), 1e-9);
    ASSERT_GE(pa.values[k], 1.0 / 50);
    ++n, low += pa.values[k] <= 0.05;
  }
  EXPECT_GT(n, 10000u);
  EXPECT_GT(low, 0u);  // some cells changed more than relabeling explains
  EXPECT_NE(a.change[0]->parameters.at("permutation_test").find("49 random relabelings"), std::string::npos);
}

class ChangeOutputs : public testing::TempDirTest {};

TEST_F(ChangeOutputs, GeoTiffsStylesAndParametersAreWritten) {
  RunSpec spec = demo_with_change(19);
  spec.output.dir = (dir_ / "out").string();
  spec.output.geojson = false;
  spec.output.maps_dir = std::string(HOTSPOT_DATA_DIR) + "/../maps";
  const RunResult r = run_pipeline(spec);
  const fs::path out = dir_ / "out/change";
  for (const char* f : {"all_crime_difference.tif", "all_crime_log_ratio.tif", "all_crime_p.tif",
                        "all_crime_difference.qml", "all_crime_log_ratio.qml", "all_crime_p.qml"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  // Band 1 = band 3 - band 2 (float32 rounding).
  const std::vector<float> d = band(out / "all_crime_difference.tif", 1), before = band(out / "all_crime_difference.tif", 2),
                           after = band(out / "all_crime_difference.tif", 3);
  ASSERT_EQ(d.size(), before.size());
  ASSERT_EQ(d.size(), r.change[0]->grids.difference.size());
  for (size_t k = 0; k < d.size(); ++k) {
    if (std::isnan(d[k])) continue;
    ASSERT_NEAR(d[k], after[k] - before[k], 1e-4 * (1 + std::fabs(after[k])));
  }
  // The diverging style runs symmetric about 0; the p style has the classes.
  const std::string ramp = slurp(out / "all_crime_difference.qml");
  const size_t lo = ramp.find("classificationMin=\"-"), hi = ramp.find("classificationMax=\"");
  ASSERT_NE(lo, std::string::npos);
  ASSERT_NE(hi, std::string::npos);
  const double min = std::stod(ramp.substr(lo + 19)), max = std::stod(ramp.substr(hi + 19));
  EXPECT_GT(max, 0);
  EXPECT_DOUBLE_EQ(min, -max);
  EXPECT_NE(slurp(out / "all_crime_p.qml").find("p &lt;= 0.05"), std::string::npos);
  const std::string params = slurp(dir_ / "out/csv/change_parameters.csv");
  EXPECT_NE(params.find("all_crime,floor_from,one incident's kernel peak"), std::string::npos);
  EXPECT_NE(params.find("all_crime,before,\"2019-01 (2019-01-01 to 2019-01-31, 1 month)\""), std::string::npos);
  // The run's project opens the three rasters in their group, the
  // difference shown (no heat map here); the run's briefing maps it and says
  // where incidents rose most.
  const std::string project = slurp(dir_ / "out/project.qgs");
  for (const char* f : {"all_crime_difference", "all_crime_log_ratio", "all_crime_p"})
    EXPECT_NE(project.find("<datasource>./change/" + std::string(f) + ".tif</datasource>"), std::string::npos) << f;
  EXPECT_NE(project.find("checked=\"Qt::Checked\" id=\"change_all_crime_difference_tif_hotspot\""),
            std::string::npos);
  const std::string html = slurp(dir_ / "out/briefing.html");
  EXPECT_NE(html.find("Where incidents rose most between 2019-01 and 2019-02"), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"change map all_crime\""), std::string::npos);
}

// A period the data do not cover is warned about; public mode makes none.
TEST(ChangeSurfaces, UncoveredPeriodWarnsAndPublicModeMakesNone) {
  RunSpec spec = demo_with_change(0);
  spec.change_surfaces[0].before = "previous_year";  // 2018-02: before the data
  RunResult r = run_pipeline(spec);
  EXPECT_TRUE(has_warning(r, "change.surfaces 'all_crime': period 2018-02 is not covered by the data"));
  EXPECT_TRUE(has_warning(r, "no incident before (2018-02)"));
  spec = demo_with_change(0);
  spec.stats.enabled = true;
  spec.stats.public_mode = true;
  r = run_pipeline(spec);
  EXPECT_TRUE(r.change.empty());
  EXPECT_TRUE(has_warning(r, "[[change.surfaces]] are not made in public mode"));
}

TEST(ChangeSurfaces, OverlappingPeriodsAreAConfigError) {
  RunSpec spec = demo_with_change(0);
  spec.change_surfaces[0].before = "range:2019-01..2019-02";
  try {
    run_pipeline(spec);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("change.surfaces 'all_crime': the periods overlap"), std::string::npos)
        << e.what();
  }
}

// fdr adjusts the permutation p: without the test there is nothing to adjust.
TEST(ChangeSurfaces, FdrWithoutPermutationsIsAProblem) {
  RunSpec spec = demo_with_change(0);
  spec.change_surfaces[0].fdr = true;
  const std::vector<std::string> problems = pipeline::change_problems(spec);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "change.surfaces 'all_crime' fdr: needs the permutation test (permutations > 0)");
  spec.change_surfaces[0].permutations = 19;
  EXPECT_TRUE(pipeline::change_problems(spec).empty());
}

}  // namespace
}  // namespace hotspot
