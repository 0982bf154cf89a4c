// One area's incidents per month over a set of source categories, from the
// layer's counts (AreaCounts): the one series the briefings' monthly charts
// draw (report/trend_chart, report/briefing) and the per-area trends test
// (pipeline/emerging_run: Mann-Kendall and Sen's slope per area x category),
// so a chart and its trend are always about the same numbers.
#pragma once

#include <vector>

#include "hotspot/counts.h"

namespace hotspot::stats {

// counts of `area` summed over the categories c with members[c] (one flag
// per source category; missing flags count as false) for every month the
// counts hold (first_month .. first_month + months - 1, zeros kept).
std::vector<double> monthly_series(const AreaCounts& counts, int area, const std::vector<bool>& members);

}  // namespace hotspot::stats
