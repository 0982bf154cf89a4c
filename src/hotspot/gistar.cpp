#include "hotspot/gistar.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace hotspot::gistar {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr size_t kMaxIndex = std::numeric_limits<uint32_t>::max();

// CSR offsets and indices are uint32_t to halve the memory of large grids.
void check_fits(size_t count, const char* what) {
  if (count > kMaxIndex) {
    throw std::invalid_argument(std::string("gistar: ") + what + " " + std::to_string(count) +
                                " does not fit 32-bit indices");
  }
}

uint32_t to_u32(size_t value) { return static_cast<uint32_t>(value); }

// Closes list i: records where it ends and checks the total still fits.
void close_list(Neighbours& w) {
  check_fits(w.index.size(), "neighbour count");
  w.offsets.push_back(to_u32(w.index.size()));
}

// Bucket grid for distance_band: points sorted by cell (counting sort, so
// each cell keeps ascending point order), cell c holding
// order[start[c] .. start[c+1]).
struct Buckets {
  double min_x = 0, min_y = 0, side = 1;
  size_t gx = 1, gy = 1;
  std::vector<size_t> cell;   // per point; gx * gy for non-finite points
  std::vector<size_t> start;  // gx * gy + 1
  std::vector<uint32_t> order;
};

bool finite_point(double x, double y) { return std::isfinite(x) && std::isfinite(y); }

// Cell side: at least band (so neighbours lie in the 3 x 3 block around a
// point's cell; inflated a little so that rounding in (x - min) / side
// cannot push a pair exactly band apart two cells apart), and large enough that the grid has at most ~3n cells:
// with side >= sqrt(w h / n) and >= max(w, h) / n, gx gy <= n + w/s + h/s + 1.
double bucket_side(double band, double w, double h, size_t n) {
  const auto count = static_cast<double>(std::max<size_t>(n, 1));
  double side = std::max({band * (1 + 1e-6), std::sqrt(w * h / count), std::max(w, h) / count});
  return side > 0 ? side : 1.0;  // band 0 and all points coincident
}

size_t cell_coord(double v, double lo, double side, size_t cells) {
  const double c = std::floor((v - lo) / side);
  return std::min(static_cast<size_t>(std::max(c, 0.0)), cells - 1);
}

void bound_points(Buckets& b, const std::vector<double>& x, const std::vector<double>& y,
                  double band) {
  double max_x = -std::numeric_limits<double>::infinity(), max_y = max_x;
  b.min_x = std::numeric_limits<double>::infinity();
  b.min_y = b.min_x;
  size_t finite = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!finite_point(x[i], y[i])) continue;
    ++finite;
    b.min_x = std::min(b.min_x, x[i]);
    b.min_y = std::min(b.min_y, y[i]);
    max_x = std::max(max_x, x[i]);
    max_y = std::max(max_y, y[i]);
  }
  if (finite == 0) return;
  const double w = max_x - b.min_x, h = max_y - b.min_y;
  b.side = bucket_side(band, w, h, finite);
  b.gx = static_cast<size_t>(std::floor(w / b.side)) + 1;
  b.gy = static_cast<size_t>(std::floor(h / b.side)) + 1;
}

Buckets make_buckets(const std::vector<double>& x, const std::vector<double>& y, double band) {
  Buckets b;
  bound_points(b, x, y, band);
  const size_t cells = b.gx * b.gy;
  b.cell.resize(x.size());
  b.start.assign(cells + 2, 0);
  for (size_t i = 0; i < x.size(); ++i) {
    b.cell[i] = finite_point(x[i], y[i]) ? cell_coord(y[i], b.min_y, b.side, b.gy) * b.gx +
                                               cell_coord(x[i], b.min_x, b.side, b.gx)
                                         : cells;
    ++b.start[b.cell[i] + 1];
  }
  std::partial_sum(b.start.begin(), b.start.end(), b.start.begin());
  b.order.resize(x.size());
  std::vector<size_t> next(b.start.begin(), b.start.end() - 1);
  for (size_t i = 0; i < x.size(); ++i) b.order[next[b.cell[i]]++] = to_u32(i);
  return b;
}

void band_neighbours(const Buckets& b, const std::vector<double>& x, const std::vector<double>& y,
                     double band2, size_t i, Neighbours& w) {
  const size_t first = w.index.size();
  const size_t cx = b.cell[i] % b.gx, cy = b.cell[i] / b.gx;
  for (size_t ry = (cy > 0 ? cy - 1 : 0); ry <= std::min(cy + 1, b.gy - 1); ++ry) {
    for (size_t rx = (cx > 0 ? cx - 1 : 0); rx <= std::min(cx + 1, b.gx - 1); ++rx) {
      const size_t c = ry * b.gx + rx;
      for (size_t s = b.start[c]; s < b.start[c + 1]; ++s) {
        const uint32_t j = b.order[s];
        const double dx = x[j] - x[i], dy = y[j] - y[i];
        if (dx * dx + dy * dy <= band2) w.index.push_back(j);
      }
    }
  }
  std::sort(w.index.begin() + static_cast<std::ptrdiff_t>(first), w.index.end());
}

