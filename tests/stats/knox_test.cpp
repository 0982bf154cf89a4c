// The Knox test (stats/knox.h) on the worked examples of docs/methods.md
// ("Near repeats"): exact enumeration, Monte Carlo, band edges, metrics,
// month resolution, and determinism over thread counts.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stats/knox.h"

namespace hotspot::knox {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A(0,0,day 0) B(100,0,day 3) C(1000,0,day 10) D(1000,150,day 40).
struct Four {
  std::vector<double> x{0, 100, 1000, 1000}, y{0, 0, 0, 150};
  std::vector<int64_t> t{0, 3, 10, 40};
};

Options four_options() {
  Options o;
  o.space.edges = {0, 1, 200, kInf};
  o.time.edges = {0, 7, kInf};
  return o;
}

TEST(Knox, FourEventsExactlyOverAll24Orderings) {
  Four f;
  Options o = four_options();
  o.method = Method::kExact;
  const Table k = knox_test(f.x, f.y, f.t, o);
  ASSERT_TRUE(k.exact);
  EXPECT_EQ(k.orderings, 24);
  ASSERT_EQ(k.rows, 3u);
  ASSERT_EQ(k.cols, 2u);
  EXPECT_EQ(k.observed, (std::vector<int64_t>{0, 0, 1, 1, 0, 4}));
  EXPECT_EQ(k.all_pairs, 6);
  EXPECT_EQ(k.close_pairs, 2);  // A-B (100 m) and C-D (150 m): the rest come from the margins
  const double e[] = {0, 0, 1.0 / 3, 5.0 / 3, 2.0 / 3, 10.0 / 3};
  for (size_t c = 0; c < 6; ++c) EXPECT_NEAR(k.expected[c], e[c], 1e-12) << c;
  EXPECT_TRUE(std::isnan(k.ratio[0]));  // E = 0: undefined
  EXPECT_TRUE(std::isnan(k.ratio[1]));
  EXPECT_NEAR(k.ratio[k.at(1, 0)], 3.0, 1e-12);
  EXPECT_NEAR(k.ratio[k.at(1, 1)], 0.6, 1e-12);
  EXPECT_NEAR(k.ratio[k.at(2, 0)], 0.0, 1e-12);
  EXPECT_NEAR(k.ratio[k.at(2, 1)], 1.2, 1e-12);
  EXPECT_NEAR(k.p[k.at(1, 0)], 1.0 / 3, 1e-12);
  EXPECT_EQ(k.at_least[k.at(1, 0)], 8);
  EXPECT_NEAR(k.p[k.at(2, 0)], 1.0, 1e-12);  // 0 or more: every ordering
  // p = 1/3 > 0.05: nothing flagged, though [1,200) x [0,7) has ratio 3.
  for (bool f2 : k.flagged) EXPECT_FALSE(f2);
}

TEST(Knox, AutoIsExactForFourEventsAndMonteCarloForMore) {
  Four f;
  EXPECT_TRUE(knox_test(f.x, f.y, f.t, four_options()).exact);  // 4! = 24 <= 1000
  std::vector<double> x(7), y(7, 0);
  std::vector<int64_t> t(7);
  for (size_t i = 0; i < 7; ++i) x[i] = 50.0 * double(i), t[i] = int64_t(i * 3);
  const Table k = knox_test(x, y, t, four_options());  // 7! = 5040 > 1000
  EXPECT_FALSE(k.exact);
  EXPECT_EQ(k.orderings, 999);
}

TEST(Knox, FourEventsByMonteCarloWithinTolerance) {
  Four f;
  Options o = four_options();
  o.method = Method::kMonteCarlo;
  o.permutations = 19999;
  o.threads = 2;
  const Table k = knox_test(f.x, f.y, f.t, o);
  ASSERT_FALSE(k.exact);
  EXPECT_EQ(k.orderings, 19999);
  const double e[] = {0, 0, 1.0 / 3, 5.0 / 3, 2.0 / 3, 10.0 / 3};
  // Binomial standard error of a share near 1/6 over 20k draws is ~0.003 per pair.
  for (size_t c = 0; c < 6; ++c) EXPECT_NEAR(k.expected[c], e[c], 0.03) << c;
  EXPECT_NEAR(k.ratio[k.at(1, 0)], 3.0, 0.15);
  EXPECT_NEAR(k.ratio[k.at(2, 1)], 1.2, 0.02);
  EXPECT_NEAR(k.p[k.at(1, 0)], 1.0 / 3, 0.015);
  // Monte Carlo p counts the observed ordering once: (1 + #>=) / (R + 1).
  EXPECT_DOUBLE_EQ(k.p[k.at(1, 0)], (1.0 + double(k.at_least[k.at(1, 0)])) / 20000.0);
}

// Points exactly on an edge belong to the band above it: [lo, hi).
TEST(Knox, BandEdgesAreClosedBelowOpenAbove) {
  Bands b{{0, 1, 200, 400}};
  EXPECT_EQ(b.band_of(0), 0);
  EXPECT_EQ(b.band_of(0.999), 0);
  EXPECT_EQ(b.band_of(1), 1);
  EXPECT_EQ(b.band_of(199.999), 1);
  EXPECT_EQ(b.band_of(200), 2);
  EXPECT_EQ(b.band_of(400), -1);  // a finite last edge is excluded
  EXPECT_EQ(b.band_of(-1), -1);
  Bands open{{0, 7, kInf}};
  EXPECT_EQ(open.band_of(7), 1);
  EXPECT_EQ(open.band_of(1e12), 1);
  EXPECT_EQ(open.finite_limit(), 7);
  // Two events 200 m apart (Manhattan 120 + 80) 7 days apart: [200,400) x [7,14).
  Options o;
  o.space.edges = {0, 1, 200, 400};
  o.time.edges = {0, 7, 14};
  o.method = Method::kExact;
  const Table k = knox_test({0, 120}, {0, 80}, {0, 7}, o);
  EXPECT_EQ(k.observed, (std::vector<int64_t>{0, 0, 0, 0, 0, 1}));
  // A pair at 400 m or 14 days is outside every (finite) band.
  EXPECT_EQ(knox_test({0, 400}, {0, 0}, {0, 1}, o).observed, std::vector<int64_t>(6, 0));
  EXPECT_EQ(knox_test({0, 10}, {0, 0}, {0, 14}, o).observed, std::vector<int64_t>(6, 0));
}

TEST(Knox, ManhattanAndEuclideanDiffer) {
  // (120, 80): Manhattan 200, Euclidean 144.2.
  EXPECT_DOUBLE_EQ(distance(Metric::kManhattan, 120, -80), 200);
  EXPECT_NEAR(distance(Metric::kEuclidean, 120, -80), 144.222, 1e-3);
  Options o;
  o.space.edges = {0, 1, 200, 400};
  o.time.edges = {0, 7, 14};
  o.method = Method::kExact;
  o.metric = Metric::kEuclidean;
  EXPECT_EQ(knox_test({0, 120}, {0, 80}, {0, 7}, o).observed, (std::vector<int64_t>{0, 0, 0, 1, 0, 0}));
  // Euclidean reaches pairs Manhattan does not: (150, 150) is 212 m Euclidean, 300 m Manhattan.
  o.space.edges = {0, 250};
  EXPECT_EQ(knox_test({0, 150}, {0, 150}, {0, 0}, o).observed[0], 1);
  o.metric = Metric::kManhattan;
  EXPECT_EQ(knox_test({0, 150}, {0, 150}, {0, 0}, o).observed[0], 0);
}

// Months 0 0 0 1 for the four events, police.uk's coarse bands:
// [1,200) x same month has O = 1, E = 1, ratio 1.0.
TEST(Knox, MonthResolutionExample) {
  Four f;
  Options o;
  o.space.edges = {0, 1, 200, 400, 800};
  o.time.edges = {0, 1, 2, 3, kInf};
  o.method = Method::kExact;
  const Table k = knox_test(f.x, f.y, {0, 0, 0, 1}, o);
  ASSERT_EQ(k.rows, 4u);
  ASSERT_EQ(k.cols, 4u);
  EXPECT_EQ(k.observed[k.at(1, 0)], 1);
  EXPECT_NEAR(k.expected[k.at(1, 0)], 1.0, 1e-12);
  EXPECT_NEAR(k.ratio[k.at(1, 0)], 1.0, 1e-12);
  EXPECT_EQ(k.observed[k.at(1, 1)], 1);  // C-D, one month apart
  // The pairs 900-1150 m apart are beyond the last (finite) band.
  for (size_t a = 2; a < 4; ++a)
    for (size_t b = 0; b < 4; ++b) EXPECT_EQ(k.observed[k.at(a, b)], 0);
}

// A clustered synthetic set: the same table on 1, 2 and 5 threads; another
// seed gives another (close) expected table.
TEST(Knox, DeterministicForAnyThreadCount) {
  std::vector<double> x, y;
  std::vector<int64_t> t;
  for (int i = 0; i < 400; ++i) {
    const int burst = i / 8;  // bursts of 8 events close in space and time
    x.push_back(1000.0 * (burst % 7) + (i % 8) * 20.0);
    y.push_back(900.0 * (burst / 7) + (i % 3) * 15.0);
    t.push_back(burst * 37 % 365 + (i % 8));
  }
  Options o;
  o.space.edges = {0, 1, 100, 200, 400, kInf};
  o.time.edges = {0, 7, 14, 28, kInf};
  o.permutations = 199;
  Table one, two, five;
  o.threads = 1, one = knox_test(x, y, t, o);
  o.threads = 2, two = knox_test(x, y, t, o);
  o.threads = 5, five = knox_test(x, y, t, o);
  EXPECT_EQ(one.expected, two.expected);
  EXPECT_EQ(one.expected, five.expected);
  EXPECT_EQ(one.at_least, five.at_least);
  EXPECT_EQ(one.p, five.p);
  // Bursts are near repeats: the closest band within a week is flagged.
  EXPECT_TRUE(one.flagged[one.at(1, 0)]);
  EXPECT_GT(one.ratio[one.at(1, 0)], 3.0);
  o.seed = 7;
  const Table other = knox_test(x, y, t, o);
  EXPECT_EQ(other.observed, one.observed);
  EXPECT_NE(other.expected, one.expected);
  EXPECT_NEAR(other.expected[other.at(4, 3)], one.expected[one.at(4, 3)], 0.05 * one.expected[one.at(4, 3)]);
  // Every row sums over its time bands to the same pairs in every ordering:
  // all pairs are somewhere in the open-ended table.
  int64_t total = 0;
  for (int64_t v : one.observed) total += v;
  EXPECT_EQ(total, one.all_pairs);
  double expected_total = 0;
  for (double v : one.expected) expected_total += v;
  EXPECT_NEAR(expected_total, double(one.all_pairs), 1e-6);
}

TEST(Knox, BadInputIsRefused) {
  Options o = four_options();
  EXPECT_THROW(knox_test({0}, {0}, {0}, o), std::invalid_argument);
  EXPECT_THROW(knox_test({0, 1}, {0}, {0, 1}, o), std::invalid_argument);
  o.space.edges = {0, 200, 100};
  EXPECT_THROW(knox_test({0, 1}, {0, 1}, {0, 1}, o), std::invalid_argument);
  o.space.edges = {0, kInf, 300};
  EXPECT_NE(band_problem(o.space), "");
  o = four_options();
  o.method = Method::kExact;
  std::vector<double> x(11, 0.0);
  std::vector<int64_t> t(11, 0);
  EXPECT_THROW(knox_test(x, x, t, o), std::invalid_argument);
  o.method = Method::kMonteCarlo;
  o.permutations = 0;
  EXPECT_THROW(knox_test({0, 1}, {0, 1}, {0, 1}, o), std::invalid_argument);
  EXPECT_NE(permutation_seed(1, 0), permutation_seed(1, 1));
  EXPECT_NE(permutation_seed(1, 0), permutation_seed(2, 0));
}

}  // namespace
}  // namespace hotspot::knox
