// The [[change.surfaces]] settings checked before any work (spec_check):
// apart from change_run.cpp so the config checks link without GEOS.
#include <cmath>
#include <set>
#include <stdexcept>

#include "hotspot/names.h"
#include "io/format.h"
#include "pipeline/change_run.h"
#include "stats/periods.h"

namespace hotspot::pipeline {

std::vector<std::string> change_problems(const RunSpec& spec) {
  std::vector<std::string> p;
  std::set<std::string> names;
  const int fy = spec.stats.fy_start_month;
  auto period = [&](const std::string& key, const std::string& text) {
    if (fy < 1 || fy > 12) return;  // reported with [stats]
    try {
      stats::parse_period(text, make_month(2020, 1), fy);
    } catch (const std::invalid_argument& e) {
      p.push_back(key + ": " + e.what());
    }
  };
  for (const ChangeSurfaceSpec& c : spec.change_surfaces) {
    const std::string at = "change.surfaces '" + c.name + "' ";
    if (c.name.empty()) p.push_back("change.surfaces: every [[change.surfaces]] entry needs a name");
    else if (!names.insert(c.name).second) p.push_back(at + "name: used twice");
    if (c.after.empty()) p.push_back(at + "after: is required (a period spec, e.g. \"latest_month\")");
    else period(at + "after", c.after);
    if (c.before != "previous_period" && c.before != "previous_year") period(at + "before", c.before);
    if (!std::isfinite(c.floor)) p.push_back(at + "floor: must be a number (< 0 = one incident's peak)");
    if (c.permutations < 0 || c.permutations > 100000)
      p.push_back(at + "permutations: must be an integer in 0..100000 (0 = no test)");
    if (c.seed < 0) p.push_back(at + "seed: must be >= 0");
    if (c.fdr && c.permutations == 0) p.push_back(at + "fdr: needs the permutation test (permutations > 0)");
  }
  return p;
}

}  // namespace hotspot::pipeline
