#include "pipeline/change_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "geo/crs.h"
#include "hotspot/bandwidth.h"
#include "hotspot/names.h"
#include "io/format.h"
#include "pipeline/selection.h"
#include "pipeline/spec_check.h"
#include "pipeline/surface_grid.h"
#include "stats/categories.h"
#include "stats/periods.h"

namespace hotspot::pipeline {
namespace {

std::string num(double v) { return io::format_number(v, std::chars_format::general, 10); }

// The mean Gregorian month (365.2425 / 12 days), for periods that are not
// whole months.
constexpr double kDaysPerMonth = 30.436875;

double months_of(const stats::Period& p) {
  return p.whole_months() ? double(p.months()) : double(p.last_day - p.first_day + 1) / kDaysPerMonth;
}

std::vector<bool> category_ok(const ChangeSurfaceSpec& c, const RunSpec& spec, const IncidentTable& t) {
  return categories_covered(c.categories, spec, t, "change.surfaces '" + c.name + "' categories: ");
}

void periods_of(const ChangeSurfaceSpec& c, const RunSpec& spec, const IncidentTable& t, stats::Period& before,
                stats::Period& after) {
  const MonthIndex latest = *std::max_element(t.month.begin(), t.month.end());
  const int fy = spec.stats.fy_start_month;
  try {
    after = stats::parse_period(c.after, latest, fy);
    before = c.before == "previous_period" ? stats::previous_period(after)
             : c.before == "previous_year" ? stats::same_period_last_year(after)
                                           : stats::parse_period(c.before, latest, fy);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("change.surfaces '" + c.name + "': " + e.what());
  }
  if (before.first_day <= after.last_day && after.first_day <= before.last_day)
    throw ConfigError("change.surfaces '" + c.name + "': the periods overlap (before " + before.label + ", after " +
                      after.label + "): an incident would be in both");
}

size_t tested_cells(const Grid& p) {
  size_t n = 0;
  for (double v : p.values) n += !std::isnan(v);
  return n;
}

std::string months_words(double m) { return num(m) + (m == 1 ? " month" : " months"); }

ChangeRun build_one(const ChangeSurfaceSpec& cs, const RunSpec& spec, const RunResult& r, Study& study) {
  const auto t0 = std::chrono::steady_clock::now();
  ChangeRun run;
  run.spec = cs;
  const IncidentTable& t = r.incidents;
  const KdeSpec& k = spec.kde;
  if (t.size() == 0) throw InputError("change.surfaces '" + cs.name + "': no incidents");
  stats::Period before, after;
  periods_of(cs, spec, t, before, after);
  run.before_label = before.label, run.after_label = after.label;
  const std::vector<bool> cat_ok = category_ok(cs, spec, t);

  std::vector<change::LabelledPoint> pts;
  std::vector<Point> for_rule;  // incidents in the study area (or the first layer): the rules and extent
  int64_t n_before = 0, n_after = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!cat_ok[t.category[i]]) continue;
    const bool in_after = stats::contains(after, t.month[i], t.minute[i]);
    if (!in_after && !stats::contains(before, t.month[i], t.minute[i])) continue;
    pts.push_back({t.x[i], t.y[i], t.weight_at(i), in_after});
    (in_after ? n_after : n_before) += 1;
    if (in_rule_area(study, r, i)) for_rule.push_back({t.x[i], t.y[i]});
  }
  if (pts.empty())
    throw InputError("change.surfaces '" + cs.name + "': no incident of its categories in either period (before " +
                     before.label + ", after " + after.label + ")");
  for (const auto& [label, n] : {std::pair<std::string, int64_t>{"before (" + before.label + ")", n_before},
                                 {"after (" + after.label + ")", n_after}})
    if (n == 0)
      run.warnings.push_back("change.surfaces '" + cs.name + "': no incident " + label +
                             ": its density is 0 everywhere and the log ratio is blank");
  // A period the data do not cover would read as a fall (or a rise).
  MonthIndex first = INT32_MAX, last = INT32_MIN;
  for (MonthIndex m : t.month) first = std::min(first, m), last = std::max(last, m);
  for (const stats::Period* p : {&before, &after}) {
    const stats::Coverage cov = stats::coverage(*p, first, last);
    if (!cov.full())
      run.warnings.push_back("change.surfaces '" + cs.name + "': period " + p->label + " is " + cov.words() +
                             ": it is still divided by all its months");
  }

