// Space-time cube, space-time Gi* and emerging hot spot categories against
// docs/METHODS.md ("Change over time") and a brute-force reference.
#include "hotspot/emerging.h"

#include <cmath>
#include <cstring>
#include <random>

#include <gtest/gtest.h>

namespace hotspot::emerging {
namespace {

TEST(SpaceTimeCube, LeavesOutEmptyLocationsAndCountsThem) {
  // 4 candidate locations, 3 steps; location 2 never has an event; one
  // event has no location, one no step.
  const Cube c = build_cube(4, 3, {0, 0, 1, 3, -1, 1, 3}, {0, 2, 1, 2, 0, -1, 2});
  EXPECT_EQ(c.size(), 3u);
  EXPECT_EQ(c.location, (std::vector<uint32_t>{0, 1, 3}));
  EXPECT_EQ(c.empty_locations, 1u);
  EXPECT_EQ(c.events, 5);
  EXPECT_EQ(c.outside, 2);
  EXPECT_EQ(c.count, (std::vector<double>{1, 0, 1, 0, 1, 0, 0, 0, 2}));
  EXPECT_THROW(build_cube(2, 3, {2}, {0}), std::invalid_argument);
  EXPECT_THROW(build_cube(2, 0, {}, {}), std::invalid_argument);
}

TEST(SpaceTimeCube, RestrictsNeighboursToKeptLocations) {
  const gistar::Neighbours all = gistar::from_pairs(4, {{0, 1}, {1, 2}, {2, 3}});
  const Cube c = build_cube(4, 1, {0, 1, 3}, {0, 0, 0});
  const gistar::Neighbours w = restrict_to_cube(all, c);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w.offsets, (std::vector<uint32_t>{0, 2, 4, 5}));
  EXPECT_EQ(w.index, (std::vector<uint32_t>{0, 1, 0, 1, 2}));  // location 3 (now 2) lost neighbour 2
}

// METHODS.md: one step, five cells in a row, neighbours self +-1, counts 0 1 6 2 0.
TEST(SpaceTimeGi, MethodsFiveCellExample) {
  const Cube c{1, {0, 1, 2, 3, 4}, {0, 1, 6, 2, 0}, 9, 0, 0};
  const gistar::Neighbours w = gistar::from_pairs(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
  const CubeGi g = space_time_gi(c, w, {});
  const double expected[] = {-0.9532, 0.5866, 1.3198, 0.9532, -0.5866};
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(g.z[size_t(i)], expected[i], 1e-4) << i;
  EXPECT_EQ(g.bin, (std::vector<int>{0, 0, 0, 0, 0}));
}

// Plain loops: every neighbour bin listed, the window's moments in two passes.
double brute_z(const Cube& c, const gistar::Neighbours& w, size_t k, int t, int K, Window window) {
  const int lo = std::max(0, t - K);
  double sum = 0, m = 0;
  for (uint32_t s = w.offsets[k]; s < w.offsets[k + 1]; ++s)
    for (int u = lo; u <= t; ++u) sum += c.at(w.index[s], u), m += 1;
  const int w_lo = window == Window::kCube ? 0 : window == Window::kStep ? t : lo;
  const int w_hi = window == Window::kCube ? c.steps - 1 : t;
  double n = 0, total = 0;
  for (size_t j = 0; j < c.size(); ++j)
    for (int u = w_lo; u <= w_hi; ++u) total += c.at(j, u), n += 1;
  const double mean = total / n;
  double ss = 0;
  for (size_t j = 0; j < c.size(); ++j)
    for (int u = w_lo; u <= w_hi; ++u) ss += (c.at(j, u) - mean) * (c.at(j, u) - mean);
  const double sd = std::sqrt(ss / n);
  return (sum - mean * m) / (sd * std::sqrt((n * m - m * m) / (n - 1)));
}

TEST(SpaceTimeGi, EqualsBruteForceOnARandomCubeForEveryWindowAndThreadCount) {
  std::mt19937 rng(7);
  std::poisson_distribution<int> pois(2.0);
  const int nx = 7, ny = 6, T = 13;
  std::vector<int32_t> loc, step;
  for (int cell = 0; cell < nx * ny; ++cell)
    for (int t = 0; t < T; ++t)
      for (int e = pois(rng) * (cell % 5 == 0 ? 3 : 1); e > 0; --e) loc.push_back(cell), step.push_back(t);
  const Cube c = build_cube(size_t(nx * ny), T, loc, step);
  const gistar::Neighbours w = restrict_to_cube(gistar::grid_queen(nx, ny, {}), c);
  for (Window window : {Window::kCube, Window::kNeighbourhood, Window::kStep}) {
    for (int K : {0, 1, 3}) {
      const CubeGi one = space_time_gi(c, w, {K, window, false, 1});
      const CubeGi three = space_time_gi(c, w, {K, window, false, 3});
      for (size_t k = 0; k < c.size(); ++k)
        for (int t = 0; t < T; ++t) {
          const size_t bin = k * T + size_t(t);
          ASSERT_NEAR(one.z[bin], brute_z(c, w, k, t, K, window), 1e-9) << k << " " << t << " K " << K;
          ASSERT_EQ(std::memcmp(&one.z[bin], &three.z[bin], sizeof(double)), 0);  // same bits
          ASSERT_EQ(one.bin[bin], gistar::confidence_bin(one.z[bin]));
        }
    }
  }
}

TEST(SpaceTimeGi, FdrBinsAreASubsetOfTheUncorrected) {
  std::mt19937 rng(11);
  std::poisson_distribution<int> pois(1.5);
  std::vector<int32_t> loc, step;
  for (int cell = 0; cell < 100; ++cell)
    for (int t = 0; t < 8; ++t)
      for (int e = pois(rng) + (cell < 12 && t > 4 ? 6 : 0); e > 0; --e) loc.push_back(cell), step.push_back(t);
  const Cube c = build_cube(100, 8, loc, step);
  const gistar::Neighbours w = restrict_to_cube(gistar::grid_queen(10, 10, {}), c);
  const CubeGi plain = space_time_gi(c, w, {}), fdr = space_time_gi(c, w, {1, Window::kCube, true, 2});
  int kept = 0, dropped = 0;
  for (size_t i = 0; i < plain.bin.size(); ++i) {
    EXPECT_LE(std::abs(fdr.bin[i]), std::abs(plain.bin[i]));
    if (fdr.bin[i] != 0) ++kept;
    if (plain.bin[i] != 0 && fdr.bin[i] == 0) ++dropped;
  }
  EXPECT_GT(kept, 0);
  EXPECT_GT(dropped, 0);
}

// ".H.C" -> marks; z rises with `slope` per step (0 = flat, no trend).
Marks marks(const std::string& s) {
  Marks m;
  for (char ch : s) m.push_back(ch == 'H' ? 1 : ch == 'C' ? -1 : 0);
  return m;
}
std::vector<double> z_line(size_t T, double base, double slope) {
  std::vector<double> z;
  for (size_t t = 0; t < T; ++t) z.push_back(base + slope * double(t) + (slope == 0 ? 0.01 * double(t % 2) : 0));
  return z;
}

LocationPattern run(const std::string& s, double slope = 0, double base = 2.5) {
  return classify(marks(s), z_line(s.size(), base, slope), {});
}

// METHODS.md's T = 10 examples.
TEST(EmergingPatterns, MethodsExamples) {
  EXPECT_EQ(run(".........H").pattern, Pattern::kNewHot);
  EXPECT_EQ(run("........HH").pattern, Pattern::kConsecutiveHot);
  EXPECT_EQ(run("HHHHHHHHHH", 0.3).pattern, Pattern::kIntensifyingHot);
  EXPECT_EQ(run("HHHHHHHHHH", 0).pattern, Pattern::kPersistentHot);
  EXPECT_EQ(run("HHHHHHHHHH", -0.1).pattern, Pattern::kDiminishingHot);
  // Sporadic needs H at T (Esri's current wording): no pattern.
  EXPECT_EQ(run(".H..H...H.").pattern, Pattern::kNone);
  EXPECT_EQ(run(".H..H...HH").pattern, Pattern::kSporadicHot);
  EXPECT_EQ(run(".C..H....H").pattern, Pattern::kOscillatingHot);
  EXPECT_EQ(run("HHHHHHHHH.", 0).pattern, Pattern::kHistoricalHot);  // 9 of 10 = 90%
  EXPECT_TRUE(run("HHHHHHHHH.", 0).also == std::vector<Pattern>{Pattern::kPersistentHot});
  EXPECT_EQ(run("HHHHHHHH..", 0).pattern, Pattern::kNone);            // 80%
  EXPECT_EQ(run("..........").pattern, Pattern::kNone);
}

TEST(EmergingPatterns, ColdMirrorsHot) {
  EXPECT_EQ(run(".........C").pattern, Pattern::kNewCold);
  EXPECT_EQ(run("........CC").pattern, Pattern::kConsecutiveCold);
  EXPECT_EQ(run("CCCCCCCCCC", -0.3, -2.5).pattern, Pattern::kIntensifyingCold);  // z falling
  EXPECT_EQ(run("CCCCCCCCCC", 0.1, -2.5).pattern, Pattern::kDiminishingCold);
  EXPECT_EQ(run("CCCCCCCCCC", 0, -2.5).pattern, Pattern::kPersistentCold);
  EXPECT_EQ(run("C..C...C.C").pattern, Pattern::kSporadicCold);
}

// C........H is new and oscillating: new wins (the documented order), the
// overlap is reported.
TEST(EmergingPatterns, OverlapIsReported) {
  const LocationPattern lp = run("C........H");
  EXPECT_EQ(lp.pattern, Pattern::kNewHot);
  EXPECT_EQ(lp.also, (std::vector<Pattern>{Pattern::kOscillatingHot}));
  EXPECT_EQ(pattern_name(lp.pattern), "new hot spot");
  EXPECT_DOUBLE_EQ(lp.hot_share, 0.1);
  EXPECT_DOUBLE_EQ(lp.cold_share, 0.1);
}

// sfhotspot's documented classes, T = 10, r = 2 recent steps.
TEST(EmergingPatterns, SimpleClasses) {
  const PatternOptions o;
  EXPECT_EQ(simple_class(marks("HHHHHHHH.."), o), "persistent hot");
  EXPECT_EQ(simple_class(marks("........H."), o), "emerging hot");
  EXPECT_EQ(simple_class(marks("H........."), o), "former hot");
  EXPECT_EQ(simple_class(marks("H...H....H"), o), "intermittent hot");
  EXPECT_EQ(simple_class(marks("HHHHHHHHCC"), o), "mixed");
  EXPECT_EQ(simple_class(marks("........CC"), o), "emerging cold");
  EXPECT_EQ(simple_class(marks(".........."), o), "no pattern");
}

}  // namespace
}  // namespace hotspot::emerging
