// AreaLayer: one set of areas (beats, wards, LSOAs, custom zones).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotspot/geometry.h"

namespace hotspot {

struct AreaLayer {
  std::string name;                 // layer name, e.g. "beat", "lsoa"
  std::vector<std::string> code;    // unique area code, sorted ascending
  std::vector<std::string> label;   // human name ("" when none)
  std::vector<double> population;   // NaN where unknown; empty = no population
  std::vector<MultiPolygon> geometry;  // valid, in the working CRS
  // Per area, the same polygons in the source's own coordinates when the
  // source is lon/lat on WGS 84 (EPSG:4326 or OGC:CRS84; x = longitude) and
  // the area was neither repaired nor read from curves; an empty
  // MultiPolygon otherwise. Empty when no area has them. Lets lon/lat
  // outputs (GeoJSON) skip the working CRS -> EPSG:4326 round trip.
  std::vector<MultiPolygon> lonlat;
  int64_t repaired = 0;             // polygons made valid with GEOS MakeValid
  std::vector<std::string> repaired_codes;
  // For a layer dissolved from another: that layer's name, and per area the
  // indices of the areas it was made of (empty otherwise).
  std::string dissolved_from;
  std::vector<std::vector<int32_t>> parts;

  size_t size() const { return code.size(); }
  bool has_population() const { return !population.empty(); }
};

// Area index per incident for one layer; kUnmatched when outside every area.
struct Assignment {
  static constexpr int32_t kUnmatched = -1;
  std::string layer;
  std::vector<int32_t> area;
};

}  // namespace hotspot
