// Small multiples of monthly counts: one little bar chart per area of a
// layer, every month the data hold, all on one vertical scale so the areas
// compare at a glance. Inline SVG for the front page (front_page.h).
#pragma once

#include <string>

#include "hotspot/pipeline.h"

namespace hotspot::report {

// The headline category's incidents per month in every area of layer l
// (counts of r.counts[l], source categories summed through the headline's
// members), appended to `out` as one <figure>; areas with none in any month
// are not drawn (the caption says how many; a note alone when none has
// any). False (nothing appended) when
// there are no statistics or fewer than two months. Appends rather than
// returns: one panel per area drawn (~31 MB on all English LSOAs had each
// had incidents).
// Not for public pages: monthly area counts are not published there.
bool append_trend_small_multiples(std::string& out, const RunResult& r, size_t l);

}  // namespace hotspot::report
