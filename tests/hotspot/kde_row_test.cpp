// The exact KDE's row loop is built twice, for SSE2 and for AVX2, and the
// AVX2 build is chosen at run time (src/hotspot/kde_row.h). Both must give
// every cell the same bits: the heat maps may not depend on the CPU.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace hotspot::kde::detail
