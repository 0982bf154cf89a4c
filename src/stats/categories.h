// Crime-type vocabulary: aliases onto canonical names, and roll-ups.
#pragma once

#include <string>
#include <vector>

#include "hotspot/run_spec.h"

namespace hotspot::stats {

// One column of the statistics tables: a canonical category, or a roll-up
// of several. members[i] is true when source category i counts towards it.
struct StatCategory {
  std::string name;
  bool rollup = false;
  std::vector<bool> members;   // indexed by IncidentTable::category
};

// Builds the table categories for the incidents' source categories:
// canonical categories (aliases applied; sorted by name) then roll-ups in
// the order given. With no roll-ups given, "All crime" = all but
// "Anti-social behaviour". A roll-up naming an unknown category is an
// error (ConfigError): a typo must not silently shrink a published total.
std::vector<StatCategory> build_categories(const std::vector<std::string>& source_categories,
                                           const StatsSpec& spec);

}  // namespace hotspot::stats
