// Small multiples of monthly counts: one little bar chart per area of a
// layer, every month the data hold, all on one vertical scale so the areas
// compare at a glance. Inline SVG for the front page (front_page.h).
#pragma once

#include <string>

#include "hotspot/pipeline.h"

namespace hotspot::report {

// The headline category's incidents per month in every area of layer l
// (counts of r.counts[l], source categories summed through the headline's
// members). "" when there are no statistics or fewer than two months.
// Not for public pages: monthly area counts are not published there.
std::string trend_small_multiples(const RunResult& r, size_t l);

}  // namespace hotspot::report
