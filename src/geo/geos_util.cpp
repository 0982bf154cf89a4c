#include "geo/geos_util.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>

#include <geos_c.h>

#include "geo/near_areas.h"

namespace hotspot::geo {
namespace {

// One GEOS context with its last error message captured.
class Context {
 public:
  Context() : handle_(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(handle_, &Context::on_error, this);
  }
  ~Context() { GEOS_finish_r(handle_); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  GEOSContextHandle_t get() const { return handle_; }
  [[noreturn]] void fail(const char* what) const {
    throw std::runtime_error(std::string("GEOS ") + what + " failed: " + message_);
  }

 private:
  static void on_error(const char* message, void* self) { static_cast<Context*>(self)->message_ = message; }
  GEOSContextHandle_t handle_;
  std::string message_;
};

struct GeomDeleter {
  GEOSContextHandle_t ctx;
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(ctx, g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

GEOSGeometry* make_ring(const Context& c, const Ring& ring) {
  const unsigned n = static_cast<unsigned>(ring.size());
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(c.get(), n + 1, 2);
  if (!seq) c.fail("CoordSeq_create");
  for (unsigned i = 0; i <= n; ++i) {
    const Point& p = ring[i % n];  // close the ring
    GEOSCoordSeq_setXY_r(c.get(), seq, i, p.x, p.y);
  }
  GEOSGeometry* g = GEOSGeom_createLinearRing_r(c.get(), seq);
  if (!g) c.fail("createLinearRing");
  return g;
}

GeomPtr to_geos(const Context& c, const MultiPolygon& mp) {
  std::vector<GEOSGeometry*> polys;
  for (const Polygon& poly : mp) {
    if (poly.empty() || poly[0].size() < 3) continue;
    GEOSGeometry* shell = make_ring(c, poly[0]);
    std::vector<GEOSGeometry*> holes;
    for (size_t i = 1; i < poly.size(); ++i)
      if (poly[i].size() >= 3) holes.push_back(make_ring(c, poly[i]));
    GEOSGeometry* p = GEOSGeom_createPolygon_r(c.get(), shell, holes.data(), unsigned(holes.size()));
    if (!p) c.fail("createPolygon");
    polys.push_back(p);
  }
  GEOSGeometry* g = GEOSGeom_createCollection_r(c.get(), GEOS_MULTIPOLYGON, polys.data(), unsigned(polys.size()));
  if (!g) c.fail("createCollection");
  return GeomPtr(g, GeomDeleter{c.get()});
}

Ring read_ring(const Context& c, const GEOSGeometry* ring) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(c.get(), ring);
  unsigned n = 0;
  GEOSCoordSeq_getSize_r(c.get(), seq, &n);
  Ring out;
  for (unsigned i = 0; i + 1 < n; ++i) {  // drop the closing point
    Point p;
    GEOSCoordSeq_getXY_r(c.get(), seq, i, &p.x, &p.y);
    out.push_back(p);
  }
  return out;
}

// Appends every polygon found in g (recursing into collections).
void collect_polygons(const Context& c, const GEOSGeometry* g, MultiPolygon& out) {
  int type = GEOSGeomTypeId_r(c.get(), g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(c.get(), g)) return;
    Polygon poly;
    poly.push_back(read_ring(c, GEOSGetExteriorRing_r(c.get(), g)));
    int holes = GEOSGetNumInteriorRings_r(c.get(), g);
    for (int i = 0; i < holes; ++i) poly.push_back(read_ring(c, GEOSGetInteriorRingN_r(c.get(), g, i)));
    out.push_back(std::move(poly));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    int n = GEOSGetNumGeometries_r(c.get(), g);
    for (int i = 0; i < n; ++i) collect_polygons(c, GEOSGetGeometryN_r(c.get(), g, i), out);
  }
  // Points and lines left by MakeValid on collapsed parts have no area.
}

}  // namespace

RepairResult repair(MultiPolygon polygons) {
  Context c;
  GeomPtr g = to_geos(c, polygons);
  RepairResult out;
  char* reason = nullptr;
  GEOSGeometry* location = nullptr;
  char valid = GEOSisValidDetail_r(c.get(), g.get(), 0, &reason, &location);
  if (valid == 2) c.fail("isValidDetail");
  if (location) GEOSGeom_destroy_r(c.get(), location);
  if (valid == 1) {
    g.reset();  // (GEOS holds its own copy of the points)
    out.geometry = std::move(polygons);
    return out;
  }
  out.repaired = true;
  out.reason = reason ? reason : "invalid";
  GEOSFree_r(c.get(), reason);
  // The "structure" method keeps the union of overlapping parts (features
  // sharing a code are merged into one multipolygon); the default
  // "linework" method would turn overlaps into holes by ring parity.
  GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(c.get());
  GEOSMakeValidParams_setMethod_r(c.get(), params, GEOS_MAKE_VALID_STRUCTURE);
  GEOSMakeValidParams_setKeepCollapsed_r(c.get(), params, 0);
  GeomPtr fixed(GEOSMakeValidWithParams_r(c.get(), g.get(), params), GeomDeleter{c.get()});
  GEOSMakeValidParams_destroy_r(c.get(), params);
  if (!fixed) c.fail("MakeValid");
  collect_polygons(c, fixed.get(), out.geometry);
  return out;
}

MultiPolygon dissolve(const std::vector<const MultiPolygon*>& parts) {
  Context c;
  MultiPolygon all;
  for (const MultiPolygon* p : parts) all.insert(all.end(), p->begin(), p->end());
  GeomPtr g = to_geos(c, all);
  GeomPtr u(GEOSUnaryUnion_r(c.get(), g.get()), GeomDeleter{c.get()});
  if (!u) c.fail("UnaryUnion");
  MultiPolygon out;
  collect_polygons(c, u.get(), out);
  return out;
}

std::vector<Point> interior_points(const std::vector<MultiPolygon>& areas) {
  Context c;
  std::vector<Point> out;
  out.reserve(areas.size());
  for (const MultiPolygon& mp : areas) {
    if (mp.empty()) {
      out.push_back({NAN, NAN});
      continue;
    }
    GeomPtr g = to_geos(c, mp);
    GeomPtr p(GEOSPointOnSurface_r(c.get(), g.get()), GeomDeleter{c.get()});
    if (!p) c.fail("PointOnSurface");
    double x = NAN, y = NAN;
    if (GEOSGeomGetX_r(c.get(), p.get(), &x) != 1 || GEOSGeomGetY_r(c.get(), p.get(), &y) != 1) c.fail("GeomGetX/Y");
    out.push_back({x, y});
  }
  return out;
}

double area(const MultiPolygon& polygons) {
  double total = 0;
  for (const Polygon& poly : polygons) {
    for (size_t r = 0; r < poly.size(); ++r) {
      const Ring& ring = poly[r];
      double a = 0;  // shoelace
      for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        a += (ring[j].x * ring[i].y - ring[i].x * ring[j].y);
      total += (r == 0 ? 1 : -1) * std::fabs(a) / 2;
    }
  }
  return total;
}

namespace {

using Pair = std::pair<uint32_t, uint32_t>;

// Pairs of areas with a vertex in common, exactly (one sort of every
// vertex). Generalised boundaries of one source share their vertices, so
// this finds almost every neighbour without GEOS; a shared vertex is
// distance 0, so GEOS would say "within" for each of these pairs too.
// On two threads (threads > 1) the vertices' two halves are sorted side by
// side and merged: vertices equal under the order are equal in x, y and
// area, so the groups, and the pairs, are those of one sort. (All English
// LSOAs: 1.86M vertices, the contiguity's longest stretch on one core.)
std::vector<Pair> sharing_a_vertex(const std::vector<MultiPolygon>& areas, int threads) {
  struct Vertex {
    double x, y;
    uint32_t area;
  };
  size_t vertices = 0;
  for (const MultiPolygon& mp : areas)
    for (const Polygon& poly : mp)
      for (const Ring& ring : poly) vertices += ring.size();
  std::vector<Vertex> all;
  all.reserve(vertices);  // no regrowth copies of a list this long
  for (uint32_t a = 0; a < areas.size(); ++a)
    for (const Polygon& poly : areas[a])
      for (const Ring& ring : poly)
        for (const Point& p : ring) all.push_back({p.x, p.y, a});
  auto less = [](const Vertex& a, const Vertex& b) {
    return a.x != b.x ? a.x < b.x : a.y != b.y ? a.y < b.y : a.area < b.area;
  };
  if (threads > 1 && all.size() >= 100000) {
    const auto mid = all.begin() + std::ptrdiff_t(all.size() / 2);
    std::thread first([&] { std::sort(all.begin(), mid, less); });
    std::sort(mid, all.end(), less);
    first.join();
    std::inplace_merge(all.begin(), mid, all.end(), less);
  } else {
    std::sort(all.begin(), all.end(), less);
  }
  std::vector<Pair> out;
  for (size_t g = 0; g < all.size();) {
    size_t e = g + 1;
    while (e < all.size() && all[e].x == all[g].x && all[e].y == all[g].y) ++e;
    for (size_t i = g; i < e; ++i)
      for (size_t j = i + 1; j < e; ++j)
        if (all[i].area != all[j].area) out.push_back({all[i].area, all[j].area});  // sorted: i's area < j's
    g = e;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::vector<std::pair<uint32_t, uint32_t>> adjacent_pairs(const std::vector<MultiPolygon>& areas, double tolerance,
                                                          int threads) {
  std::vector<Box> boxes;
  for (const MultiPolygon& mp : areas) boxes.push_back(bounds(mp));
  const std::vector<Pair> shared = sharing_a_vertex(areas, threads);
  // Sweep along x over the boxes; the candidates without a shared vertex are
  // tested with areas_within (near_areas.h: GEOS's distance arithmetic over
  // the segments near the other area only), on `threads` threads. Every
  // thread takes every k-th area of the sweep, and the pairs are sorted at
  // the end: the same list for any thread count.
  std::vector<uint32_t> order(areas.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return boxes[a].min_x < boxes[b].min_x; });
  const size_t parts = std::max<size_t>(1, std::min<size_t>(size_t(std::max(threads, 1)), areas.size() / 2000 + 1));
  std::vector<std::vector<Pair>> found(parts);
  std::vector<std::string> failures(parts);
  auto work = [&](size_t part) {
    try {
      for (size_t oi = part; oi < order.size(); oi += parts) {
        const uint32_t i = order[oi];
        if (areas[i].empty()) continue;
        for (size_t oj = oi + 1; oj < order.size(); ++oj) {
          const uint32_t j = order[oj];
          if (boxes[j].min_x > boxes[i].max_x + tolerance) break;
          if (areas[j].empty() || boxes[j].min_y > boxes[i].max_y + tolerance ||
              boxes[j].max_y < boxes[i].min_y - tolerance)
            continue;
          const Pair p{std::min(i, j), std::max(i, j)};
          if (std::binary_search(shared.begin(), shared.end(), p)) continue;
          if (areas_within(areas[i], boxes[i], areas[j], boxes[j], tolerance)) found[part].push_back(p);
        }
      }
    } catch (const std::exception& e) {
      failures[part] = e.what();
    }
  };
  std::vector<std::thread> pool;
  for (size_t p = 1; p < parts; ++p) pool.emplace_back(work, p);
  work(0);
  for (std::thread& t : pool) t.join();
  for (const std::string& f : failures)
    if (!f.empty()) throw std::runtime_error(f);
  std::vector<Pair> out = shared;
  for (const std::vector<Pair>& f : found) out.insert(out.end(), f.begin(), f.end());
  std::sort(out.begin(), out.end());
  return out;
}

Box bounds(const MultiPolygon& polygons) {
  const double inf = std::numeric_limits<double>::infinity();
  Box b{inf, inf, -inf, -inf};
  for (const Polygon& poly : polygons)
    for (const Ring& ring : poly)
      for (const Point& p : ring) {
        b.min_x = std::min(b.min_x, p.x);
        b.min_y = std::min(b.min_y, p.y);
        b.max_x = std::max(b.max_x, p.x);
        b.max_y = std::max(b.max_y, p.y);
      }
  return b;
}

}  // namespace hotspot::geo
