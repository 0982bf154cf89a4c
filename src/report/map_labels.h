// Area labels for a map: each area's code written at a point inside it
// (GEOS PointOnSurface), with a white halo so it reads over a heat map.
#pragma once

#include <string>

#include "hotspot/areas.h"
#include "report/svg_map.h"

namespace hotspot::report {

// SVG <text> elements (class "area-label", see area_label_css()) for every
// area of `layer` whose label point falls inside the frame.
std::string area_labels_svg(const AreaLayer& layer, const SvgFrame& f);
const char* area_label_css();

// svg with `extra` drawn last, just before its closing </svg>.
std::string svg_with(const std::string& svg, const std::string& extra);

}  // namespace hotspot::report
