// The CSP's published beat table (seed-tables/charnwood_beats_ytd_2019_20.csv)
// rebuilt through the engine: dated incidents with the published counts per
// beat and category, year to date as at 5 January 2020 against the same
// span a year earlier, "All Crime" as a roll-up. Every row of the fixture -
// previous, current and % variance - must come out of comparison_beat.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "hotspot/pipeline.h"
#include "io/field_parse.h"
#include "pipeline/stats_outputs.h"
#include "stats/area_stats.h"
#include "common/seed_result.h"
#include "test_paths.h"

namespace hotspot {
namespace {

using testing::SeedRow;

TEST(SeedTable, BeatTableReproducedThroughTheEngine) {
  const std::vector<SeedRow> seed = testing::read_seed();
  if (seed.empty()) GTEST_SKIP() << "seed tables not found";
  ASSERT_EQ(seed.size(), 40u);
  const RunResult r = testing::seed_run_result(seed);

  const StatsSpec spec = testing::seed_stats_spec();
  EXPECT_EQ(r.stats->current.label, "2019-20 YTD to 2020-01-05");
  EXPECT_EQ(r.stats->previous.first_day, io::days_from_civil(2018, 4, 1));
  EXPECT_EQ(r.stats->previous.last_day, io::days_from_civil(2019, 1, 5));

  const auto tables = pipeline::stats_tables(r, spec);
  const io::OutTable& cmp = tables.front();
  ASSERT_EQ(cmp.name, "comparison_beat");
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> got;
  for (const auto& row : cmp.rows) got[{row[0], row[2]}] = row;
  for (const SeedRow& s : seed) {
    const auto it = got.find({s.beat, s.category});
    ASSERT_NE(it, got.end()) << s.beat << " " << s.category;
    EXPECT_EQ(it->second[1], s.description);
    EXPECT_EQ(it->second[5], s.previous) << s.beat << " " << s.category;
    EXPECT_EQ(it->second[6], s.current) << s.beat << " " << s.category;
    EXPECT_EQ(it->second[8], s.variance) << s.beat << " " << s.category;
  }
  // The TOTAL row is the borough: the overview fixture's All Crime, 10497 -> 9662, -8%.
  const auto& total = got.at({"TOTAL", "All Crime"});
  EXPECT_EQ(total[5], "10497");
  EXPECT_EQ(total[6], "9662");
  EXPECT_EQ(total[8], "-8%");
}

// perf-areas5: the statistics rows are allocated once at their table's
// width (comparison_<layer>: 525k rows on all English LSOAs; the layer's
// ~190 columns a row), not grown by doubling as the cells are pushed.
TEST(SeedTable, StatisticsRowsAreAllocatedOnceAtTheirWidth) {
  const std::vector<SeedRow> seed = testing::read_seed();
  if (seed.empty()) GTEST_SKIP() << "seed tables not found";
  const RunResult r = testing::seed_run_result(seed);
  const StatsSpec spec = testing::seed_stats_spec();
  const io::OutTable cmp = pipeline::stats_tables(r, spec).front();
  ASSERT_EQ(cmp.rows.size(), (10u + 1) * r.stats->categories.size());  // ten beats and TOTAL
  for (const auto& row : cmp.rows) {
    EXPECT_EQ(row.size(), cmp.columns.size());
    EXPECT_EQ(row.capacity(), cmp.columns.size());
  }
  io::OutTable layer;
  layer.add_column("code");
  for (const std::string& code : r.layers[0].code) layer.rows.push_back({code});
  pipeline::add_stats_columns(layer, r, 0, spec);
  // code; prev_, cur_, change_, pct_, pctv_ a category; pct_caveat; ten significance; Gi* z, p, bin.
  ASSERT_EQ(layer.columns.size(), 1 + 5 * r.stats->categories.size() + 1 + 10 + 3);
  for (const auto& row : layer.rows) {
    EXPECT_EQ(row.size(), layer.columns.size());
    EXPECT_EQ(row.capacity(), layer.columns.size());
  }
}

}  // namespace
}  // namespace hotspot
