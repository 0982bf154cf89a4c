// What a run's QGIS project opens on and prints (issue 9): the view extent
// (a pack's area, a borough run's study area) and the print layouts' text
// (report/qgis_layouts.h), worked out from the run.
#pragma once

#include <optional>

#include "hotspot/pipeline.h"
#include "pipeline/outputs.h"
#include "report/qgis_layouts.h"

namespace hotspot::pipeline {

// The extent the project opens on, in the project's CRS (British National
// Grid, maps/pack.qgs): a pack's area, else the study area (kde.study_layer,
// its kde.study_area if set), else every area of the last layer; with a 5%
// margin. None when the run has no areas or the extent cannot be
// transformed into the project's CRS.
std::optional<Box> project_view(const RunSpec& spec, const RunResult& r, const PackOptions* pack);

// The layouts' title, period, marking, attribution year and extent. A
// borough run (no pack) gets an atlas over stats.table_layer (else the last
// area layer).
report::LayoutInfo layout_info(const RunSpec& spec, const RunResult& r, const PackOptions* pack, const Box& view);

}  // namespace hotspot::pipeline
