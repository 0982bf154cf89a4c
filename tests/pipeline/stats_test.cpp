// Area statistics end to end: the county comparator on the real
// Leicestershire data, hand-checked limits, and the demo's public pack.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hotspot/pipeline.h"
#include "run_cli.h"
#include "stats/area_stats.h"
#include "common/specs.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
const std::string kLeics = std::string(HOTSPOT_SHARED_DATA_DIR) + "/leicestershire";

class CountyStats : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kLeics)) return;
    RunSpec spec = testing::leicestershire_spec();
    spec.stats.current = "latest_month";
    spec.stats.previous = "previous_period";
    result_ = new RunResult(run_pipeline(spec));
  }
  static void TearDownTestSuite() { delete result_; }
  void SetUp() override {
    if (!result_) GTEST_SKIP() << "shared data not found at " << kLeics;
  }
  static RunResult* result_;
};
RunResult* CountyStats::result_ = nullptr;

TEST_F(CountyStats, ComparatorIsTheCountyRate) {
  const stats::StatsResult& r = *result_->stats;
  const stats::LayerStats& s = r.layers[0];
  EXPECT_EQ(r.current.label, "2019-02");
  EXPECT_EQ(r.previous.label, "2019-01");
  EXPECT_EQ(r.categories[size_t(r.headline)].name, "All crime");
  EXPECT_EQ(s.total_cur(r.headline), 6816);
  double people = 0;
  for (double p : result_->layers[0].population) people += p;
  EXPECT_EQ(people, 1054029);
  EXPECT_NEAR(s.comparator_rate, 6816.0 / 1054029.0 * 1000.0, 1e-12);
  EXPECT_NEAR(s.comparator_rate, 6.466615, 5e-7) << "data/demo.toml's comparator_rate";
}

TEST_F(CountyStats, ClassesOfTheCountysLsoas) {
  const stats::LayerStats& s = result_->stats->layers[0];
  std::map<stats::SignificanceClass, int> n;
  for (const auto& g : s.significance) ++n[g.cls];
  using C = stats::SignificanceClass;
  // The figures in the README.
  EXPECT_EQ(n[C::kSignificantlyHigher998], 42);
  EXPECT_EQ(n[C::kSignificantlyHigher95], 35);
  EXPECT_EQ(n[C::kAboveAverage], 122);
  EXPECT_EQ(n[C::kBelowAverage], 261);
  EXPECT_EQ(n[C::kSignificantlyLower95], 116);
  EXPECT_EQ(n[C::kSignificantlyLower998], 35);
  EXPECT_EQ(n[C::kNotApplicable], 0);
}

TEST_F(CountyStats, OneLsoaByHand) {
  // E01013600 Leicester 003A: 21 All crime incidents in 2019-02, 2,001 people.
  const AreaLayer& layer = result_->layers[0];
  const auto it = std::find(layer.code.begin(), layer.code.end(), "E01013600");
  ASSERT_NE(it, layer.code.end());
  const int a = int(it - layer.code.begin());
  const stats::LayerStats& s = result_->stats->layers[0];
  const int h = result_->stats->headline;
  ASSERT_EQ(s.cur(a, h), 21);
  ASSERT_EQ(layer.population[size_t(a)], 2001);
  const double e = 2001 * 6816.0 / 1054029.0;  // expected = county rate x population
  const stats::AreaSignificance& g = s.significance[size_t(a)];
  EXPECT_NEAR(g.expected, e, 1e-9);
  EXPECT_NEAR(g.ratio, 21 / e, 1e-12);
  // Byar (O >= 10), docs/methods.md "Confidence limits": lower = O (1 - 1/(9O) - z/(3 sqrt O))^3.
  const double z95 = 1.959964, z998 = 3.090232;
  const double lower95 = 21 * std::pow(1 - 1.0 / (9 * 21) - z95 / (3 * std::sqrt(21.0)), 3);
  const double lower998 = 21 * std::pow(1 - 1.0 / (9 * 21) - z998 / (3 * std::sqrt(21.0)), 3);
  EXPECT_NEAR(g.ratio95.lower, lower95 / e, 1e-5);
  EXPECT_NEAR(g.ratio998.lower, lower998 / e, 1e-5);
  EXPECT_GT(lower95 / e, 1.0);   // significantly higher at 95%...
  EXPECT_LT(lower998 / e, 1.0);  // ...but not at 99.8%
  EXPECT_EQ(g.cls, stats::SignificanceClass::kSignificantlyHigher95);
  EXPECT_NEAR(s.rate[size_t(a)], 21.0 / 2001 * 1000, 1e-12);
}

