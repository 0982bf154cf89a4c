// The pipeline: read incidents and areas, join, count, write.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "hotspot/areas.h"
#include "hotspot/counts.h"
#include "hotspot/incidents.h"
#include "hotspot/ledger.h"
#include "hotspot/run_spec.h"

namespace hotspot {

// Errors that end a run. The CLI maps each kind to an exit code.
struct InputError : std::runtime_error { using std::runtime_error::runtime_error; };
struct ConfigError : std::runtime_error { using std::runtime_error::runtime_error; };
struct OutputError : std::runtime_error { using std::runtime_error::runtime_error; };

struct RunResult {
  std::string working_crs;          // e.g. "EPSG:27700"
  IncidentTable incidents;
  std::vector<AreaLayer> layers;    // in RunSpec order
  std::vector<Assignment> assignments;  // one per layer
  std::vector<AreaCounts> counts;       // one per layer
  Ledger ledger;
  std::vector<std::string> outputs;     // files written
};

// Runs the whole pipeline. Throws InputError / ConfigError / OutputError.
// Deterministic for any spec.threads.
RunResult run_pipeline(const RunSpec& spec);

}  // namespace hotspot
