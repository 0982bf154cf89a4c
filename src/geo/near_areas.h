// Whether two areas come within a distance of each other: the test behind
// queen contiguity (geos_util.h adjacent_pairs), answered without GEOS.
#pragma once

#include "hotspot/geometry.h"

namespace hotspot::geo {

// True when the distance between `a` and `b` (0 where they overlap or one
// contains the other) is at most `tolerance`: what GEOS 3.11's
// DistanceWithin answers, computed the same way (GEOS's segment-to-segment
// distance, and its test of each polygon's first vertex against the other
// area), but only over the segments of each area that come within
// `tolerance` of the other's bounding box. `a_box` and `b_box` are the areas'
// bounds (geos_util.h bounds). Neither area may be empty.
bool areas_within(const MultiPolygon& a, const Box& a_box, const MultiPolygon& b, const Box& b_box, double tolerance);

}  // namespace hotspot::geo
