// The emerging hot spot categories of a run's space-time cubes
// ([[change.cubes]]) for the briefings: per cube, a map of its locations
// coloured by category (the colours of maps/emerging.qml) and a table of
// the locations by category. Inline SVG + HTML, self-contained.
#pragma once

#include <string>

#include "hotspot/geometry.h"
#include "hotspot/pipeline.h"

namespace hotspot::report {

// The map's fill for a category ("no pattern": none), as maps/emerging.qml.
std::string pattern_colour(const std::string& category);

// Every cube of r: "<h3>", the map and the table. With `focus` (a pack's
// area), area cubes only, and only locations whose box meets it (and the map framed on it, its
// outline drawn from `focus_layer` area `focus_area`). "" when r has no cube.
std::string emerging_html(const RunResult& r, const Box* focus = nullptr, const AreaLayer* focus_layer = nullptr,
                          int focus_area = -1);

}  // namespace hotspot::report
