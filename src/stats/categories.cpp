#include "stats/categories.h"

#include <algorithm>
#include <map>
#include <set>

#include "hotspot/errors.h"
#include "hotspot/names.h"

namespace hotspot::stats {
namespace {

std::string canonical(const std::string& name, const StatsSpec& spec) {
  auto it = spec.aliases.find(name);
  return it == spec.aliases.end() ? name : it->second;
}

}  // namespace

std::vector<StatCategory> build_categories(const std::vector<std::string>& source, const StatsSpec& spec) {
  std::map<std::string, std::vector<bool>> base;  // sorted by canonical name
  for (size_t i = 0; i < source.size(); ++i) {
    auto& members = base[canonical(source[i], spec)];
    members.resize(source.size(), false);
    members[i] = true;
  }
  std::vector<StatCategory> out;
  for (auto& [name, members] : base) out.push_back({name, false, members});

  std::vector<RollupSpec> rollups = spec.rollups;
  if (rollups.empty()) rollups.push_back({"All crime", {}, {"Anti-social behaviour"}});
  for (const RollupSpec& r : rollups) {
    if (base.count(r.name)) throw ConfigError("roll-up '" + r.name + "' has the name of a category");
    const std::vector<std::string>& named = r.include.empty() ? r.exclude : r.include;
    std::vector<std::string> known;
    for (const auto& [name, members] : base) known.push_back(name);
    for (const std::string& n : named) {
      if (base.count(canonical(n, spec))) continue;
      // Including an unknown category is a typo. Excluding an absent one is
      // harmless (e.g. ASB not in the data), unless it is a misspelling of
      // one that is there ("Anti-social Behaviour"): then the roll-up would
      // silently count what it means to leave out.
      const std::string near = closest_name(n, known);
      if (!r.include.empty() || !near.empty())
        throw ConfigError("roll-up '" + r.name + "' " + (r.include.empty() ? "excludes " : "includes ") +
                          unknown_name("category", n, known));
    }
    std::set<std::string> set;
    for (const std::string& n : named) set.insert(canonical(n, spec));
    StatCategory c{r.name, true, std::vector<bool>(source.size(), false)};
    for (size_t i = 0; i < source.size(); ++i) {
      const bool listed = set.count(canonical(source[i], spec)) > 0;
      c.members[i] = r.include.empty() ? !listed : listed;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace hotspot::stats
