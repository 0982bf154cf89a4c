// Writing a run's results: GeoPackage, GeoJSON per layer, CSV tables.
#pragma once

#include <string>
#include <vector>

#include "hotspot/pipeline.h"

namespace hotspot::pipeline {

// Writes <dir>/hotspot.gpkg, <dir>/geojson/<layer>.geojson (EPSG:4326,
// RFC 7946) and <dir>/csv/*.csv, staged and swapped into place only when all
// are complete. Returns the final paths. Throws OutputError.
std::vector<std::string> write_outputs(const RunSpec& spec, const RunResult& result);

// A column-name-safe form of a category: "Anti-social behaviour" ->
// "anti_social_behaviour".
std::string slug(const std::string& text);

}  // namespace hotspot::pipeline
