#include "stats/poisson_limits.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

// Boost.Math (header-only) supplies the normal and chi-squared quantiles;
// its default policy throws std::domain_error / std::overflow_error rather
// than returning a silent NaN.
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>

namespace hotspot::stats {
namespace {

void check_confidence(double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::invalid_argument("poisson_limits: confidence " + std::to_string(confidence) +
                                " is not in (0, 1)");
  }
}

void check_observed(int64_t observed) {
  if (observed < 0) {
    throw std::invalid_argument("poisson_limits: negative count " + std::to_string(observed));
  }
}

// Upper-tail quantile taken via complement(): 1 - p would lose digits for
// the small tail areas (0.001 at 99.8%) that we care about.
double chi2_upper_quantile(double degrees_of_freedom, double tail) {
  namespace bm = boost::math;
  return bm::quantile(bm::complement(bm::chi_squared(degrees_of_freedom), tail));
}

double chi2_lower_quantile(double degrees_of_freedom, double tail) {
  namespace bm = boost::math;
  return bm::quantile(bm::chi_squared(degrees_of_freedom), tail);
}

// Exact (Garwood 1936) limits: the Poisson mean mu with P(X >= O | mu) =
// alpha/2, resp. P(X <= O | mu) = alpha/2, via the Poisson-chi-squared
// identity P(X <= k | mu) = P(chi2(2k + 2) > 2 mu).
PoissonInterval exact_limits(int64_t observed, double confidence) {
  const double half_alpha = (1.0 - confidence) / 2.0;
  const auto o = static_cast<double>(observed);
  const double lower = observed == 0 ? 0.0 : chi2_lower_quantile(2.0 * o, half_alpha) / 2.0;
  const double upper = chi2_upper_quantile(2.0 * o + 2.0, half_alpha) / 2.0;
  return {lower, upper};
}

// Byar's approximation (Breslow & Day 1987, "Statistical Methods in Cancer
// Research" vol. II), the form used by UK public health observatories (APHO
// 2008, "Technical Briefing 3: Commonly used public health statistics and
// their confidence intervals"). At O = 10 it is within 1.5% of the exact
// limits (worst case: the 99.8% lower limit, 2.916 vs 2.961), so the switch
// from exact to Byar causes no visible jump.
PoissonInterval byar_limits(int64_t observed, double confidence) {
  const double z = two_sided_z(confidence);
  const auto o = static_cast<double>(observed);
  const double lo = 1.0 - 1.0 / (9.0 * o) - z / (3.0 * std::sqrt(o));
  const double o1 = o + 1.0;
  const double hi = 1.0 - 1.0 / (9.0 * o1) + z / (3.0 * std::sqrt(o1));
  // lo > 0 for any representable confidence once O >= 10 (z would need to
  // exceed ~9.4); the clamp only guards the contract that lower >= 0.
  return {o * std::pow(std::max(lo, 0.0), 3), o1 * hi * hi * hi};
}

PoissonInterval scaled(PoissonInterval limits, double divisor) {
  return {limits.lower / divisor, limits.upper / divisor};
}

SignificanceClass flag(double observed, double expected, PoissonInterval ratio95,
                       PoissonInterval ratio998) {
  if (ratio998.lower > 1.0) return SignificanceClass::kSignificantlyHigher998;
  if (ratio95.lower > 1.0) return SignificanceClass::kSignificantlyHigher95;
  if (ratio998.upper < 1.0) return SignificanceClass::kSignificantlyLower998;
  if (ratio95.upper < 1.0) return SignificanceClass::kSignificantlyLower95;
  if (observed > expected) return SignificanceClass::kAboveAverage;
  if (observed < expected) return SignificanceClass::kBelowAverage;
  return SignificanceClass::kAverage;
}

}  // namespace

double two_sided_z(double confidence) {
  check_confidence(confidence);
  namespace bm = boost::math;
  const double half_alpha = (1.0 - confidence) / 2.0;
  return bm::quantile(bm::complement(bm::normal(), half_alpha));
}

PoissonInterval poisson_limits(int64_t observed, double confidence) {
  check_observed(observed);
  check_confidence(confidence);
  if (observed >= kByarMinObserved) return byar_limits(observed, confidence);
  return exact_limits(observed, confidence);
}

AreaSignificance classify(int64_t observed, double expected) {
  check_observed(observed);
  if (!(expected > 0.0) || !std::isfinite(expected)) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {expected, nan, {nan, nan}, {nan, nan}, SignificanceClass::kNotApplicable};
  }
  const auto o = static_cast<double>(observed);
  const PoissonInterval ratio95 = scaled(poisson_limits(observed, 0.95), expected);
  const PoissonInterval ratio998 = scaled(poisson_limits(observed, 0.998), expected);
  return {expected, o / expected, ratio95, ratio998, flag(o, expected, ratio95, ratio998)};
}

std::string_view to_string(SignificanceClass cls) {
  switch (cls) {
    case SignificanceClass::kSignificantlyHigher998:
      return "significantly higher (99.8%)";
    case SignificanceClass::kSignificantlyHigher95:
      return "significantly higher (95%)";
    case SignificanceClass::kAboveAverage:
      return "above average";
    case SignificanceClass::kAverage:
      return "average";
    case SignificanceClass::kBelowAverage:
      return "below average";
    case SignificanceClass::kSignificantlyLower95:
      return "significantly lower (95%)";
    case SignificanceClass::kSignificantlyLower998:
      return "significantly lower (99.8%)";
    case SignificanceClass::kNotApplicable:
      return "not applicable";
  }
  return "not applicable";
}

}  // namespace hotspot::stats
