// RunSpecs for the change-over-time tests ([change]: cubes and change
// surfaces), shared by tests/pipeline/emerging_*_test.cpp and
// change*_test.cpp so each reads the same data the same way.
#pragma once

#include <string>

#include "common/specs.h"
#include "hotspot/pipeline.h"

namespace hotspot::testing {

// The Charnwood demo with an LSOA cube (All crime) and a 250 m grid cube.
inline RunSpec demo_with_cubes() {
  RunSpec spec = charnwood_spec();
  EmergingSpec lsoa;
  lsoa.name = "lsoa_all_crime";
  lsoa.layer = "lsoa";
  lsoa.categories = {"All crime"};
  EmergingSpec grid;
  grid.name = "grid_250m";
  grid.cell = 250;
  spec.emerging = {lsoa, grid};
  return spec;
}

// The Charnwood demo with one change surface: All crime, February 2019
// against January, 400 m quartic on 100 m cells over the beats.
inline RunSpec demo_with_change(int permutations) {
  RunSpec spec = charnwood_spec();
  spec.stats.enabled = false;
  spec.kde.bandwidth = 400;  // one kernel and one bandwidth for both periods
  spec.kde.cell = 100;
  spec.kde.study_layer = "beat";
  ChangeSurfaceSpec c;
  c.name = "all_crime";
  c.categories = {"All crime"};
  c.after = "month:2019-02";
  c.before = "previous_period";  // 2019-01
  c.permutations = permutations;
  c.seed = 7;
  spec.change_surfaces = {c};
  return spec;
}

// Chicago aggravated assaults 2010-2019 (../shared/data/chicago) on the
// police beats, without area statistics; the caller adds its cubes.
inline RunSpec chicago_assaults_on_beats() {
  RunSpec spec;
  spec.incidents = {chicago_assaults()};
  spec.areas = {area("beat", std::string(HOTSPOT_SHARED_DATA_DIR) + "/chicago/police_beats.geojson", "BEAT_NUM")};
  spec.stats.enabled = false;
  return spec;
}

// Whether a ledger warning holds `part`.
inline bool has_warning(const RunResult& r, const std::string& part) {
  for (const std::string& w : r.ledger.warnings)
    if (w.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace hotspot::testing
