// Writing a run's results: GeoPackage, GeoJSON per layer, CSV tables.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hotspot/pipeline.h"
#include "io/out_table.h"
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
  // Work for `extra` that needs no file list (the front page's drawing),
  // run on a thread of its own while the files are written (on one
  // thread: once they are, before waiting for the GeoPackage). It may read
  // the run's result but write only what it owns. An exception from it is
  // thrown where `extra` would be called, so errors come in the same order
  // as if it ran there. It is given the statistics tables the outputs
  // write (pipeline::stats_tables of the run; a pack's clipped to its
  // area), alive until `extra` has run, so it need not build them again.
  std::function<void(const std::vector<io::OutTable>& stat_tables)> early;
  std::string gpkg_manifest;  // stored as GeoPackage metadata (HOTSPOT_MANIFEST)
};

// Before any work: throws ConfigError when spec.output.dir may not be
// written (io::check_output_target) or when two layer or surface names would
// name one file.
void check_outputs(const RunSpec& spec);

// Every table a run writes, built once for every writer (the files, PostGIS).
// Holds pointers into itself: neither copied nor moved.
struct OutputTables {
  std::vector<io::OutTable> areas, stat_tables, hotspots, emerging;
  // [near_repeat]: the whole run's; in an area pack, the layers' rows near
  // the pack's area (near_box) and the run's tables.
  std::vector<io::OutTable> near_layers, near_tables;
  std::optional<Box> near_box;
  io::OutTable incidents, rejects, disagreements, counts, summary, surface_params, emerging_params, change_params;
  std::vector<const io::OutTable*> layers;  // spatial, in the GeoPackage's order
  std::vector<const io::OutTable*> tables;  // attribute-only, in the GeoPackage's order
  OutputTables() = default;
  OutputTables(const OutputTables&) = delete;
  OutputTables& operator=(const OutputTables&) = delete;
};
void build_output_tables(const RunSpec& spec, const RunResult& result, const PackOptions* pack, OutputTables& out);

std::vector<std::string> write_outputs(const RunSpec& spec, const RunResult& result,
                                       const PackOptions* pack = nullptr);

// Area layers carry a column per category (n_<slug>, prev_/cur_/change_/pct_
// <slug>) for up to this many source categories. With more, a layer would
// pass GeoPackage's 2000-column limit (and no one can style 300 columns):
// the layers then carry the totals and roll-ups only, and every category
// stays in the long tables (counts_long, comparison_<layer>), which have no
// such limit. The run warns when this happens.
constexpr size_t kMaxCategoryColumns = 300;  // 6 columns each: 1,800 of 2,000

// A column-name-safe form of a category: "Anti-social behaviour" ->
// "anti_social_behaviour".
std::string slug(const std::string& text);

}  // namespace hotspot::pipeline
