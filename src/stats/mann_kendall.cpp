#include "stats/mann_kendall.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hotspot::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Ties {
  double var_term = 0;  // sum_g t_g (t_g - 1) (2 t_g + 5)
  double pairs = 0;     // n1 = sum_g t_g (t_g - 1) / 2
};

// Tie groups of equal values (exact equality, as R's Kendall package).
Ties tie_groups(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Ties ties;
  for (size_t a = 0; a < v.size();) {
    size_t b = a + 1;
    while (b < v.size() && v[b] == v[a]) ++b;
    const auto t = static_cast<double>(b - a);
    ties.var_term += t * (t - 1) * (2 * t + 5);
    ties.pairs += t * (t - 1) / 2;
    a = b;
  }
  return ties;
}

}  // namespace

MannKendall mann_kendall(const std::vector<double>& series, bool continuity_correction) {
  std::vector<double> v;
  v.reserve(series.size());
  for (double x : series)
    if (!std::isnan(x)) v.push_back(x);
  MannKendall mk;
  mk.continuity = continuity_correction;
  mk.n = static_cast<int64_t>(v.size());
  for (size_t a = 0; a < v.size(); ++a)
    for (size_t b = a + 1; b < v.size(); ++b) mk.s += (v[b] > v[a]) - (v[b] < v[a]);
  const Ties ties = tie_groups(v);
  const auto n = static_cast<double>(v.size());
  mk.var_s = (n * (n - 1) * (2 * n + 5) - ties.var_term) / 18;
  if (!(mk.var_s > 0)) {  // fewer than 2 values or a constant series
    mk.var_s = 0;
    mk.tau_b = kNaN;
    return mk;
  }
  const double s = static_cast<double>(mk.s);
  const double sign = s > 0 ? 1.0 : (s < 0 ? -1.0 : 0.0);
  mk.z = (continuity_correction ? s - sign : s) / std::sqrt(mk.var_s);
  mk.p = std::erfc(std::fabs(mk.z) / std::sqrt(2.0));
  const double n0 = n * (n - 1) / 2;
  mk.tau_b = s / std::sqrt(n0 * (n0 - ties.pairs));
  return mk;
}

double sen_slope(const std::vector<double>& series) {
  std::vector<double> slopes;
  for (size_t a = 0; a < series.size(); ++a) {
    if (std::isnan(series[a])) continue;
    for (size_t b = a + 1; b < series.size(); ++b)
      if (!std::isnan(series[b])) slopes.push_back((series[b] - series[a]) / static_cast<double>(b - a));
  }
  if (slopes.empty()) return kNaN;
  const size_t mid = slopes.size() / 2;
  std::nth_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(mid), slopes.end());
  const double upper = slopes[mid];
  if (slopes.size() % 2 == 1) return upper;
  const double lower = *std::max_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

}  // namespace hotspot::stats
