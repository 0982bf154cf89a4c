// Heat maps for a run: one Surface per KdeSpec surface (category x period),
// each with its KDE grid, cell counts, Gi* and hotspot areas.
#pragma once

#include <vector>

#include "hotspot/pipeline.h"

namespace hotspot::pipeline {

// Resolves bandwidth and cell by rule where not given (stated in each
// surface's parameters), builds the grid on the study area (clipped to it)
// or on the data extent + R. Throws ConfigError for an unknown layer, area,
// category or period.
std::vector<Surface> build_surfaces(const RunSpec& spec, const RunResult& result);

}  // namespace hotspot::pipeline
