#include "hotspot/cocoon.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "stats/close_pairs.h"

namespace hotspot::cocoon {

Result build(const std::vector<double>& x, const std::vector<double>& y, const std::vector<int64_t>& minute,
             double radius, int days) {
  if (x.size() != y.size() || x.size() != minute.size()) throw std::invalid_argument("cocoon: x, y and time differ in size");
  if (!(radius > 0) || !std::isfinite(radius)) throw std::invalid_argument("cocoon: radius must be > 0 metres");
  if (days < 1) throw std::invalid_argument("cocoon: days must be >= 1");
  Result out;
  out.radius = radius, out.days = days, out.events = int64_t(x.size());
  const int64_t window = int64_t(days) * 1440;
  out.zones.resize(x.size());
  for (size_t i = 0; i < x.size(); ++i) out.zones[i] = {uint32_t(i), minute[i], minute[i] + window, {}};
  // Every pair within the radius (inclusive: the band's upper edge is the
  // next double above it), through the same grid index as the Knox test.
  const knox::Bands within{{0, std::nextafter(radius, std::numeric_limits<double>::infinity())}};
  std::vector<char> inside(x.size(), 0);
  for (const knox::ClosePair& p : knox::close_pairs(x, y, within, knox::Metric::kEuclidean)) {
    const uint32_t first = minute[p.i] <= minute[p.j] ? p.i : p.j, second = first == p.i ? p.j : p.i;
    const int64_t gap = minute[second] - minute[first];
    if (gap <= 0 || gap >= window) continue;
    out.zones[first].later.push_back(second);
    inside[second] = 1;
  }
  for (Zone& z : out.zones)
    std::sort(z.later.begin(), z.later.end(),
              [&](uint32_t a, uint32_t b) { return minute[a] != minute[b] ? minute[a] < minute[b] : a < b; });
  out.inside_earlier = std::count(inside.begin(), inside.end(), char(1));
  return out;
}

MultiPolygon disc(double x, double y, double radius, int segments) {
  Ring ring;
  for (int k = 0; k < segments; ++k) {
    const double a = 2 * std::numbers::pi * k / segments;
    ring.push_back({x + radius * std::cos(a), y + radius * std::sin(a)});
  }
  ring.push_back(ring.front());
  return {{ring}};
}

}  // namespace hotspot::cocoon
