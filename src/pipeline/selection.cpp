#include "pipeline/selection.h"

#include <algorithm>

#include "hotspot/errors.h"
#include "hotspot/names.h"
#include "stats/categories.h"

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

}  // namespace hotspot::pipeline
