// Cocooning zones (docs/methods.md, "Near repeats"): after each qualifying
// incident, a disc of radius r around it, active from its time for W days.
// Per zone, the later incidents that fell inside it while it was active;
// overall, the share of incidents that fell inside an earlier zone (what
// cocooning after every incident could at most have reached: the
// prevention potential).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "hotspot/geometry.h"

namespace hotspot::cocoon {

struct Zone {
  uint32_t event = 0;            // index into the input
  int64_t start = 0, end = 0;    // minutes since 1970: [start, end), end = start + W days
  std::vector<uint32_t> later;   // events j with start < t_j < end and distance <= radius, by time
};

struct Result {
  double radius = 0;             // metres
  int days = 0;
  std::vector<Zone> zones;       // one per event, in input order
  int64_t events = 0;
  int64_t inside_earlier = 0;    // events inside at least one earlier zone while it was active
  double share() const { return events > 0 ? double(inside_earlier) / double(events) : 0.0; }
};

// x, y in metres; minute = time in minutes (every event dated). Euclidean
// distance, radius inclusive; an event at the very same minute is not
// "later". Throws std::invalid_argument on mismatched sizes, radius <= 0 or
// days < 1.
Result build(const std::vector<double>& x, const std::vector<double>& y, const std::vector<int64_t>& minute,
             double radius, int days);

// A disc as a polygon of `segments` vertices (closed ring, counter-clockwise).
MultiPolygon disc(double x, double y, double radius, int segments = 48);

}  // namespace hotspot::cocoon
