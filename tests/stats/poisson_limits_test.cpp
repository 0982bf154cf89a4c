// Reference values below were computed independently of Boost.Math, in plain
// Python floats (no scipy):
//   z: bisection on 0.5 * erfc(z / sqrt 2) = (1 - confidence) / 2;
//   exact limits (O < 10): bisection on the closed-form chi-squared CDF for
//     even degrees of freedom 2k, F(x) = 1 - sum_{i<k} e^{-x/2} (x/2)^i / i!,
//     lower = F^-1(alpha/2; 2O) / 2, upper = F^-1(1 - alpha/2; 2O + 2) / 2;
//     cross-checked with mpmath's regularized incomplete gamma (30 digits).
//     The 95% values equal R's poisson.test(O)$conf.int.
//   Byar (O >= 10): the formula evaluated directly (shown at each test).
// Printed to 9 decimals, so kTol = 1e-8 covers rounding of the literals.
#include "stats/poisson_limits.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace hotspot::stats {
namespace {

constexpr double kTol = 1e-8;

void expect_limits(int64_t observed, double confidence, double lower, double upper) {
  SCOPED_TRACE(testing::Message() << "O=" << observed << " conf=" << confidence);
  const PoissonInterval limits = poisson_limits(observed, confidence);
  EXPECT_NEAR(limits.lower, lower, kTol);
  EXPECT_NEAR(limits.upper, upper, kTol);
}

TEST(TwoSidedZ, StandardValues) {
  EXPECT_NEAR(two_sided_z(0.95), 1.959963985, kTol);
  EXPECT_NEAR(two_sided_z(0.998), 3.090232306, kTol);
  EXPECT_NEAR(two_sided_z(0.90), 1.644853627, kTol);
  EXPECT_NEAR(two_sided_z(0.50), 0.674489750, kTol);
}

TEST(PoissonLimits, ExactNinetyFive) {
  expect_limits(0, 0.95, 0.0, 3.688879454);  // upper = -ln(0.025)
  expect_limits(1, 0.95, 0.025317808, 5.571643391);
  expect_limits(2, 0.95, 0.242209279, 7.224687668);
  expect_limits(5, 0.95, 1.623486390, 11.668332079);
  expect_limits(9, 0.95, 4.115373097, 17.084803451);
}

TEST(PoissonLimits, ExactNinetyNinePointEight) {
  expect_limits(0, 0.998, 0.0, 6.907755279);          // upper = -ln(0.001)
  expect_limits(1, 0.998, 0.001000500, 9.233413476);  // lower = -ln(0.999)
  expect_limits(2, 0.998, 0.045402018, 11.228872242);
  expect_limits(5, 0.998, 0.739371732, 16.454745204);
  expect_limits(9, 0.998, 2.452424404, 22.657373309);
}

TEST(PoissonLimits, ExactAtOtherConfidence) {
  expect_limits(3, 0.90, 0.817691447, 7.753656528);
  expect_limits(3, 0.50, 1.727299418, 5.109427485);
}

// Byar, z = 1.959963985 (unrounded z used; the 9th decimal can differ
// by a few units if the rounded z is plugged in):
//   O = 10:  lower = 10 (1 - 1/90 - z/(3 sqrt 10))^3        = 4.787449914
//            upper = 11 (1 - 1/99 + z/(3 sqrt 11))^3        = 18.391458606
//   O = 100: lower = 100 (1 - 1/900 - z/30)^3               = 81.362105491
//            upper = 101 (1 - 1/909 + z/(3 sqrt 101))^3     = 121.627937579
TEST(PoissonLimits, ByarNinetyFive) {
  expect_limits(10, 0.95, 4.787449914, 18.391458606);
  expect_limits(16, 0.95, 9.139508919, 25.984438194);
  expect_limits(30, 0.95, 20.236939093, 42.828371942);
  expect_limits(100, 0.95, 81.362105491, 121.627937579);
}

// Same formulas with z = 3.090232306.
TEST(PoissonLimits, ByarNinetyNinePointEight) {
  expect_limits(10, 0.998, 2.916318375, 24.193724928);
  expect_limits(16, 0.998, 6.366960155, 32.671643903);
  expect_limits(30, 0.998, 15.838985420, 51.118501237);
  expect_limits(100, 0.998, 71.903691873, 134.943621762);
  expect_limits(50, 0.90, 38.964704857, 63.285831956);
}

// Switching method at O = 10 must not jump: exact limits at O = 10 are
// 95%: (4.795388696, 18.390356042), 99.8%: (2.960520373, 24.133971145);
// Byar is within 1.5% of them.
TEST(PoissonLimits, ByarCloseToExactAtSwitchPoint) {
  const PoissonInterval byar95 = poisson_limits(10, 0.95);
  EXPECT_NEAR(byar95.lower, 4.795388696, 0.015 * 4.795388696);
  EXPECT_NEAR(byar95.upper, 18.390356042, 0.015 * 18.390356042);
  const PoissonInterval byar998 = poisson_limits(10, 0.998);
  EXPECT_NEAR(byar998.lower, 2.960520373, 0.015 * 2.960520373);
  EXPECT_NEAR(byar998.upper, 24.133971145, 0.015 * 24.133971145);
}

TEST(PoissonLimits, LimitsBracketTheCountAndWidenWithConfidence) {
  for (int64_t o = 0; o <= 200; ++o) {
    SCOPED_TRACE(o);
    const PoissonInterval narrow = poisson_limits(o, 0.95);
    const PoissonInterval wide = poisson_limits(o, 0.998);
    EXPECT_LE(narrow.lower, static_cast<double>(o));
    EXPECT_GE(narrow.upper, static_cast<double>(o));
    EXPECT_LE(wide.lower, narrow.lower);
    EXPECT_GE(wide.upper, narrow.upper);
  }
}

TEST(PoissonLimits, RejectsBadArguments) {
  EXPECT_THROW(poisson_limits(-1, 0.95), std::invalid_argument);
  EXPECT_THROW(poisson_limits(5, 0.0), std::invalid_argument);
  EXPECT_THROW(poisson_limits(5, 1.0), std::invalid_argument);
  EXPECT_THROW(poisson_limits(50, 95.0), std::invalid_argument);
  EXPECT_THROW(poisson_limits(5, std::nan("")), std::invalid_argument);
  EXPECT_THROW(two_sided_z(1.0), std::invalid_argument);
}

void expect_class(int64_t observed, double expected, SignificanceClass cls) {
  SCOPED_TRACE(testing::Message() << "O=" << observed << " E=" << expected);
  EXPECT_EQ(to_string(classify(observed, expected).cls), to_string(cls));
}

// E = 10 throughout; O/E limits = limits of O / 10, from the values above
// and the same reference script.
TEST(Classify, EveryClass) {
  using C = SignificanceClass;
  // Byar 99.8% lower of 22 = 10.253991318 -> 1.025 > 1.
  expect_class(22, 10.0, C::kSignificantlyHigher998);
  // 95% lower of 18 = 10.662494762 -> 1.066; 99.8% lower 7.625 -> 0.763.
  expect_class(18, 10.0, C::kSignificantlyHigher95);
  // 95% lower of 17 = 9.897477109 -> 0.990, not significant.
  expect_class(17, 10.0, C::kAboveAverage);
  expect_class(10, 10.0, C::kAverage);
  expect_class(8, 10.0, C::kBelowAverage);  // 95% upper 15.763 -> 1.576
  // Exact 95% upper of 3 = 8.767273070 -> 0.877; 99.8% upper 13.062 -> 1.306.
  expect_class(3, 10.0, C::kSignificantlyLower95);
  // Exact 99.8% upper of 1 = 9.233413476 -> 0.923.
  expect_class(1, 10.0, C::kSignificantlyLower998);
}

TEST(Classify, ThirtyAgainstTenIsHigherAtNinetyNinePointEight) {
  const AreaSignificance s = classify(30, 10.0);
  EXPECT_EQ(s.cls, SignificanceClass::kSignificantlyHigher998);
  EXPECT_DOUBLE_EQ(s.expected, 10.0);
  EXPECT_DOUBLE_EQ(s.ratio, 3.0);
  EXPECT_NEAR(s.ratio998.lower, 1.583898542, kTol);
  EXPECT_NEAR(s.ratio998.upper, 5.111850124, kTol);
  EXPECT_NEAR(s.ratio95.lower, 2.023693909, kTol);
  EXPECT_NEAR(s.ratio95.upper, 4.282837194, kTol);
}

TEST(Classify, SixteenAgainstTenIsOnlyAboveAverage) {
  // Byar 95% lower of 16 = 9.139508919 -> 0.914 < 1.
  const AreaSignificance s = classify(16, 10.0);
  EXPECT_EQ(s.cls, SignificanceClass::kAboveAverage);
  EXPECT_NEAR(s.ratio95.lower, 0.913950892, kTol);
}

TEST(Classify, ZeroAgainstFiveIsLowerAtNinetyFiveOnly) {
  // Upper limits of 0: -ln(0.025) / 5 = 0.737775891; -ln(0.001) / 5 = 1.381551056.
  const AreaSignificance s = classify(0, 5.0);
  EXPECT_EQ(s.cls, SignificanceClass::kSignificantlyLower95);
  EXPECT_NEAR(s.ratio95.upper, 0.737775891, kTol);
  EXPECT_NEAR(s.ratio998.upper, 1.381551056, kTol);
  EXPECT_DOUBLE_EQ(s.ratio95.lower, 0.0);
}

TEST(Classify, NoExpectedCountIsNotApplicable) {
  for (double e : {0.0, -1.0, std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN()}) {
    SCOPED_TRACE(e);
    const AreaSignificance s = classify(4, e);
    EXPECT_EQ(s.cls, SignificanceClass::kNotApplicable);
    EXPECT_TRUE(std::isnan(s.ratio));
    EXPECT_TRUE(std::isnan(s.ratio95.lower));
    EXPECT_TRUE(std::isnan(s.ratio998.upper));
  }
  EXPECT_EQ(classify(0, 0.0).cls, SignificanceClass::kNotApplicable);
  EXPECT_THROW(classify(-1, 5.0), std::invalid_argument);
}

TEST(Classify, Labels) {
  using C = SignificanceClass;
  EXPECT_EQ(to_string(C::kSignificantlyHigher998), "significantly higher (99.8%)");
  EXPECT_EQ(to_string(C::kSignificantlyHigher95), "significantly higher (95%)");
  EXPECT_EQ(to_string(C::kAboveAverage), "above average");
  EXPECT_EQ(to_string(C::kAverage), "average");
  EXPECT_EQ(to_string(C::kBelowAverage), "below average");
  EXPECT_EQ(to_string(C::kSignificantlyLower95), "significantly lower (95%)");
  EXPECT_EQ(to_string(C::kSignificantlyLower998), "significantly lower (99.8%)");
  EXPECT_EQ(to_string(C::kNotApplicable), "not applicable");
}

}  // namespace
}  // namespace hotspot::stats
