// Polygon repair and dissolve on the GEOS C API (re-entrant _r functions,
// one context per call so callers may use these from several threads).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "hotspot/geometry.h"

namespace hotspot::geo {

struct RepairResult {
  MultiPolygon geometry;   // valid; only the polygonal parts are kept
  bool repaired = false;   // the input was invalid and MakeValid ran
  std::string reason;      // GEOS's validity reason when repaired
};

// Checks validity (GEOSisValidDetail) and repairs with GEOSMakeValid.
// Throws std::runtime_error if GEOS fails. Taken by value: a valid area
// (nearly all) is moved into the result, not copied (all English LSOAs:
// 1.86M points copied and their pages faulted on reading).
RepairResult repair(MultiPolygon polygons);

// Unions the parts into one valid multipolygon (GEOSUnaryUnion).
MultiPolygon dissolve(const std::vector<const MultiPolygon*>& parts);

// Planar area in CRS units squared.
double area(const MultiPolygon& polygons);

// A point inside each area (GEOS PointOnSurface; for an empty area NaN, NaN).
std::vector<Point> interior_points(const std::vector<MultiPolygon>& areas);

Box bounds(const MultiPolygon& polygons);

// Pairs (i < j) of areas whose boundaries come within `tolerance` of each
// other (queen contiguity; the tolerance bridges the slivers that
// generalised boundaries leave between neighbours). Sorted; the same for any
// `threads` (>= 1 worker threads).
std::vector<std::pair<uint32_t, uint32_t>> adjacent_pairs(const std::vector<MultiPolygon>& areas, double tolerance,
                                                          int threads = 1);

}  // namespace hotspot::geo
