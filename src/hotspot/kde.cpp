#include "hotspot/kde.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <utility>

#include "geo/crs.h"
#include "hotspot/errors.h"
#include "hotspot/fresh_buffer.h"
#include "hotspot/kde_row.h"

namespace hotspot::kde {

std::vector<WeightedPoint> merge_identical(std::vector<WeightedPoint> p) {
  std::sort(p.begin(), p.end(), [](const auto& a, const auto& b) { return a.y != b.y ? a.y < b.y : a.x < b.x; });
  std::vector<WeightedPoint> out;
  for (const WeightedPoint& q : p) {
    if (!out.empty() && out.back().x == q.x && out.back().y == q.y) out.back().w += q.w;
    else out.push_back(q);
  }
  return out;
}

namespace {

// Bands of rows no thinner than 16 rows: at most `threads` of them.
int band_count(int rows, int threads) { return std::clamp(threads, 1, std::max(1, rows / 16)); }

// Runs body(first_row, end_row) on each band [bounds[i], bounds[i + 1]),
// one thread a band (the first on the calling thread).
template <typename Body>
void run_row_bands(const std::vector<int>& bounds, Body body) {
  std::vector<std::thread> pool;
  for (size_t t = 1; t + 1 < bounds.size(); ++t) pool.emplace_back(body, bounds[t], bounds[t + 1]);
  body(bounds[0], bounds[1]);
  for (auto& th : pool) th.join();
}

// Bands of equal numbers of rows.
std::vector<int> even_row_bands(int rows, int threads) {
  threads = band_count(rows, threads);
  std::vector<int> bounds;
  for (int t = 0; t <= threads; ++t) bounds.push_back(rows * t / threads);
  return bounds;
}

// The rows of g a point's kernel reaches, [first, last] (may be empty).
std::pair<int, int> rows_reached(const WeightedPoint& p, double radius, const Grid& g) {
  const double top = g.y_top();
  return {int(std::floor((top - p.y - radius) / g.cell)), int(std::floor((top - p.y + radius) / g.cell))};
}

// Row bands, one per thread, of about equal work: rows weighted by the
// number of kernels reaching them. Why: equal numbers of rows left one core
// idle for much of the England 100 m job's KDE (its south half holds most
// points: the threads' samples were 20% and 11% of the run's CPU;
// bench/RESULTS.md, "Heat maps and peers, round 5"). Each cell still sums
// its points in their fixed order, so the values do not depend on the bands.
std::vector<int> balanced_row_bands(const std::vector<WeightedPoint>& pts, double radius, const Grid& g, int threads) {
  threads = band_count(g.ny, threads);
  std::vector<int64_t> starts(size_t(g.ny) + 1, 0);  // kernels starting minus ending at each row
  for (const WeightedPoint& p : pts) {
    const auto [first, last] = rows_reached(p, radius, g);
    const int r0 = std::max(0, first), r1 = std::min(g.ny - 1, last);
    if (r0 > r1) continue;
    ++starts[size_t(r0)];
    --starts[size_t(r1) + 1];
  }
  std::vector<int64_t> done(size_t(g.ny) + 1, 0);  // work of rows < r (+1 a row for its own cost)
  int64_t reaching = 0;
  for (int r = 0; r < g.ny; ++r) {
    reaching += starts[size_t(r)];
    done[size_t(r) + 1] = done[size_t(r)] + reaching + 1;
  }
  std::vector<int> bounds{0};
  for (int t = 1; t < threads; ++t) {
    const int64_t share = done.back() * t / threads;
    bounds.push_back(int(std::lower_bound(done.begin(), done.end(), share) - done.begin()));
  }
  bounds.push_back(g.ny);
  return bounds;
}

// Exact: for each point, each row of the band within R, the columns whose
// centres lie within R. The shape is a template parameter so the inner
// loop is a straight, vectorisable run of arithmetic.
template <typename Shape>
void splat_exact(const std::vector<WeightedPoint>& pts, double radius, Shape shape, Grid& g, int threads) {
  const double r2 = radius * radius;
  const std::vector<int> bounds = balanced_row_bands(pts, radius, g, threads);
  const bool avx2 = detail::cpu_has_avx2();
  const detail::RowsView view{g.values.data(), g.nx, g.x0, g.y_top(), g.cell};
  const auto band = [&](int row_begin, int row_end) {
    for (const WeightedPoint& p : pts) {
      const auto [first, last] = rows_reached(p, radius, g);
      const int r0 = std::max(row_begin, first), r1 = std::min(row_end - 1, last);
      if (r0 > r1) continue;
      if (avx2) detail::add_kernel_rows_avx2(view, r0, r1, p.x, p.y, p.w, r2, shape);
      else detail::add_kernel_rows(view, r0, r1, p.x, p.y, p.w, r2, shape);
    }
  };
  run_row_bands(bounds, band);
}

// Fast: linear binning onto the lattice of cell centres (extended by the
// radius so points outside the grid still count), then the precomputed
// stencil added from every non-empty bin.
void splat_binned(const std::vector<WeightedPoint>& pts, const KernelFunction& k, Grid& g, int threads) {
  const int m = int(std::ceil(k.radius() / g.cell)) + 1;  // margin in cells
  const int bw = g.nx + 2 * m, bh = g.ny + 2 * m;
  std::vector<double> bins(size_t(bw) * size_t(bh), 0.0);
  const double top = g.y_top();
  for (const WeightedPoint& p : pts) {
    const double fc = (p.x - g.x0) / g.cell - 0.5 + m, fr = (top - p.y) / g.cell - 0.5 + m;
    const int c = int(std::floor(fc)), r = int(std::floor(fr));
    if (c < 0 || r < 0 || c + 1 >= bw || r + 1 >= bh) continue;  // farther than R from the grid
    const double ax = fc - c, ay = fr - r;
    bins[size_t(r) * size_t(bw) + size_t(c)] += p.w * (1 - ax) * (1 - ay);
    bins[size_t(r) * size_t(bw) + size_t(c + 1)] += p.w * ax * (1 - ay);
    bins[size_t(r + 1) * size_t(bw) + size_t(c)] += p.w * (1 - ax) * ay;
    bins[size_t(r + 1) * size_t(bw) + size_t(c + 1)] += p.w * ax * ay;
  }
  const int s = m;  // stencil half-width in cells
  std::vector<double> stencil(size_t(2 * s + 1) * size_t(2 * s + 1));
  const double inv_r2 = 1 / (k.radius() * k.radius());
  for (int dr = -s; dr <= s; ++dr)
    for (int dc = -s; dc <= s; ++dc)
      stencil[size_t(dr + s) * size_t(2 * s + 1) + size_t(dc + s)] =
          k.shape((dr * dr + dc * dc) * g.cell * g.cell * inv_r2);
  run_row_bands(even_row_bands(g.ny, threads), [&](int row_begin, int row_end) {
    for (int br = std::max(0, row_begin); br < std::min(bh, row_end + 2 * m); ++br)
      for (int bc = 0; bc < bw; ++bc) {
        const double w = bins[size_t(br) * size_t(bw) + size_t(bc)];
        if (w == 0) continue;
        const int row_c = br - m, col_c = bc - m;  // the bin's grid cell
        for (int row = std::max(row_begin, row_c - s); row <= std::min(row_end - 1, row_c + s); ++row) {
          const double* st = &stencil[size_t(row - row_c + s) * size_t(2 * s + 1)];
          double* out = &g.values[size_t(row) * size_t(g.nx)];
          for (int col = std::max(0, col_c - s); col <= std::min(g.nx - 1, col_c + s); ++col)
            out[col] += w * st[col - col_c + s];
        }
      }
  });
}

}  // namespace

void estimate(const std::vector<WeightedPoint>& points, const KdeOptions& o, Grid& g) {
  assign_fresh(g.values, size_t(g.nx) * size_t(g.ny), 0.0);
  const KernelFunction k(o.kernel, o.bandwidth, o.gaussian_cutoff);
  const int threads = geo::thread_count(o.threads);
  if (o.mode == Mode::kFast) {
    splat_binned(merge_identical(points), k, g, threads);
  } else {
    // Identical points merged (exact: the same kernel at the same place,
    // weights summed; police.uk shares points between incidents), in row
    // order so each thread's writes stay within a few grid rows. The order
    // is fixed, so results stay deterministic.
    const std::vector<WeightedPoint> sorted = merge_identical(points);
    switch (o.kernel) {
      case Kernel::kQuartic:
        splat_exact(sorted, k.radius(), detail::QuarticShape{}, g, threads);
        break;
      case Kernel::kEpanechnikov:
        splat_exact(sorted, k.radius(), detail::EpanechnikovShape{}, g, threads);
        break;
      default:
        splat_exact(sorted, k.radius(), [&k](double u2) { return k.shape(u2); }, g, threads);
    }
  }
  const double scale = o.units == Units::kRaw       ? 1.0
                       : o.units == Units::kPerKm2 ? k.norm() * 1e6
                                                   : k.norm() * g.cell * g.cell;
  if (scale != 1.0)
    for (double& v : g.values) v *= scale;
}

}  // namespace hotspot::kde
