#include "hotspot/gistar_band.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "geo/crs.h"

namespace hotspot::gistar {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Per-row prefix sums of x (over units) and of the unit indicator: row rr,
// column c holds the sum over columns < c, (nx + 1) entries a row. Kept for
// the rows one thread's disc sums read, in a ring of 2 reach + 1 rows, each
// row made when first read. Why not whole grids of them: two fresh grids of
// (nx + 1) x ny doubles (600 MB for England at 100 m) to fault in, zero and
// fill, where a ring of 41 rows (0.8 MB a thread) holds every row a disc
// reaches. The sums are computed as before, so they have the same bits.
class PrefixRows {
 public:
  PrefixRows(const std::vector<double>& values, const std::vector<bool>& valid, int nx, int reach)
      : values_(values),
        valid_(valid),
        nx_(nx),
        slots_(2 * reach + 1),
        x_(size_t(slots_) * size_t(nx + 1)),
        units_(x_.size()),
        row_in_slot_(size_t(slots_), -1) {}
  int nx() const { return nx_; }
  // Row rr's sums. Valid until a row 2 reach + 1 away from rr is asked for.
  const double* x(int rr) { return &x_[base(rr)]; }
  const double* units(int rr) { return &units_[base(rr)]; }

 private:
  size_t base(int rr) {
    const size_t slot = size_t(rr % slots_), at = slot * size_t(nx_ + 1);
    if (row_in_slot_[slot] != rr) fill(rr, at), row_in_slot_[slot] = rr;
    return at;
  }
  void fill(int rr, size_t at) {
    x_[at] = 0, units_[at] = 0;
    for (int c = 0; c < nx_; ++c) {
      const size_t i = size_t(rr) * size_t(nx_) + size_t(c);
      const bool unit = valid_.empty() || valid_[i];
      x_[at + size_t(c) + 1] = x_[at + size_t(c)] + (unit ? values_[i] : 0.0);
      units_[at + size_t(c) + 1] = units_[at + size_t(c)] + (unit ? 1.0 : 0.0);
    }
  }
  const std::vector<double>& values_;
  const std::vector<bool>& valid_;
  int nx_, slots_;
  std::vector<double> x_, units_;
  std::vector<int> row_in_slot_;  // which row each slot holds (-1: none)
};

// The runs [first, last) of unit cells along row r (all of it when valid is
// empty). Sea and cells outside the study area are ~65% of England's box:
// they are skipped a run at a time.
std::vector<std::pair<int, int>> unit_runs(const std::vector<bool>& valid, int nx, int r) {
  if (valid.empty()) return {{0, nx}};
  std::vector<std::pair<int, int>> runs;
  const size_t base = size_t(r) * size_t(nx);
  for (int c = 0; c < nx;) {
    while (c < nx && !valid[base + size_t(c)]) ++c;
    const int first = c;
    while (c < nx && valid[base + size_t(c)]) ++c;
    if (c > first) runs.emplace_back(first, c);
  }
  return runs;
}

// x[c] and k[c], c in [a, b): the sums of x and of the unit indicator over
// cell (r, c)'s disc. Row offsets d are taken in the order -reach .. reach
// and each adds its run's prefix-sum difference, exactly as a loop over d
// per cell would: the same additions in the same order, so the same bits
// (test GiStarGridBand.DiscSumsAcrossColumnsGiveTheCellByCellBits). Why
// across columns: for each d the interior columns are one straight loop
// over two prefix rows, which vectorises; the per-cell loop over d did not
// (it was ~16% of the England 100 m job's CPU, bench/RESULTS.md).
void disc_sums(PrefixRows& s, const std::vector<int>& half, int ny, int r, int a, int b, double* __restrict x,
               double* __restrict k) {
  const int nx = s.nx(), reach = int(half.size()) - 1;
  std::fill(x + a, x + b, 0.0);
  std::fill(k + a, k + b, 0.0);
  for (int d = -reach; d <= reach; ++d) {
    const int rr = r + d;
    if (rr < 0 || rr >= ny) continue;
    const int w = half[size_t(std::abs(d))];
    const double* __restrict px = s.x(rr);
    const double* __restrict pu = s.units(rr);
    const auto clamped = [&](int c) {
      const int c0 = std::max(c - w, 0), c1 = std::min(c + w, nx - 1);
      x[c] += px[c1 + 1] - px[c0];
      k[c] += pu[c1 + 1] - pu[c0];
    };
    // [m0, m1): the columns whose run lies inside the row (c - w >= 0, c + w < nx).
    const int m0 = std::clamp(w, a, b), m1 = std::clamp(nx - w, m0, b);
    for (int c = a; c < m0; ++c) clamped(c);
    for (int c = m0; c < m1; ++c) {
      x[c] += px[c + w + 1] - px[c - w];
      k[c] += pu[c + w + 1] - pu[c - w];
    }
    for (int c = m1; c < b; ++c) clamped(c);
  }
}

}  // namespace

