// The exact KDE's inner loop: one point's kernel added along one grid row.
// Internal to kde.cpp; a header so that tests can hold its two builds side
// by side.
#pragma once

#include <cmath>

namespace hotspot::kde::detail {

// max(0, 1 - u2) written as (t + |t|) / 2, exact and without a branch,
// which GCC will not vectorise through.
struct QuarticShape {
  double operator()(double u2) const {
    const double t = 1 - u2, c = 0.5 * (t + std::fabs(t));
    return c * c;
  }
};
struct EpanechnikovShape {
  double operator()(double u2) const {
    const double t = 1 - u2;
    return 0.5 * (t + std::fabs(t));
  }
};

// out[i] += w * shape(((first_dx + i * cell)^2 + dy2) * inv_r2), i < n.
// Locals only, branch-free (shape() is zero at u2 >= 1) and no aliasing
// with the output row, so the loop vectorises.
template <typename Shape>
[[gnu::always_inline]] inline void add_kernel_row(double* __restrict out, int n, double first_dx, double cell,
                                                  double dy2, double inv_r2, double w, Shape shape) {
  for (int i = 0; i < n; ++i) {
    const double dx = first_dx + i * cell;
    out[i] += w * shape((dx * dx + dy2) * inv_r2);
  }
}

// The same loop built for AVX2: 4 cells a step instead of SSE2's 2. Why:
// the exact KDE is ~30% of the England 100 m job's CPU (bench/RESULTS.md).
// "avx2" does not enable FMA, so no multiply-add is fused: every cell gets
// the same operations in the same order, and the same bits, as the SSE2
// build (tests/hotspot/kde_row_test.cpp). Call only where the CPU has AVX2.
template <typename Shape>
[[gnu::target("avx2")]] void add_kernel_row_avx2(double* __restrict out, int n, double first_dx, double cell,
                                                 double dy2, double inv_r2, double w, Shape shape) {
  add_kernel_row(out, n, first_dx, cell, dy2, inv_r2, w, shape);
}

inline bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}

}  // namespace hotspot::kde::detail
