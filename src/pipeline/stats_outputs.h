// Output tables and area-layer columns for the area statistics. In public
// mode every count goes through the run's Disclosure: withheld values print
// as the marker, and so does anything derived from them (change, %, rate).
#pragma once

#include <string>
#include <vector>

#include "hotspot/pipeline.h"
#include "io/out_table.h"
#include "stats/area_stats.h"

namespace hotspot::pipeline {

// Adds prev_/cur_/change_/pct_<category> and the headline rate and
// significance columns to layer `l`'s table (one row per area).
void add_stats_columns(io::OutTable& table, const RunResult& result, size_t l, const StatsSpec& spec);

// comparison_<layer>, significance_<layer>, rates_<layer>,
// top_increases_<layer> for every layer, then repeat_locations and
// statistics_parameters.
std::vector<io::OutTable> stats_tables(const RunResult& result, const StatsSpec& spec);

// v with `decimals` places, "" for NaN/inf; independent of the locale.
std::string fixed(double v, int decimals);
// v in full: the shortest text that reads back as the same double, "" for
// NaN/inf; for data columns (CSV, GeoPackage), never rounded.
std::string exact(double v);

}  // namespace hotspot::pipeline
