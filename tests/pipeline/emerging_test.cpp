// [[emerging]] cubes end to end on the Charnwood demo (five months: the
// under-10-steps warning) and the Chicago dated incidents (weekly steps).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "common/change_specs.h"
#include "hotspot/pipeline.h"
#include "pipeline/emerging_run.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
using testing::demo_with_cubes;
using testing::has_warning;

// Five monthly steps: warned about, and the cube is still built and matches
// the run's own counts per LSOA (All crime = all but anti-social behaviour).
TEST(Emerging, DemoLsoaCubeMatchesTheCountsAndWarnsUnderTenSteps) {
  const RunResult r = run_pipeline(demo_with_cubes());
  ASSERT_EQ(r.emerging.size(), 2u);
  const pipeline::EmergingRun& e = *r.emerging[0];
  EXPECT_EQ(e.cube.steps, 5);
  EXPECT_EQ(e.parameters.at("span"), "2018-10 .. 2019-02");
  EXPECT_TRUE(has_warning(r, "emerging 'lsoa_all_crime': 5 month steps are too few for a trend test"));
  EXPECT_TRUE(has_warning(r, "emerging 'grid_250m': 5 month steps are too few"));
  // Every LSOA either analysed or counted as never having an event.
  EXPECT_EQ(e.cube.size() + e.cube.empty_locations, 99u);
  // Independent count per LSOA x month from the incidents.
  const IncidentTable& t = r.incidents;
  std::vector<double> expected(99 * 5, 0.0);
  int64_t n = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    const int32_t a = r.assignments[0].area[i];
    if (a < 0 || t.categories[t.category[i]] == "Anti-social behaviour") continue;
    expected[size_t(a) * 5 + size_t(t.month[i] - make_month(2018, 10))] += 1, ++n;
  }
  EXPECT_EQ(e.cube.events, n);
  for (size_t k = 0; k < e.cube.size(); ++k)
    for (int s = 0; s < 5; ++s) ASSERT_EQ(e.cube.at(k, s), expected[e.cube.location[k] * 5 + size_t(s)]);
  // A pattern per location; the busiest LSOA (Loughborough centre) is hot in every month.
  ASSERT_EQ(e.pattern.size(), e.cube.size());
  size_t busiest = 0;
  for (size_t k = 0; k < e.cube.size(); ++k)
    if (e.cube.at(k, 4) > e.cube.at(busiest, 4)) busiest = k;
  EXPECT_DOUBLE_EQ(e.pattern[busiest].hot_share, 1.0);
  EXPECT_EQ(e.count_trend.size(), e.cube.size());
}

// The grid cube on 1 and 4 threads: the same z bits and the same patterns.
TEST(Emerging, GridCubeIsTheSameOnAnyThreadCount) {
  RunSpec one = demo_with_cubes(), four = demo_with_cubes();
  one.threads = 1, four.threads = 4;
  one.stats.enabled = four.stats.enabled = false;
  const RunResult a = run_pipeline(one), b = run_pipeline(four);
  const pipeline::EmergingRun &ga = *a.emerging[1], &gb = *b.emerging[1];
  ASSERT_EQ(ga.gi.z.size(), gb.gi.z.size());
  EXPECT_GT(ga.cube.size(), 100u);
  EXPECT_EQ(std::memcmp(ga.gi.z.data(), gb.gi.z.data(), ga.gi.z.size() * sizeof(double)), 0);
  for (size_t k = 0; k < ga.pattern.size(); ++k) {
    ASSERT_EQ(ga.pattern[k].pattern, gb.pattern[k].pattern);
    ASSERT_EQ(ga.pattern[k].simple, gb.pattern[k].simple);
  }
  EXPECT_EQ(ga.cube.events, int64_t(a.incidents.size()));  // every incident lies in the grid
}

class EmergingOutputs : public testing::TempDirTest {};

