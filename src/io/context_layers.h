// Context layers ([[context]] in the config): the user's own roads, place
// names or patrol areas, read from any OGR source into the working CRS and
// clipped to the map extent, and written into a GeoPackage beside the run's
// layers (table context_<name>) so the pack's QGIS project can show them.
#pragma once

#include <string>
#include <vector>

#include "hotspot/context.h"
#include "hotspot/geometry.h"
#include "hotspot/run_spec.h"

namespace hotspot::io {

// Reads every spec, transformed to working_crs and clipped (GEOS, through
// OGR) to `clip`: features outside are left out, features across it cut.
// A multi-part geometry gives one part per member. Geometries of another
// kind than the spec's (a polygon in a "lines" layer) are drawn as their
// outline or vertices. Throws InputError naming the file (cannot open, no
// such layer, no CRS and none given, unknown label_field), ConfigError for
// a CRS PROJ cannot use.
std::vector<ContextLayer> read_context_layers(const std::vector<ContextSpec>& specs, const std::string& working_crs,
                                              const Box& clip);

// Adds table context_<name> to the GeoPackage gpkg_path for each layer
// (points, multilinestrings or multipolygons, a `label` field), keeping
// only features whose box meets `view`. Throws OutputError.
void write_context_layers(const std::string& gpkg_path, const std::vector<ContextLayer>& layers,
                          const std::string& working_crs, const Box& view);

}  // namespace hotspot::io