std::vector<int> disc_half_widths(double band, double cell) {
  if (!(cell > 0) || !std::isfinite(cell) || !std::isfinite(band))
    throw std::invalid_argument("disc_half_widths: band must be finite and cell > 0");
  std::vector<int> w;
  // A hair of tolerance so that a band of exactly k cells includes the cell
  // k away, as distance_band does for centres computed exactly.
  const double b2 = band * band * (1 + 1e-12);
  for (int d = 0; double(d) * cell <= band * (1 + 1e-12); ++d) {
    const double rest = b2 - (d * cell) * (d * cell);
    int k = int(std::floor(std::sqrt(std::max(rest, 0.0)) / cell));
    while ((k + 1.0) * cell * (k + 1.0) * cell <= rest) ++k;
    while (k > 0 && double(k) * cell * double(k) * cell > rest) --k;
    w.push_back(k);
  }
  return w;
}

GiStar gi_star_grid_band(const std::vector<double>& values, int nx, int ny, const std::vector<bool>& valid, double band,
                         double cell, bool fdr, int threads) {
  if (nx < 0 || ny < 0 || values.size() != size_t(nx) * size_t(ny) ||
      (!valid.empty() && valid.size() != values.size()))
    throw std::invalid_argument("gi_star_grid_band: values / valid do not match the grid");
  const std::vector<int> half = disc_half_widths(band, cell);
  const auto unit = [&](size_t i) { return valid.empty() || valid[i]; };
  const UnitMoments m = unit_moments(values, unit);
  const double n = double(m.n), mean = m.mean, sd = m.sd;
  const bool constant = m.constant;

  GiStar g;
  g.fdr = fdr;
  g.z.assign(values.size(), kNaN);
  g.p.assign(values.size(), kNaN);
  g.bin.assign(fdr ? 0 : values.size(), 0);  // 0 for non-units and undefined z
  const auto rows = [&](int r_begin, int r_end) {
    std::vector<double> x(static_cast<size_t>(nx)), k(static_cast<size_t>(nx));  // disc sums of the row's cells
    PrefixRows s(values, valid, nx, int(half.size()) - 1);
    for (int r = r_begin; r < r_end; ++r)
      for (const auto& [a, b] : unit_runs(valid, nx, r)) {
        if (constant) {
          std::fill(g.z.begin() + ptrdiff_t(size_t(r) * size_t(nx) + size_t(a)),
                    g.z.begin() + ptrdiff_t(size_t(r) * size_t(nx) + size_t(b)), 0.0);
          std::fill(g.p.begin() + ptrdiff_t(size_t(r) * size_t(nx) + size_t(a)),
                    g.p.begin() + ptrdiff_t(size_t(r) * size_t(nx) + size_t(b)), 1.0);
          continue;
        }
        disc_sums(s, half, ny, r, a, b, x.data(), k.data());
        for (int c = a; c < b; ++c) {
          const size_t i = size_t(r) * size_t(nx) + size_t(c);
          const double kc = k[size_t(c)];
          if (kc == n) continue;  // 0/0: every unit is a neighbour (NaN, as gi_star)
          g.z[i] = (x[size_t(c)] - mean * kc) / (sd * std::sqrt((n * kc - kc * kc) / (n - 1)));
          g.p[i] = two_sided_p(g.z[i]);
          if (!fdr) g.bin[i] = confidence_bin_of_p(g.z[i], g.p[i]);
        }
      }
  };
  // Row bands on `threads` threads. Why: on the England 100 m job (37.7M
  // cells) this loop was ~13% of the run's CPU on one core while the other
  // idled (bench/RESULTS.md, "Heat maps and peers, round 5"). Each cell is
  // computed alone from prefix sums of the same bits and written once, so the
  // values are the same on any number of threads.
  const int parts = std::clamp(geo::thread_count(threads), 1, std::max(1, ny / 16));
  std::vector<std::thread> pool;
  for (int t = 1; t < parts; ++t) pool.emplace_back(rows, ny * t / parts, ny * (t + 1) / parts);
  rows(0, ny / parts);
  for (auto& th : pool) th.join();
  // Without FDR each cell's bin was made beside its z, from its p: erfc
  // once a cell, not again through confidence_bin(z) (erfc + exp were ~5.5%
  // of the England 100 m job's samples).
  if (fdr) g.bin = fdr_bins(g.z, g.p);
  return g;
}

}  // namespace hotspot::gistar
