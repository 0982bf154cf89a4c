// The CSP's published beat table (seed-tables/charnwood_beats_ytd_2019_20.csv)
// as a run result: one unit square per beat, incidents at its centre dated
// inside each period, so that the engine's statistics of the result give
// back every row of the fixture (tests/stats/seed_table_test.cpp) and the
// front page can be drawn from it (tests/report/front_page_test.cpp).
#pragma once

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hotspot/pipeline.h"
#include "io/field_parse.h"
#include "stats/area_stats.h"
#include "test_paths.h"

namespace hotspot::testing {

struct SeedRow {
  std::string beat, description, category, previous, current, variance;
};

inline std::vector<std::string> split_seed_csv(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

// The fixture's rows in file order ([] when ../shared/data is not there).
inline std::vector<SeedRow> read_seed() {
  std::ifstream in(std::string(HOTSPOT_SHARED_DATA_DIR) + "/seed-tables/charnwood_beats_ytd_2019_20.csv");
  std::string line;
  std::getline(in, line);
  std::vector<SeedRow> rows;
  while (std::getline(in, line)) {
    auto f = split_seed_csv(line);
    if (f.size() == 6) rows.push_back({f[0], f[1], f[2], f[3], f[4], f[5]});
  }
  return rows;
}

// The statistics spec the CSP's table was made with: year to date as at
// 5 January 2020 against the same span a year earlier, "All Crime" = every category.
inline StatsSpec seed_stats_spec() {
  StatsSpec spec;
  spec.current = "ytd:2020-01-05";     // 1 Apr 2019 .. 5 Jan 2020
  spec.previous = "previous_year";     // 1 Apr 2018 .. 5 Jan 2019
  spec.rollups = {{"All Crime", {}, {}}};  // every category
  spec.headline = "All Crime";
  return spec;
}

// The result with its statistics computed with seed_stats_spec().
inline RunResult seed_run_result(const std::vector<SeedRow>& seed) {
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
  r.stats = std::make_shared<const stats::StatsResult>(
      stats::compute_stats(t, r.layers, r.assignments, seed_stats_spec()));
  return r;
}

}  // namespace hotspot::testing
