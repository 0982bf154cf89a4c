// Change surfaces (hotspot/change.h) on cases small enough to work by hand:
// METHODS.md's example, per-month division, the log-ratio floor, an exact
// permutation p by enumeration, and the random test's determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "hotspot/change.h"

namespace hotspot::change {
namespace {

// A row of nx cells of `cell` metres, the first centred at (cell/2, cell/2).
Grid row_of_cells(int nx, double cell) {
  Grid g;
  g.x0 = 0, g.y0 = 0, g.cell = cell, g.nx = nx, g.ny = 1;
  return g;
}

ChangeOptions raw_quartic(double radius) {
  ChangeOptions o;
  o.kde.kernel = kde::Kernel::kQuartic;
  o.kde.bandwidth = radius;
  o.kde.units = kde::Units::kRaw;
  return o;
}

// METHODS.md, "Change over time": quartic h = 200 m, a cell centre 100 m
// from the events, 1 event before and 2 after (equal spans): 0.5625 vs
// 1.125 (raw kernel), difference 0.5625, log ratio ln 2.
TEST(Change, MethodsExample) {
  const Grid g = row_of_cells(1, 10);  // one cell, centre (5, 5)
  const std::vector<LabelledPoint> pts = {{105, 5, 1, false}, {105, 5, 1, true}, {105, 5, 1, true}};
  const ChangeGrids c = change_surfaces(pts, raw_quartic(200), g, {});
  EXPECT_NEAR(c.before.values[0], 0.5625, 1e-12);
  EXPECT_NEAR(c.after.values[0], 1.125, 1e-12);
  EXPECT_NEAR(c.difference.values[0], 0.5625, 1e-12);
  EXPECT_NEAR(c.log_ratio.values[0], std::log(2.0), 1e-12);
  EXPECT_TRUE(c.p.values.empty());  // no test asked for
}

// Each period is divided by its months: 2 events over 2 months before and 1
// in 1 month after are the same rate (difference 0, log ratio 0).
TEST(Change, EachPeriodIsDividedByItsMonths) {
  const Grid g = row_of_cells(1, 10);
  ChangeOptions o = raw_quartic(200);
  o.months_before = 2, o.months_after = 1;
  const std::vector<LabelledPoint> pts = {{105, 5, 1, false}, {105, 5, 1, false}, {105, 5, 1, true}};
  const ChangeGrids c = change_surfaces(pts, o, g, {});
  EXPECT_NEAR(c.before.values[0], 0.5625, 1e-12);
  EXPECT_NEAR(c.after.values[0], 0.5625, 1e-12);
  EXPECT_NEAR(c.difference.values[0], 0.0, 1e-12);
  EXPECT_NEAR(c.log_ratio.values[0], 0.0, 1e-12);
  // Weights count as incidents: one incident of weight 2 after.
  const ChangeGrids w = change_surfaces({{105, 5, 1, false}, {105, 5, 2, true}}, raw_quartic(200), g, {});
  EXPECT_NEAR(w.after.values[0], 1.125, 1e-12);
}

// Log ratio only where both densities exceed the floor; NaN elsewhere, and
// NaN everywhere outside the study area.
TEST(Change, LogRatioOnlyWhereBothExceedTheFloor) {
  // Cells centred at x = 50, 150, 250, 350; R = 150.
  const Grid g = row_of_cells(4, 100);
  // Before: one at cell 0. After: two at cell 0, one at cell 3.
  const std::vector<LabelledPoint> pts = {
      {50, 50, 1, false}, {50, 50, 1, true}, {50, 50, 1, true}, {350, 50, 1, true}};
  ChangeOptions o = raw_quartic(150);
  const double k100 = std::pow(1 - 100.0 * 100.0 / (150.0 * 150.0), 2);  // 0.30864...
  ChangeGrids c = change_surfaces(pts, o, g, {});
  // Cell 0: before 1, after 2. Cell 1: before k100, after 2 k100.
  // Cell 2: before 0, after k100. Cell 3: before 0, after 1.
  EXPECT_NEAR(c.difference.values[0], 1, 1e-12);
  EXPECT_NEAR(c.difference.values[1], k100, 1e-12);
  EXPECT_NEAR(c.difference.values[2], k100, 1e-12);
  EXPECT_NEAR(c.difference.values[3], 1, 1e-12);
  EXPECT_NEAR(c.log_ratio.values[0], std::log(2.0), 1e-12);
  EXPECT_NEAR(c.log_ratio.values[1], std::log(2.0), 1e-12);
  EXPECT_TRUE(std::isnan(c.log_ratio.values[2]));  // nothing before: no ratio
  EXPECT_TRUE(std::isnan(c.log_ratio.values[3]));
  // A floor above k100 keeps only cell 0.
  o.floor = 0.5;
  c = change_surfaces(pts, o, g, {});
  EXPECT_NEAR(c.log_ratio.values[0], std::log(2.0), 1e-12);
  EXPECT_TRUE(std::isnan(c.log_ratio.values[1]));
  // "Exceed" is strict: a floor equal to the before density leaves it out.
  o.floor = 1.0;
  c = change_surfaces(pts, o, g, {});
  EXPECT_TRUE(std::isnan(c.log_ratio.values[0]));
  // Outside the study area: NaN in every grid.
  o.floor = 0;
  c = change_surfaces(pts, o, g, {true, false, true, true});
  EXPECT_TRUE(std::isnan(c.difference.values[1]) && std::isnan(c.before.values[1]) && std::isnan(c.after.values[1]));
  EXPECT_NEAR(c.difference.values[0], 1, 1e-12);
}

// Three incidents, one before (cell 0) and two after (cell 2), R = 150 m on
// 100 m cells: the C(3, 2) = 3 labelings are enumerated. Cell 2: observed
// difference 2, the two other labelings 0, so p = 1/3. Cell 0: observed
// -1, the others +1 (|1| >= 1), p = 1. Cell 1 (100 m from both places):
// every labeling has 2 after and 1 before at the same distance, p = 1.
TEST(Change, ExactPermutationPByEnumeration) {
  const Grid g = row_of_cells(3, 100);
  const std::vector<LabelledPoint> pts = {{50, 50, 1, false}, {250, 50, 1, true}, {250, 50, 1, true}};
  ChangeOptions o = raw_quartic(150);
  o.permutations = 99;
  const ChangeGrids c = change_surfaces(pts, o, g, {});
  EXPECT_TRUE(c.exact);
  EXPECT_EQ(c.relabelings, 3);
  ASSERT_EQ(c.p.values.size(), 3u);
  EXPECT_DOUBLE_EQ(c.p.values[0], 1.0);
  EXPECT_DOUBLE_EQ(c.p.values[1], 1.0);
  EXPECT_DOUBLE_EQ(c.p.values[2], 1.0 / 3.0);
}

// Twelve incidents, six before and six after; the two at cell 0 are both
// after, the other ten each alone in a cell of their own (R = 60 m, 100 m
// cells: each kernel reaches its own cell only). At cell 0 the difference
// is (#after - #before) of those two: |d| >= 2 exactly when both carry the
// same label, which C(10,4) + C(10,6) = 420 of the C(12,6) = 924 labelings do.
std::vector<LabelledPoint> twelve() {
  std::vector<LabelledPoint> pts = {{50, 50, 1, true}, {50, 50, 1, true}};
  for (int i = 0; i < 10; ++i) pts.push_back({250 + 100.0 * i, 50, 1, i < 4});
  return pts;
}

TEST(Change, PermutationPAgainstTheCountOfLabelings) {
  const Grid g = row_of_cells(12, 100);
  ChangeOptions o = raw_quartic(60);
  o.permutations = 1000;  // >= 924: exact
  ChangeGrids c = change_surfaces(twelve(), o, g, {});
  EXPECT_TRUE(c.exact);
  EXPECT_EQ(c.relabelings, 924);
  EXPECT_DOUBLE_EQ(c.p.values[0], 420.0 / 924.0);
  // Cell 1 is empty: difference 0 everywhere, p = 1.
  EXPECT_DOUBLE_EQ(c.p.values[1], 1.0);
  // Random relabelings (fewer than 924): (1 + hits) / (R + 1), near 420/924.
  o.permutations = 600;
  c = change_surfaces(twelve(), o, g, {});
  EXPECT_FALSE(c.exact);
  EXPECT_EQ(c.relabelings, 600);
  const double hits = c.p.values[0] * 601 - 1;
  EXPECT_NEAR(hits, std::round(hits), 1e-9);  // a whole number of relabelings
  EXPECT_NEAR(c.p.values[0], 420.0 / 924.0, 0.07);  // 3.5 standard errors at R = 600
  EXPECT_DOUBLE_EQ(c.p.values[1], 1.0);
}

// The random test on 1 and 2 threads (and 3): the same p in every cell; a
// different seed gives another draw.
TEST(Change, PermutationTestIsTheSameOnAnyThreadCount) {
  const Grid g = row_of_cells(12, 100);
  ChangeOptions o = raw_quartic(160);  // kernels overlap neighbouring cells
  o.permutations = 199;
  o.seed = 42;
  o.threads = 1;
  const ChangeGrids one = change_surfaces(twelve(), o, g, {});
  o.threads = 2;
  const ChangeGrids two = change_surfaces(twelve(), o, g, {});
  o.threads = 3;
  const ChangeGrids three = change_surfaces(twelve(), o, g, {});
  EXPECT_EQ(one.p.values, two.p.values);
  EXPECT_EQ(one.p.values, three.p.values);
  EXPECT_EQ(one.difference.values, two.difference.values);
  o.seed = 43;
  const ChangeGrids other = change_surfaces(twelve(), o, g, {});
  EXPECT_NE(one.p.values, other.p.values);
}

// docs/methods.md, "FDR for the change p": p = 0.01, 0.04, 0.03, 0.20 give
// 0.04, 0.0533, 0.0533, 0.20; NaN (outside the study area) stays NaN and is
// not one of the m.
TEST(Change, BenjaminiHochbergWorkedExample) {
  const std::vector<double> q = bh_adjusted({0.01, NAN, 0.04, 0.03, 0.20});
  ASSERT_EQ(q.size(), 5u);
  EXPECT_NEAR(q[0], 0.04, 1e-15);
  EXPECT_TRUE(std::isnan(q[1]));
  EXPECT_NEAR(q[2], 0.04 * 4 / 3, 1e-15);
  EXPECT_NEAR(q[3], 0.04 * 4 / 3, 1e-15);
  EXPECT_NEAR(q[4], 0.20, 1e-15);
  EXPECT_EQ(bh_adjusted({0.9, 0.95}), (std::vector<double>{0.95, 0.95}));  // never above 1, never below a smaller p's
  EXPECT_TRUE(bh_adjusted({}).empty());
}

// Brute force from the 1995 definition: at level q, reject the k smallest p
// where k is the largest i with p_(i) <= i q / m (ties all in or all out).
// The adjusted p must be <= q exactly for the rejected cells, for every q,
// on random p with many ties (permutation p are multiples of 1 / (R + 1)).
TEST(Change, BenjaminiHochbergEqualsTheStepUpRuleOnRandomP) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    const size_t m = 1 + rng() % 60;
    std::vector<double> p(m);
    for (double& v : p) v = double(1 + rng() % 100) / 100.0;  // 0.01 .. 1, ties likely
    const std::vector<double> adjusted = bh_adjusted(p);
    std::vector<double> sorted = p;
    std::sort(sorted.begin(), sorted.end());
    for (double q : {0.01, 0.02, 0.05, 0.1, 0.2, 0.5}) {
      size_t k = 0;
      for (size_t i = 1; i <= m; ++i)
        if (sorted[i - 1] <= double(i) * q / double(m) + 1e-12) k = i;
      const double bar = k == 0 ? -1 : sorted[k - 1];
      for (size_t c = 0; c < m; ++c)
        EXPECT_EQ(adjusted[c] <= q + 1e-12, p[c] <= bar) << "trial " << trial << " q " << q << " p " << p[c];
    }
    for (size_t c = 0; c < m; ++c) {
      // The adjusted value itself, by its definition: min over j >= rank of p_(j) m / j.
      const size_t rank = size_t(std::lower_bound(sorted.begin(), sorted.end(), p[c]) - sorted.begin()) + 1;
      double expect = 1;
      for (size_t j = rank; j <= m; ++j) expect = std::min(expect, sorted[j - 1] * double(m) / double(j));
      EXPECT_NEAR(adjusted[c], expect, 1e-12);
    }
  }
}

