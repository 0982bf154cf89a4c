// Output tables and area-layer columns for the area statistics.
#pragma once

#include <string>
#include <vector>

#include "hotspot/pipeline.h"
#include "io/out_table.h"
#include "stats/area_stats.h"

namespace hotspot::pipeline {

// Adds prev_/cur_/change_/pct_<category> and the headline rate and
// significance columns to the area layer's table (row per area).
void add_stats_columns(io::OutTable& table, const stats::LayerStats& s, const stats::StatsResult& r,
                       const StatsSpec& spec);

// comparison_<layer>, significance_<layer>, rates_<layer>,
// top_increases_<layer> for every layer, then repeat_locations and periods.
std::vector<io::OutTable> stats_tables(const RunResult& result, const StatsSpec& spec);

// v with `decimals` places, "" for NaN/inf; independent of the locale.
std::string fixed(double v, int decimals);

}  // namespace hotspot::pipeline
