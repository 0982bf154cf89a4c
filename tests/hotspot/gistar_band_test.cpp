// Gi* on a distance band from box sums (hotspot/gistar_band.h) against the
// neighbour-list Gi* (gistar::gi_star + distance_band) it replaces for heat
// maps, and its speed at the demo's scale.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <random>
#include <utility>

#include "hotspot/gistar.h"
#include "hotspot/gistar_band.h"

namespace hotspot::gistar {
namespace {

TEST(DiscHalfWidths, CellCentresWithinTheBand) {
  // band 2.5 cells: rows 0, 1, 2 reach 2, 2, 1 cells (2^2 + 2^2 = 8 > 6.25).
  EXPECT_EQ(disc_half_widths(62.5, 25), (std::vector<int>{2, 2, 1}));
  // Exactly 2 cells: the cell 2 away on the axis is in, (1, 2) is not.
  EXPECT_EQ(disc_half_widths(50, 25), (std::vector<int>{2, 1, 0}));
  EXPECT_EQ(disc_half_widths(10, 25), (std::vector<int>{0}));  // the cell itself
}

// Random counts on a grid with a ragged study area; the box-sum Gi* gives
// the neighbour-list Gi*'s z, p and bins, with and without FDR.
TEST(GiStarGridBand, EqualsTheNeighbourListStatistic) {
  const int nx = 47, ny = 39;
  const double cell = 25;
  std::mt19937 rng(7);
  std::poisson_distribution<int> counts(0.6);
  std::vector<double> v(size_t(nx) * ny);
  std::vector<bool> valid(v.size());
  std::vector<double> x(v.size(), NAN), y(v.size(), NAN);
  for (int r = 0; r < ny; ++r)
    for (int c = 0; c < nx; ++c) {
      const size_t i = size_t(r) * nx + c;
      valid[i] = (c - 20) * (c - 20) + (r - 18) * (r - 18) < 400 || (c > 30 && r < 10);
      v[i] = valid[i] ? double(counts(rng) + (c > 12 && c < 16 && r > 10 && r < 14 ? 4 : 0)) : NAN;
      if (valid[i]) x[i] = (c + 0.5) * cell, y[i] = 1000 - (r + 0.5) * cell;
    }
  for (double band : {30.0, 75.0, 300.0}) {
    for (bool fdr : {false, true}) {
      std::vector<double> zeroed = v;
      for (size_t i = 0; i < v.size(); ++i)
        if (!valid[i]) zeroed[i] = 0;
      const GiStar list = gi_star(zeroed, distance_band(x, y, band), fdr);
      const GiStar box = gi_star_grid_band(v, nx, ny, valid, band, cell, fdr);
      for (size_t i = 0; i < v.size(); ++i) {
        if (!valid[i]) {
          EXPECT_TRUE(std::isnan(box.z[i]));
          continue;
        }
        EXPECT_NEAR(box.z[i], list.z[i], 1e-9) << "band " << band << " cell " << i;
        EXPECT_EQ(box.bin[i], list.bin[i]) << "band " << band << " cell " << i;
      }
    }
  }
}

// Row bands on several threads (the England 100 m job's Gi*): z, p and bins
// the same bit for bit as on one thread, with a ragged study area, FDR on
// and off, bands wider than a thread's rows, and more threads than rows/16.
TEST(GiStarGridBand, SameBitsOnOneTwoAndThreeThreads) {
  const int nx = 83, ny = 70;
  std::mt19937 rng(5);
  std::poisson_distribution<int> counts(1.3);
  std::vector<double> v(size_t(nx) * ny);
  std::vector<bool> valid(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    valid[i] = (i * 7) % 13 != 0;
    v[i] = valid[i] ? double(counts(rng)) : NAN;
  }
  const auto same = [](const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
  };
  for (double band : {30.0, 400.0})
    for (bool fdr : {false, true}) {
      const GiStar one = gi_star_grid_band(v, nx, ny, valid, band, 25, fdr, 1);
      size_t finite = 0;
      for (double z : one.z) finite += std::isfinite(z);
      EXPECT_GT(finite, v.size() / 2);
      for (int threads : {2, 3, 8}) {
        const GiStar many = gi_star_grid_band(v, nx, ny, valid, band, 25, fdr, threads);
        EXPECT_TRUE(same(one.z, many.z)) << band << " " << fdr << " " << threads;
        EXPECT_TRUE(same(one.p, many.p)) << band << " " << fdr << " " << threads;
        EXPECT_EQ(one.bin, many.bin) << band << " " << fdr << " " << threads;
      }
    }
}

// The cell-by-cell disc sums gi_star_grid_band used before it summed
// across columns (each cell: row offsets -reach .. reach, each adding its
// run's prefix-sum difference), kept here as the reference.
GiStar cell_by_cell_reference(const std::vector<double>& v, int nx, int ny, const std::vector<bool>& valid, double band,
                              double cell) {
  const std::vector<int> half = disc_half_widths(band, cell);
  const auto unit = [&](size_t i) { return valid.empty() || valid[i]; };
  const UnitMoments m = unit_moments(v, unit);
  const double n = double(m.n);
  std::vector<double> px(size_t(nx + 1) * size_t(ny), 0.0), pu(px.size(), 0.0);
  for (int r = 0; r < ny; ++r)
    for (int c = 0; c < nx; ++c) {
      const size_t i = size_t(r) * size_t(nx) + size_t(c), at = size_t(r) * size_t(nx + 1) + size_t(c);
      px[at + 1] = px[at] + (unit(i) ? v[i] : 0.0);
      pu[at + 1] = pu[at] + (unit(i) ? 1.0 : 0.0);
    }
  GiStar g;
  g.z.assign(v.size(), NAN);
  g.p.assign(v.size(), NAN);
  const int reach = int(half.size()) - 1;
  for (int r = 0; r < ny; ++r)
    for (int c = 0; c < nx; ++c) {
      const size_t i = size_t(r) * size_t(nx) + size_t(c);
      if (!unit(i)) continue;
      double x = 0, k = 0;
      for (int d = -reach; d <= reach; ++d) {
        const int rr = r + d;
        if (rr < 0 || rr >= ny) continue;
        const int w = half[size_t(std::abs(d))];
        const size_t base = size_t(rr) * size_t(nx + 1);
        const int c0 = std::max(c - w, 0), c1 = std::min(c + w, nx - 1);
        x += px[base + size_t(c1) + 1] - px[base + size_t(c0)];
        k += pu[base + size_t(c1) + 1] - pu[base + size_t(c0)];
      }
      if (k == n) continue;
      g.z[i] = (x - m.mean * k) / (m.sd * std::sqrt((n * k - k * k) / (n - 1)));
      g.p[i] = two_sided_p(g.z[i]);
    }
  return g;
}

// Summing each row offset across a run of columns (vectorised) must give
// every cell the bits of the cell-by-cell loop: runs of units broken by
// "sea" (whole stretches and single cells), units at the grid's edges,
// discs wider than the grid (both ends clamped), one column, no mask; and
// the bins (FDR off) those of confidence_bin(z).
TEST(GiStarGridBand, DiscSumsAcrossColumnsGiveTheCellByCellBits) {
  const auto same = [](const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
  };
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> value(0, 9);
  for (const auto& [nx, ny] : {std::pair{97, 64}, std::pair{9, 40}, std::pair{1, 30}})
    for (bool masked : {true, false}) {
      std::vector<double> v(size_t(nx) * size_t(ny));
      std::vector<bool> valid(masked ? v.size() : 0);
      for (int r = 0; r < ny; ++r)
        for (int c = 0; c < nx; ++c) {
          const size_t i = size_t(r) * size_t(nx) + size_t(c);
          const bool sea = c > nx / 2 + r / 3 || (r * 7 + c * 3) % 17 == 0;  // a coast and single holes
          if (masked) valid[i] = !sea;
          v[i] = masked && sea ? NAN : std::floor(value(rng)) * 0.37;
        }
      for (double band : {25.0, 180.0, 400.0}) {
        const GiStar want = cell_by_cell_reference(v, nx, ny, valid, band, 25);
        const GiStar got = gi_star_grid_band(v, nx, ny, valid, band, 25, false, 2);
        size_t finite = 0;
        for (double z : got.z) finite += std::isfinite(z);
        EXPECT_GT(finite, v.size() / 4) << nx << " " << band;
        EXPECT_TRUE(same(want.z, got.z)) << nx << " x " << ny << " band " << band << " masked " << masked;
        EXPECT_TRUE(same(want.p, got.p)) << nx << " x " << ny << " band " << band << " masked " << masked;
        // Bins made beside z from its p (no second erfc): confidence_bin(z) of every cell.
        std::vector<int> bins(want.z.size());
        std::transform(want.z.begin(), want.z.end(), bins.begin(), confidence_bin);
        EXPECT_EQ(got.bin, bins) << nx << " x " << ny << " band " << band << " masked " << masked;
      }
    }
}

// A whole-force-sized grid (1200 x 1000 cells of 25 m) with R = 300 m:
// prints the time (the README's figure); fails only if absurdly slow.
TEST(GiStarGridBand, FastAtTheKernelRadius) {
  const int nx = 1200, ny = 1000;
  std::vector<double> v(size_t(nx) * ny);
  std::mt19937 rng(3);
  std::poisson_distribution<int> counts(0.05);
  for (double& c : v) c = double(counts(rng));
  const auto t0 = std::chrono::steady_clock::now();
  const GiStar g = gi_star_grid_band(v, nx, ny, {}, 300, 25, false);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto t1 = std::chrono::steady_clock::now();
  const GiStar queen = gi_star(v, grid_queen(nx, ny, {}), false);
  const double q = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  std::printf("Gi* on 1.2M cells: band 300 m (25 rows of the disc) %.3f s; queen 3 x 3 lists %.3f s\n", s, q);
  EXPECT_EQ(queen.z.size(), v.size());
  EXPECT_EQ(g.z.size(), v.size());
  EXPECT_LT(s, 20.0);
}

}  // namespace
}  // namespace hotspot::gistar
