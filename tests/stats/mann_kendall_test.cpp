// Mann-Kendall and Sen's slope against docs/METHODS.md's worked examples
// ("Change over time") and hand-computed cases.
#include "stats/mann_kendall.h"

#include <cmath>

#include <gtest/gtest.h>

namespace hotspot::stats {
namespace {

// METHODS.md: 14 values with one tie (12.9 twice).
TEST(MannKendall, MethodsExampleWithATie) {
  const std::vector<double> x = {12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9,
                                 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7};
  const MannKendall mk = mann_kendall(x);
  EXPECT_EQ(mk.n, 14);
  EXPECT_EQ(mk.s, 54);
  EXPECT_NEAR(mk.var_s, 332.667, 1e-3);  // (14 13 33 - 2 1 9) / 18
  EXPECT_NEAR(mk.z, 2.906, 1e-3);
  EXPECT_NEAR(mk.tau_b, 0.5967, 1e-4);
  EXPECT_TRUE(mk.continuity);
  EXPECT_NEAR(mk.p, std::erfc(53 / std::sqrt(mk.var_s) / std::sqrt(2.0)), 1e-15);
}

// METHODS.md: z = 0.5 1.2 1.2 2.0 2.6, with and without the correction.
TEST(MannKendall, MethodsExampleCorrectionOnAndOff) {
  const std::vector<double> z = {0.5, 1.2, 1.2, 2.0, 2.6};
  const MannKendall on = mann_kendall(z);
  EXPECT_EQ(on.s, 9);
  EXPECT_NEAR(on.var_s, 15.667, 1e-3);
  EXPECT_NEAR(on.tau_b, 0.9487, 1e-4);
  EXPECT_NEAR(on.z, 2.021, 1e-3);
  EXPECT_NEAR(on.p, 0.0433, 1e-4);
  const MannKendall off = mann_kendall(z, false);
  EXPECT_FALSE(off.continuity);
  EXPECT_NEAR(off.z, 2.274, 1e-3);
  EXPECT_NEAR(off.p, 0.0230, 1e-4);
  EXPECT_DOUBLE_EQ(off.tau_b, on.tau_b);  // tau does not depend on the correction
}

// By hand: 1 2 3 has S = 3, Var = 3 2 11 / 18 = 11/3, Z = 2 / sqrt(11/3), tau_b = 1.
TEST(MannKendall, HandComputedIncreasingAndDecreasing) {
  const MannKendall up = mann_kendall({1, 2, 3});
  EXPECT_EQ(up.s, 3);
  EXPECT_NEAR(up.var_s, 11.0 / 3, 1e-12);
  EXPECT_NEAR(up.z, 2 / std::sqrt(11.0 / 3), 1e-12);
  EXPECT_DOUBLE_EQ(up.tau_b, 1.0);
  const MannKendall down = mann_kendall({3, 2, 1});
  EXPECT_EQ(down.s, -3);
  EXPECT_NEAR(down.z, -up.z, 1e-12);
  EXPECT_DOUBLE_EQ(down.tau_b, -1.0);
  EXPECT_DOUBLE_EQ(down.p, up.p);
}

// A constant series has Var(S) = 0: p = 1 and no tau.
TEST(MannKendall, ConstantSeriesHasPOneAndNoTau) {
  for (const std::vector<double>& x : {std::vector<double>{2, 2, 2, 2}, std::vector<double>{5},
                                       std::vector<double>{}}) {
    const MannKendall mk = mann_kendall(x);
    EXPECT_EQ(mk.s, 0);
    EXPECT_EQ(mk.var_s, 0);
    EXPECT_EQ(mk.z, 0);
    EXPECT_EQ(mk.p, 1);
    EXPECT_TRUE(std::isnan(mk.tau_b));
  }
}

// NaN entries are missing steps: 1 NaN 2 3 tests as 1 2 3.
TEST(MannKendall, SkipsMissingSteps) {
  const MannKendall mk = mann_kendall({1, NAN, 2, 3});
  EXPECT_EQ(mk.n, 3);
  EXPECT_EQ(mk.s, 3);
}

TEST(SenSlope, MedianOfPairwiseSlopes) {
  EXPECT_DOUBLE_EQ(sen_slope({1, 2, 3}), 1.0);
  // Slopes 2, 0.5, 4/3, -1, 1, 3: sorted -1 0.5 1 4/3 2 3, median (1 + 4/3) / 2.
  EXPECT_NEAR(sen_slope({1, 3, 2, 5}), 7.0 / 6, 1e-12);
  // An odd count: 0 5 1 -> slopes 5, 0.5, -4: median 0.5.
  EXPECT_DOUBLE_EQ(sen_slope({0, 5, 1}), 0.5);
  // A gap keeps the time spacing: (3 - 1) / 2.
  EXPECT_DOUBLE_EQ(sen_slope({1, NAN, 3}), 1.0);
  EXPECT_TRUE(std::isnan(sen_slope({4})));
}

}  // namespace
}  // namespace hotspot::stats
