#include "stats/area_stats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

#include "geo/crs.h"
#include "geo/geos_util.h"
#include "hotspot/gistar.h"
#include "hotspot/errors.h"
#include "hotspot/names.h"

namespace hotspot::stats {

int64_t LayerStats::total_cur(int cat) const {
  int64_t n = 0;
  for (int a = 0; a < areas; ++a) n += cur(a, cat);
  return n;
}

int64_t LayerStats::total_prev(int cat) const {
  int64_t n = 0;
  for (int a = 0; a < areas; ++a) n += prev(a, cat);
  return n;
}

namespace {

bool monthly_only(const IncidentTable& t) {
  return std::all_of(t.minute.begin(), t.minute.end(), [](int64_t m) { return m == IncidentTable::kNoTime; });
}

Period resolve_period(const std::string& spec, MonthIndex latest, int fy_start, const char* what) {
  try {
    return parse_period(spec, latest, fy_start);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("stats.") + what + ": " + e.what());
  }
}

// Monthly data can only be counted in whole months: shrink and say so.
Period effective(const Period& p, bool monthly, std::vector<std::string>& notes) {
  if (!monthly || p.whole_months()) return p;
  auto whole = whole_months_within(p);
  if (!whole) throw ConfigError("period " + p.label + " contains no whole month, and the data is monthly");
  notes.push_back("period " + p.label + " counted as " + whole->label + ": the data is monthly (police.uk)");
  return *whole;
}

// "previous period 2018-02 is not covered by the data (2018-10 to 2019-02)".
std::string coverage_words(const char* which, const Period& p, const Coverage& c, const std::string& data) {
  return std::string(which) + " period " + p.label + " is " + c.words() + (c.none() ? " (" : " by the data (") +
         data + ")";
}

void check_coverage(StatsResult& r) {
  const std::string& data = r.data_months;
  std::vector<std::string> caveats;
  for (const auto& [which, p, c] : {std::tuple{"current", &r.current, &r.current_coverage},
                                    std::tuple{"previous", &r.previous, &r.previous_coverage}}) {
    if (c->full()) continue;
    const std::string words = coverage_words(which, *p, *c, data);
    caveats.push_back(words);
    r.warnings.push_back(words + (c->none() ? ": no data, so its counts, every change and every % variance are "
                                              "left blank"
                                            : ": its counts are for the covered months only, and every % variance "
                                              "compares unequal spans (marked *)"));
  }
  for (const std::string& c : caveats) r.variance_caveat += (r.variance_caveat.empty() ? "" : "; ") + c;
}

// The categories' counts per area for incidents in period p.
std::vector<int64_t> count(const IncidentTable& t, const Assignment& asg, const Period& p,
                           const std::vector<StatCategory>& cats, int areas) {
  const size_t nc = cats.size();
  // member_of[source category] -> the stat categories it counts towards.
  std::vector<std::vector<int>> member_of(t.categories.size());
  for (size_t c = 0; c < nc; ++c)
    for (size_t s = 0; s < t.categories.size(); ++s)
      if (cats[c].members[s]) member_of[s].push_back(int(c));
  std::vector<int64_t> out(size_t(areas) * nc, 0);
  for (size_t i = 0; i < t.size(); ++i) {
    const int32_t a = asg.area[i];
    if (a < 0 || !contains(p, t.month[i], t.minute[i])) continue;
    for (int c : member_of[t.category[i]]) ++out[size_t(a) * nc + size_t(c)];
  }
  return out;
}

// Rates and significance need population: say where it is missing.
void warn_population(const AreaLayer& layer, std::vector<std::string>& warnings) {
  if (!layer.has_population()) {
    warnings.push_back("layer " + layer.name + " has no population: no rates, significance classes or rates_" +
                       layer.name + " / significance_" + layer.name +
                       " tables for it (give population_field or population = {...} in its [[areas]] block)");
    return;
  }
  std::vector<std::string> missing;
  for (size_t a = 0; a < layer.size(); ++a)
    if (std::isnan(layer.population[a]) || layer.population[a] <= 0) missing.push_back(layer.code[a]);
  if (missing.empty()) return;
  std::string list;
  for (size_t i = 0; i < missing.size() && i < 5; ++i) list += (i ? ", " : "") + missing[i];
  warnings.push_back("layer " + layer.name + ": " + std::to_string(missing.size()) + " of " +
                     std::to_string(layer.size()) + " areas have no (or zero) population (" + list +
                     (missing.size() > 5 ? ", ..." : "") + "): no rate or significance class for them");
}

void rates_and_flags(LayerStats& s, const AreaLayer& layer, int headline, const StatsSpec& spec) {
  s.has_population = layer.has_population();
  s.rate.assign(size_t(s.areas), std::nan(""));
  s.significance.assign(size_t(s.areas), classify(0, 0.0));
  if (!s.has_population) return;
  double people = 0, observed = 0;
  for (int a = 0; a < s.areas; ++a) {
    const double pop = layer.population[size_t(a)];
    if (std::isnan(pop) || pop <= 0) continue;
    people += pop;
    observed += double(s.cur(a, headline));
  }
  if (spec.comparator_rate >= 0) {
    s.comparator_rate = spec.comparator_rate;
    s.comparator = "a given rate of " + std::to_string(spec.comparator_rate);
  } else {
    s.comparator_rate = people > 0 ? observed / people * spec.rate_per : 0;
    s.comparator = "the whole study area (all " + layer.name + " areas with population)";
  }
  for (int a = 0; a < s.areas; ++a) {
    const double pop = layer.population[size_t(a)];
    if (std::isnan(pop) || pop <= 0) continue;
    const int64_t o = s.cur(a, headline);
    s.rate[size_t(a)] = double(o) / pop * spec.rate_per;
    s.significance[size_t(a)] = classify(o, s.comparator_rate / spec.rate_per * pop);
  }
}

// Area-weighted centroid (shoelace over every ring, holes subtracted).
// Ring orientation is not normalised on reading and differs between sources
// (RFC 7946 GeoJSON: outer rings anticlockwise; shapefiles: clockwise), so
// each ring is weighted by its own orientation: every outer ring counts
// positive and every hole negative, whichever way round they were drawn.
Point centroid(const MultiPolygon& mp) {
  double a = 0, cx = 0, cy = 0;
  for (const Polygon& poly : mp)
    for (size_t r = 0; r < poly.size(); ++r) {
      const Ring& ring = poly[r];
      double ra = 0, rx = 0, ry = 0;
      for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const double f = ring[j].x * ring[i].y - ring[i].x * ring[j].y;
        ra += f;
        rx += (ring[j].x + ring[i].x) * f;
        ry += (ring[j].y + ring[i].y) * f;
      }
      const double sign = (ra < 0 ? -1.0 : 1.0) * (r == 0 ? 1.0 : -1.0);
      a += sign * ra;
      cx += sign * rx;
      cy += sign * ry;
    }
  return a != 0 ? Point{cx / (3 * a), cy / (3 * a)} : Point{NAN, NAN};
}

