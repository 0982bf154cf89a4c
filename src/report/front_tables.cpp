#include "report/front_tables.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <unordered_map>

#include "geo/geos_util.h"
#include "geo/point_locator.h"
#include "io/family_table.h"
#include "pipeline/stats_outputs.h"
#include "report/svg_map.h"
#include "stats/area_stats.h"

namespace hotspot::report {
namespace {

using Rows = std::vector<std::vector<std::string>>;

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The run's own name of category `wanted` ("" when it has none).
std::string run_category(const stats::StatsResult& s, const StatsSpec& spec, const std::string& wanted) {
  const auto alias = spec.aliases.find(wanted);
  const std::string name = lower(alias == spec.aliases.end() ? wanted : alias->second);
  for (const stats::StatCategory& c : s.categories)
    if (lower(c.name) == name) return c.name;
  return "";
}

std::vector<std::string> resolve(const RunResult& r, const RunSpec& spec, const std::vector<std::string>& wanted,
                                 bool given, const std::string& key) {
  std::vector<std::string> out;
  if (!r.stats) return out;
  for (const std::string& w : wanted) {
    const std::string c = run_category(*r.stats, spec.stats, w);
    if (!c.empty() && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    if (c.empty() && given) {
      std::string have;
      for (const stats::StatCategory& s : r.stats->categories) have += (have.empty() ? "" : ", ") + s.name;
      throw ConfigError("report." + key + ": the run has no category '" + w + "' (after [stats.aliases]); it has: " +
                        have);
    }
  }
  return out;
}

// "12.3456" -> "12.35"; text that is not a number (the marker) as it is.
std::string rounded(const std::string& v, int decimals) {
  if (v.empty()) return v;
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  return end && *end == '\0' && std::isfinite(x) ? num(x, decimals) : v;
}

bool small_count(const std::string& v) {
  return !v.empty() && std::isdigit(static_cast<unsigned char>(v[0])) && std::stoll(v) < 10;
}

// A % variance cell: the published text, marked when either count is under
// 10 (the briefings' rule: such a variance swings widely).
std::string variance_cell(const std::string& prev, const std::string& cur, const std::string& variance) {
  std::string o = html_escape(variance);
  if (!variance.empty() && (small_count(prev) || small_count(cur)))
    o += "<span class=\"small-n\" title=\"a count under 10\">\u2020</span>";
  return o;
}

// report.family and the rows of report.family_path (which win), keyed by
// the run's own category names.
std::map<std::string, std::map<std::string, double>> family_rates(const RunResult& r, const RunSpec& spec) {
  std::map<std::string, std::map<std::string, double>> given = spec.report.family, out;
  if (!spec.report.family_path.empty())
    for (auto& [category, areas] : io::read_family_csv(spec.report.family_path))
      for (auto& [area, rate] : areas) given[category][area] = rate;
  if (!r.stats) return out;
  for (const auto& [category, areas] : given) {
    const std::string name = resolve(r, spec, {category}, true, "family")[0];
    for (const auto& [area, rate] : areas) out[name][area] = rate;
  }
  return out;
}

}  // namespace

FrontData::FrontData(const RunResult& result, const RunSpec& run_spec, const std::vector<io::OutTable>* given)
    : r(result), spec(run_spec) {
  for (size_t i = 0; i < r.layers.size(); ++i)
    if (r.layers[i].name == spec.stats.table_layer) layer = int(i);
  if (layer < 0) layer = int(r.layers.size()) - 1;
  if (given)
    tables = given;
  else if (r.stats)
    own_tables = pipeline::stats_tables(r, spec.stats);
  family = family_rates(r, spec);
}

const io::OutTable* FrontData::table(const std::string& name) const {
  for (const io::OutTable& t : *tables)
    if (t.name == name) return &t;
  return nullptr;
}

size_t column(const io::OutTable& t, const std::string& name) {
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].name == name) return i;
  throw OutputError("front page: table " + t.name + " has no column " + name);
}

