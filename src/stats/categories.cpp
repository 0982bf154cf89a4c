#include "stats/categories.h"

#include <algorithm>
#include <map>
#include <set>

#include "hotspot/errors.h"

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
    for (const std::string& n : named)
      // Excluding an absent category is harmless (e.g. ASB not in the data);
      // including an unknown one is a typo.
      if (!base.count(canonical(n, spec)) && !r.include.empty())
        throw ConfigError("roll-up '" + r.name + "' includes unknown category '" + n + "'");
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
