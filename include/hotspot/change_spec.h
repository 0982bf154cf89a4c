// ChangeSurfaceSpec: one change surface of the [change] config section
// ([[change.surfaces]], docs/config.md): two periods on one grid, with the
// kernel, bandwidth, cell, units and study area of [kde].
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hotspot {

struct ChangeSurfaceSpec {
  std::string name;                    // output name: change/<name>_difference.tif, ...
  std::vector<std::string> categories; // category or roll-up names ([] = all)
  std::string after;                   // period spec of the later period (required)
  std::string before = "previous_period";  // period spec, or "previous_period" / "previous_year" (of `after`)
  double floor = -1;                   // log ratio only where both per-month densities exceed this
                                       // (surface units per month); < 0 = one incident's kernel peak
                                       // spread over the longer period
  int permutations = 0;                // permutation test of the period labels: 0 = off
  int64_t seed = 1;                    // its random seed
  bool fdr = false;                    // also the Benjamini-Hochberg adjusted p (change/<name>_p_fdr.tif)
};

}  // namespace hotspot
