// The run's context layers ([[context]]): read once per run, clipped to the
// area layers' extent (with a margin), and stored in each output's
// GeoPackage clipped to that output's view. docs/config.md, [[context]].
#pragma once

#include <string>
#include <vector>

#include "hotspot/pipeline.h"

namespace hotspot::pipeline {

// The extent every map of the run can show: the study layer's areas when
// kde.study_layer is set, else every area layer's, grown by 5% of its
// larger side. All zero without layers.
Box context_extent(const RunSpec& spec, const std::vector<AreaLayer>& layers);

// spec.report.context read into the working CRS, clipped to context_extent.
std::vector<ContextLayer> read_context(const RunSpec& spec, const std::vector<AreaLayer>& layers,
                                       const std::string& working_crs);

}  // namespace hotspot::pipeline