// Checks the contract gi_star relies on; returns which indices are units.
std::vector<char> check_weights(const Neighbours& w) {
  const size_t n = w.size();
  if (n > 0 && (w.offsets.front() != 0 || w.offsets.back() != w.index.size())) {
    throw std::invalid_argument("gi_star: malformed neighbour offsets");
  }
  std::vector<char> unit(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (w.offsets[i + 1] < w.offsets[i]) throw std::invalid_argument("gi_star: offsets decrease");
    unit[i] = w.offsets[i + 1] > w.offsets[i];
  }
  std::vector<size_t> seen_by(n, n);  // last list that contained j
  for (size_t i = 0; i < n; ++i) {
    bool self = !unit[i];
    for (uint32_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k) {
      const uint32_t j = w.index[k];
      if (j >= n || !unit[j] || seen_by[j] == i) {
        throw std::invalid_argument("gi_star: bad neighbour " + std::to_string(j) + " of unit " +
                                    std::to_string(i) + " (out of range, not a unit, or repeated)");
      }
      seen_by[j] = i;
      self = self || j == i;
    }
    if (!self) throw std::invalid_argument("gi_star: unit " + std::to_string(i) + " lacks itself");
  }
  return unit;
}

// Ord & Getis (1995) eq. 14 with binary weights: sum_j w_ij = sum_j w_ij^2
// = k_i. The numerator sums deviations x_j - xbar, which equals
// sum x_j - xbar k_i but loses less to cancellation.
double unit_z(const std::vector<double>& values, const Neighbours& w, const UnitMoments& m, size_t i) {
  const size_t k = w.offsets[i + 1] - w.offsets[i];
  if (k == m.n) return kNaN;  // numerator and variance are both exactly 0
  double num = 0;
  for (uint32_t s = w.offsets[i]; s < w.offsets[i + 1]; ++s) num += values[w.index[s]] - m.mean;
  const double n = static_cast<double>(m.n), kd = static_cast<double>(k);
  return num / (m.sd * std::sqrt((n * kd - kd * kd) / (n - 1)));
}

int sign_of(double z) { return z > 0 ? 1 : (z < 0 ? -1 : 0); }

constexpr std::array<double, 3> kAlpha = {0.10, 0.05, 0.01};  // bins 1, 2, 3

}  // namespace

Neighbours grid_queen(int nx, int ny, const std::vector<bool>& valid) {
  if (nx < 0 || ny < 0) throw std::invalid_argument("grid_queen: negative grid size");
  const auto cols = static_cast<size_t>(nx), rows = static_cast<size_t>(ny);
  check_fits(cols * rows, "grid cells");
  if (!valid.empty() && valid.size() != cols * rows) {
    throw std::invalid_argument("grid_queen: valid has " + std::to_string(valid.size()) +
                                " entries for " + std::to_string(cols * rows) + " cells");
  }
  const auto ok = [&](size_t c) { return valid.empty() || valid[c]; };
  Neighbours w;
  w.offsets.reserve(cols * rows + 1);
  w.offsets.push_back(0);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      if (ok(r * cols + c)) {
        // Rows then columns ascending, so each list comes out sorted.
        for (size_t rr = (r > 0 ? r - 1 : 0); rr <= std::min(r + 1, rows - 1); ++rr) {
          for (size_t cc = (c > 0 ? c - 1 : 0); cc <= std::min(c + 1, cols - 1); ++cc) {
            if (ok(rr * cols + cc)) w.index.push_back(to_u32(rr * cols + cc));
          }
        }
      }
      close_list(w);
    }
  }
  if (cols * rows == 0) w.offsets.clear();
  return w;
}

Neighbours distance_band(const std::vector<double>& x, const std::vector<double>& y,
                         double band) {
  if (x.size() != y.size()) throw std::invalid_argument("distance_band: x and y differ in size");
  if (!(band >= 0) || !std::isfinite(band)) {
    throw std::invalid_argument("distance_band: band must be finite and >= 0");
  }
  check_fits(x.size(), "points");
  Neighbours w;
  if (x.empty()) return w;
  const Buckets b = make_buckets(x, y, band);
  w.offsets.reserve(x.size() + 1);
  w.offsets.push_back(0);
  for (size_t i = 0; i < x.size(); ++i) {
    if (finite_point(x[i], y[i])) band_neighbours(b, x, y, band * band, i, w);
    close_list(w);
  }
  return w;
}

