// Public-mode disclosure control for the area statistics.
//
// Published per area layer and period: every category (base and roll-up)
// per area and in a TOTAL row. protect() builds every exact sum an attacker
// could subtract with, over all layers at once, and hands them to
// stats::suppress_lines (primary 1..k, then secondary):
//   - per area and in the TOTAL row: each roll-up = the sum of its member
//     categories (e.g. "All crime" = all but ASB);
//   - per category: TOTAL = the sum of the areas;
//   - a layer dissolved from another (beats from wards): each beat = the sum
//     of its wards, per category, and the wards' TOTAL = the beats plus the
//     wards in no beat. A nesting sum that does not hold exactly in the data
//     (a point on a generalised boundary) is not a usable equation and is
//     left out.
// Layers with no exact relation (LSOAs and wards) add no equation.
// What secondary suppression does and does not guarantee: stats/suppression.h.
#pragma once

#include <cstdint>
#include <vector>

#include "hotspot/areas.h"
#include "stats/area_stats.h"

namespace hotspot::stats {

struct PeriodDisclosure {
  std::vector<bool> hidden;        // areas x categories, as LayerStats::current
  std::vector<bool> hidden_total;  // per category: the TOTAL row
};

struct LayerDisclosure {
  PeriodDisclosure current, previous;
  bool cur_hidden(const LayerStats& s, int area, int cat) const {
    return current.hidden[size_t(area) * size_t(s.categories) + size_t(cat)];
  }
  bool prev_hidden(const LayerStats& s, int area, int cat) const {
    return previous.hidden[size_t(area) * size_t(s.categories) + size_t(cat)];
  }
};

struct Disclosure {
  std::vector<LayerDisclosure> layers;  // one per area layer
  int64_t hidden = 0;                   // withheld values, all layers and periods
  int64_t nesting_sums_skipped = 0;     // inexact beat = sum of wards sums
};

// Withholds counts 1..k, and what is needed to protect them, everywhere.
Disclosure protect(const StatsResult& r, const std::vector<AreaLayer>& layers, int64_t k);

}  // namespace hotspot::stats
