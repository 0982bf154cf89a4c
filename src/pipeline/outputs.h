// Writing a run's results: GeoPackage, GeoJSON per layer, CSV tables.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hotspot/pipeline.h"
#include "io/output_dir.h"

namespace hotspot::pipeline {

// Writes <dir>/hotspot.gpkg, <dir>/geojson/<layer>.geojson (EPSG:4326,
// RFC 7946) and <dir>/csv/*.csv, staged and swapped into place only when all
// are complete. Returns the final paths. Throws OutputError.
// A pack (hotspot batch): the outputs of one area of a layer.
struct PackOptions {
  std::string layer;      // the pack's layer ("beat")
  int32_t area = -1;      // the pack's area index in that layer
  // Called with the staging folder before it is put in place, to add files
  // (briefing, manifest, styles); relative names already written are given.
  std::function<void(const io::StagedOutput&, std::vector<std::string>& written)> extra;
  std::string gpkg_manifest;  // stored as GeoPackage metadata (HOTSPOT_MANIFEST)
};

// Before any work: throws ConfigError when spec.output.dir may not be
// written (io::check_output_target) or when two layer or surface names would
// name one file.
void check_outputs(const RunSpec& spec);

std::vector<std::string> write_outputs(const RunSpec& spec, const RunResult& result,
                                       const PackOptions* pack = nullptr);

// A column-name-safe form of a category: "Anti-social behaviour" ->
// "anti_social_behaviour".
std::string slug(const std::string& text);

}  // namespace hotspot::pipeline