  // One bandwidth for both periods: given, or the rule on both together.
  const kde::KdeOptions o = kde_options(k, spec.threads, for_rule);
  const double radius = kde::KernelFunction(o.kernel, o.bandwidth, o.gaussian_cutoff).radius();
  const GridChoice g = grid_choice(k, study, for_rule, radius, "change.surfaces '" + cs.name + "'",
                                   "no incident inside the first area layer", false);
  const Box& box = g.box;
  const double cell = g.cell;
  const bool explicit_extent = g.explicit_extent;
  const Grid shape = make_grid(box, cell, explicit_extent);
  const std::vector<bool>& inside = mask_of(shape, study, spec.threads);
  change::ChangeOptions co;
  co.kde = o;
  co.months_before = months_of(before);
  co.months_after = months_of(after);
  const double peak = one_incident_peak(o, cell);
  co.floor = cs.floor >= 0 ? cs.floor : peak / std::max(co.months_before, co.months_after);
  co.permutations = cs.permutations;
  co.seed = uint64_t(cs.seed);
  co.threads = spec.threads;
  co.fdr = cs.fdr;
  run.grids = change::change_surfaces(pts, co, shape, inside);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  auto& p = run.parameters;
  p["surface"] = cs.name;
  std::string cats;
  for (const std::string& c : cs.categories) cats += (cats.empty() ? "" : ", ") + c;
  p["categories"] = cats.empty() ? "all" : cats;
  p["before"] = before.label + " (" + stats::day_label(before.first_day) + " to " + stats::day_label(before.last_day) +
                ", " + months_words(co.months_before) + ")";
  p["after"] = after.label + " (" + stats::day_label(after.first_day) + " to " + stats::day_label(after.last_day) +
               ", " + months_words(co.months_after) + ")";
  p["incidents_before"] = std::to_string(n_before);
  p["incidents_after"] = std::to_string(n_after);
  p["per_month"] = "each period's density divided by its months (whole calendar months, or days / 30.436875)";
  p["kernel"] = std::string(kde::to_string(o.kernel));
  p[o.kernel == kde::Kernel::kGaussian ? "sigma_m" : "radius_m"] = num(o.bandwidth);
  p["bandwidth_from"] = k.bandwidth > 0 ? "given" : "rule " + std::string(kde::to_string(k.bandwidth_rule)) +
                                                        " on both periods' incidents together";
  p["cell_m"] = num(cell);
  p["cell_from"] = k.cell > 0 ? "given" : "rule " + std::string(kde::to_string(k.cell_rule));
  p["units"] = std::string(kde::to_string(o.units)) + " per month";
  p["mode"] = std::string(kde::to_string(o.mode));
  p["extent"] = explicit_extent ? "given" : study.label;
  p["grid"] = std::to_string(shape.nx) + " x " + std::to_string(shape.ny);
  p["difference"] = "after - before (per month)";
  p["log_ratio"] = "ln(after / before) where both exceed the floor, else blank (NaN)";
  p["floor"] = num(co.floor);
  p["floor_from"] = cs.floor >= 0 ? "given" : "one incident's kernel peak (" + num(peak) + ") / the longer period's months";
  if (cs.permutations > 0) {
    p["permutation_test"] =
        run.grids.exact ? "exact: all " + std::to_string(run.grids.relabelings) +
                              " distinct labelings of the incidents as before / after (p = share with |difference| "
                              ">= the observed, the observed included)"
                        : std::to_string(cs.permutations) +
                              " random relabelings of the incidents as before / after, counts kept (p = (1 + "
                              "#|difference| >= observed) / (R + 1), two-sided)";
    p["seed"] = std::to_string(cs.seed);
    p["fdr"] = cs.fdr ? "Benjamini-Hochberg adjusted p over the " + std::to_string(tested_cells(run.grids.p)) +
                            " cells of the study area (change/<name>_p_fdr.tif)"
                      : "off (p per cell, not corrected for the many cells tested)";
  } else {
    p["permutation_test"] = "off";
  }
  p["methods"] = "docs/methods.md in the hotspot source: \"Change over time\" (change surfaces)";
  return run;
}

}  // namespace

std::vector<std::shared_ptr<const ChangeRun>> build_change_surfaces(const RunSpec& spec, const RunResult& r) {
  std::vector<std::shared_ptr<const ChangeRun>> out;
  if (spec.change_surfaces.empty()) return out;
  Study study = study_area(spec.kde, r);
  for (const ChangeSurfaceSpec& c : spec.change_surfaces)
    out.push_back(std::make_shared<const ChangeRun>(build_one(c, spec, r, study)));
  return out;
}

}  // namespace hotspot::pipeline
