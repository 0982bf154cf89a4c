// Plain geometry values shared by the public API. Coordinates are in the
// run's working CRS (metres) unless a comment says otherwise.
#pragma once

#include <vector>

namespace hotspot {

struct Point {
  double x = 0.0;  // easting (or longitude in a geographic CRS)
  double y = 0.0;  // northing (or latitude)
};

// A closed ring; the first point is not repeated at the end.
using Ring = std::vector<Point>;
// rings[0] is the outer ring, the others are holes.
using Polygon = std::vector<Ring>;
using MultiPolygon = std::vector<Polygon>;

struct Box {
  double min_x = 0.0, min_y = 0.0, max_x = 0.0, max_y = 0.0;
};

}  // namespace hotspot