std::string html_table_rows(const std::vector<std::string>& head, const Rows& rows, const std::string& align,
                            const std::string& id) {
  auto cls = [&](size_t c) { return c < align.size() && align[c] == 'r' ? " class=\"n\"" : ""; };
  std::string o = "<table" + (id.empty() ? std::string() : " id=\"" + id + "\"") + "><thead><tr>";
  for (size_t c = 0; c < head.size(); ++c) o += std::string("<th") + cls(c) + ">" + html_escape(head[c]) + "</th>";
  o += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    o += "<tr>";
    for (size_t c = 0; c < row.size(); ++c) o += std::string("<td") + cls(c) + ">" + html_escape(row[c]) + "</td>";
    o += "</tr>";
  }
  return o + "</tbody></table>";
}

std::vector<std::string> key_categories(const RunResult& r, const RunSpec& spec) {
  const auto& given = spec.report.key_categories;
  if (!given.empty()) return resolve(r, spec, given, true, "key_categories");
  return resolve(r, spec, {"All crime", "Burglary", "Vehicle crime", "Anti-social behaviour"}, false,
                 "key_categories");
}

void check_report_categories(const RunResult& r, const RunSpec& spec) {
  key_categories(r, spec);
  resolve(r, spec, spec.report.overview_categories, true, "overview_categories");
  family_rates(r, spec);
}

std::optional<FamilyPosition> family_position(double own_rate, const std::map<std::string, double>& family,
                                              const std::string& own_name) {
  if (!std::isfinite(own_rate)) return std::nullopt;
  FamilyPosition p{1, 1};
  for (const auto& [name, rate] : family) {
    if (!own_name.empty() && lower(name) == lower(own_name)) continue;
    ++p.of;
    if (rate < own_rate) ++p.position;  // ties share the better position
  }
  return p;
}

namespace {

// One category's row of an area's block, appended piece by piece (~31 MB
// of rows on all English LSOAs: no temporary string per row).
void append_jag_row(std::string& o, const std::string& code, const std::string& category, const std::string& prev,
                    const std::string& cur, const std::string& var) {
  o += "<tr data-area=\"";
  o += html_escape(code);
  o += "\" data-category=\"";
  const std::string k = html_escape(category);
  o += k;
  o += "\"><td>";
  o += k;
  o += "</td><td class=\"n\">";
  o += html_escape(prev);
  o += "</td><td class=\"n\">";
  o += html_escape(cur);
  o += "</td><td class=\"n\">";
  o += variance_cell(prev, cur, var);
  o += "</td></tr>";
}

}  // namespace

// One block per area (code and description), then previous, current and %
// variance of each key category: the CSP's published layout
// (seed-tables/charnwood_beats_ytd_2019_20.csv).
size_t append_jag_table_html(std::string& o, const FrontData& d, const std::vector<std::string>& keys) {
  const char* const none_here = "<p class=\"note\">No area statistics in this run.</p>";
  if (d.layer < 0 || !d.r.stats) {
    o += none_here;
    return 0;
  }
  const AreaLayer& layer = d.r.layers[size_t(d.layer)];
  const io::OutTable* t = d.table("comparison_" + layer.name);
  if (!t) {
    o += none_here;
    return 0;
  }
  const size_t code = column(*t, "area_code"), cat = column(*t, "category"), prev = column(*t, "previous"),
               cur = column(*t, "current"), var = column(*t, "variance");
  o += "<table id=\"jag-table\" class=\"jag\"><thead><tr><th>" + html_escape(layer.name) +
       " / category</th><th class=\"n\">Previous<br>" + html_escape(d.r.stats->previous.label) +
       "</th><th class=\"n\">Current<br>" + html_escape(d.r.stats->current.label) +
       "</th><th class=\"n\">% variance</th></tr></thead>";
  // The table's rows by area code, in table order: one pass, not a scan of
  // every row per area and category (quadratic: minutes for 32,844 LSOAs).
  std::unordered_map<std::string_view, std::vector<size_t>> rows_of;
  for (size_t i = 0; i < t->rows.size(); ++i) rows_of[t->rows[i][code]].push_back(i);
  const std::vector<size_t> none;
  size_t quiet = 0;
  for (size_t a = 0; a < layer.size(); ++a) {
    const auto found = rows_of.find(layer.code[a]);
    const std::vector<size_t>& area_rows = found == rows_of.end() ? none : found->second;
    // An area with 0 in both periods in every category says nothing at a
    // meeting; on all English LSOAs such blocks were ~98% of a 30 MB table
    // that no browser shows usefully. Left out and counted (the note under
    // the table says so); their rows stay in comparison_<layer>. A withheld
    // count is not "0", so in public mode no withheld area is left out.
    const bool all_zero = std::all_of(area_rows.begin(), area_rows.end(),
                                      [&](size_t i) { return t->rows[i][prev] == "0" && t->rows[i][cur] == "0"; });
    if (all_zero && !area_rows.empty()) {
      ++quiet;
      continue;
    }
    o += "<tbody class=\"block\"><tr class=\"block-head\"><th colspan=\"4\"><span class=\"code\">";
    o += html_escape(layer.code[a]) + "</span> " + html_escape(layer.label[a]) + "</th></tr>";
    for (const std::string& k : keys)
      for (size_t i : area_rows)
        if (const auto& row = t->rows[i]; row[cat] == k) append_jag_row(o, row[code], k, row[prev], row[cur], row[var]);
    o += "</tbody>";
  }
  o += "</table>";
  return quiet;
}