// fdr on the permutation test: an adjusted p grid beside p, never below it,
// NaN where p is NaN (cells outside the study area).
TEST(Change, FdrGridFollowsThePermutationP) {
  const Grid g = row_of_cells(12, 100);
  ChangeOptions o = raw_quartic(160);
  o.permutations = 99;
  o.fdr = true;
  std::vector<bool> inside(12, true);
  inside[0] = false;
  const ChangeGrids c = change_surfaces(twelve(), o, g, inside);
  ASSERT_EQ(c.p_fdr.values.size(), c.p.values.size());
  const std::vector<double> expected = bh_adjusted(c.p.values);
  EXPECT_TRUE(std::isnan(c.p_fdr.values[0]));
  for (size_t i = 1; i < 12; ++i) {
    EXPECT_EQ(c.p_fdr.values[i], expected[i]) << i;
    EXPECT_GE(c.p_fdr.values[i], c.p.values[i]) << i;
  }
  o.fdr = false;
  EXPECT_TRUE(change_surfaces(twelve(), o, g, inside).p_fdr.values.empty());
}

TEST(Change, Binomial) {
  EXPECT_EQ(binomial(12, 6), 924u);
  EXPECT_EQ(binomial(3, 2), 3u);
  EXPECT_EQ(binomial(5, 0), 1u);
  EXPECT_EQ(binomial(2, 3), 0u);
  EXPECT_EQ(binomial(100000, 50000), UINT64_MAX);  // saturates
}

}  // namespace
}  // namespace hotspot::change
