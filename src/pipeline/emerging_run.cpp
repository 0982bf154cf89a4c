#include "pipeline/emerging_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <thread>

#include "geo/crs.h"
#include "geo/geos_util.h"
#include "hotspot/bandwidth.h"
#include "hotspot/names.h"
#include "io/format.h"
#include "pipeline/selection.h"
#include "stats/categories.h"
#include "stats/monthly_series.h"

namespace hotspot::pipeline {
namespace {

std::string num(double v) { return io::format_number(v, std::chars_format::general, 10); }

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Incidents of the cube's categories (all when none are named).
std::vector<bool> selected(const EmergingSpec& e, const RunSpec& spec, const IncidentTable& t) {
  const std::vector<bool> cat_ok =
      categories_covered(e.categories, spec, t, e.section + " '" + e.name + "' categories: ");
  std::vector<bool> used(t.size());
  for (size_t i = 0; i < t.size(); ++i) used[i] = cat_ok[t.category[i]];
  return used;
}

std::string day_label(int64_t day) {
  const std::chrono::year_month_day d{std::chrono::sys_days{std::chrono::days{day}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()), unsigned(d.day()));
  return buf;
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Step of each selected incident (-1 = not selected or undated), the step
// count and labels. Months: from the first month of the selection. Weeks
// and days: from its first day (the last step may be partial: a warning).
std::vector<int32_t> steps_of(const IncidentTable& t, const std::vector<bool>& used, EmergingRun& run) {
  std::vector<int32_t> step(t.size(), -1);
  const std::string& unit = run.spec.step;
  if (unit == "month") {
    MonthIndex lo = INT32_MAX, hi = INT32_MIN;
    for (size_t i = 0; i < t.size(); ++i)
      if (used[i]) lo = std::min(lo, t.month[i]), hi = std::max(hi, t.month[i]);
    if (lo > hi) return step;
    for (size_t i = 0; i < t.size(); ++i)
      if (used[i]) step[i] = t.month[i] - lo;
    for (MonthIndex m = lo; m <= hi; ++m) run.step_label.push_back(month_label(m));
    return step;
  }
  const int64_t length = unit == "week" ? 7 : 1;
  int64_t lo = INT64_MAX, hi = INT64_MIN, undated = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!used[i]) continue;
    if (t.minute[i] == IncidentTable::kNoTime) {
      ++undated;
      continue;
    }
    const int64_t day = floor_div(t.minute[i], 1440);
    lo = std::min(lo, day), hi = std::max(hi, day);
  }
  if (lo > hi)
    throw ConfigError(run.spec.section + " '" + run.spec.name + "' step = \"" + unit +
                      "\": no selected incident has a date to the day (police.uk data is monthly: use step = \"month\")");
  for (size_t i = 0; i < t.size(); ++i)
    if (used[i] && t.minute[i] != IncidentTable::kNoTime) step[i] = int32_t((floor_div(t.minute[i], 1440) - lo) / length);
  const int64_t steps = (hi - lo) / length + 1;
  for (int64_t s = 0; s < steps; ++s) run.step_label.push_back(day_label(lo + s * length));
  if ((hi - lo + 1) % length != 0)
    run.warnings.push_back(run.spec.section + " '" + run.spec.name + "': the last " + unit + " (from " + run.step_label.back() +
                           ") is partial: the data end on " + day_label(hi));
  if (undated > 0)
    run.warnings.push_back(run.spec.section + " '" + run.spec.name + "': " + std::to_string(undated) +
                           " selected incidents have no day and are not in the cube");
  run.parameters["undated_incidents"] = std::to_string(undated);
  return step;
}

// Grid cubes: cells snapped outward to whole multiples of the cell over the
// selected incidents' extent; location = row * nx + col.
std::vector<int32_t> grid_locations(const IncidentTable& t, const std::vector<bool>& used, const KdeSpec& kde,
                                    EmergingRun& run) {
  Box b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (size_t i = 0; i < t.size(); ++i)
    if (used[i]) b = {std::min(b.min_x, t.x[i]), std::min(b.min_y, t.y[i]), std::max(b.max_x, t.x[i]), std::max(b.max_y, t.y[i])};
  double cell = run.spec.cell;
  if (cell <= 0) {
    cell = kde::cell_by_rule(kde.cell_rule, b);
    run.parameters["cell_rule"] = std::string(kde::to_string(kde.cell_rule));
  }
  Grid& g = run.grid;
  g.cell = cell;
  g.x0 = std::floor(b.min_x / cell) * cell;
  g.y0 = std::floor(b.min_y / cell) * cell;
  g.nx = std::max(1, int(std::floor((b.max_x - g.x0) / cell)) + 1);
  g.ny = std::max(1, int(std::floor((b.max_y - g.y0) / cell)) + 1);
  if (double(g.nx) * double(g.ny) > 1e7)
    throw ConfigError(run.spec.section + " '" + run.spec.name + "': a grid of " + std::to_string(g.nx) + " x " +
                      std::to_string(g.ny) + " cells of " + num(cell) + " m is more than 10^7 cells: give a larger cell");
  run.parameters["cell_m"] = num(cell);
  run.parameters["grid"] = std::to_string(g.nx) + " x " + std::to_string(g.ny) + " cells from (" + num(g.x0) + ", " +
                           num(g.y0) + ")";
  std::vector<int32_t> loc(t.size(), -1);
  for (size_t i = 0; i < t.size(); ++i) {
    if (!used[i]) continue;
    const int c = g.col_of(t.x[i]), r = g.row_of(t.y[i]);
    if (c >= 0 && r >= 0) loc[i] = r * g.nx + c;
  }
  return loc;
}

// Spatial neighbours of the kept locations, in the cube's numbering.
gistar::Neighbours neighbours(const EmergingRun& run, const RunResult& r) {
  const emerging::Cube& c = run.cube;
  if (run.spec.distance > 0) {
    std::vector<double> x(c.size()), y(c.size());
    std::vector<Point> inside;
    if (run.layer >= 0) inside = geo::interior_points(r.layers[size_t(run.layer)].geometry);
    for (size_t k = 0; k < c.size(); ++k) {
      const uint32_t loc = c.location[k];
      if (run.layer >= 0) x[k] = inside[loc].x, y[k] = inside[loc].y;
      else x[k] = run.grid.centre_x(int(loc % uint32_t(run.grid.nx))), y[k] = run.grid.centre_y(int(loc / uint32_t(run.grid.nx)));
    }
    return gistar::distance_band(x, y, run.spec.distance);
  }
  if (run.layer >= 0) {
    const AreaLayer& l = r.layers[size_t(run.layer)];
    return emerging::restrict_to_cube(gistar::from_pairs(l.size(), geo::adjacent_pairs(l.geometry, 1.0)), c);
  }
  return emerging::restrict_to_cube(gistar::grid_queen(run.grid.nx, run.grid.ny, {}), c);
}

emerging::Window window_of(const std::string& w) {
  return w == "step" ? emerging::Window::kStep
         : w == "neighbourhood" ? emerging::Window::kNeighbourhood
                                : emerging::Window::kCube;
}

// Patterns (and area count trends) for every kept location, on `threads`
// threads; each location is computed alone, so any thread count gives the
// same results.
void classify_all(EmergingRun& run, int threads) {
  const emerging::PatternOptions o{run.spec.alpha, run.spec.trend_alpha, run.spec.share, run.spec.continuity,
                                   run.spec.recent_share, run.spec.persistent_share, run.spec.intermittent_share};
  const std::vector<bool> sig = emerging::significant_bins(run.gi, run.spec.alpha, run.spec.fdr);
  const size_t L = run.cube.size(), T = size_t(run.cube.steps);
  run.pattern.resize(L);
  const bool areas = run.layer >= 0;
  if (areas) run.count_trend.resize(L), run.sen_slope.resize(L);
  auto work = [&](size_t b, size_t e) {
    for (size_t k = b; k < e; ++k) {
      const std::vector<double> z(run.gi.z.begin() + std::ptrdiff_t(k * T), run.gi.z.begin() + std::ptrdiff_t((k + 1) * T));
      run.pattern[k] = emerging::classify(emerging::marks_of(run.gi, sig, k, run.cube.steps), z, o);
      if (!areas) continue;
      const std::vector<double> n(run.cube.count.begin() + std::ptrdiff_t(k * T),
                                  run.cube.count.begin() + std::ptrdiff_t((k + 1) * T));
      run.count_trend[k] = stats::mann_kendall(n, run.spec.continuity);
      run.sen_slope[k] = stats::sen_slope(n);
    }
  };
  const size_t n = std::clamp<size_t>(size_t(std::max(threads, 1)), 1, std::max<size_t>(L, 1));
  std::vector<std::thread> pool;
  for (size_t i = 0; i < n; ++i) pool.emplace_back(work, L * i / n, L * (i + 1) / n);
  for (std::thread& th : pool) th.join();
}

// Area cubes: Mann-Kendall and Sen's slope on the monthly counts per area x
// source category of the selection (monthly whatever the cube's step: a
// weekly series per category is mostly zeros, and Sen's slope costs T^2),
// on `threads` threads (each series computed alone). The series are
// stats::monthly_series of the layer's counts, the ones the briefings'
// monthly charts draw: every month the data hold, incidents counted (not
// weighted: weights are for heat maps and Gi*).
void category_trends(EmergingRun& run, const IncidentTable& t, const std::vector<bool>& used,
                     const std::vector<int32_t>& loc, const AreaCounts& counts, int threads) {
  const size_t C = t.categories.size(), areas = size_t(counts.areas);
  if (counts.months <= 0) return;
  run.parameters["category_trends"] = "monthly, " + month_label(counts.first_month) + " .. " +
                                      month_label(counts.first_month + counts.months - 1) + " (" +
                                      std::to_string(counts.months) +
                                      " months, every month of the data; the series the briefings' monthly charts "
                                      "draw); incidents counted, not weighted; Sen's slope in incidents per month";
  std::vector<char> present(C, 0);
  for (size_t i = 0; i < t.size(); ++i)
    if (used[i] && loc[i] >= 0) present[t.category[i]] = 1;
  std::vector<size_t> cats;
  for (size_t c = 0; c < C; ++c)
    if (present[c]) cats.push_back(c);
  std::sort(cats.begin(), cats.end(), [&](size_t a, size_t b) { return t.categories[a] < t.categories[b]; });
  for (size_t c : cats) {
    EmergingRun::CategoryTrend ct;
    ct.category = t.categories[c];
    ct.total.assign(areas, 0.0), ct.trend.resize(areas), ct.sen_slope.assign(areas, 0.0);
    run.category_trends.push_back(std::move(ct));
  }
  const size_t jobs = cats.size() * areas;
  auto work = [&](size_t b, size_t e) {
    std::vector<bool> one(C, false);
    for (size_t j = b; j < e; ++j) {
      const size_t k = j / areas, a = j % areas;
      std::fill(one.begin(), one.end(), false);
      one[cats[k]] = true;
      const std::vector<double> series = stats::monthly_series(counts, int(a), one);
      EmergingRun::CategoryTrend& ct = run.category_trends[k];
      for (double x : series) ct.total[a] += x;
      ct.trend[a] = stats::mann_kendall(series, run.spec.continuity);
      ct.sen_slope[a] = stats::sen_slope(series);
    }
  };
  const size_t workers = std::clamp<size_t>(size_t(std::max(threads, 1)), 1, std::max<size_t>(jobs, 1));
  std::vector<std::thread> pool;
  for (size_t i = 0; i < workers; ++i) pool.emplace_back(work, jobs * i / workers, jobs * (i + 1) / workers);
  for (std::thread& th : pool) th.join();
}

EmergingRun build_one(const EmergingSpec& e, const RunSpec& spec, const RunResult& r) {
  EmergingRun run;
  run.spec = e;
  const auto t0 = std::chrono::steady_clock::now();
  const IncidentTable& t = r.incidents;
  const std::vector<bool> used = selected(e, spec, t);
  const std::vector<int32_t> step = steps_of(t, used, run);
  if (run.step_label.empty()) throw InputError(e.section + " '" + e.name + "': no incident of its categories");
  std::vector<int32_t> loc;
  size_t candidates = 0;
  if (!e.layer.empty()) {
    for (size_t l = 0; l < r.layers.size(); ++l)
      if (r.layers[l].name == e.layer) run.layer = int(l);
    if (run.layer < 0) throw ConfigError(e.section + " '" + e.name + "' layer: no area layer named '" + e.layer + "'");
    loc = r.assignments[size_t(run.layer)].area;
    for (size_t i = 0; i < loc.size(); ++i)
      if (!used[i]) loc[i] = -1;
    candidates = r.layers[size_t(run.layer)].size();
  } else {
    loc = grid_locations(t, used, spec.kde, run);
    candidates = size_t(run.grid.nx) * size_t(run.grid.ny);
  }
  run.cube = emerging::build_cube(candidates, int(run.step_label.size()), loc, step, t.weight);
  run.cube_seconds = seconds_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  const int threads = geo::thread_count(spec.threads);
  const gistar::Neighbours w = neighbours(run, r);
  run.neighbour_seconds = seconds_since(t1);
  const auto t1b = std::chrono::steady_clock::now();
  run.gi = emerging::space_time_gi(run.cube, w, {e.time_steps, window_of(e.window), e.fdr, threads});
  run.gi_seconds = seconds_since(t1b);
  const auto t2 = std::chrono::steady_clock::now();
  classify_all(run, threads);
  if (run.layer >= 0) category_trends(run, t, used, loc, r.counts[size_t(run.layer)], threads);
  run.trend_seconds = seconds_since(t2);
  const int T = run.cube.steps;
  if (T < 10)
    run.warnings.push_back(e.section + " '" + e.name + "': " + std::to_string(T) + " " + e.step +
                           " steps are too few for a trend test (Mann-Kendall needs 10 or more to mean much); "
                           "the cube, Gi* and patterns are still written");
  auto& p = run.parameters;
  p["locations"] = run.layer >= 0 ? "areas of layer " + e.layer : "grid cells";
  p["step"] = e.step;
  p["steps"] = std::to_string(T);
  p["span"] = run.step_label.front() + " .. " + run.step_label.back();
  p["locations_analysed"] = std::to_string(run.cube.size());
  p["locations_never_with_an_event"] = std::to_string(run.cube.empty_locations) + " (left out, as Esri's cube)";
  p["incidents_in_cube"] = std::to_string(run.cube.events);
  p["incidents_selected_outside_cube"] = std::to_string(run.cube.outside - int64_t(std::count(used.begin(), used.end(), false)));
  p["categories"] = e.categories.empty() ? "all" : [&] {
    std::string s;
    for (const std::string& c : e.categories) s += (s.empty() ? "" : "; ") + c;
    return s;
  }();
  p["neighbourhood"] = (e.distance > 0 ? "within " + num(e.distance) + " m" : std::string("queen contiguity")) +
                       " incl. self, steps t-" + std::to_string(e.time_steps) + "..t";
  p["global_window"] = e.window;
  p["fdr"] = e.fdr ? "Benjamini-Hochberg" : "no";
  p["alpha"] = num(e.alpha);
  p["trend_alpha"] = num(e.trend_alpha);
  p["mann_kendall"] = std::string("on each location's z series; two-sided; ties corrected; continuity correction ") +
                      (e.continuity ? "on" : "off");
  p["pattern_order"] = "new, consecutive, intensifying, diminishing, historical, persistent, sporadic, oscillating; "
                       "hot then cold; first fit wins, other fits in also_fits";
  p["share"] = num(e.share);
  for (uint32_t kept : run.cube.location) {
    if (run.layer >= 0) {
      run.code.push_back(r.layers[size_t(run.layer)].code[kept]);
      run.label.push_back(r.layers[size_t(run.layer)].label[kept]);
    } else {
      run.code.push_back("c" + std::to_string(kept % uint32_t(run.grid.nx)) + "_r" +
                         std::to_string(kept / uint32_t(run.grid.nx)));
      run.label.emplace_back();
    }
  }
  return run;
}

}  // namespace

std::vector<std::shared_ptr<const EmergingRun>> build_emerging(const RunSpec& spec, const RunResult& result) {
  std::vector<std::shared_ptr<const EmergingRun>> out;
  for (const EmergingSpec& e : spec.emerging) out.push_back(std::make_shared<const EmergingRun>(build_one(e, spec, result)));
  return out;
}

std::string trend_class(const stats::MannKendall& mk, double alpha) {
  if (mk.var_s > 0 && mk.p <= alpha) return mk.s > 0 ? "rising" : "falling";
  return "no trend";
}

}  // namespace hotspot::pipeline
