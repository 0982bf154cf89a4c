// Close pairs of points: every pair closer than a radius, found through a
// grid hash, for the Knox test (stats/knox.h). The cost follows the number
// of close pairs, not n^2.
//
// Why a grid hash and not Boost.Geometry's R-tree: the query is the same
// fixed radius for every point, so a grid of cells one radius wide holds
// each point's candidates in its own and the 8 cells around it. Sorting the
// points by cell once is the whole index (no tree, no per-query result
// vectors), each pair is visited once by looking only "forward" (own cell
// and 4 of the 8 neighbours), and the pairs come out in cell order, which
// keeps the later per-permutation pass over them cache-friendly.
//
// Thread safety: pure functions, no shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace hotspot::knox {

enum class Metric { kManhattan, kEuclidean };

double distance(Metric m, double dx, double dy);

// Band edges: band k is [edges[k], edges[k + 1]); the last edge may be
// +infinity (a "beyond" band). At least two edges, strictly increasing,
// the first >= 0.
struct Bands {
  std::vector<double> edges;
  std::size_t count() const { return edges.empty() ? 0 : edges.size() - 1; }
  bool open_ended() const;     // last edge is +infinity
  double finite_limit() const; // largest finite edge
  // Band of v, or -1 below the first edge / at or above a finite last edge.
  int band_of(double v) const;
};

// A pair of points i < j (indices into the input) and its spatial band;
// kBelow marks a pair closer than the first band's lower edge (counted in
// no band, but known to be closer than the radius).
struct ClosePair {
  uint32_t i = 0, j = 0;
  uint8_t band = 0;
};
constexpr uint8_t kBelow = 255;

// Calls visit(i, j, band) for every pair i < j with distance <
// bands.finite_limit(), in cell order (the same order on every call), band
// kBelow for a pair below the first edge. Same checks as close_pairs.
void for_each_close_pair(const std::vector<double>& x, const std::vector<double>& y, const Bands& bands, Metric metric,
                         const std::function<void(uint32_t, uint32_t, uint8_t)>& visit);

// Every pair with distance < bands.finite_limit(), with its band. Pairs come
// out in cell order (not sorted by index). At most 254 bands. Throws
// std::invalid_argument on mismatched sizes, more than 2^32-1 points or a
// non-finite coordinate.
std::vector<ClosePair> close_pairs(const std::vector<double>& x, const std::vector<double>& y, const Bands& bands,
                                   Metric metric);

// The order that sorts the points by grid cell (cells `cell` metres wide):
// points renumbered in this order give close pairs whose indices lie close
// together.
std::vector<uint32_t> cell_order(const std::vector<double>& x, const std::vector<double>& y, double cell);

}  // namespace hotspot::knox
