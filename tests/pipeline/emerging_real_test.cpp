// Space-time cubes on the real data in ../shared/data (issue 10, "Shows it
// works"): Leicestershire's five months (too few steps: warned, still
// written) and the Chicago persistent hot beats, checked against the beats'
// own counts year by year.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <filesystem>
#include <map>

#include "common/change_specs.h"
#include "geo/geos_util.h"
#include "hotspot/pipeline.h"
#include "pipeline/emerging_run.h"
#include "stats/periods.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

class EmergingReal : public testing::TempDirTest {};

// Five monthly steps on the force's 611 LSOAs: the warning, and the cube,
// its layer, bins and trends are still written (every LSOA in the trends).
TEST_F(EmergingReal, LeicestershireFiveMonthsWarnsAndStillWritesTheCube) {
  RunSpec spec = testing::leicestershire_spec();
  spec.stats.enabled = false;
  spec.output.dir = (dir_ / "out").string();
  spec.output.geojson = false;
  spec.output.incidents = false;
  EmergingSpec lsoa;
  lsoa.section = "change.cubes";
  lsoa.name = "lsoa_monthly";
  lsoa.layer = "lsoa";
  spec.emerging = {lsoa};
  const RunResult r = run_pipeline(spec);
  const pipeline::EmergingRun& e = *r.emerging.at(0);
  EXPECT_EQ(e.cube.steps, 5);
  bool warned = false;
  for (const std::string& w : r.ledger.warnings)
    warned = warned || w == "change.cubes 'lsoa_monthly': 5 month steps are too few for a trend test (Mann-Kendall "
                            "needs 10 or more to mean much); the cube, Gi* and patterns are still written";
  EXPECT_TRUE(warned);
  EXPECT_EQ(r.layers.at(0).size(), 611u);
  EXPECT_EQ(e.cube.size() + e.cube.empty_locations, 611u);
  const std::string bins = slurp(dir_ / "out/csv/emerging_lsoa_monthly_bins.csv");
  EXPECT_EQ(std::count(bins.begin(), bins.end(), '\n'), std::ptrdiff_t(e.cube.size() * 5 + 1));
  const std::string trends = slurp(dir_ / "out/csv/emerging_lsoa_monthly_trends.csv");
  size_t selection = 0;
  for (size_t at = 0; (at = trends.find(",selection,", at)) != std::string::npos; ++at) ++selection;
  EXPECT_EQ(selection, 611u);
  const std::string params = slurp(dir_ / "out/csv/emerging_parameters.csv");
  EXPECT_NE(params.find("lsoa_monthly,warning,\"change.cubes 'lsoa_monthly': 5 month steps are too few"),
            std::string::npos);
}

// Chicago aggravated assaults 2010-2019 by month on the beats. A persistent
// hot spot is a beat whose Gi* (itself and the beats touching it, this month
// and the last) is significantly high in 90% of the 120 months; a reader
// can check it against plain counts: every persistent hot beat's
// neighbourhood (itself + the beats sharing a boundary) is in the top 10% of
// the 275 by assaults per beat in every one of the ten years. The ranks are
// printed (README, "Change over time").
TEST(EmergingChicago, PersistentHotBeatsHaveBusyNeighbourhoodsEveryYear) {
  RunSpec spec = testing::chicago_assaults_on_beats();
  EmergingSpec monthly;
  monthly.name = "beat_monthly";
  monthly.layer = "beat";
  spec.emerging = {monthly};
  const RunResult r = run_pipeline(spec);
  const pipeline::EmergingRun& e = *r.emerging.at(0);
  ASSERT_EQ(e.cube.steps, 120);
  const AreaLayer& beats = r.layers.at(0);
  const size_t n = beats.size();
  // Assaults per beat and year, from the incidents.
  std::vector<std::array<double, 10>> per_year(n);
  for (auto& y : per_year) y.fill(0);
  for (size_t i = 0; i < r.incidents.size(); ++i) {
    const int32_t a = r.assignments[0].area[i];
    const int year = stats::civil_from_days(stats::month_first_day(r.incidents.month[i])).year;
    if (a >= 0 && year >= 2010 && year <= 2019) per_year[size_t(a)][size_t(year - 2010)] += 1;
  }
  // Neighbourhood = the beat and the beats sharing a boundary (within 1 m, as the cube's queen contiguity).
  std::vector<std::vector<size_t>> touching(n);
  for (const auto& [a, b] : geo::adjacent_pairs(beats.geometry, 1.0)) touching[size_t(a)].push_back(size_t(b)), touching[size_t(b)].push_back(size_t(a));
  // Ranked by the neighbourhood's assaults per beat (Gi* weighs a sum over m
  // beats against m times the mean, so a beat with few neighbours needs a
  // smaller sum), and, for the reader, by the plain sum too.
  std::vector<std::array<int, 10>> rank(n), rank_sum(n);
  for (int y = 0; y < 10; ++y) {
    std::vector<double> sum(n, 0), mean(n, 0);
    for (size_t a = 0; a < n; ++a) {
      sum[a] = per_year[a][size_t(y)];
      for (size_t b : touching[a]) sum[a] += per_year[b][size_t(y)];
      mean[a] = sum[a] / double(1 + touching[a].size());
    }
    for (size_t a = 0; a < n; ++a) {
      rank[a][size_t(y)] = 1 + int(std::count_if(mean.begin(), mean.end(), [&](double v) { return v > mean[a]; }));
      rank_sum[a][size_t(y)] = 1 + int(std::count_if(sum.begin(), sum.end(), [&](double v) { return v > sum[a]; }));
    }
  }
  size_t persistent = 0;
  for (size_t k = 0; k < e.cube.size(); ++k) {
    if (e.pattern[k].pattern != emerging::Pattern::kPersistentHot) continue;
    ++persistent;
    const size_t a = e.cube.location[k];
    std::string ranks, sums;
    for (int y = 0; y < 10; ++y) ranks += " " + std::to_string(rank[a][size_t(y)]);
    for (int y = 0; y < 10; ++y) sums += " " + std::to_string(rank_sum[a][size_t(y)]);
    std::cout << "persistent hot beat " << beats.code[a] << " (" << touching[a].size()
              << " neighbours): rank of 275 by the neighbourhood's assaults per beat, 2010..2019:" << ranks
              << "; by its sum:" << sums << "\n";
    // The top 10% of the 275 beats, every year.
    for (int y = 0; y < 10; ++y) EXPECT_LE(rank[a][size_t(y)], 27) << beats.code[a] << " in " << 2010 + y;
  }
  EXPECT_EQ(persistent, 4u);  // README, "Emerging hot spots"
}

}  // namespace
}  // namespace hotspot
