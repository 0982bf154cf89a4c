// The pipeline: read incidents and areas, join, count, write.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hotspot/areas.h"
#include "hotspot/counts.h"
#include "hotspot/errors.h"
#include "hotspot/incidents.h"
#include "hotspot/ledger.h"
#include "hotspot/run_spec.h"
#include "hotspot/surface.h"

namespace hotspot {

namespace stats {
struct StatsResult;  // src/stats/area_stats.h
struct Disclosure;   // src/stats/disclosure.h
}
namespace pipeline {
struct EmergingRun;  // src/pipeline/emerging_run.h
struct NearRepeatRun;  // src/pipeline/near_repeat_run.h
struct ChangeRun;    // src/pipeline/change_run.h
}

struct RunResult {
  std::string working_crs;          // e.g. "EPSG:27700"; always projected in metres
  std::string working_crs_reason;   // why it was chosen, in words
  std::string working_crs_label;    // for people: "EPSG:27700" or the CRS's full name
  IncidentTable incidents;
  std::vector<AreaLayer> layers;    // in RunSpec order
  std::vector<Assignment> assignments;  // one per layer
  std::vector<AreaCounts> counts;       // one per layer
  Ledger ledger;
  std::shared_ptr<const stats::StatsResult> stats;  // null when spec.stats.enabled is false
  std::shared_ptr<const stats::Disclosure> disclosure;  // public mode only: what is withheld
  std::vector<Surface> surfaces;        // heat maps (spec.kde.enabled)
  std::vector<std::shared_ptr<const pipeline::EmergingRun>> emerging;  // one per spec.emerging cube
  std::vector<std::shared_ptr<const pipeline::NearRepeatRun>> near_repeat;  // one per spec.near_repeat entry
  std::vector<std::shared_ptr<const pipeline::ChangeRun>> change;      // one per spec.change_surfaces entry
  std::vector<ContextLayer> context;    // [[context]] layers, clipped to the area layers' extent
  std::vector<std::string> outputs;     // files written
  std::vector<std::pair<std::string, double>> timings;  // stage -> seconds (wall clock)
  // spec.dry_run only: every problem found, each with the exit code it maps
  // to (2 config, 3 input, 4 output, 1 other), config problems first.
  std::vector<std::pair<int, std::string>> problems;
};

// Runs the whole pipeline. Throws InputError / ConfigError / OutputError.
// Deterministic for any spec.threads. With spec.dry_run it writes nothing
// and records every problem in RunResult::problems instead of throwing.
RunResult run_pipeline(const RunSpec& spec);

// What a dry run found, for a terminal: inputs and rows, CRS, layers (areas,
// extent, incidents matched), periods, heat-map grids, the outputs that
// would be written, then every problem.
std::string dry_run_report(const RunSpec& spec, const RunResult& result);

// The headline statistics table for a terminal (empty without statistics):
// previous/current/% variance per area of spec.table_layer (default: the last
// layer), the significance class counts, the areas flagged significantly
// higher, and the period caveats.
std::string headline_table(const RunResult& result, const StatsSpec& spec);

}  // namespace hotspot
