// Outputs of the [[change.surfaces]] (docs/config.md, [change]):
//   change/<name>_difference.tif  bands: after - before, before, after (per month, surface units)
//   change/<name>_log_ratio.tif   ln(after / before) where both exceed the floor (NaN elsewhere)
//   change/<name>_p.tif           permutation p per cell (only with permutations > 0)
//   change/<name>_p_fdr.tif       the same p, Benjamini-Hochberg adjusted (only with fdr = true)
//   table change_parameters       every choice and figure of every change surface
// Styles (.qml beside each) come from report/change_styles.h.
#pragma once

#include <string>
#include <vector>

#include "hotspot/pipeline.h"
#include "io/out_table.h"
#include "io/output_dir.h"
#include "report/qgis_context.h"

namespace hotspot::pipeline {

io::OutTable change_parameters(const RunResult& r);
// The GeoTIFFs; returns relative paths.
std::vector<std::string> write_change_files(const io::StagedOutput& staged, const RunResult& r);

// The change rasters for the QGIS project, from the styles written beside
// them (report::write_change_styles: "change/<stem>.qml", read from `dir`):
// named "<surface>: after - before per month" and so on; the difference
// shown (ticked) only when `show_difference` (a folder without heat maps).
std::vector<report::ProjectRaster> change_project_rasters(const std::string& dir, const RunResult& r,
                                                          const std::vector<std::string>& qmls, bool show_difference);

}  // namespace hotspot::pipeline