TEST_F(CountyStats, PeriodCountsMatchTheMonthlyCounts) {
  // The statistics' current period equals the February column of the counts.
  const AreaCounts& counts = result_->counts[0];
  const stats::StatsResult& r = *result_->stats;
  const int feb = make_month(2019, 2) - counts.first_month;
  int64_t all_feb = 0;
  for (int a = 0; a < counts.areas; ++a) all_feb += counts.area_month_total(a, feb);
  int asb = -1;
  for (size_t c = 0; c < r.categories.size(); ++c)
    if (r.categories[c].name == "Anti-social behaviour") asb = int(c);
  ASSERT_GE(asb, 0);
  const stats::LayerStats& s = r.layers[0];
  EXPECT_EQ(s.total_cur(r.headline) + s.total_cur(asb), all_feb) << "All crime + ASB = every incident";
}

class DemoPacks : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    dir_ = fs::temp_directory_path() / ("hotspot_stats_" + std::to_string(getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(DemoPacks, CharnwoodLsoasFlaggedAgainstTheCountyAreNamed) {
  auto r = testing::run_cli(std::string("run -c ") + HOTSPOT_DATA_DIR + "/demo.toml --out " + (dir_ / "o").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("All crime by beat: 2019-01 vs 2019-02"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("TOTAL                                                      1048      1060     +1.1%"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("significantly higher: E01025720 Charnwood 003A (85 incidents"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("significantly higher (99.8%): 7"), std::string::npos) << r.output;
}

TEST_F(DemoPacks, PublicPackHasNoPointsAndNoSmallCounts) {
  auto r = testing::run_cli(std::string("run -c ") + HOTSPOT_DATA_DIR + "/demo.toml --public --out " +
                            (dir_ / "p").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  GDALDatasetUniquePtr ds(GDALDataset::Open((dir_ / "p/hotspot.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  for (const char* name : {"incidents", "rejects", "recorded_disagreements", "counts_long"})
    EXPECT_EQ(ds->GetLayerByName(name), nullptr) << name;
  OGRLayer* repeats = ds->GetLayerByName("repeat_locations");
  ASSERT_TRUE(repeats);
  EXPECT_EQ(repeats->GetGeomType(), wkbNone);
  for (auto& f : *repeats) EXPECT_GT(f->GetFieldAsInteger64("count"), 5);
  EXPECT_FALSE(fs::exists(dir_ / "p/geojson/incidents.geojson"));
  // No published count is 1..5, in any comparison table or area layer.
  int withheld = 0;
  for (const char* layer : {"comparison_lsoa", "comparison_ward", "comparison_beat"}) {
    OGRLayer* l = ds->GetLayerByName(layer);
    ASSERT_TRUE(l) << layer;
    for (auto& f : *l)
      for (const char* field : {"previous", "current"}) {
        const std::string v = f->GetFieldAsString(field);
        if (v == "x") {
          ++withheld;
          continue;
        }
        const long n = std::stol(v);
        EXPECT_TRUE(n == 0 || n > 5) << layer << " " << field << " = " << v;
      }
  }
  EXPECT_GT(withheld, 100);
  OGRLayer* beat = ds->GetLayerByName("beat");
  ASSERT_TRUE(beat);
  EXPECT_LT(beat->GetLayerDefn()->GetFieldIndex("n_all"), 0) << "no unprotected counts in public layers";
  EXPECT_GE(beat->GetLayerDefn()->GetFieldIndex("cur_all_crime"), 0);
}

}  // namespace
}  // namespace hotspot
