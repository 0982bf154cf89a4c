// Which incidents an analysis uses, from the category and roll-up names in
// its config entry (heat maps, emerging cubes, change surfaces, near repeats
// all select the same way).
#pragma once

#include <string>
#include <vector>

#include "hotspot/incidents.h"
#include "hotspot/run_spec.h"

namespace hotspot::pipeline {

// covered[c] is true when source category c (an index of t.categories) is
// one of `names` or in one of the roll-ups named (after [stats.aliases]);
// every category when `names` is empty. An unknown name throws ConfigError
// "<where>unknown category or roll-up ..." with the near names suggested.
std::vector<bool> categories_covered(const std::vector<std::string>& names, const RunSpec& spec,
                                     const IncidentTable& t, const std::string& where);

// The incidents of those categories inside the period spec `period` ("" =
// all the data; resolved against the data's latest month). A bad category
// throws as categories_covered (prefix `categories_where`), a bad period
// ConfigError "<period_where><why>".
std::vector<bool> incidents_selected(const std::vector<std::string>& names, const std::string& period,
                                     const RunSpec& spec, const IncidentTable& t, const std::string& categories_where,
                                     const std::string& period_where);

}  // namespace hotspot::pipeline