Neighbours from_pairs(size_t n, const std::vector<std::pair<uint32_t, uint32_t>>& pairs) {
  check_fits(n, "areas");
  std::vector<std::pair<uint32_t, uint32_t>> arcs;
  arcs.reserve(n + 2 * pairs.size());
  for (size_t i = 0; i < n; ++i) arcs.emplace_back(to_u32(i), to_u32(i));
  for (const auto& [a, b] : pairs) {
    if (a >= n || b >= n) {
      throw std::invalid_argument("from_pairs: pair (" + std::to_string(a) + ", " +
                                  std::to_string(b) + ") out of range for " + std::to_string(n) +
                                  " areas");
    }
    arcs.emplace_back(a, b);
    arcs.emplace_back(b, a);
  }
  std::sort(arcs.begin(), arcs.end());
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  Neighbours w;
  if (n == 0) return w;
  w.offsets.assign(n + 1, 0);
  for (const auto& arc : arcs) ++w.offsets[arc.first + 1];
  std::partial_sum(w.offsets.begin(), w.offsets.end(), w.offsets.begin());
  check_fits(arcs.size(), "neighbour count");
  w.index.reserve(arcs.size());
  for (const auto& arc : arcs) w.index.push_back(arc.second);  // already grouped and sorted
  return w;
}

GiStar gi_star(const std::vector<double>& values, const Neighbours& w, bool fdr) {
  if (values.size() != w.size()) {
    throw std::invalid_argument("gi_star: " + std::to_string(values.size()) + " values for " +
                                std::to_string(w.size()) + " neighbour lists");
  }
  const std::vector<char> unit = check_weights(w);
  const UnitMoments m = unit_moments(values, [&](size_t i) { return unit[i] != 0; });
  GiStar g;
  g.fdr = fdr;
  g.z.assign(values.size(), kNaN);
  g.p.assign(values.size(), kNaN);
  for (size_t i = 0; i < values.size(); ++i) {
    if (!unit[i]) continue;
    g.z[i] = m.constant ? 0.0 : unit_z(values, w, m, i);
    g.p[i] = m.constant ? 1.0 : two_sided_p(g.z[i]);
  }
  if (fdr) {
    g.bin = fdr_bins(g.z, g.p);
  } else {
    g.bin.resize(values.size());
    std::transform(g.z.begin(), g.z.end(), g.bin.begin(), confidence_bin);
  }
  return g;
}

std::vector<int> fdr_bins(const std::vector<double>& z, const std::vector<double>& p) {
  std::vector<int> bin(z.size(), 0);
  for (size_t level = 0; level < kAlpha.size(); ++level) {
    const std::vector<bool> sig = benjamini_hochberg(p, kAlpha[level]);
    for (size_t i = 0; i < bin.size(); ++i)
      if (sig[i]) bin[i] = sign_of(z[i]) * static_cast<int>(level + 1);
  }
  return bin;
}

double two_sided_p(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

int confidence_bin(double z) { return confidence_bin_of_p(z, two_sided_p(z)); }

int confidence_bin_of_p(double z, double p) {  // NaN p compares false below
  for (size_t level = kAlpha.size(); level > 0; --level) {
    if (p <= kAlpha[level - 1]) return sign_of(z) * static_cast<int>(level);
  }
  return 0;
}

std::vector<bool> benjamini_hochberg(const std::vector<double>& p, double alpha) {
  if (!(alpha > 0 && alpha <= 1)) {
    throw std::invalid_argument("benjamini_hochberg: alpha must be in (0, 1]");
  }
  std::vector<uint32_t> tests;
  tests.reserve(p.size());
  check_fits(p.size(), "p-values");
  for (size_t i = 0; i < p.size(); ++i) {
    if (!std::isnan(p[i])) tests.push_back(to_u32(i));
  }
  std::stable_sort(tests.begin(), tests.end(), [&](uint32_t a, uint32_t b) { return p[a] < p[b]; });
  const auto m = static_cast<double>(tests.size());
  size_t k = 0;  // step-up: the largest rank passing, not the first failure
  for (size_t r = 1; r <= tests.size(); ++r) {
    if (p[tests[r - 1]] <= static_cast<double>(r) / m * alpha) k = r;
  }
  std::vector<bool> significant(p.size(), false);
  for (size_t r = 0; r < k; ++r) significant[tests[r]] = true;
  return significant;
}

}  // namespace hotspot::gistar
