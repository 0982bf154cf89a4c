// Context layers: features from the user's own files ([[context]] in the
// config: roads, place names, patrol areas...) drawn on the briefing maps
// and stored in the packs, in the working CRS.
#pragma once

#include <string>
#include <vector>

#include "hotspot/geometry.h"

namespace hotspot {

enum class ContextKind { kPoints, kLines, kPolygons };

// One feature: a point is one part of one point; a line one part per
// linestring; a polygon one part per ring (drawn even-odd, so holes stay).
struct ContextFeature {
  std::string label;                     // the label_field's text ("" = none)
  std::vector<std::vector<Point>> parts;  // working CRS, metres
};

struct ContextLayer {
  std::string name;  // from the config ("roads")
  ContextKind kind = ContextKind::kLines;
  std::vector<ContextFeature> features;
};

}  // namespace hotspot
