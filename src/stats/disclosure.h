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
// Secondary suppression (stats/suppression.h) makes every such sum hold no
// withheld value or at least two. Then the audit (stats/audit.h) solves, for
// every withheld count of 1..k, the narrowest range an attacker can prove
// from all the sums at once; wherever a range is too narrow, one more value
// on a sum through that count is hidden (drawn pseudo-randomly among the
// shown non-zero ones) and the secondary pass and the audit run again, until
// every small count keeps its range. The rounds and the final audit are
// reported with the Disclosure.
#pragma once

#include <cstdint>
#include <vector>

#include "hotspot/areas.h"
#include "stats/area_stats.h"
#include "stats/audit.h"

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
  int64_t sums = 0;                     // exact sums the attacker has (audited)
  int64_t audit_rounds = 0;             // audits run (the last one passed)
  int64_t hidden_by_audit = 0;          // values hidden because an audit asked
  int64_t exposed_first = 0;            // small counts the first audit found too narrow
  AuditResult audit;                    // the final audit
  AuditRule rule;
};

// Withholds counts 1..k, and what is needed to protect them, everywhere,
// audited with `rule` (rule.k is set to k). Throws std::runtime_error if no
// amount of hiding protects some count (never seen: the rounds are capped).
Disclosure protect(const StatsResult& r, const std::vector<AreaLayer>& layers, int64_t k, AuditRule rule = {});

}  // namespace hotspot::stats