// The study area in every category: current, previous, % variance (the
// TOTAL rows of the JAG table's layer) and, where the family's rates are
// given, its position among them (seed-tables/charnwood_overview_ytd_2019_20.csv).
std::string overview_html(const FrontData& d) {
  if (d.layer < 0 || !d.r.stats) return "<p class=\"note\">No area statistics in this run.</p>";
  const AreaLayer& layer = d.r.layers[size_t(d.layer)];
  const io::OutTable* t = d.table("comparison_" + layer.name);
  if (!t) return "<p class=\"note\">No area statistics in this run.</p>";
  std::vector<std::string> cats = resolve(d.r, d.spec, d.spec.report.overview_categories, true, "overview_categories");
  if (d.spec.report.overview_categories.empty()) {
    for (const stats::StatCategory& c : d.r.stats->categories)
      if (c.rollup) cats.push_back(c.name);
    for (const stats::StatCategory& c : d.r.stats->categories)
      if (!c.rollup) cats.push_back(c.name);
  }
  double population = 0;
  if (layer.has_population())
    for (double p : layer.population) population += p;
  const size_t code = column(*t, "area_code"), cat = column(*t, "category"), prev = column(*t, "previous"),
               cur = column(*t, "current"), var = column(*t, "variance");
  // The TOTAL rows, in table order, found in one pass: scanning all rows
  // once per category was ~8M comparisons on all English LSOAs (525k rows).
  std::vector<const std::vector<std::string>*> totals;
  for (const auto& row : t->rows)
    if (row[code] == "TOTAL") totals.push_back(&row);
  bool any_family = false;
  Rows rows;
  for (const std::string& c : cats)
    for (const std::vector<std::string>* total : totals) {
      const std::vector<std::string>& row = *total;
      if (row[cat] != c) continue;
      std::string position;
      const auto family = d.family.find(c);
      if (family != d.family.end()) {
        any_family = true;
        char* end = nullptr;
        const double n = std::strtod(row[cur].c_str(), &end);
        const bool counted = !row[cur].empty() && end && *end == '\0';
        const auto p = counted && population > 0
                           ? family_position(n / population * d.spec.stats.rate_per, family->second,
                                             d.spec.report.area_name)
                           : std::nullopt;
        position = p ? std::to_string(p->position) + "/" + std::to_string(p->of)
                   : !counted ? "withheld" : "no population";
      }
      rows.push_back({c, row[cur], row[prev], row[var], position});
    }
  std::string o = html_table_rows({"Category", "Current (" + d.r.stats->current.label + ")",
                                   "Previous (" + d.r.stats->previous.label + ")", "% variance",
                                   "Family group position"},
                                  rows, "lrrrr", "overview");
  o += "<p class=\"note\">" +
       html_escape("Totals of all " + layer.name + " areas (incidents outside every " + layer.name +
                   " area are not in them). ") +
       html_escape(any_family
                       ? "Family group position: the study area's rate per " + num(d.spec.stats.rate_per, 0) +
                             " people in the current period among the comparator areas' rates given in the "
                             "configuration ([report.family]); 1 = the lowest rate."
                       : "No family of comparator areas is configured ([report.family]): no family group position.") +
       "</p>";
  return o;
}

