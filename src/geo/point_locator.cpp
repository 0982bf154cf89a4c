#include "geo/point_locator.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "geo/geos_util.h"

namespace hotspot::geo {

namespace {

// Runs work(p) for every part p < parts, part 0 on this thread and each
// other part on a thread of its own; rethrows the first part's error.
template <class Work>
void run_parts(size_t parts, Work work) {
  std::vector<std::exception_ptr> errors(parts);
  auto guarded = [&](size_t p) {
    try {
      work(p);
    } catch (...) {
      errors[p] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (size_t p = 1; p < parts; ++p) pool.emplace_back(guarded, p);
  guarded(0);
  for (std::thread& t : pool) t.join();
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

// The first area of part p of `parts` (p == parts: the end).
size_t part_start(size_t areas, size_t p, size_t parts) { return areas * p / parts; }

}  // namespace

PointLocator::PointLocator(const std::vector<MultiPolygon>& areas, int threads, const PointCover* near) {
  if (areas.size() > size_t(INT32_MAX)) throw std::length_error("too many areas");
  areas_.resize(areas.size());
  area_box_.resize(areas.size());
  // Parts of consecutive areas, each indexed on its own thread and then
  // appended in area order, so the index is the same as on one thread (all
  // English LSOAs: ~0.9 CPU-s, which the join waited for on one core).
  const size_t parts = std::clamp<size_t>(areas.size() / 1000, 1, size_t(std::max(threads, 1)));
  run_parts(parts, [&](size_t p) {
    for (size_t a = part_start(areas.size(), p, parts); a < part_start(areas.size(), p + 1, parts); ++a) {
      area_box_[a] = bounds(areas[a]);
      if (near && !near->may_hold_a_point(area_box_[a])) area_box_[a] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    }
  });
  std::vector<Built> built = reserved_parts(areas, parts);
  run_parts(parts, [&](size_t p) {
    for (size_t a = part_start(areas.size(), p, parts); a < part_start(areas.size(), p + 1, parts); ++a)
      build_area(int32_t(a), areas[a], built[p]);
  });
  edges_ = std::move(built[0].edges);
  band_start_ = std::move(built[0].band_start);
  band_edges_ = std::move(built[0].band_edges);
  for (size_t p = 1; p < parts; ++p)
    append_part(built[p], part_start(areas.size(), p, parts), part_start(areas.size(), p + 1, parts));
  build_grid(areas, parts);
}

// Each part's lists reserved up front (an edge per vertex at most; a band
// or two per edge): regrowing lists this long copied them and faulted their
// pages again. Part 0's lists become the index's own, so they are reserved
// for every area: the other parts are then appended without moving them.
std::vector<PointLocator::Built> PointLocator::reserved_parts(const std::vector<MultiPolygon>& areas,
                                                              size_t parts) const {
  std::vector<size_t> vertices(parts, 0);
  for (size_t p = 0; p < parts; ++p)
    for (size_t a = part_start(areas.size(), p, parts); a < part_start(areas.size(), p + 1, parts); ++a)
      if (indexed(a))
        for (const Polygon& poly : areas[a])
          for (const Ring& ring : poly) vertices[p] += ring.size();
  std::vector<Built> built(parts);
  for (size_t p = 0; p < parts; ++p) {
    const size_t n = p == 0 ? std::accumulate(vertices.begin(), vertices.end(), size_t{0}) : vertices[p];
    built[p].edges.reserve(n);
    built[p].band_edges.reserve(2 * n);
  }
  return built;
}

// False for an area left out (its bounds miss `near`) and for an empty one.
bool PointLocator::indexed(size_t a) const { return area_box_[a].min_x <= area_box_[a].max_x; }

void PointLocator::append_part(const Built& part, size_t first_area, size_t end_area) {
  // The part's offsets counted from its own start: shifted past what is already here.
  const uint32_t edge_base = uint32_t(edges_.size()), start_base = uint32_t(band_start_.size()),
                 band_edge_base = uint32_t(band_edges_.size());
  edges_.insert(edges_.end(), part.edges.begin(), part.edges.end());
  for (uint32_t s : part.band_start) band_start_.push_back(band_edge_base + s);
  for (uint32_t e : part.band_edges) band_edges_.push_back(edge_base + e);
  for (size_t a = first_area; a < end_area; ++a) areas_[a].band_offset += start_base;
}

int PointLocator::band_of(const AreaIndex& ai, double y) const {
  int b = static_cast<int>((y - ai.min_y) * ai.inv_band_h);
  return std::clamp(b, 0, ai.bands - 1);
}

void PointLocator::build_area(int32_t a, const MultiPolygon& mp, Built& into) {
  // This part's lists: edge and band offsets count from their start (append_part).
  std::vector<Edge>& edges = into.edges;
  std::vector<uint32_t>& band_start = into.band_start;
  std::vector<uint32_t>& band_edges = into.band_edges;
  AreaIndex& ai = areas_[size_t(a)];
  const Box& box = area_box_[size_t(a)];
  if (!indexed(size_t(a))) {  // contains() is false for every y; no bands
    ai.min_y = INFINITY;
    ai.max_y = -INFINITY;
    ai.bands = 0;
    ai.band_offset = static_cast<uint32_t>(band_start.size());
    return;
  }
  const size_t first_edge = edges.size();
  for (const Polygon& poly : mp)
    for (const Ring& ring : poly)
      for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        Point p = ring[j], q = ring[i];
        if (p.y == q.y) continue;        // horizontal edges never cross a ray
        if (p.y > q.y) std::swap(p, q);  // canonical: both sides compute alike
        edges.push_back({p.x, p.y, q.x, q.y});
      }
  const size_t n = edges.size() - first_edge;
  ai.min_y = box.min_y;
  ai.max_y = box.max_y;
  ai.bands = static_cast<int>(std::clamp<size_t>(n / 4, 1, 4096));
  const double h = box.max_y - box.min_y;
  ai.inv_band_h = h > 0 ? ai.bands / h : 0.0;
  ai.band_offset = static_cast<uint32_t>(band_start.size());
  // Two passes (count, fill) build the band -> edges lists in CSR form.
  std::vector<uint32_t> counts(size_t(ai.bands) + 1, 0);
  for (size_t e = first_edge; e < edges.size(); ++e)
    for (int b = band_of(ai, edges[e].y1); b <= band_of(ai, edges[e].y2); ++b) ++counts[size_t(b) + 1];
  uint32_t base = static_cast<uint32_t>(band_edges.size());
  for (int b = 0; b <= ai.bands; ++b) {
    if (b) counts[size_t(b)] += counts[size_t(b) - 1];
    band_start.push_back(base + counts[size_t(b)]);
  }
  band_edges.resize(base + counts[size_t(ai.bands)]);
  std::vector<uint32_t> fill(counts.begin(), counts.end() - 1);
  for (size_t e = first_edge; e < edges.size(); ++e)
    for (int b = band_of(ai, edges[e].y1); b <= band_of(ai, edges[e].y2); ++b)
      band_edges[base + fill[size_t(b)]++] = static_cast<uint32_t>(e);
}

bool PointLocator::contains(int32_t area, double x, double y) const {
  const AreaIndex& ai = areas_[size_t(area)];
  if (!(y >= ai.min_y && y <= ai.max_y)) return false;
  const int b = band_of(ai, y);
  const uint32_t* begin = band_edges_.data() + band_start_[ai.band_offset + uint32_t(b)];
  const uint32_t* end = band_edges_.data() + band_start_[ai.band_offset + uint32_t(b) + 1];
  bool inside = false;
  for (const uint32_t* it = begin; it != end; ++it) {
    const Edge& e = edges_[*it];
    // Half-open in y: counts edges with y1 <= y < y2 (see the header).
    if ((e.y1 > y) != (e.y2 > y)) {
      const double xint = e.x1 + (y - e.y1) * (e.x2 - e.x1) / (e.y2 - e.y1);
      if (x < xint) inside = !inside;
    }
  }
  return inside;
}

void PointLocator::cell_range(double lo, double hi, double origin, double inv, int n, int& first, int& last) const {
  first = std::clamp(static_cast<int>(std::floor((lo - origin) * inv)), 0, n - 1);
  last = std::clamp(static_cast<int>(std::floor((hi - origin) * inv)), 0, n - 1);
}

void PointLocator::build_grid(const std::vector<MultiPolygon>& areas, size_t parts) {
  Box all{INFINITY, INFINITY, -INFINITY, -INFINITY};
  size_t vertices = 0;
  for (size_t a = 0; a < areas.size(); ++a) {
    const Box& b = area_box_[a];
    if (!indexed(a)) continue;  // empty or left out
    all = {std::min(all.min_x, b.min_x), std::min(all.min_y, b.min_y), std::max(all.max_x, b.max_x),
           std::max(all.max_y, b.max_y)};
    for (const Polygon& p : areas[a])
      for (const Ring& r : p) vertices += r.size();
  }
  if (vertices == 0) return;  // nx_ == 0: every point is unmatched
  // About 4 cells per vertex: most cells then hold no edge at all.
  const double w = std::max(all.max_x - all.min_x, 1e-9), h = std::max(all.max_y - all.min_y, 1e-9);
  const double cells = std::clamp(4.0 * double(vertices), 1024.0, 4.0e6);
  const double cell = std::sqrt(w * h / cells);
  nx_ = std::max(1, static_cast<int>(std::ceil(w / cell)));
  ny_ = std::max(1, static_cast<int>(std::ceil(h / cell)));
  x0_ = all.min_x;
  y0_ = all.min_y;
  inv_cell_ = 1.0 / cell;
  // Conservative margin so a point on an edge always falls in a marked cell.
  const double eps = cell * 1e-9;

  // Entries are listed (cell, entry) in one flat list and then sorted into
  // CSR form by counting, keeping the list's order within each cell (areas
  // in index order: the lowest index wins an overlap). A vector per cell
  // (up to 4M of them, most holding one entry) cost a malloc per cell, its
  // page faults and a final copy: on all 32,844 English LSOAs that was ~40%
  // of building the grid.
  // Each part of the areas lists its own on its own thread; the lists are
  // then joined in area order (the order one thread would list them in).
  std::vector<std::vector<std::pair<uint32_t, Entry>>> lists(parts);
  run_parts(parts, [&](size_t p) {
    list_cells(areas, part_start(areas.size(), p, parts), part_start(areas.size(), p + 1, parts), eps, lists[p]);
  });
  std::vector<std::pair<uint32_t, Entry>>& listed = lists[0];
  for (size_t p = 1; p < parts; ++p) listed.insert(listed.end(), lists[p].begin(), lists[p].end());
  cell_start_.assign(size_t(nx_) * size_t(ny_) + 1, 0);
  for (const auto& [c, entry] : listed) ++cell_start_[c + 1];
  for (size_t c = 1; c < cell_start_.size(); ++c) cell_start_[c] += cell_start_[c - 1];
  std::vector<uint32_t> next(cell_start_.begin(), cell_start_.end() - 1);
  entries_.resize(listed.size());
  for (const auto& [c, entry] : listed) entries_[next[c]++] = entry;
}

void PointLocator::list_cells(const std::vector<MultiPolygon>& areas, size_t first, size_t end, double eps,
                              std::vector<std::pair<uint32_t, Entry>>& listed) const {
  std::vector<uint8_t> marked;
  for (size_t a = first; a < end; ++a) {
    const Box& b = area_box_[a];
    if (!indexed(a)) continue;
    int cx0, cx1, cy0, cy1;
    cell_range(b.min_x - eps, b.max_x + eps, x0_, inv_cell_, nx_, cx0, cx1);
    cell_range(b.min_y - eps, b.max_y + eps, y0_, inv_cell_, ny_, cy0, cy1);
    const int bw = cx1 - cx0 + 1, bh = cy1 - cy0 + 1;
    marked.assign(size_t(bw) * size_t(bh), 0);
    for (const Polygon& poly : areas[a])
      for (const Ring& ring : poly)
        for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
          int ex0, ex1, ey0, ey1;
          cell_range(std::min(ring[i].x, ring[j].x) - eps, std::max(ring[i].x, ring[j].x) + eps, x0_, inv_cell_, nx_,
                     ex0, ex1);
          cell_range(std::min(ring[i].y, ring[j].y) - eps, std::max(ring[i].y, ring[j].y) + eps, y0_, inv_cell_, ny_,
                     ey0, ey1);
          for (int cy = ey0; cy <= ey1; ++cy)
            for (int cx = ex0; cx <= ex1; ++cx) marked[size_t(cy - cy0) * size_t(bw) + size_t(cx - cx0)] = 1;
        }
    for (int cy = cy0; cy <= cy1; ++cy)
      for (int cx = cx0; cx <= cx1; ++cx) {
        bool partial = marked[size_t(cy - cy0) * size_t(bw) + size_t(cx - cx0)];
        const double mx = x0_ + (cx + 0.5) / inv_cell_, my = y0_ + (cy + 0.5) / inv_cell_;
        if (partial || contains(int32_t(a), mx, my))
          listed.push_back({uint32_t(size_t(cy) * size_t(nx_) + size_t(cx)), {int32_t(a), !partial}});
      }
  }
}

int32_t PointLocator::locate(double x, double y, int* hits) const {
  if (hits) *hits = 0;
  if (nx_ == 0) return -1;
  double fx = std::floor((x - x0_) * inv_cell_), fy = std::floor((y - y0_) * inv_cell_);
  // inv_cell_ is rounded, so a point just inside the east/north edge of the
  // grid can compute to index n; build_grid clamps the same way.
  if (fx == nx_) fx = nx_ - 1;
  if (fy == ny_) fy = ny_ - 1;
  // Also false for NaN.
  if (!(fx >= 0 && fy >= 0 && fx < nx_ && fy < ny_)) return -1;
  const size_t cell = size_t(fy) * size_t(nx_) + size_t(fx);
  int32_t found = -1;
  for (uint32_t i = cell_start_[cell]; i < cell_start_[cell + 1]; ++i) {
    const Entry& e = entries_[i];
    if (e.full || contains(e.area, x, y)) {
      if (!hits) return e.area;
      if (found < 0) found = e.area;
      ++*hits;
    }
  }
  return found;
}

}  // namespace hotspot::geo
