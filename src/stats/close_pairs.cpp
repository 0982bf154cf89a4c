#include "stats/close_pairs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace hotspot::knox {

double distance(Metric m, double dx, double dy) {
  return m == Metric::kManhattan ? std::abs(dx) + std::abs(dy) : std::hypot(dx, dy);
}

bool Bands::open_ended() const { return !edges.empty() && std::isinf(edges.back()); }

double Bands::finite_limit() const {
  if (edges.empty()) return 0;
  return open_ended() ? edges[edges.size() - 2] : edges.back();
}

int Bands::band_of(double v) const {
  if (edges.size() < 2 || v < edges.front()) return -1;
  // First edge greater than v; band = its index - 1.
  const auto it = std::upper_bound(edges.begin(), edges.end(), v);
  if (it == edges.end()) return -1;  // at or above a finite last edge
  return int(it - edges.begin()) - 1;
}

namespace {

struct Grid {
  double x0 = 0, y0 = 0, cell = 1;
  int64_t cols = 1;
  int64_t key(double x, double y) const {
    return int64_t(std::floor((y - y0) / cell)) * cols + int64_t(std::floor((x - x0) / cell));
  }
};

Grid grid_for(const std::vector<double>& x, const std::vector<double>& y, double cell) {
  if (x.size() != y.size()) throw std::invalid_argument("close_pairs: x and y differ in size");
  if (x.size() >= std::numeric_limits<uint32_t>::max()) throw std::invalid_argument("close_pairs: too many points");
  Grid g;
  g.cell = cell;
  if (x.empty()) return g;
  double x1 = x[0], y1 = y[0];
  g.x0 = x[0], g.y0 = y[0];
  for (size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw std::invalid_argument("close_pairs: point " + std::to_string(i) + " has a non-finite coordinate");
    g.x0 = std::min(g.x0, x[i]), x1 = std::max(x1, x[i]);
    g.y0 = std::min(g.y0, y[i]), y1 = std::max(y1, y[i]);
  }
  // Two spare columns so that (col + 1) never wraps into the next row.
  const double cols = std::floor((x1 - g.x0) / cell) + 3, rows = std::floor((y1 - g.y0) / cell) + 3;
  if (cols * rows > 4e18) throw std::invalid_argument("close_pairs: the radius is too small for the extent");
  g.cols = int64_t(cols);
  return g;
}

}  // namespace

std::vector<uint32_t> cell_order(const std::vector<double>& x, const std::vector<double>& y, double cell) {
  const Grid g = grid_for(x, y, cell > 0 ? cell : 1);
  std::vector<int64_t> key(x.size());
  for (size_t i = 0; i < x.size(); ++i) key[i] = g.key(x[i], y[i]);
  std::vector<uint32_t> order(x.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return key[a] < key[b]; });
  return order;
}

std::vector<ClosePair> close_pairs(const std::vector<double>& x, const std::vector<double>& y, const Bands& bands,
                                   Metric metric) {
  std::vector<ClosePair> out;
  for_each_close_pair(x, y, bands, metric, [&](uint32_t i, uint32_t j, uint8_t band) { out.push_back({i, j, band}); });
  return out;
}

void for_each_close_pair(const std::vector<double>& x, const std::vector<double>& y, const Bands& bands, Metric metric,
                         const std::function<void(uint32_t, uint32_t, uint8_t)>& visit) {
  if (bands.count() > 254) throw std::invalid_argument("close_pairs: more than 254 bands");
  const double radius = bands.finite_limit();
  if (!(radius > 0) || x.size() < 2) {
    grid_for(x, y, 1);  // still checks the input
    return;
  }
  const Grid g = grid_for(x, y, radius);
  const std::vector<uint32_t> order = cell_order(x, y, radius);
  // Runs of points per occupied cell, in key order.
  std::vector<int64_t> cell_key;
  std::vector<size_t> cell_begin;
  for (size_t k = 0; k < order.size(); ++k) {
    const int64_t key = g.key(x[order[k]], y[order[k]]);
    if (cell_key.empty() || cell_key.back() != key) cell_key.push_back(key), cell_begin.push_back(k);
  }
  cell_begin.push_back(order.size());
  auto find_cell = [&](int64_t key) -> int64_t {
    const auto it = std::lower_bound(cell_key.begin(), cell_key.end(), key);
    return it != cell_key.end() && *it == key ? int64_t(it - cell_key.begin()) : -1;
  };
  auto consider = [&](uint32_t a, uint32_t b) {
    const double d = distance(metric, x[a] - x[b], y[a] - y[b]);
    if (!(d < radius)) return;
    const int band = bands.band_of(d);
    visit(std::min(a, b), std::max(a, b), band < 0 ? kBelow : uint8_t(band));
  };
  // Forward neighbours: right, and the three cells of the row above.
  const int64_t forward[4] = {1, g.cols - 1, g.cols, g.cols + 1};
  for (size_t c = 0; c + 1 < cell_begin.size(); ++c) {
    const size_t b = cell_begin[c], e = cell_begin[c + 1];
    for (size_t p = b; p < e; ++p)
      for (size_t q = p + 1; q < e; ++q) consider(order[p], order[q]);
    for (int64_t step : forward) {
      const int64_t n = find_cell(cell_key[c] + step);
      if (n < 0) continue;
      for (size_t p = b; p < e; ++p)
        for (size_t q = cell_begin[size_t(n)]; q < cell_begin[size_t(n) + 1]; ++q) consider(order[p], order[q]);
    }
  }
}

}  // namespace hotspot::knox