void area_gistar(LayerStats& s, const AreaLayer& layer, int headline, double distance, int threads) {
  if (s.areas < 3) return;
  gistar::Neighbours w;
  if (distance > 0) {
    std::vector<double> x, y;
    for (const MultiPolygon& mp : layer.geometry) {
      const Point c = centroid(mp);
      x.push_back(c.x);
      y.push_back(c.y);
    }
    w = gistar::distance_band(x, y, distance);
  } else {
    w = gistar::from_pairs(size_t(s.areas), geo::adjacent_pairs(layer.geometry, 1.0, geo::thread_count(threads)));
  }
  std::vector<double> counts(size_t(s.areas));
  for (int a = 0; a < s.areas; ++a) counts[size_t(a)] = double(s.cur(a, headline));
  const gistar::GiStar gi = gistar::gi_star(counts, w, false);
  s.gi_z = gi.z;
  s.gi_p = gi.p;
  s.gi_bin = gi.bin;
}

std::vector<RepeatLocation> repeats(const IncidentTable& t, const std::vector<AreaLayer>& layers,
                                    const std::vector<Assignment>& asg, const Period& p, int n) {
  // Police.uk snaps incidents to shared anonymous points: group by the
  // point (sorting indices: a map of millions of points is far slower).
  std::vector<size_t> in;
  for (size_t i = 0; i < t.size(); ++i)
    if (contains(p, t.month[i], t.minute[i])) in.push_back(i);
  auto less = [&](size_t a, size_t b) { return t.x[a] != t.x[b] ? t.x[a] < t.x[b] : t.y[a] < t.y[b] || (t.y[a] == t.y[b] && a < b); };
  std::sort(in.begin(), in.end(), less);
  std::vector<RepeatLocation> out;
  std::vector<size_t> rows;
  for (size_t g = 0; g < in.size();) {
    size_t e = g + 1;
    while (e < in.size() && t.x[in[e]] == t.x[in[g]] && t.y[in[e]] == t.y[in[g]]) ++e;
    rows.assign(in.begin() + long(g), in.begin() + long(e));
    g = e;
    const std::pair<double, double> pt{t.x[rows[0]], t.y[rows[0]]};
    if (rows.size() < 2) continue;
    RepeatLocation r;
    r.x = pt.first;
    r.y = pt.second;
    r.count = int64_t(rows.size());
    r.location = t.location_at(rows.front());
    std::map<std::string, int> cats;
    for (size_t i : rows) ++cats[t.categories[t.category[i]]];
    std::vector<std::pair<int, std::string>> sorted;
    for (const auto& [c, k] : cats) sorted.push_back({-k, c});
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [k, c] : sorted) r.categories += (r.categories.empty() ? "" : "; ") + c + " " + std::to_string(-k);
    for (size_t l = 0; l < layers.size(); ++l) {
      const int32_t a = asg[l].area[rows.front()];
      r.area_codes.push_back(a >= 0 ? layers[l].code[size_t(a)] : "");
    }
    out.push_back(std::move(r));
  }
  // Most incidents first; ties in a fixed spatial order (deterministic).
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  if (int(out.size()) > n) out.resize(size_t(n));
  return out;
}

}  // namespace

