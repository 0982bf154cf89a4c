// Outputs of the [near_repeat] analyses (docs/config.md, [near_repeat]):
//   table knox_<name>            per distance band x time band: observed, expected, ratio, p, flagged, reading
//   table near_repeat_parameters every choice, the seed and the figures of every analysis
//   layer cocoons_<name>         dated data: one disc per incident, start/end date-times (QGIS temporal
//                                controller), later incidents inside it in its window
//   table risk_<name>_backtest   per step: events, hit rate and PAI of the risk surface and both baselines
//   csv/knox_<name>_observed.csv, _expected.csv, _ratio.csv, _p.csv   the tables as the Near Repeat
//                                Calculator shows them (rows distance bands, columns time bands)
//   csv/cocoons_<name>_hits.csv  per zone, each later incident inside it (source row, time, distance)
//   layer risk_<name>_top        the top X% of cells by next-step risk (rank, risk, share): the
//                                prospective hotspot cells the backtest scores, as squares
//   raster risk_<name>           in the GeoPackage: the next-step risk surface (float32 gridded coverage)
//   risk/<name>.tif, csv/risk_<name>_cells.csv  the next-step risk surface; cells with risk > 0
#pragma once

#include <string>
#include <vector>

#include "hotspot/pipeline.h"
#include "io/out_table.h"
#include "io/output_dir.h"

namespace hotspot::pipeline {

// Cocoon and top-risk-cell layers; sources named relative to out_dir (hotspot/shareable_path.h).
std::vector<io::OutTable> near_repeat_layers(const RunResult& r, const std::string& out_dir);
std::vector<io::OutTable> near_repeat_tables(const RunResult& r);  // knox, backtest, parameters
std::vector<std::string> write_near_repeat_files(const io::StagedOutput& staged, const RunResult& r, bool csv);
// Appends each risk surface to the (written, closed) GeoPackage as the raster
// table risk_raster_table(name); `within` (a pack's area): only the cells
// meeting it, none when no cell does. Returns the analyses' names whose
// raster was written. Throws OutputError.
std::vector<std::string> write_near_repeat_rasters(const std::string& gpkg_path, const RunResult& r,
                                                   const Box* within = nullptr);
std::string risk_raster_table(const std::string& name);
// The names the outputs take, for check_outputs.
std::vector<std::string> near_repeat_output_names(const RunSpec& spec);

}  // namespace hotspot::pipeline
