// Confidence limits for a Poisson count and the "significantly higher than
// average" flags built on them (docs/methods.md, "Confidence limits" and
// "Significance classes"; UK public-sector practice).
//
// Thread safety: pure functions, safe to call from any thread.
#pragma once

#include <cstdint>
#include <string_view>

namespace hotspot::stats {

// Counts at or above this use Byar's approximation; below it, exact limits.
inline constexpr int64_t kByarMinObserved = 10;

// Two-sided limits. Units are those of whatever was bounded: a count for
// poisson_limits(), a ratio O/E inside AreaSignificance.
struct PoissonInterval {
  double lower;
  double upper;
};

// z such that P(-z < Z < z) = confidence for a standard normal Z, e.g.
// 1.959964 for 0.95 and 3.090232 for 0.998.
// Throws std::invalid_argument unless 0 < confidence < 1.
double two_sided_z(double confidence);

// Limits for the mean of a Poisson variable observed as `observed`.
//   observed >= 10, Byar: lower = O (1 - 1/(9O) - z/(3 sqrt O))^3,
//     upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3
//   observed < 10, exact (Garwood): lower = chi2_quantile(alpha/2, 2O) / 2
//     (0 when O = 0), upper = chi2_quantile(1 - alpha/2, 2O + 2) / 2
// with alpha = 1 - confidence.
// Throws std::invalid_argument if observed < 0 or confidence not in (0, 1).
PoissonInterval poisson_limits(int64_t observed, double confidence);

// Ordered from highest to lowest; kNotApplicable when there is no expected
// count to compare with.
enum class SignificanceClass {
  kSignificantlyHigher998,
  kSignificantlyHigher95,
  kAboveAverage,
  kAverage,  // O == E exactly
  kBelowAverage,
  kSignificantlyLower95,
  kSignificantlyLower998,
  kNotApplicable,  // E <= 0 or not finite
};

struct AreaSignificance {
  double expected;           // E, as given
  double ratio;              // O / E; NaN when cls == kNotApplicable
  PoissonInterval ratio95;   // 95% limits of O, divided by E; NaN if n/a
  PoissonInterval ratio998;  // 99.8% limits of O, divided by E; NaN if n/a
  SignificanceClass cls;
};

// Compares an observed count with its expected count E (comparator rate x
// population). Significantly higher when the lower limit of O/E > 1,
// significantly lower when the upper limit < 1, 99.8% tested before 95%;
// otherwise above / below average by O vs E, average when equal.
// Throws std::invalid_argument if observed < 0.
AreaSignificance classify(int64_t observed, double expected);

// Human label, e.g. "significantly higher (99.8%)", "above average".
std::string_view to_string(SignificanceClass cls);

}  // namespace hotspot::stats
