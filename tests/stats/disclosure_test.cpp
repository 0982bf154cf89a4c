// Public-mode disclosure control on the real Charnwood demo data: an
// attacker who knows every published sum (TOTAL rows, roll-ups, beats =
// sums of wards) tries to recover withheld counts by subtraction and fails.
#include "stats/disclosure.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "hotspot/pipeline.h"
#include "common/specs.h"
#include "test_paths.h"

namespace hotspot::stats {
namespace {

const std::string kData = HOTSPOT_DATA_DIR;

RunSpec demo_spec() {
  RunSpec spec = testing::charnwood_spec();
  spec.stats.rollups = {{"All crime", {}, {"Anti-social behaviour"}},
                        {"Serious acquisitive crime", {"Burglary", "Vehicle crime", "Robbery"}, {}}};
  spec.stats.public_mode = true;
  return spec;
}

// The attacker's view: every published value (known or unknown) and the
// sums relating them, built from the published tables' meaning, not from
// the library's internals.
struct Attack {
  std::vector<int64_t> truth;
  std::vector<bool> known;
  std::vector<std::vector<size_t>> parts;
  std::vector<size_t> totals;

  size_t add_value(int64_t v, bool hidden) {
    truth.push_back(v);
    known.push_back(!hidden);
    return truth.size() - 1;
  }
  void add_sum(std::vector<size_t> p, size_t total) {
    int64_t s = 0;
    for (size_t i : p) s += truth[i];
    if (s != truth[total]) return;  // not an exact equation: no use to an attacker
    parts.push_back(std::move(p));
    totals.push_back(total);
  }
  // Iterative elimination: solve any sum with one unknown, until stuck.
  int recovered() {
    int n = 0;
    for (bool progress = true; progress;) {
      progress = false;
      for (size_t l = 0; l < parts.size(); ++l) {
        std::vector<size_t> unknown;
        for (size_t i : parts[l])
          if (!known[i]) unknown.push_back(i);
        if (!known[totals[l]]) unknown.push_back(totals[l]);
        if (unknown.size() != 1) continue;
        known[unknown[0]] = true;
        ++n;
        progress = true;
      }
    }
    return n;
  }
};

std::map<std::string, std::vector<std::string>> beats_from_lookup() {
  std::ifstream in(kData + "/charnwood_beats_from_wards2013.csv");
  std::string line;
  std::getline(in, line);
  std::map<std::string, std::vector<std::string>> out;
  while (std::getline(in, line)) {
    const std::string ward = line.substr(0, line.find(','));
    const size_t b = line.find(',', line.find(',') + 1);
    out[line.substr(b + 1, line.find(',', b + 1) - b - 1)].push_back(ward);
  }
  return out;
}

// Builds the attack over both periods of all layers; `hidden` says what the
// publication withheld.
template <typename Hidden, typename HiddenTotal>
Attack build_attack(const RunResult& r, Hidden hidden, HiddenTotal hidden_total) {
  const StatsResult& s = *r.stats;
  Attack at;
  // id[layer][period][area or -1][category]
  std::map<std::tuple<size_t, int, int, int>, size_t> id;
  for (size_t l = 0; l < s.layers.size(); ++l)
    for (int p = 0; p < 2; ++p)
      for (int a = -1; a < s.layers[l].areas; ++a)
        for (int c = 0; c < s.layers[l].categories; ++c) {
          const LayerStats& ls = s.layers[l];
          const int64_t v = a < 0 ? (p ? ls.total_cur(c) : ls.total_prev(c)) : (p ? ls.cur(a, c) : ls.prev(a, c));
          id[{l, p, a, c}] = at.add_value(v, a < 0 ? hidden_total(l, p, c) : hidden(l, p, a, c));
        }
  std::map<std::string, int> cat;
  for (size_t c = 0; c < s.categories.size(); ++c) cat[s.categories[c].name] = int(c);
  std::vector<int> all_but_asb, sac;
  for (const auto& [name, c] : cat) {
    if (name == "All crime" || name == "Serious acquisitive crime") continue;
    if (name != "Anti-social behaviour") all_but_asb.push_back(c);
    if (name == "Burglary" || name == "Vehicle crime" || name == "Robbery") sac.push_back(c);
  }
  const auto beats = beats_from_lookup();
  for (size_t l = 0; l < s.layers.size(); ++l)
    for (int p = 0; p < 2; ++p) {
      const int areas = s.layers[l].areas;
      for (const auto& [name, c] : cat) {
        std::vector<size_t> col;
        for (int a = 0; a < areas; ++a) col.push_back(id[{l, p, a, c}]);
        at.add_sum(col, id[{l, p, -1, c}]);
      }
      for (int a = -1; a < areas; ++a)
        for (const auto& [roll, members] : {std::pair{"All crime", all_but_asb}, {"Serious acquisitive crime", sac}}) {
          std::vector<size_t> parts;
          for (int c : members) parts.push_back(id[{l, p, a, c}]);
          at.add_sum(parts, id[{l, p, a, cat[roll]}]);
        }
    }
  // Beats are sums of wards (layers: 0 lsoa, 1 ward, 2 beat).
  for (int p = 0; p < 2; ++p)
    for (const auto& [name, c] : cat)
      for (size_t b = 0; b < r.layers[2].size(); ++b) {
        std::vector<size_t> parts;
        for (const std::string& w : beats.at(r.layers[2].code[b])) {
          const auto& codes = r.layers[1].code;
          parts.push_back(id[{1, p, int(std::find(codes.begin(), codes.end(), w) - codes.begin()), c}]);
        }
        at.add_sum(parts, id[{2, p, int(b), c}]);
      }
  return at;
}

class DemoDisclosure : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { result_ = new RunResult(run_pipeline(demo_spec())); }
  static void TearDownTestSuite() { delete result_; }
  static RunResult* result_;
};
RunResult* DemoDisclosure::result_ = nullptr;

TEST_F(DemoDisclosure, NoWithheldCountCanBeRecovered) {
  const RunResult& r = *result_;
  const Disclosure& d = *r.disclosure;
  auto hidden = [&](size_t l, int p, int a, int c) {
    const auto& pd = p ? d.layers[l].current : d.layers[l].previous;
    return bool(pd.hidden[size_t(a) * size_t(r.stats->layers[l].categories) + size_t(c)]);
  };
  auto hidden_total = [&](size_t l, int p, int c) {
    return bool((p ? d.layers[l].current : d.layers[l].previous).hidden_total[size_t(c)]);
  };
  Attack at = build_attack(r, hidden, hidden_total);
  // Every count of 1..5 is withheld...
  for (size_t i = 0; i < at.truth.size(); ++i) {
    if (at.truth[i] >= 1 && at.truth[i] <= 5) {
      EXPECT_FALSE(at.known[i]) << "value " << i;
    }
  }
  // The attacker's equations, all exact: TOTAL rows 3 layers x 2 periods x 16
  // categories (96), roll-ups (99 + 28 + 10 areas + 3 TOTAL rows) x 2 periods
  // x 2 roll-ups (560), beats = wards 10 x 16 x 2 (320).
  EXPECT_EQ(at.parts.size(), 976u);
  // ...and none can be worked out by subtraction.
  EXPECT_EQ(at.recovered(), 0);
}

TEST_F(DemoDisclosure, PrimarySuppressionAloneWouldLeak) {
  const RunResult& r = *result_;
  auto small = [&](int64_t v) { return v >= 1 && v <= 5; };
  auto hidden = [&](size_t l, int p, int a, int c) {
    const LayerStats& s = r.stats->layers[l];
    return small(p ? s.cur(a, c) : s.prev(a, c));
  };
  auto hidden_total = [&](size_t l, int p, int c) {
    const LayerStats& s = r.stats->layers[l];
    return small(p ? s.total_cur(c) : s.total_prev(c));
  };
  Attack at = build_attack(r, hidden, hidden_total);
  EXPECT_GT(at.recovered(), 10) << "the attack test would be vacuous";
}

TEST_F(DemoDisclosure, BeatsAreSumsOfWardsSoTheNestingIsProtected) {
  // The nesting sums hold exactly in this data, so protect() used them all.
  EXPECT_EQ(result_->disclosure->nesting_sums_skipped, 0);
  EXPECT_GT(result_->disclosure->hidden, 0);
}

}  // namespace
}  // namespace hotspot::stats
