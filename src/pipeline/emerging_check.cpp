// The [[emerging]] cubes' settings checked before any work (spec_check):
// apart from emerging_run.cpp so the config checks link without GEOS.
#include <algorithm>
#include <cmath>
#include <set>

#include "hotspot/names.h"
#include "io/format.h"
#include "pipeline/emerging_run.h"

namespace hotspot::pipeline {
namespace {

std::string num(double v) { return io::format_number(v, std::chars_format::general, 10); }

}  // namespace

std::vector<std::string> emerging_problems(const RunSpec& spec) {
  std::vector<std::string> p;
  std::set<std::string> names;
  std::vector<std::string> layers;
  for (const AreaSource& a : spec.areas) layers.push_back(a.name);
  for (const EmergingSpec& e : spec.emerging) {
    const std::string at = e.section + " '" + e.name + "' ";
    if (e.name.empty()) p.push_back("emerging: every [[emerging]] cube needs a name");
    else if (!names.insert(e.name).second) p.push_back(at + "name: used twice");
    if (!e.layer.empty() && std::find(layers.begin(), layers.end(), e.layer) == layers.end())
      p.push_back(at + "layer: " + unknown_name("area layer", e.layer, layers));
    if (e.step != "month" && e.step != "week" && e.step != "day")
      p.push_back(at + "step: " + unknown_name("step", e.step, {"month", "week", "day"}));
    if (e.window != "cube" && e.window != "neighbourhood" && e.window != "step")
      p.push_back(at + "window: " + unknown_name("window", e.window, {"cube", "neighbourhood", "step"}));
    if (e.time_steps < 0 || e.time_steps > 1000) p.push_back(at + "time_steps: must be an integer in 0..1000");
    if (!(e.cell >= 0) || !std::isfinite(e.cell)) p.push_back(at + "cell: must be >= 0 metres (0 = by kde.cell_rule)");
    if (!e.layer.empty() && e.cell > 0) p.push_back(at + "cell: only for grid cubes (no layer)");
    if (!(e.distance >= 0) || !std::isfinite(e.distance)) p.push_back(at + "distance: must be >= 0 metres (0 = queen)");
    for (const auto& [key, v] : {std::pair<const char*, double>{"alpha", e.alpha}, {"trend_alpha", e.trend_alpha},
                                 {"share", e.share}, {"recent_share", e.recent_share},
                                 {"persistent_share", e.persistent_share}, {"intermittent_share", e.intermittent_share}})
      if (!(v > 0 && v <= 1)) p.push_back(at + key + ": must be in (0, 1] (is " + num(v) + ")");
  }
  return p;
}

}  // namespace hotspot::pipeline
