// The exact KDE's row loop is built twice, for SSE2 and for AVX2, and the
// AVX2 build is chosen at run time (src/hotspot/kde_row.h). Both must give
// every cell the same bits: the heat maps may not depend on the CPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "hotspot/kde_row.h"

namespace hotspot::kde::detail {
namespace {

template <typename Shape>
void expect_same_bits_in_both_builds(Shape shape) {
  std::mt19937_64 rng(20261207);
  std::uniform_real_distribution<double> offset(-2000, 2000), cell(0.5, 250), start(0, 1e5);
  size_t cells = 0, nonzero = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    const int n = trial % 41;  // every remainder of 2, 4 and 8 cells a step
    const double r = 100 + offset(rng) * offset(rng) / 2000, r2 = r * r;
    const double dy = offset(rng) / 4, first_dx = -r + offset(rng) / 8, step = cell(rng), w = 1 + trial % 7;
    std::vector<double> sse2(size_t(n) + 1), avx2(size_t(n) + 1);
    for (size_t i = 0; i < sse2.size(); ++i) sse2[i] = avx2[i] = start(rng);  // a row already summed into
    add_kernel_row(sse2.data(), n, first_dx, step, dy * dy, 1 / r2, w, shape);
    add_kernel_row_avx2(avx2.data(), n, first_dx, step, dy * dy, 1 / r2, w, shape);
    ASSERT_EQ(std::memcmp(sse2.data(), avx2.data(), sse2.size() * sizeof(double)), 0) << "trial " << trial;
    cells += size_t(n);
    for (int i = 0; i < n; ++i) nonzero += shape((std::pow(first_dx + i * step, 2) + dy * dy) / r2) > 0;
  }
  EXPECT_GT(nonzero, cells / 10);  // (the kernel is not zero everywhere: the bits compared mean something)
}

TEST(KdeRow, Avx2BuildGivesTheSse2BuildsBitsForEveryCell) {
  if (!cpu_has_avx2()) GTEST_SKIP() << "this CPU has no AVX2: only the SSE2 build runs here";
  expect_same_bits_in_both_builds(QuarticShape{});
  expect_same_bits_in_both_builds(EpanechnikovShape{});
}

// The rows loop as kde.cpp's splat_exact spelt it before it moved into
// add_kernel_rows: per row, the column range and the SSE2 row function.
template <typename Shape>
void rows_reference(const RowsView& g, int r0, int r1, double px, double py, double w, double r2, Shape shape) {
  for (int row = r0; row <= r1; ++row) {
    const double dy = (g.y_top - (row + 0.5) * g.cell) - py, dy2 = dy * dy;
    if (dy2 >= r2) continue;
    const double half = std::sqrt(r2 - dy2);
    const int c0 = std::max(0, int(std::ceil((px - half - g.x0) / g.cell - 0.5)));
    const int c1 = std::min(g.nx - 1, int(std::floor((px + half - g.x0) / g.cell - 0.5)));
    double* out = g.values + size_t(row) * size_t(g.nx) + size_t(c0);
    const double first_dx = g.x0 + (c0 + 0.5) * g.cell - px;
    add_kernel_row(out, c1 - c0 + 1, first_dx, g.cell, dy2, 1 / r2, w, shape);
  }
}

// Whole kernels (all rows of a point) added by add_kernel_rows and by its
// AVX2 build give every cell the bits of the per-row loop they replaced:
// points inside, near and beyond every edge (rows and columns clipped),
// radii under one cell to many cells, rows that the disc misses.
template <typename Shape>
void expect_rows_same_bits(Shape shape) {
  const int nx = 37, ny = 29;
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> at(-300, 37 * 25 + 300), radius(10, 400), start(0, 1e3);
  std::vector<double> want(size_t(nx) * ny), sse2, avx2;
  for (double& v : want) v = start(rng);
  sse2 = avx2 = want;
  const double x0 = 400000, y0 = 200000, cell = 25, y_top = y0 + ny * cell;
  size_t changed = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const double px = x0 + at(rng), py = y0 + at(rng) * ny / nx, r = radius(rng), w = 1 + trial % 5;
    const int r0 = std::max(0, int(std::floor((y_top - py - r) / cell)));
    const int r1 = std::min(ny - 1, int(std::floor((y_top - py + r) / cell)));
    if (r0 > r1) continue;
    const std::vector<double> before = want;
    rows_reference(RowsView{want.data(), nx, x0, y_top, cell}, r0, r1, px, py, w, r * r, shape);
    add_kernel_rows(RowsView{sse2.data(), nx, x0, y_top, cell}, r0, r1, px, py, w, r * r, shape);
    if (cpu_has_avx2())
      add_kernel_rows_avx2(RowsView{avx2.data(), nx, x0, y_top, cell}, r0, r1, px, py, w, r * r, shape);
    changed += want != before;
  }
  EXPECT_GT(changed, 1000u);  // (most kernels reached the grid: the bits compared mean something)
  EXPECT_EQ(std::memcmp(want.data(), sse2.data(), want.size() * sizeof(double)), 0);
  if (cpu_has_avx2()) {
    EXPECT_EQ(std::memcmp(want.data(), avx2.data(), want.size() * sizeof(double)), 0);
  }
}

TEST(KdeRow, WholeKernelRowsGiveThePerRowLoopsBitsInBothBuilds) {
  expect_rows_same_bits(QuarticShape{});
  expect_rows_same_bits(EpanechnikovShape{});
}

}  // namespace
}  // namespace hotspot::kde::detail
