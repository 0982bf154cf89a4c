#include "pipeline/selection.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "hotspot/errors.h"
#include "hotspot/names.h"
#include "stats/categories.h"
#include "stats/periods.h"

namespace hotspot::pipeline {

std::vector<bool> categories_covered(const std::vector<std::string>& names, const RunSpec& spec,
                                     const IncidentTable& t, const std::string& where) {
  std::vector<bool> covered(t.categories.size(), names.empty());
  if (names.empty()) return covered;
  const auto cats = stats::build_categories(t.categories, spec.stats);
  for (const std::string& want : names) {
    auto it = std::find_if(cats.begin(), cats.end(), [&](const auto& c) { return c.name == want; });
    if (it == cats.end()) {
      std::vector<std::string> known;
      for (const auto& c : cats) known.push_back(c.name);
      throw ConfigError(where + unknown_name("category or roll-up", want, known));
    }
    for (size_t i = 0; i < covered.size(); ++i) covered[i] = covered[i] || it->members[i];
  }
  return covered;
}

std::vector<bool> incidents_selected(const std::vector<std::string>& names, const std::string& period,
                                     const RunSpec& spec, const IncidentTable& t, const std::string& categories_where,
                                     const std::string& period_where) {
  const std::vector<bool> cat_ok = categories_covered(names, spec, t, categories_where);
  std::optional<stats::Period> p;
  if (!period.empty() && t.size()) {
    const MonthIndex latest = *std::max_element(t.month.begin(), t.month.end());
    try {
      p = stats::parse_period(period, latest, spec.stats.fy_start_month);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(period_where + e.what());
    }
  }
  std::vector<bool> used(t.size());
  for (size_t i = 0; i < t.size(); ++i)
    used[i] = cat_ok[t.category[i]] && (!p || stats::contains(*p, t.month[i], t.minute[i]));
  return used;
}

}  // namespace hotspot::pipeline