std::string increases_html(const FrontData& d) {
  if (d.layer < 0 || !d.r.stats) return "<p class=\"note\">No area statistics in this run.</p>";
  const AreaLayer& layer = d.r.layers[size_t(d.layer)];
  const io::OutTable* t = d.table("top_increases_" + layer.name);
  if (!t || t->rows.empty()) return "<p class=\"note\">No category increased in any area.</p>";
  Rows rows;
  for (const auto& row : t->rows) {
    rows.push_back({});
    for (const char* c : {"rank", "area_code", "area_name", "category", "previous", "current", "change", "variance"})
      rows.back().push_back(row[column(*t, c)]);
  }
  std::string o = html_table_rows({"Rank", layer.name, "Name", "Category", "Previous", "Current", "Change", "% variance"},
                                  rows, "rlllrrrr", "top-increases");
  if (d.pub())
    o += "<p class=\"note\">Public: only increases whose counts are both published are ranked.</p>";
  return o;
}

// The areas of the first other layer with population (the LSOAs) flagged
// significantly higher than the comparator, each with the JAG layer's area
// holding its interior point (the ONS best fit).
std::string flagged_areas_html(const FrontData& d) {
  if (d.layer < 0 || !d.r.stats) return "<p class=\"note\">No area statistics in this run.</p>";
  int fine = -1;
  for (size_t l = 0; l < d.r.stats->layers.size() && fine < 0; ++l)
    if (int(l) != d.layer && d.r.stats->layers[l].has_population) fine = int(l);
  if (fine < 0) return "<p class=\"note\">No other area layer with population: no areas flagged.</p>";
  const AreaLayer& finer = d.r.layers[size_t(fine)];
  const AreaLayer& jag = d.r.layers[size_t(d.layer)];
  const io::OutTable* t = d.table("significance_" + finer.name);
  if (!t) return "<p class=\"note\">No significance table for " + html_escape(finer.name) + ".</p>";
  const geo::PointLocator locate(jag.geometry);
  const std::vector<Point> inside = geo::interior_points(finer.geometry);
  const size_t sig = column(*t, "significance");
  Rows rows;
  for (size_t a = 0; a < t->rows.size(); ++a) {
    const auto& row = t->rows[a];
    if (row[sig].rfind("significantly higher", 0) != 0) continue;
    const int32_t b = a < inside.size() ? locate.locate(inside[a].x, inside[a].y) : -1;
    rows.push_back({row[column(*t, "area_code")], row[column(*t, "area_name")],
                    b < 0 ? "outside every " + jag.name : jag.code[size_t(b)] + " " + jag.label[size_t(b)],
                    row[column(*t, "observed")], rounded(row[column(*t, "rate")], 2),
                    rounded(row[column(*t, "expected")], 1), rounded(row[column(*t, "o_e")], 2), row[sig]});
  }
  const stats::LayerStats& s = d.r.stats->layers[size_t(fine)];
  const std::string comparator = d.spec.stats.comparator_rate >= 0 ? num(d.spec.stats.comparator_rate, 2)
                                 : d.pub()                         ? "the study area's rate"
                                                                   : num(s.comparator_rate, 2);
  std::string o = "<p>" +
                  html_escape(std::to_string(rows.size()) + " of " + std::to_string(finer.size()) + " " + finer.name +
                              " areas: " + d.spec.stats.headline + " rate in " + d.r.stats->current.label +
                              " significantly higher than the comparator (" + comparator + " per " +
                              num(d.spec.stats.rate_per, 0) + "; " + s.comparator + ").") +
                  "</p>";
  if (rows.empty()) return o;
  return o + html_table_rows({finer.name, "Name", jag.name + " (best fit)", "Incidents", "Rate", "Expected", "O/E",
                              "Significance"},
                             rows, "lllrrrrl", "flagged-areas");
}

}  // namespace hotspot::report
