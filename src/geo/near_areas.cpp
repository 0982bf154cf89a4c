// Hand-written rather than GEOS's GEOSPreparedDistanceWithin because GEOS
// 3.11 answers it with a brute-force DistanceOp over every pair of segments
// of the two areas, run to the end when they are not neighbours: on the
// national LSOAs (boxes that overlap, no shared vertex) that was most of the
// contiguity's time. (GEOS 3.12 indexes it; Debian 12 has 3.11.) The
// arithmetic is GEOS's own (algorithm/Distance.cpp, DistanceOp.cpp), so the
// answers are the same; tests/geo/near_areas_test.cpp checks them against
// GEOS on every pair of real LSOAs.
#include "geo/near_areas.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hotspot::geo {
namespace {

struct Segment {
  Point p, q;
};

// GEOS Distance::pointToSegment.
double point_to_segment(const Point& p, const Point& a, const Point& b) {
  if (a.x == b.x && a.y == b.y) return std::hypot(p.x - a.x, p.y - a.y);
  const double len2 = (b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y);
  const double r = ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / len2;
  if (r <= 0.0) return std::hypot(p.x - a.x, p.y - a.y);
  if (r >= 1.0) return std::hypot(p.x - b.x, p.y - b.y);
  const double s = ((a.y - p.y) * (b.x - a.x) - (a.x - p.x) * (b.y - a.y)) / len2;
  return std::fabs(s) * std::sqrt(len2);
}

// GEOS Distance::segmentToSegment: 0 when the segments cross.
double segment_to_segment(const Point& a, const Point& b, const Point& c, const Point& d) {
  if (a.x == b.x && a.y == b.y) return point_to_segment(a, c, d);
  if (c.x == d.x && c.y == d.y) return point_to_segment(d, a, b);
  bool apart = false;
  if (std::max(a.x, b.x) < std::min(c.x, d.x) || std::min(a.x, b.x) > std::max(c.x, d.x) ||
      std::max(a.y, b.y) < std::min(c.y, d.y) || std::min(a.y, b.y) > std::max(c.y, d.y)) {
    apart = true;
  } else {
    const double denom = (b.x - a.x) * (d.y - c.y) - (b.y - a.y) * (d.x - c.x);
    if (denom == 0) {
      apart = true;
    } else {
      const double r_num = (a.y - c.y) * (d.x - c.x) - (a.x - c.x) * (d.y - c.y);
      const double s_num = (a.y - c.y) * (b.x - a.x) - (a.x - c.x) * (b.y - a.y);
      const double s = s_num / denom, r = r_num / denom;
      if (r < 0 || r > 1 || s < 0 || s > 1) apart = true;
    }
  }
  if (!apart) return 0.0;
  return std::min(point_to_segment(a, c, d),
                  std::min(point_to_segment(b, c, d), std::min(point_to_segment(c, a, b), point_to_segment(d, a, b))));
}

// The segments of `mp` (rings closed) whose own boxes come within `t` of `box`.
void segments_near(const MultiPolygon& mp, const Box& box, double t, std::vector<Segment>& out) {
  out.clear();
  for (const Polygon& poly : mp)
    for (const Ring& ring : poly)
      for (size_t i = 0; i < ring.size(); ++i) {
        const Point& p = ring[i];
        const Point& q = ring[i + 1 == ring.size() ? 0 : i + 1];
        if (std::max(p.x, q.x) < box.min_x - t || std::min(p.x, q.x) > box.max_x + t ||
            std::max(p.y, q.y) < box.min_y - t || std::min(p.y, q.y) > box.max_y + t)
          continue;
        out.push_back({p, q});
      }
}

// Even-odd crossing test of `p` against one polygon (its shell and holes).
bool inside(const Point& p, const Polygon& poly) {
  bool in = false;
  for (const Ring& ring : poly)
    for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      const Point& a = ring[i];
      const Point& b = ring[j];
      if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) in = !in;
    }
  return in;
}

// GEOS's containment step: a polygon's first vertex inside the other area
// puts them at distance 0. (On the boundary the segments already meet.)
bool first_vertex_inside(const MultiPolygon& a, const MultiPolygon& b, const Box& b_box) {
  for (const Polygon& pa : a) {
    const Point& p = pa[0][0];
    if (p.x < b_box.min_x || p.x > b_box.max_x || p.y < b_box.min_y || p.y > b_box.max_y) continue;
    for (const Polygon& pb : b)
      if (inside(p, pb)) return true;
  }
  return false;
}

}  // namespace

bool areas_within(const MultiPolygon& a, const Box& a_box, const MultiPolygon& b, const Box& b_box, double tolerance) {
  // Reused per thread: the segments near the other area's box.
  thread_local std::vector<Segment> sa, sb;
  segments_near(a, b_box, tolerance, sa);
  if (!sa.empty()) {
    segments_near(b, a_box, tolerance, sb);
    // A segment of `a` further than `tolerance` from b's box is further
    // than that from every segment of b, so only these pairs can decide.
    // Sorted by their left end, a sweep stops at the first segment of b
    // that starts beyond the reach of the segment of a.
    auto left = [](const Segment& s) { return std::min(s.p.x, s.q.x); };
    std::sort(sb.begin(), sb.end(), [&](const Segment& x, const Segment& y) { return left(x) < left(y); });
    for (const Segment& s : sa) {
      const double reach = std::max(s.p.x, s.q.x) + tolerance;
      const double s_min_x = left(s) - tolerance, s_min_y = std::min(s.p.y, s.q.y) - tolerance,
                   s_max_y = std::max(s.p.y, s.q.y) + tolerance;
      for (const Segment& o : sb) {
        if (left(o) > reach) break;
        if (std::max(o.p.x, o.q.x) < s_min_x || std::max(o.p.y, o.q.y) < s_min_y || std::min(o.p.y, o.q.y) > s_max_y)
          continue;
        if (segment_to_segment(s.p, s.q, o.p, o.q) <= tolerance) return true;
      }
    }
  }
  return first_vertex_inside(a, b, b_box) || first_vertex_inside(b, a, a_box);
}

}  // namespace hotspot::geo
