// The exact KDE's inner loop: one point's kernel added along one grid row.
// Internal to kde.cpp; a header so that tests can hold its two builds side
// by side.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

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

// The grid as the rows loop sees it: row-major values, nx columns, the
// west edge, the top edge (Grid::y_top()) and the cell side, in metres.
struct RowsView {
  double* values = nullptr;
  int nx = 0;
  double x0 = 0, y_top = 0, cell = 0;
};

// One point's kernel (at px, py, weight w, radius^2 r2) added to the grid's
// rows r0..r1: on each row, the columns whose centres lie within R. Row
// centres as Grid::centre_y, columns and first_dx computed as kde.cpp
// always did, so each cell gets the same operations.
template <typename Shape>
[[gnu::always_inline]] inline void add_kernel_rows(const RowsView& g, int r0, int r1, double px, double py, double w,
                                                   double r2, Shape shape) {
  const double inv_r2 = 1 / r2;
  for (int row = r0; row <= r1; ++row) {
    const double dy = (g.y_top - (row + 0.5) * g.cell) - py, dy2 = dy * dy;
    if (dy2 >= r2) continue;
    const double half = std::sqrt(r2 - dy2);
    const int c0 = std::max(0, int(std::ceil((px - half - g.x0) / g.cell - 0.5)));
    const int c1 = std::min(g.nx - 1, int(std::floor((px + half - g.x0) / g.cell - 0.5)));
    if (c1 < c0) continue;
    double* out = g.values + size_t(row) * size_t(g.nx) + size_t(c0);
    const double first_dx = g.x0 + (c0 + 0.5) * g.cell - px;
    add_kernel_row(out, c1 - c0 + 1, first_dx, g.cell, dy2, inv_r2, w, shape);
  }
}

// The rows loop built for AVX2 as a whole, not only its inner loop. Why:
// calling the AVX2 row function once per row left the per-row work (the
// call, sqrt, two divisions, ceil, floor) about as costly as the cells
// themselves (~15% of the England 100 m job's samples each); inlined into
// one AVX2 function per point the rows are set up with AVX2 code and no
// call. Still no FMA: the same bits (tests/hotspot/kde_row_test.cpp).
template <typename Shape>
[[gnu::target("avx2")]] void add_kernel_rows_avx2(const RowsView& g, int r0, int r1, double px, double py, double w,
                                                  double r2, Shape shape) {
  add_kernel_rows(g, r0, r1, px, py, w, r2, shape);
}

inline bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}

}  // namespace hotspot::kde::detail
