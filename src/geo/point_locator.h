// PointLocator: which area of a layer contains a point.
//
// Boundary rule (documented for users in the README): the crossing-number
// test with half-open edges. A point exactly on a boundary shared by two
// areas belongs to the area to its EAST; on an east-west boundary, to the
// area to its NORTH; a vertex shared by several areas goes to the area
// north-east of it. Shared edges are evaluated identically from both sides
// (edges are stored with their lower endpoint first), so such a point is
// in exactly one area. Where areas overlap, the lowest area index wins and
// `hits` reports the overlap.
//
// Hand-written instead of boost::geometry::within + R-tree because the join
// must run >= 5M points/s/core: a uniform grid resolves most points with
// one lookup (cells wholly inside one area), and the remaining ones test
// only the edges of one horizontal band of the candidate areas. Measured
// against Boost.Geometry in bench/join_bench.cpp, and checked against it
// point by point in tests/geo/point_locator_test.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "geo/point_cover.h"
#include "hotspot/geometry.h"

namespace hotspot::geo {

class PointLocator {
 public:
  // Indexes the areas (any CRS; units only matter for the grid size) on
  // `threads` threads (the same index on any number). Queries are
  // thread-safe once constructed.
  // With `near`, only the areas whose bounds it may hold a point in are
  // indexed: the others hold none of its points, so each of them gets the
  // answer (and hits) of the whole layer's index, and locate() and
  // contains() say -1 / false for the areas left out. A join of one
  // county's points against every English LSOA then indexes ~1,000 areas
  // instead of 32,844.
  explicit PointLocator(const std::vector<MultiPolygon>& areas, int threads = 1, const PointCover* near = nullptr);

  // Index of the area containing (x, y), or -1. If hits is not null it
  // receives how many areas contain the point (> 1 means overlap).
  int32_t locate(double x, double y, int* hits = nullptr) const;

  // The exact test for one area, without the grid (for tests and checks).
  bool contains(int32_t area, double x, double y) const;

  size_t cell_count() const { return size_t(nx_) * size_t(ny_); }

 private:
  struct Edge {
    double x1, y1, x2, y2;  // y1 <= y2
  };
  struct AreaIndex {
    double min_y = 0, max_y = 0, inv_band_h = 0;
    int bands = 0;
    uint32_t band_offset = 0;  // into band_start_: bands + 1 entries
  };
  struct Entry {
    int32_t area;
    bool full;  // the cell lies wholly inside the area
  };

  // One part's edge and band lists, offsets counted from their own start.
  struct Built {
    std::vector<Edge> edges;
    std::vector<uint32_t> band_start, band_edges;
  };

  void build_area(int32_t a, const MultiPolygon& mp, Built& into);
  bool indexed(size_t a) const;
  std::vector<Built> reserved_parts(const std::vector<MultiPolygon>& areas, size_t parts) const;
  void append_part(const Built& part, size_t first_area, size_t end_area);
  void build_grid(const std::vector<MultiPolygon>& areas, size_t parts);
  void list_cells(const std::vector<MultiPolygon>& areas, size_t first, size_t end, double eps,
                  std::vector<std::pair<uint32_t, Entry>>& listed) const;
  int band_of(const AreaIndex& ai, double y) const;
  void cell_range(double lo, double hi, double origin, double inv, int n, int& first, int& last) const;

  std::vector<AreaIndex> areas_;
  std::vector<Edge> edges_;           // all non-horizontal edges
  std::vector<uint32_t> band_start_;  // CSR offsets into band_edges_
  std::vector<uint32_t> band_edges_;  // edge ids per band

  double x0_ = 0, y0_ = 0, inv_cell_ = 1;
  int nx_ = 0, ny_ = 0;
  std::vector<uint32_t> cell_start_;  // CSR offsets into entries_
  std::vector<Entry> entries_;
  std::vector<Box> area_box_;  // every area's bounds; inverted (min > max) when left out or empty
};

}  // namespace hotspot::geo
