// Batch packs: one pack per area of a layer (e.g. every police beat), built
// in parallel from one shared read, join and statistics.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hotspot/run_spec.h"

namespace hotspot {

struct BatchSpec {
  std::string layer;               // area layer to split by, e.g. "beat"
  std::vector<std::string> areas;  // only these area codes ([] = all)
  std::string out;                 // folder for the packs and the index
  int jobs = 2;                    // packs built at once
  std::string maps_dir;            // QGIS styles and project template ("" = unstyled)
  // Writes a pack's run.toml: the configuration that reruns it, with paths
  // relative to the given folder (the pack's). The CLI owns the TOML format,
  // so it supplies this.
  std::function<std::string(const RunSpec&, const std::string& folder)> config_writer;
};

struct PackStatus {
  std::string code, name;  // the area
  std::string folder;      // relative to BatchSpec::out
  bool ok = false;
  std::string error;       // why the pack failed
  double seconds = 0;
};

struct BatchResult {
  std::vector<PackStatus> packs;  // in layer order
  int failed = 0;
  double seconds = 0;
};

// Builds every pack: <out>/<layer>_<code>/ with the run's outputs clipped to
// the area (heat maps smoothed with every incident within the radius of it,
// clipped to it), manifest.json, run.toml, QGIS styles and project, and
// briefing.html; then <out>/index.html and index.csv. A pack that fails is
// reported in its PackStatus and the index; the others are still built.
// on_pack (optional) is called as each pack finishes, with the number of
// packs in all, from worker threads.
// Throws ConfigError / InputError for what stops every pack (bad layer).
BatchResult run_batch(const RunSpec& spec, const BatchSpec& batch,
                      const std::function<void(const PackStatus&, size_t total)>& on_pack = {});

}  // namespace hotspot
