// Outputs of the [[change.surfaces]] (docs/config.md, [change]):
//   change/<name>_difference.tif  bands: after - before, before, after (per month, surface units)
//   change/<name>_log_ratio.tif   ln(after / before) where both exceed the floor (NaN elsewhere)
//   change/<name>_p.tif           permutation p per cell (only with permutations > 0)
//   table change_parameters       every choice and figure of every change surface
// Styles (.qml beside each) come from report/change_styles.h.
#pragma once

#include <string>
#include <vector>

#include "hotspot/pipeline.h"
#include "io/out_table.h"
#include "io/output_dir.h"

namespace hotspot::pipeline {

io::OutTable change_parameters(const RunResult& r);
// The GeoTIFFs; returns relative paths.
std::vector<std::string> write_change_files(const io::StagedOutput& staged, const RunResult& r);

}  // namespace hotspot::pipeline