StatsResult compute_stats(const IncidentTable& t, const std::vector<AreaLayer>& layers,
                          const std::vector<Assignment>& assignments, const StatsSpec& spec, int threads) {
  StatsResult r;
  r.categories = build_categories(t.categories, spec);
  for (size_t c = 0; c < r.categories.size(); ++c)
    if (r.categories[c].name == spec.headline) r.headline = int(c);
  if (r.headline < 0) {
    std::vector<std::string> names;
    for (const StatCategory& c : r.categories) names.push_back(c.name);
    throw ConfigError("stats.headline: " + unknown_name("category or roll-up", spec.headline, names));
  }
  if (t.size() == 0) {
    r.notes.push_back("no incidents: no statistics");
    return r;
  }
  auto [lo, hi] = std::minmax_element(t.month.begin(), t.month.end());
  r.data_months = month_label(*lo) + " to " + month_label(*hi);
  const bool monthly = monthly_only(t);
  r.current = effective(resolve_period(spec.current, *hi, spec.fy_start_month, "current"), monthly, r.notes);
  if (spec.previous == "previous_year") r.previous = same_period_last_year(r.current);
  else if (spec.previous == "previous_period") r.previous = previous_period(r.current);
  else r.previous = effective(resolve_period(spec.previous, *hi, spec.fy_start_month, "previous"), monthly, r.notes);
  r.current_coverage = coverage(r.current, *lo, *hi);
  r.previous_coverage = coverage(r.previous, *lo, *hi);
  check_coverage(r);

  for (size_t l = 0; l < layers.size(); ++l) {
    LayerStats s;
    s.layer = layers[l].name;
    s.areas = int(layers[l].size());
    s.categories = int(r.categories.size());
    s.current = count(t, assignments[l], r.current, r.categories, s.areas);
    s.previous = count(t, assignments[l], r.previous, r.categories, s.areas);
    rates_and_flags(s, layers[l], r.headline, spec);
    warn_population(layers[l], r.warnings);
    area_gistar(s, layers[l], r.headline, spec.gistar_distance, threads);
    r.layers.push_back(std::move(s));
  }
  r.repeats = repeats(t, layers, assignments, r.current, spec.top_n);
  return r;
}

std::vector<Increase> top_increases(const LayerStats& s, const StatsResult& r, const AreaLayer& layer, int n) {
  std::vector<Increase> all;
  for (int a = 0; a < s.areas; ++a)
    for (int c = 0; c < s.categories; ++c)
      if (!r.categories[size_t(c)].rollup && s.cur(a, c) > s.prev(a, c)) all.push_back({a, c, s.prev(a, c), s.cur(a, c)});
  std::sort(all.begin(), all.end(), [&](const Increase& x, const Increase& y) {
    const int64_t dx = x.current - x.previous, dy = y.current - y.previous;
    if (dx != dy) return dx > dy;
    if (layer.code[size_t(x.area)] != layer.code[size_t(y.area)]) return layer.code[size_t(x.area)] < layer.code[size_t(y.area)];
    return x.category < y.category;
  });
  if (int(all.size()) > n) all.resize(size_t(n));
  return all;
}

std::vector<int> areas_by_rate(const LayerStats& s, const AreaLayer& layer) {
  std::vector<int> out;
  for (int a = 0; a < s.areas; ++a)
    if (!std::isnan(s.rate[size_t(a)])) out.push_back(a);
  std::sort(out.begin(), out.end(), [&](int x, int y) {
    if (s.rate[size_t(x)] != s.rate[size_t(y)]) return s.rate[size_t(x)] > s.rate[size_t(y)];
    return layer.code[size_t(x)] < layer.code[size_t(y)];
  });
  return out;
}

}  // namespace hotspot::stats
