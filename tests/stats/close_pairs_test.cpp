// The grid-hash pair enumeration (stats/close_pairs.h) against a brute-force
// O(n^2) reference, on Chicago's aggravated assaults of 2019 (real data,
// dated to the minute, many at identical block coordinates), and the Knox
// observed table built from it against a brute-force count of every pair.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <tuple>

#include "common/specs.h"
#include "hotspot/pipeline.h"
#include "stats/knox.h"
#include "test_paths.h"

namespace hotspot::knox {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Events {
  std::vector<double> x, y;
  std::vector<int64_t> day;
};

const Events& chicago_2019() {
  static const Events e = [] {
    Events out;
    RunSpec spec;
    spec.incidents = {testing::chicago_assaults()};
    spec.stats.enabled = false;
    spec.quiet = true;
    const RunResult r = run_pipeline(spec);
    const IncidentTable& t = r.incidents;
    for (size_t i = 0; i < t.size(); ++i)
      if (t.month[i] >= make_month(2019, 1) && t.month[i] <= make_month(2019, 12)) {
        out.x.push_back(t.x[i]), out.y.push_back(t.y[i]);
        out.day.push_back(t.minute[i] / 1440);  // all after 1970: plain division floors
      }
    return out;
  }();
  return e;
}

bool have_chicago() {
  return std::filesystem::exists(std::string(HOTSPOT_SHARED_DATA_DIR) + "/chicago/aggravated_assaults_2010_2019.csv.gz");
}

using Key = std::tuple<uint32_t, uint32_t, uint8_t>;

std::vector<Key> brute_force(const Events& e, const Bands& b, Metric m) {
  std::vector<Key> out;
  const double r = b.finite_limit();
  for (size_t i = 0; i < e.x.size(); ++i)
    for (size_t j = i + 1; j < e.x.size(); ++j) {
      const double d = distance(m, e.x[i] - e.x[j], e.y[i] - e.y[j]);
      if (d >= r) continue;
      const int band = b.band_of(d);
      out.emplace_back(uint32_t(i), uint32_t(j), band < 0 ? kBelow : uint8_t(band));
    }
  return out;
}

std::vector<Key> keys(const std::vector<ClosePair>& pairs) {
  std::vector<Key> out;
  for (const ClosePair& p : pairs) out.emplace_back(p.i, p.j, p.band);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ClosePairs, GridHashEqualsBruteForceOnChicago2019) {
  if (!have_chicago()) GTEST_SKIP() << "no shared Chicago data";
  const Events& e = chicago_2019();
  ASSERT_GT(e.x.size(), 15000u);  // one year of aggravated assaults
  for (Metric m : {Metric::kManhattan, Metric::kEuclidean}) {
    const Bands b{{1, 100, 200, 400, 800}};  // pairs closer than 1 m are "below"
    const std::vector<Key> fast = keys(close_pairs(e.x, e.y, b, m));
    const std::vector<Key> slow = brute_force(e, b, m);
    ASSERT_EQ(fast.size(), slow.size());
    EXPECT_TRUE(fast == slow);
    EXPECT_GT(fast.size(), 100000u);
    EXPECT_TRUE(std::any_of(fast.begin(), fast.end(), [](const Key& k) { return std::get<2>(k) == kBelow; }));
  }
}

// The indexed Knox table (close pairs + margins for the open-ended bands)
// equals the table counted over every pair.
TEST(ClosePairs, KnoxObservedEqualsBruteForceOnChicago2019) {
  if (!have_chicago()) GTEST_SKIP() << "no shared Chicago data";
  const Events& e = chicago_2019();
  Options o;
  o.space.edges = {0, 1, 100, 200, 300, 400, kInf};
  o.time.edges = {0, 7, 14, 21, 28, kInf};
  o.permutations = 9;
  o.threads = 2;
  const Table k = knox_test(e.x, e.y, e.day, o);
  std::vector<int64_t> slow(k.rows * k.cols, 0);
  for (size_t i = 0; i < e.x.size(); ++i)
    for (size_t j = i + 1; j < e.x.size(); ++j) {
      const int a = o.space.band_of(distance(o.metric, e.x[i] - e.x[j], e.y[i] - e.y[j]));
      const int b = o.time.band_of(double(std::abs(e.day[i] - e.day[j])));
      ++slow[size_t(a) * k.cols + size_t(b)];
    }
  EXPECT_EQ(k.observed, slow);
  EXPECT_LT(k.close_pairs, k.all_pairs / 100);  // the index looked at under 1% of the pairs
}

}  // namespace
}  // namespace hotspot::knox
