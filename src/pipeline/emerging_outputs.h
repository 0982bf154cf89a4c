// Outputs of the [[emerging]] cubes (docs/config.md, [emerging]):
//   layer emerging_<name>     one polygon per analysed location (cell or area): pattern, also_fits,
//                             simple class, trend tau / p / z of the z series, share of hot and cold
//                             steps, last step's z and bin (+ count trend for areas)
//   table emerging_parameters every choice and figure of every cube
//   csv/emerging_<name>_bins.csv    per location x step: count, z, p, bin (long)
//   csv/emerging_<name>_trends.csv  area cubes: count trend per area (every area of the layer) for
//                             the selection, then per area x source category
//   emerging/<name>_z.tif           grid cubes: one band of z per step (NaN = not analysed)
//   area layer columns trend_<name>, tau_<name>, trend_p_<name>, sen_<name> (area cubes)
#pragma once

#include <string>
#include <vector>

#include "hotspot/pipeline.h"
#include "io/out_table.h"
#include "io/output_dir.h"

namespace hotspot::pipeline {

// Every cube's layer; with `within` (a pack's area box), area cubes only,
// each with the locations whose box meets it.
std::vector<io::OutTable> emerging_layers(const RunResult& r, const Box* within = nullptr);
io::OutTable emerging_parameters(const RunResult& r);
// Adds the count-trend columns of every area cube on layer index l.
void add_trend_columns(io::OutTable& area, const RunResult& r, size_t l);
// The long CSV, the trends CSV and the z GeoTIFF; returns relative paths.
std::vector<std::string> write_emerging_files(const io::StagedOutput& staged, const RunResult& r, bool csv);

}  // namespace hotspot::pipeline