TEST_F(EmergingOutputs, LayerCsvGeoTiffAndStyleAreWritten) {
  RunSpec spec = demo_with_cubes();
  spec.output.dir = (dir_ / "out").string();
  spec.output.geojson = false;
  spec.output.maps_dir = std::string(HOTSPOT_DATA_DIR) + "/../maps";
  const RunResult r = run_pipeline(spec);
  const pipeline::EmergingRun& lsoa = *r.emerging[0];
  const pipeline::EmergingRun& grid = *r.emerging[1];
  // The long CSV: a header and one row per location x step.
  const std::string bins = slurp(dir_ / "out/csv/emerging_lsoa_all_crime_bins.csv");
  EXPECT_EQ(std::count(bins.begin(), bins.end(), '\n'), std::ptrdiff_t(lsoa.cube.size() * 5 + 1));
  EXPECT_EQ(bins.substr(0, bins.find('\n')), "code,step,step_start,count,z,p,bin");
  // Trends: every one of the 99 LSOAs for the selection, then per category of
  // All crime (13 police.uk categories in the demo; anti-social behaviour is not in it).
  const std::string trends = slurp(dir_ / "out/csv/emerging_lsoa_all_crime_trends.csv");
  EXPECT_EQ(trends.substr(0, trends.find('\n')), "code,name,category,incidents,tau,trend_p,trend_z,sen_slope,trend");
  size_t selection = 0, lines = 0;
  for (size_t at = 0; (at = trends.find('\n', at)) != std::string::npos; ++at) ++lines;
  for (size_t at = 0; (at = trends.find(",selection,", at)) != std::string::npos; ++at) ++selection;
  EXPECT_EQ(selection, 99u);
  EXPECT_EQ((lines - 1) % 99, 0u);
  EXPECT_EQ(lsoa.category_trends.size(), (lines - 1) / 99 - 1);
  EXPECT_EQ(trends.find("Anti-social behaviour"), std::string::npos);
  // The GeoTIFF: one band of z per step.
  GDALAllRegister();
  GDALDatasetUniquePtr tif(GDALDataset::Open((dir_ / "out/emerging/grid_250m_z.tif").c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(tif);
  EXPECT_EQ(tif->GetRasterCount(), 5);
  EXPECT_EQ(tif->GetRasterXSize(), grid.grid.nx);
  EXPECT_STREQ(tif->GetRasterBand(5)->GetDescription(), "z 2019-02");
  // The GeoPackage layers, each styled by maps/emerging.qml, and the LSOA layer's trend columns.
  GDALDatasetUniquePtr gpkg(GDALDataset::Open((dir_ / "out/hotspot.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(gpkg);
  OGRLayer* layer = gpkg->GetLayerByName("emerging_grid_250m");
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(layer->GetFeatureCount(), GIntBig(grid.cube.size()));
  EXPECT_GE(layer->GetLayerDefn()->GetFieldIndex("also_fits"), 0);
  EXPECT_GE(gpkg->GetLayerByName("lsoa")->GetLayerDefn()->GetFieldIndex("trend_lsoa_all_crime"), 0);
  OGRLayer* styles = gpkg->ExecuteSQL(
      "SELECT count(*) FROM layer_styles WHERE f_table_name LIKE 'emerging_%' AND styleName = 'hotspot emerging'",
      nullptr, nullptr);
  ASSERT_NE(styles, nullptr);
  OGRFeature* f = styles->GetNextFeature();
  EXPECT_EQ(f->GetFieldAsInteger(0), 2);
  OGRFeature::DestroyFeature(f);
  gpkg->ReleaseResultSet(styles);
  OGRLayer* params = gpkg->GetLayerByName("emerging_parameters");
  ASSERT_NE(params, nullptr);
  EXPECT_GT(params->GetFeatureCount(), 20);
}

// police.uk months have no day: weekly steps are refused with the reason.
TEST(Emerging, WeeklyStepsOnMonthlyDataAreAConfigError) {
  RunSpec spec = demo_with_cubes();
  spec.emerging[0].step = "week";
  try {
    run_pipeline(spec);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no selected incident has a date to the day"), std::string::npos) << e.what();
  }
}

// Chicago aggravated assaults 2010-2019 by week on the beats.
TEST(Emerging, ChicagoBeatsByWeek) {
  RunSpec spec = testing::chicago_assaults_on_beats();
  EmergingSpec weekly;
  weekly.name = "beat_weekly";
  weekly.layer = "beat";
  weekly.step = "week";
  spec.emerging = {weekly};
  const RunResult r = run_pipeline(spec);
  const pipeline::EmergingRun& e = *r.emerging.at(0);
  EXPECT_EQ(e.parameters.at("span").substr(0, 10), "2010-01-01");
  EXPECT_GE(e.cube.steps, 521);  // ten years of weeks
  EXPECT_LE(e.cube.steps, 522);
  // 277 beat polygons, 275 codes (3100 has three parts): every beat has an assault.
  EXPECT_EQ(r.layers.at(0).size(), 275u);
  EXPECT_EQ(e.cube.size(), 275u);
  EXPECT_EQ(e.cube.empty_locations, 0u);
  EXPECT_FALSE(has_warning(r, "too few for a trend test"));
  // Every assault inside a beat is in the cube.
  EXPECT_EQ(e.cube.events, r.ledger.layers.at(0).matched);
  std::set<emerging::Pattern> seen;
  for (const auto& p : e.pattern) seen.insert(p.pattern);
  EXPECT_GE(seen.size(), 3u);
}

}  // namespace
}  // namespace hotspot
