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
#include "test_paths.h"

namespace hotspot {
namespace {

struct SeedRow {
  std::string beat, description, category, previous, current, variance;
};

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

std::vector<SeedRow> read_seed() {
  std::ifstream in(std::string(HOTSPOT_SHARED_DATA_DIR) + "/seed-tables/charnwood_beats_ytd_2019_20.csv");
  std::string line;
  std::getline(in, line);
  std::vector<SeedRow> rows;
  while (std::getline(in, line)) {
    auto f = split_csv(line);
    if (f.size() == 6) rows.push_back({f[0], f[1], f[2], f[3], f[4], f[5]});
  }
  return rows;
}

TEST(SeedTable, BeatTableReproducedThroughTheEngine) {
  const std::vector<SeedRow> seed = read_seed();
  if (seed.empty()) GTEST_SKIP() << "seed tables not found";
  ASSERT_EQ(seed.size(), 40u);
  // One unit square per beat; incidents at its centre, dated inside each period.
  std::map<std::string, int> beat_index;
  RunResult r;
  AreaLayer beats;
  beats.name = "beat";
  for (const SeedRow& s : seed) {
    if (beat_index.count(s.beat)) continue;
    beat_index[s.beat] = int(beats.size());
    const double x0 = double(beats.size()) * 2;
    beats.code.push_back(s.beat);
    beats.label.push_back(s.description);
    beats.geometry.push_back({{{{x0, 0}, {x0 + 1, 0}, {x0 + 1, 1}, {x0, 1}}}});
  }
  IncidentTable& t = r.incidents;
  Assignment asg;
  asg.layer = "beat";
  const int64_t prev_day = io::days_from_civil(2018, 6, 1), cur_day = io::days_from_civil(2019, 6, 1);
  auto add = [&](const std::string& beat, const std::string& category, int64_t n, int64_t day) {
    uint16_t c = 0;
    while (c < t.categories.size() && t.categories[c] != category) ++c;
    if (c == t.categories.size()) t.categories.push_back(category);
    for (int64_t i = 0; i < n; ++i) {
      t.x.push_back(beat_index[beat] * 2 + 0.5);
      t.y.push_back(0.5);
      t.minute.push_back(day * 1440 + 600);
      t.month.push_back(make_month(day < cur_day ? 2018 : 2019, 6));
      t.category.push_back(c);
      t.source.push_back(0);
      t.source_row.push_back(int64_t(t.size()));
      asg.area.push_back(beat_index[beat]);
    }
  };
  // "All Crime" counts include categories the table does not list: "Other".
  for (const SeedRow& s : seed) {
    if (s.category == "All Crime") continue;
    add(s.beat, s.category, std::stoll(s.previous), prev_day);
    add(s.beat, s.category, std::stoll(s.current), cur_day);
  }
  std::map<std::string, std::pair<int64_t, int64_t>> listed;
  for (const SeedRow& s : seed)
    if (s.category != "All Crime") {
      listed[s.beat].first += std::stoll(s.previous);
      listed[s.beat].second += std::stoll(s.current);
    }
  for (const SeedRow& s : seed)
    if (s.category == "All Crime") {
      add(s.beat, "Other", std::stoll(s.previous) - listed[s.beat].first, prev_day);
      add(s.beat, "Other", std::stoll(s.current) - listed[s.beat].second, cur_day);
    }
  t.sources = {"seed"};
  r.layers = {beats};
  r.assignments = {asg};

  StatsSpec spec;
  spec.current = "ytd:2020-01-05";     // 1 Apr 2019 .. 5 Jan 2020
  spec.previous = "previous_year";     // 1 Apr 2018 .. 5 Jan 2019
  spec.rollups = {{"All Crime", {}, {}}};  // every category
  spec.headline = "All Crime";
  r.stats = std::make_shared<const stats::StatsResult>(stats::compute_stats(t, r.layers, r.assignments, spec));
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

}  // namespace
}  // namespace hotspot
