// The [near_repeat] settings checked before any work (spec_check), and the
// band edges with their defaults: apart from near_repeat_run.cpp so the
// config checks link without GEOS (fuzz/CMakeLists.txt).
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "hotspot/errors.h"
#include "hotspot/names.h"
#include "io/format.h"
#include "pipeline/near_repeat_run.h"
#include "stats/periods.h"

namespace hotspot::pipeline {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string num(double v) { return io::format_number(v, std::chars_format::general, 10); }

// Edges from a list, or from a bandwidth x count after an optional first
// band [0, first); "beyond" adds [last, infinity).
knox::Bands bands(const std::vector<double>& list, double bandwidth, int count, double first, bool beyond,
                  const std::vector<double>& default_list, double default_bandwidth, int default_count) {
  knox::Bands b;
  if (!list.empty()) {
    b.edges = list;
  } else {
    if (bandwidth <= 0 && count <= 0 && !default_list.empty()) {
      b.edges = default_list;
    } else {
      const double w = bandwidth > 0 ? bandwidth : default_bandwidth;
      const int n = count > 0 ? count : default_count;
      b.edges = {0};
      if (first > 0 && first < w) b.edges.push_back(first);
      for (int k = 1; k <= n; ++k) b.edges.push_back(w * k);
    }
  }
  if (beyond && !b.edges.empty() && !std::isinf(b.edges.back())) b.edges.push_back(kInf);
  return b;
}

}  // namespace

knox::Bands distance_bands(const NearRepeatSpec& s, const std::string& unit) {
  const bool month = unit == "month";
  return bands(s.distance_edges, s.distance_bandwidth, s.distance_bands, s.same_location, s.distance_beyond,
               month ? std::vector<double>{0, 1, 200, 400, 800} : std::vector<double>{}, 100, 8);
}

knox::Bands time_bands(const NearRepeatSpec& s, const std::string& unit) {
  if (unit == "month")
    return bands(s.time_edges, s.time_bandwidth, s.time_bands, 0, s.time_beyond, {0, 1, 2, 3}, 1, 3);
  if (unit == "hour") return bands(s.time_edges, s.time_bandwidth, s.time_bands, 0, s.time_beyond, {}, 24, 7);
  return bands(s.time_edges, s.time_bandwidth, s.time_bands, 0, s.time_beyond, {}, 7, 8);
}

std::vector<std::string> near_repeat_problems(const RunSpec& spec) {
  std::vector<std::string> p;
  std::set<std::string> names;
  for (const NearRepeatSpec& s : spec.near_repeat) {
    const std::string at = "near_repeat '" + s.name + "' ";
    if (s.name.empty()) p.push_back("near_repeat name: must not be empty");
    else if (!names.insert(s.name).second) p.push_back(at + "name: used twice");
    if (s.time_unit != "auto" && s.time_unit != "day" && s.time_unit != "hour" && s.time_unit != "month")
      p.push_back(at + "time_unit: " + unknown_name("time unit", s.time_unit, {"auto", "day", "hour", "month"}));
    if (s.metric != "manhattan" && s.metric != "euclidean")
      p.push_back(at + "metric: " + unknown_name("metric", s.metric, {"manhattan", "euclidean"}));
    if (s.method != "auto" && s.method != "monte_carlo" && s.method != "exact")
      p.push_back(at + "method: " + unknown_name("method", s.method, {"auto", "monte_carlo", "exact"}));
    if (s.risk_step != "auto" && s.risk_step != "week" && s.risk_step != "month")
      p.push_back(at + "risk_step: " + unknown_name("step", s.risk_step, {"auto", "week", "month"}));
    if (!s.period.empty()) {
      try {
        stats::parse_period(s.period, make_month(2020, 1), spec.stats.fy_start_month);
      } catch (const std::exception& e) {
        p.push_back(at + "period: " + e.what());
      }
    }
    if (!s.distance_edges.empty() && (s.distance_bandwidth > 0 || s.distance_bands > 0))
      p.push_back(at + "distance_edges: give either distance_edges or distance_bandwidth / distance_bands, not both");
    if (!s.time_edges.empty() && (s.time_bandwidth > 0 || s.time_bands > 0))
      p.push_back(at + "time_edges: give either time_edges or time_bandwidth / time_bands, not both");
    for (const auto& [key, v] : {std::pair<const char*, double>{"distance_bandwidth", s.distance_bandwidth},
                                 {"time_bandwidth", s.time_bandwidth}, {"same_location", s.same_location}})
      if (!(v >= 0) || !std::isfinite(v)) p.push_back(at + key + ": must be >= 0 (is " + num(v) + ")");
    if (s.distance_bands < 0 || s.distance_bands > 250) p.push_back(at + "distance_bands: must be an integer in 0..250");
    if (s.time_bands < 0 || s.time_bands > 250) p.push_back(at + "time_bands: must be an integer in 0..250");
    // Explicit edges are the same at any unit; the defaults are valid.
    if (std::string e = knox::band_problem(distance_bands(s, "day")); !e.empty()) p.push_back(at + "distance_edges: " + e);
    if (std::string e = knox::band_problem(time_bands(s, "day")); !e.empty()) p.push_back(at + "time_edges: " + e);
    if (s.permutations < 1 || s.permutations > 1000000)
      p.push_back(at + "permutations: must be an integer in 1..1000000");
    if (!(s.alpha > 0 && s.alpha <= 1)) p.push_back(at + "alpha: must be in (0, 1] (is " + num(s.alpha) + ")");
    if (!(s.min_ratio >= 0) || !std::isfinite(s.min_ratio))
      p.push_back(at + "min_ratio: must be >= 0 (is " + num(s.min_ratio) + ")");
    if (!(s.cocoon_radius > 0) || !std::isfinite(s.cocoon_radius))
      p.push_back(at + "cocoon_radius: must be > 0 metres (is " + num(s.cocoon_radius) + ")");
    if (s.cocoon_days < 1 || s.cocoon_days > 3650) p.push_back(at + "cocoon_days: must be an integer in 1..3650");
    if (s.risk_lookback < 0 || s.risk_lookback > 1000) p.push_back(at + "risk_lookback: must be an integer in 0..1000 (0 = default)");
    for (const auto& [key, v] : {std::pair<const char*, double>{"risk_distance", s.risk_distance},
                                 {"risk_cell", s.risk_cell}, {"risk_baseline_bandwidth", s.risk_baseline_bandwidth}})
      if (!(v > 0) || !std::isfinite(v)) p.push_back(at + key + ": must be > 0 metres (is " + num(v) + ")");
    if (!(s.risk_top_percent > 0 && s.risk_top_percent <= 100))
      p.push_back(at + "risk_top_percent: must be in (0, 100] (is " + num(s.risk_top_percent) + ")");
  }
  return p;
}

}  // namespace hotspot::pipeline
