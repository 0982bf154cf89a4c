#include "pipeline/near_repeat_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <tuple>

#include "geo/crs.h"
#include "hotspot/names.h"
#include "io/format.h"
#include "pipeline/selection.h"
#include "stats/categories.h"
#include "stats/periods.h"

namespace hotspot::pipeline {
namespace {

std::string num(double v, int digits = 10) { return io::format_number(v, std::chars_format::general, digits); }
std::string fixed(double v, int decimals) { return io::format_number(v, std::chars_format::fixed, decimals); }

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string day_label(int64_t day) {
  const std::chrono::year_month_day d{std::chrono::sys_days{std::chrono::days{day}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()), unsigned(d.day()));
  return buf;
}

// Incidents of the analysis' categories (all when none) in its period.
std::vector<bool> selected(const NearRepeatSpec& s, const RunSpec& spec, const IncidentTable& t) {
  const std::string where = "near_repeat '" + s.name + "' ";
  return incidents_selected(s.categories, s.period, spec, t, where + "categories: ", where + "period: ");
}

std::string unit_word(const std::string& unit, bool plural) {
  return unit + (plural ? "s" : "");
}

std::string distance_label(double lo, double hi, bool same_location) {
  if (same_location) return "same location (< " + num(hi) + " m)";
  if (std::isinf(hi)) return num(lo) + " m or more";
  return num(lo) + "-" + num(hi) + " m";
}

// Whole units: [lo, hi) is lo..hi-1.
std::string time_label(double lo, double hi, const std::string& unit) {
  if (std::isinf(hi)) return num(lo) + " " + unit_word(unit, lo != 1) + " or more";
  const double last = std::ceil(hi) - 1;
  if (last <= lo) return lo == 0 ? "same " + unit : num(lo) + " " + unit_word(unit, lo != 1);
  return num(lo) + "-" + num(last) + " " + unit_word(unit, true);
}

// "within 200 m" / "within 14 days": the upper edge of band k. Months are
// whole calendar months: [0, 1) is "in the same month", [0, 3) "within 2 months".
std::string within(double hi, const std::string& unit) {
  if (unit == "month") return hi <= 1 ? "in the same month" : "within " + num(std::ceil(hi) - 1) + " " + unit_word(unit, std::ceil(hi) - 1 != 1);
  return "within " + num(hi) + " " + (unit == "m" ? "m" : unit_word(unit, hi != 1));
}

std::string selection_words(const NearRepeatSpec& s) {
  if (s.categories.empty()) return "Incidents";
  std::string w;
  for (size_t i = 0; i < s.categories.size(); ++i)
    w += (i == 0 ? "" : i + 1 == s.categories.size() ? " and " : ", ") + s.categories[i];
  return w + " incidents";
}

// Whether distance band 0 is the "same location" band.
bool has_same_location(const NearRepeatRun& run) {
  const auto& e = run.options.space.edges;
  return e.size() > 2 && e[0] == 0 && run.spec.same_location > 0 && e[1] <= run.spec.same_location;
}

// Rows 0..a (distance below the edge a+1) x columns 0..b of the table: the
// largest block of contiguous flagged near bands, from row `first` (by
// default the first band above "same location") in the first time band.
// {-1, -1} when that cell is not flagged.
std::pair<int, int> near_block(const NearRepeatRun& run, int first = -1) {
  const knox::Table& k = run.table;
  if (first < 0) first = has_same_location(run) && k.rows > 1 ? 1 : 0;
  if (k.rows == 0 || k.cols == 0 || !k.flagged[k.at(size_t(first), 0)]) return {-1, -1};
  size_t a = size_t(first), b = 0;
  while (a + 1 < k.rows && k.flagged[k.at(a + 1, 0)] && !std::isinf(run.options.space.edges[a + 2])) ++a;
  while (b + 1 < k.cols && k.flagged[k.at(size_t(first), b + 1)] && !std::isinf(run.options.time.edges[b + 2])) ++b;
  return {int(a), int(b)};
}

void write_readings(NearRepeatRun& run) {
  const knox::Table& k = run.table;
  const std::string& unit = run.unit;
  for (size_t a = 0; a < k.rows; ++a)
    for (size_t b = 0; b < k.cols; ++b) {
      const size_t c = k.at(a, b);
      if (!k.flagged[c]) continue;
      const std::string& d = run.distance_label[a];
      const std::string& w = run.time_label[b];
      const std::string where = d.rfind("same", 0) == 0 ? "at the " + d : d + " apart";
      const std::string when = w.rfind("same", 0) == 0 ? "in the " + w : w + " apart";
      run.readings.push_back("Pairs " + where + " and " + when + " were " +
                            fixed(k.ratio[c], 1) + " times as frequent as expected (observed " +
                            std::to_string(k.observed[c]) + ", expected " + fixed(k.expected[c], 1) +
                            ", p = " + num(k.p[c], 3) + ").");
    }
  auto [a, b] = near_block(run);
  const bool same_only = a < 0 && has_same_location(run) && near_block(run, 0).first >= 0;
  if (same_only) std::tie(a, b) = near_block(run, 0), a = 0;
  if (a < 0) {
    run.headline = "No near band stood out: no pair of distance and time bands next to the same place and time had "
                   "significantly more pairs than expected (p <= " + num(run.spec.alpha) + " and Knox ratio >= " +
                   num(run.spec.min_ratio) + "), so these data show no near-repeat pattern at these bands.";
    return;
  }
  int64_t o = 0;
  double e = 0;
  for (int r = 0; r <= a; ++r)
    for (int c = 0; c <= b; ++c) o += k.observed[k.at(size_t(r), size_t(c))], e += k.expected[k.at(size_t(r), size_t(c))];
  const double hi_d = run.options.space.edges[size_t(a) + 1], hi_t = run.options.time.edges[size_t(b) + 1];
  const std::string ratio = fixed(double(o) / e, 1) + " times as frequent as expected (" + std::to_string(o) +
                            " pairs against " + fixed(e, 1) +
                            " expected if the times had been shuffled among the same places)";
  if (same_only) {
    run.headline = run.what + " at the same location (< " + num(hi_d) + " m) as an earlier one " + within(hi_t, unit) +
                   " were " + ratio + "; no band beyond the same location stood out, so these data show repeats at "
                   "the same place but no near-repeat spread to neighbours.";
    run.parameters["near_block"] = "same location only, " + within(hi_t, unit);
    return;
  }
  run.headline = run.what + " " + within(hi_d, "m") + " of an earlier one " + within(hi_t, unit) + " were " + ratio + ".";
  run.parameters["near_block"] = within(hi_d, "m") + ", " + within(hi_t, unit);
}

void name_bands(NearRepeatRun& run) {
  const auto& de = run.options.space.edges;
  for (size_t a = 0; a + 1 < de.size(); ++a)
    run.distance_label.push_back(distance_label(de[a], de[a + 1], a == 0 && de[0] == 0 && de[1] <= run.spec.same_location &&
                                                                     run.spec.same_location > 0));
  const auto& te = run.options.time.edges;
  for (size_t b = 0; b + 1 < te.size(); ++b) run.time_label.push_back(time_label(te[b], te[b + 1], run.unit));
}

std::string edges_text(const knox::Bands& b) {
  std::string s;
  for (double e : b.edges) s += (s.empty() ? "" : ", ") + (std::isinf(e) ? std::string("inf") : num(e));
  return "[" + s + "]";
}

void cocoons(NearRepeatRun& run, const IncidentTable& t, const std::vector<size_t>& events) {
  double radius = run.spec.cocoon_radius;
  int days = run.spec.cocoon_days;
  auto& p = run.parameters;
  if (run.spec.cocoon_from_knox) {
    const auto [a, b] = near_block(run);
    if (a < 0) {
      run.warnings.push_back("near_repeat '" + run.spec.name + "': cocoon_from_knox: no flagged near band, so the "
                             "zones use cocoon_radius and cocoon_days (" + num(radius) + " m, " +
                             std::to_string(days) + " days)");
    } else {
      radius = run.options.space.edges[size_t(a) + 1];
      const double hi = run.options.time.edges[size_t(b) + 1];
      days = int(std::ceil(run.unit == "hour" ? hi / 24 : hi));
      p["cocoon_source"] = "the Knox table's contiguous flagged near bands";
    }
  }
  if (!p.count("cocoon_source")) p["cocoon_source"] = "cocoon_radius and cocoon_days";
  std::vector<double> x, y;
  std::vector<int64_t> minute;
  for (size_t i : events) x.push_back(t.x[i]), y.push_back(t.y[i]), minute.push_back(t.minute[i]);
  const auto t0 = std::chrono::steady_clock::now();
  run.cocoons = cocoon::build(x, y, minute, radius, days);
  run.cocoon_seconds = seconds_since(t0);
  run.zone_incident = events;
  run.has_cocoons = true;
  p["cocoon_radius_m"] = num(radius);
  p["cocoon_days"] = std::to_string(days);
  p["cocoon_zones"] = std::to_string(run.cocoons.zones.size());
  p["cocoon_inside_earlier_zone"] = std::to_string(run.cocoons.inside_earlier) + " of " +
                                    std::to_string(run.cocoons.events) + " (" +
                                    fixed(100 * run.cocoons.share(), 1) + "%)";
}

void risk_surface(NearRepeatRun& run, const IncidentTable& t, const std::vector<bool>& used, bool dated, int threads) {
  const NearRepeatSpec& s = run.spec;
  const std::string step = s.risk_step == "auto" ? (dated ? "week" : "month") : s.risk_step;
  if (step == "week" && !dated)
    throw ConfigError("near_repeat '" + s.name + "' risk_step = \"week\": the incidents are dated to the month only");
  std::vector<int32_t> st(t.size(), -1);
  int steps = 0;
  std::string first_label, last_label, next_label;
  if (step == "month") {
    MonthIndex lo = INT32_MAX, hi = INT32_MIN;
    for (size_t i = 0; i < t.size(); ++i)
      if (used[i]) lo = std::min(lo, t.month[i]), hi = std::max(hi, t.month[i]);
    for (size_t i = 0; i < t.size(); ++i)
      if (used[i]) st[i] = t.month[i] - lo;
    steps = hi - lo + 1;
    first_label = month_label(lo), last_label = month_label(hi), next_label = month_label(hi + 1);
    for (MonthIndex m = lo; m <= hi; ++m) run.risk_step_label.push_back(month_label(m));
  } else {
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < t.size(); ++i)
      if (used[i] && t.minute[i] != IncidentTable::kNoTime) {
        const int64_t d = floor_div(t.minute[i], 1440);
        lo = std::min(lo, d), hi = std::max(hi, d);
      }
    for (size_t i = 0; i < t.size(); ++i)
      if (used[i] && t.minute[i] != IncidentTable::kNoTime) st[i] = int32_t((floor_div(t.minute[i], 1440) - lo) / 7);
    steps = int((hi - lo) / 7 + 1);
    first_label = day_label(lo), last_label = day_label(lo + 7 * (steps - 1)), next_label = day_label(lo + 7 * steps);
    for (int k = 0; k < steps; ++k) run.risk_step_label.push_back(day_label(lo + 7 * k));
    if ((hi - lo + 1) % 7 != 0)
      run.warnings.push_back("near_repeat '" + s.name + "' risk: the last week (from " + last_label +
                             ") is partial: the data end on " + day_label(hi));
  }
  risk::Options o;
  o.cell = s.risk_cell, o.distance = s.risk_distance, o.top_percent = s.risk_top_percent;
  o.baseline_bandwidth = s.risk_baseline_bandwidth;
  o.lookback = s.risk_lookback > 0 ? s.risk_lookback : (step == "week" ? 8 : 3);
  o.threads = threads;
  const auto t0 = std::chrono::steady_clock::now();
  run.risk = risk::build(t.x, t.y, st, steps, o);
  run.risk_seconds = seconds_since(t0);
  run.has_risk = true;
  auto& p = run.parameters;
  p["risk_step"] = step;
  p["risk_steps"] = std::to_string(steps) + " (" + first_label + " .. " + last_label + ")";
  p["risk_next_step"] = next_label;
  run.risk_next_label = next_label;
  p["risk_lookback_steps"] = std::to_string(o.lookback);
  p["risk_distance_m"] = num(o.distance);
  p["risk_cell_m"] = num(o.cell);
  p["risk_formula"] = "sum over events of the last " + std::to_string(o.lookback) + " " + step + "s within " +
                      num(o.distance) + " m of 1/(1 + distance in cells) * 1/(1 + age in " + step + "s)";
  p["risk_grid"] = std::to_string(run.risk.grid.nx) + " x " + std::to_string(run.risk.grid.ny) + " cells from (" +
                   num(run.risk.grid.x0) + ", " + num(run.risk.grid.y0) + ")";
  p["risk_study_cells"] = std::to_string(run.risk.study_cells) + " (cells holding at least one selected incident)";
  p["risk_top_percent"] = num(o.top_percent) + " (" + std::to_string(run.risk.top_cells) + " cells)";
  p["risk_baselines"] = "quartic KDE of the previous " + step + " (radius " + num(o.baseline_bandwidth) +
                        " m); the previous " + step + "'s counts per cell";
  p["risk_backtest_steps"] = std::to_string(run.risk.backtest.size());
  p["risk_backtest_mean"] = "hit rate " + fixed(100 * run.risk.mean_hit, 1) + "%, PAI " + fixed(run.risk.mean_pai, 2) +
                            "; KDE baseline " + fixed(100 * run.risk.mean_hit_kde, 1) + "%, PAI " +
                            fixed(run.risk.mean_pai_kde, 2) + "; counts baseline " +
                            fixed(100 * run.risk.mean_hit_counts, 1) + "%, PAI " + fixed(run.risk.mean_pai_counts, 2);
}

NearRepeatRun build_one(const NearRepeatSpec& s, const RunSpec& spec, const RunResult& r) {
  NearRepeatRun run;
  run.spec = s;
  const IncidentTable& t = r.incidents;
  const std::vector<bool> used = selected(s, spec, t);
  int64_t chosen = 0, undated = 0;
  for (size_t i = 0; i < t.size(); ++i)
    if (used[i]) ++chosen, undated += t.minute[i] == IncidentTable::kNoTime;
  if (chosen < 2)
    throw InputError("near_repeat '" + s.name + "': " + std::to_string(chosen) +
                     " incidents selected; the Knox test needs at least 2");
  const bool dated = undated < chosen;
  run.unit = s.time_unit == "auto" ? (undated == 0 ? "day" : "month") : s.time_unit;
  if (run.unit != "month" && !dated)
    throw ConfigError("near_repeat '" + s.name + "' time_unit = \"" + run.unit +
                      "\": no selected incident has a date to the day (police.uk data is monthly: use time_unit = "
                      "\"month\" or \"auto\")");
  auto& p = run.parameters;
  if (run.unit != "month" && undated > 0)
    run.warnings.push_back("near_repeat '" + s.name + "': " + std::to_string(undated) +
                           " selected incidents have no day and are left out of the Knox test and the zones");
  std::vector<size_t> events;
  std::vector<double> x, y;
  std::vector<int64_t> tt;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!used[i]) continue;
    if (run.unit == "month") tt.push_back(t.month[i]);
    else if (t.minute[i] == IncidentTable::kNoTime) continue;
    else tt.push_back(run.unit == "day" ? floor_div(t.minute[i], 1440) : floor_div(t.minute[i], 60));
    events.push_back(i), x.push_back(t.x[i]), y.push_back(t.y[i]);
  }
  knox::Options& o = run.options;
  o.space = distance_bands(s, run.unit);
  o.time = time_bands(s, run.unit);
  o.metric = s.metric == "euclidean" ? knox::Metric::kEuclidean : knox::Metric::kManhattan;
  o.method = s.method == "exact" ? knox::Method::kExact : s.method == "monte_carlo" ? knox::Method::kMonteCarlo
                                                                                     : knox::Method::kAuto;
  o.permutations = s.permutations;
  o.seed = uint64_t(s.seed);
  o.threads = geo::thread_count(spec.threads);
  o.alpha = s.alpha, o.min_ratio = s.min_ratio;
  try {
    run.table = knox::knox_test(x, y, tt, o);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("near_repeat '" + s.name + "': " + e.what());
  }
  run.knox_seconds = run.table.seconds;
  run.what = selection_words(s);
  name_bands(run);
  write_readings(run);

  p["categories"] = s.categories.empty() ? "all" : [&] {
    std::string c;
    for (const std::string& k : s.categories) c += (c.empty() ? "" : "; ") + k;
    return c;
  }();
  p["period"] = s.period.empty() ? "all the data" : s.period;
  p["time_unit"] = run.unit + (s.time_unit == "auto" ? " (auto: " +
                                   std::string(undated == 0 ? "every selected incident has a date"
                                                            : "some selected incidents have only a month") + ")"
                                                     : std::string());
  p["incidents_selected"] = std::to_string(chosen);
  p["events_tested"] = std::to_string(run.table.events);
  p["distance_edges_m"] = edges_text(o.space);
  p["time_edges"] = edges_text(o.time) + " " + run.unit + "s; a gap of whole " + run.unit + "s, band [lo, hi)";
  p["metric"] = s.metric;
  p["method"] = run.table.exact ? "exact: every one of " + std::to_string(run.table.orderings) + " orderings of the times"
                                : "Monte Carlo: " + std::to_string(run.table.orderings) + " random orderings of the times";
  p["permutations"] = std::to_string(s.permutations);
  p["seed"] = std::to_string(s.seed);
  p["permutation_seeds"] = "SplitMix64 of (seed, permutation number); Fisher-Yates with Lemire's bounded integers "
                           "over std::mt19937_64: the same on any thread count";
  p["p_value"] = run.table.exact ? "#orderings with count >= observed / n!"
                                 : "(1 + #permutations with count >= observed) / (permutations + 1), one-sided";
  p["flag"] = "p <= " + num(s.alpha) + " and Knox ratio >= " + num(s.min_ratio);
  p["pairs_all"] = std::to_string(run.table.all_pairs);
  p["pairs_enumerated"] = std::to_string(run.table.close_pairs) + " (closer than " + num(o.space.finite_limit()) +
                          " m; open-ended bands from the time margins)";
  p["knox_seconds"] = fixed(run.table.seconds, 3);
  p["headline"] = run.headline;
  p["methods"] = "docs/methods.md, \"Near repeats (Knox test), cocooning and prospective risk\"";

  if (run.unit == "month")
    run.notes.push_back(
        "Month resolution: police.uk gives each incident's month only and snaps its location to an anonymous map "
        "point. This test can show whether incidents close together (at the scale of map points, 200 m and more) "
        "fall in the same or the next months more often than chance; it cannot show the days-to-weeks near-repeat "
        "risk that cocooning acts on, nor tell a repeat at the same address from a neighbour's (both share a map "
        "point), so its same-month bands mix near repeats with any local rise that lasts a month. No cocooning "
        "zones are drawn from month data; use dated data for them.");
  if (s.cocoons && run.unit != "month") cocoons(run, t, events);
  if (s.risk) risk_surface(run, t, used, dated && run.unit != "month", o.threads);
  return run;
}

}  // namespace

std::vector<std::shared_ptr<const NearRepeatRun>> build_near_repeat(const RunSpec& spec, const RunResult& result) {
  std::vector<std::shared_ptr<const NearRepeatRun>> out;
  for (NearRepeatSpec s : spec.near_repeat) {
    // A dry run checks the selection, units and bands; one shuffle is enough for that.
    if (spec.dry_run) s.permutations = 1, s.method = "monte_carlo";
    out.push_back(std::make_shared<const NearRepeatRun>(build_one(s, spec, result)));
  }
  return out;
}

}  // namespace hotspot::pipeline
