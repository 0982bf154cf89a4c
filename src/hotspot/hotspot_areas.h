// Hotspot areas ("areas of concern"): the cells of a surface above a
// threshold, joined 8-connected into polygons (holes kept), ranked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotspot/geometry.h"
#include "hotspot/grid.h"
#include "hotspot/incidents.h"
#include "hotspot/surface.h"

namespace hotspot::kde {

using hotspot::HotspotArea;

// The value above which `percent` % of the surface's valid (non-NaN) cells
// lie; never below the smallest positive value (zero cells are no hotspot).
double top_percent_threshold(const Grid& surface, double percent);

// Cells >= threshold (and > 0) as 8-connected areas, polygonised with GDAL
// and repaired with GEOS; `used[i]` says whether incident i is part of the
// surface. Sorted by peak, highest first. `members`, when given, receives
// the indices of the used incidents inside each area (ascending, in the
// order of the returned areas). Without `with_geometry` the areas are the
// same but for an empty `geometry`: no polygonising nor repair, for runs
// whose outputs show no hotspot shapes.
std::vector<HotspotArea> hotspot_areas(const Grid& surface, double threshold, const IncidentTable& incidents,
                                       const std::vector<bool>& used,
                                       std::vector<std::vector<uint32_t>>* members = nullptr,
                                       bool with_geometry = true);

}  // namespace hotspot::kde
