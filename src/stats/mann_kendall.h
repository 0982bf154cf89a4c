// Mann-Kendall trend test and Sen's slope (docs/METHODS.md, "Change over
// time"):
//   Mann, H.B. (1945) Nonparametric tests against trend. Econometrica 13,
//     245-259; Kendall, M.G. (1975) Rank Correlation Methods, 4th ed.
//     (variance with tie correction, tau_b).
//   Sen, P.K. (1968) Estimates of the regression coefficient based on
//     Kendall's tau. JASA 63, 1379-1389.
// Hand-written: Debian ships no C++ library with these (Boost.Math has the
// normal distribution, used here through std::erfc).
//
// Thread safety: pure functions, no shared state.
#pragma once

#include <cstdint>
#include <vector>

namespace hotspot::stats {

struct MannKendall {
  int64_t n = 0;       // values tested (NaN entries are skipped)
  int64_t s = 0;       // S = sum_{a<b} sgn(x_b - x_a); ties score 0
  double var_s = 0;    // Var(S) with the tie correction
  double z = 0;        // (S - sgn S) / sqrt(Var) with the continuity correction, S / sqrt(Var) without
  double p = 1;        // two-sided normal p = 2 (1 - Phi(|Z|)); 1 when Var(S) = 0
  double tau_b = 0;    // S / sqrt(n0 (n0 - n1)); NaN when Var(S) = 0 (a constant series)
  bool continuity = true;  // whether Z was continuity-corrected
};

// Mann-Kendall on a series in time order. NaN values are missing steps and
// are left out (the others keep their order). Fewer than 2 values, or all
// equal: Var(S) = 0, z = 0, p = 1, tau_b = NaN ("no tau"). O(n^2).
MannKendall mann_kendall(const std::vector<double>& series, bool continuity_correction = true);

// Sen's slope: the median of (x_b - x_a) / (b - a) over all pairs a < b of
// non-NaN values, b - a in steps (so "per step"). The median of an even
// number of slopes is the mean of the middle two. NaN with fewer than 2
// values. O(n^2) memory and time.
double sen_slope(const std::vector<double>& series);

}  // namespace hotspot::stats
