#include "hotspot/gistar_grid.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>

#include "geo/crs.h"

namespace hotspot::gistar {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Mean and population SD over the units, as gi_star computes them (two
// passes in index order, `constant` from comparing the values).

}  // namespace

GiStar grid_queen_gi_star(int nx, int ny, const std::vector<double>& values, const std::vector<bool>& valid, bool fdr,
                          int threads) {
  if (nx < 0 || ny < 0) throw std::invalid_argument("grid_queen: negative grid size");
  const auto cols = static_cast<size_t>(nx), rows = static_cast<size_t>(ny);
  if (cols * rows > std::numeric_limits<uint32_t>::max())
    throw std::invalid_argument("gistar: grid cells " + std::to_string(cols * rows) + " does not fit 32-bit indices");
  if (!valid.empty() && valid.size() != cols * rows)
    throw std::invalid_argument("grid_queen: valid has " + std::to_string(valid.size()) + " entries for " +
                                std::to_string(cols * rows) + " cells");
  if (values.size() != cols * rows)
    throw std::invalid_argument("gi_star: " + std::to_string(values.size()) + " values for " +
                                std::to_string(cols * rows) + " neighbour lists");
  const auto unit = [&](size_t i) { return valid.empty() || valid[i]; };
  const UnitMoments m = unit_moments(values, unit);
  GiStar g;
  g.fdr = fdr;
  g.z.assign(values.size(), kNaN);
  g.bin.assign(values.size(), 0);
  const double n = static_cast<double>(m.n);
  // One row band per thread. Within a cell, the neighbours are summed rows
  // then columns ascending: the order of grid_queen's sorted lists.
  const auto band = [&](size_t r_begin, size_t r_end) {
    for (size_t r = r_begin; r < r_end; ++r)
      for (size_t c = 0; c < cols; ++c) {
        const size_t i = r * cols + c;
        if (!unit(i)) continue;
        double z = 0;
        if (!m.constant) {
          size_t k = 0;
          double num = 0;
          for (size_t rr = (r > 0 ? r - 1 : 0); rr <= std::min(r + 1, rows - 1); ++rr)
            for (size_t cc = (c > 0 ? c - 1 : 0); cc <= std::min(c + 1, cols - 1); ++cc) {
              const size_t j = rr * cols + cc;
              if (!unit(j)) continue;
              ++k;
              num += values[j] - m.mean;
            }
          const double kd = static_cast<double>(k);
          z = k == m.n ? kNaN : num / (m.sd * std::sqrt((n * kd - kd * kd) / (n - 1)));
        }
        g.z[i] = z;
        if (!fdr) g.bin[i] = confidence_bin(z);
      }
  };
  // vector<bool> is only read here; z and bin are written per cell, each
  // by one thread (row bands never share a cell).
  const size_t parts = std::clamp<size_t>(size_t(geo::thread_count(threads)), 1, std::max<size_t>(1, rows / 16));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < parts; ++t) pool.emplace_back(band, rows * t / parts, rows * (t + 1) / parts);
  band(0, rows / parts);
  for (auto& th : pool) th.join();
  if (fdr) {
    g.p.assign(values.size(), kNaN);
    for (size_t i = 0; i < values.size(); ++i)
      if (unit(i)) g.p[i] = m.constant ? 1.0 : two_sided_p(g.z[i]);
    g.bin = fdr_bins(g.z, g.p);
  }
  return g;
}

}  // namespace hotspot::gistar
