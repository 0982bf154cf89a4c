// Heat maps for a run: one Surface per KdeSpec surface (category x period),
// each with its KDE grid, cell counts, Gi* and hotspot areas.
#pragma once

#include <vector>

#include "hotspot/pipeline.h"

namespace hotspot::pipeline {

// Resolves bandwidth and cell by rule where not given (stated in each
// surface's parameters), builds the grid on the study area (clipped to it)
// or on the data extent + R. Throws ConfigError for an unknown layer, area,
// category or period. Without `hotspot_shapes` each hotspot area's geometry
// is left empty (everything else the same): see hotspot_shapes_shown.
std::vector<Surface> build_surfaces(const RunSpec& spec, const RunResult& result, bool hotspot_shapes = true);

// Whether any output of this run stores or draws the hotspot areas' shapes:
// the GeoPackage (and the QGIS project on it), GeoJSON, CSV, the front page,
// PostGIS. False only for a run that writes outputs and none of these (a
// GeoTIFF-only heat map): its hotspots need counting (the GeoTIFF's
// hotspots_found), not polygonising. A run without an output folder (the
// library's callers, dry runs) keeps them.
bool hotspot_shapes_shown(const RunSpec& spec);

}  // namespace hotspot::pipeline
