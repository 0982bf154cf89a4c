#include "pipeline/stats_outputs.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "io/format.h"
#include "pipeline/outputs.h"
#include "stats/disclosure.h"
#include "stats/variance.h"

namespace hotspot::pipeline {

std::string fixed(double v, int decimals) { return io::format_number(v, std::chars_format::fixed, decimals); }

std::string exact(double v) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back as v
  return ec == std::errc() ? std::string(buf, end) : "";
}

namespace {

using io::ColumnType;
using io::OutTable;
using stats::SignificanceClass;

// What may be published of one layer's statistics.
class View {
 public:
  View(const RunResult& r, size_t l, const StatsSpec& spec)
      : s(r.stats->layers[l]), stats(*r.stats), layer(r.layers[l]), marker_(spec.marker),
        d_(r.disclosure ? &r.disclosure->layers[l] : nullptr), derived_comparator_(spec.comparator_rate < 0) {}

  bool cur_hidden(int a, int c) const { return d_ && d_->cur_hidden(s, a, c); }
  bool prev_hidden(int a, int c) const { return d_ && d_->prev_hidden(s, a, c); }
  bool total_hidden(bool current, int c) const {
    return d_ && (current ? d_->current : d_->previous).hidden_total[size_t(c)];
  }
  // previous, current, change, % variance for one cell (area -1 = TOTAL).
  std::vector<std::string> comparison(int a, int c) const {
    const int64_t p = a < 0 ? s.total_prev(c) : s.prev(a, c), k = a < 0 ? s.total_cur(c) : s.cur(a, c);
    const bool hp = a < 0 ? total_hidden(false, c) : prev_hidden(a, c);
    const bool hk = a < 0 ? total_hidden(true, c) : cur_hidden(a, c);
    // A period the data do not cover has no counts: blank, not 0 and -100%.
    const bool np = !stats.previous_has_data(), nk = !stats.current_has_data();
    auto count = [&](bool none, bool hidden, int64_t v) { return none ? "" : hidden ? marker_ : std::to_string(v); };
    if (np || nk) return {count(np, hp, p), count(nk, hk, k), "", ""};
    return {hp ? marker_ : std::to_string(p), hk ? marker_ : std::to_string(k),
            hp || hk ? marker_ : std::to_string(k - p), hp || hk ? marker_ : stats::format_variance(p, k)};
  }
  // % variance as a number, 100 (current - previous) / previous (cell as in
  // comparison(); the caller publishes it only where the text is shown).
  double variance(int a, int c) const {
    const double p = double(a < 0 ? s.total_prev(c) : s.prev(a, c)), k = double(a < 0 ? s.total_cur(c) : s.cur(a, c));
    return 100 * (k - p) / p;
  }
  // What every % variance of the run must carry ("" when none): see StatsResult.
  const std::string& caveat() const { return stats.variance_caveat; }
  // rate ... sig_score for the headline (see kSignificanceColumns).
  std::vector<std::string> significance(int a) const {
    const stats::AreaSignificance& g = s.significance[size_t(a)];
    if (g.cls == SignificanceClass::kNotApplicable) return {"", "", "", "", "", "", "", "", "not applicable", ""};
    const std::string expected = comparator_withheld() ? marker_ : exact(g.expected);
    if (cur_hidden(a, stats.headline))
      return {marker_, expected, marker_, marker_, marker_, marker_, marker_, marker_, "withheld (small count)", ""};
    // Data keep full precision (a reader re-checks a flag from the limits);
    // rounding is for display only (headline_table, the briefing).
    return {exact(s.rate[size_t(a)]),  expected,       exact(g.ratio),
            exact(g.ratio95.lower),    exact(g.ratio95.upper),  exact(g.ratio998.lower),
            exact(g.ratio998.upper),   std::to_string(s.cur(a, stats.headline)),
            std::string(stats::to_string(g.cls)), score(g.cls)};
  }
  static std::string score(SignificanceClass c) {
    // An integer for graduated styles: +3 significantly higher (99.8%) ... -3.
    switch (c) {
      case SignificanceClass::kSignificantlyHigher998: return "3";
      case SignificanceClass::kSignificantlyHigher95: return "2";
      case SignificanceClass::kAboveAverage: return "1";
      case SignificanceClass::kAverage: return "0";
      case SignificanceClass::kBelowAverage: return "-1";
      case SignificanceClass::kSignificantlyLower95: return "-2";
      case SignificanceClass::kSignificantlyLower998: return "-3";
      case SignificanceClass::kNotApplicable: break;
    }
    return "";
  }
  // Gi* of the headline counts: z, p, bin ("" where not computed).
  std::vector<std::string> gi(int a) const {
    if (s.gi_z.empty() || std::isnan(s.gi_z[size_t(a)])) return {"", "", ""};
    return {exact(s.gi_z[size_t(a)]), exact(s.gi_p[size_t(a)]), std::to_string(s.gi_bin[size_t(a)])};
  }
  bool public_mode() const { return d_ != nullptr; }
  // The comparator is the study area's own rate, TOTAL / population: with
  // the TOTAL withheld it (and every expected count) would give it away.
  bool comparator_withheld() const { return derived_comparator_ && total_hidden(true, stats.headline); }
  std::string comparator() const { return comparator_withheld() ? marker_ : exact(s.comparator_rate); }

  const stats::LayerStats& s;
  const stats::StatsResult& stats;
  const AreaLayer& layer;

 private:
  std::string marker_;
  const stats::LayerDisclosure* d_;
  bool derived_comparator_;
};

const char* const kSignificanceColumns[] = {"rate",      "expected",  "o_e",      "lo95_o_e",     "hi95_o_e",
                                            "lo998_o_e", "hi998_o_e", "observed", "significance", "sig_score"};

// Counts are text columns in public mode (they may hold the marker).
void add_significance_columns(OutTable& t, bool public_mode) {
  for (const char* c : kSignificanceColumns) {
    const std::string n = c;
    ColumnType type = n == "significance" ? ColumnType::kText
                      : n == "observed" || n == "sig_score" ? ColumnType::kInteger
                                                            : ColumnType::kReal;
    if (public_mode && n != "sig_score" && n != "significance") type = ColumnType::kText;
    t.add_column(c, type);
  }
}

ColumnType count_type(const View& v) { return v.public_mode() ? ColumnType::kText : ColumnType::kInteger; }

OutTable comparison_table(const View& v) {
  const stats::StatsResult& r = v.stats;
  OutTable out;
  out.name = "comparison_" + v.layer.name;
  for (const char* c : {"area_code", "area_name", "category", "previous_period", "current_period"}) out.add_column(c);
  for (const char* c : {"previous", "current", "change"}) out.add_column(c, count_type(v));
  out.add_column("variance");
  out.add_column("variance_caveat");  // "" unless a period is not (or only partly) covered by the data
  // Each row allocated once at its width, and the rows once: 525k rows of
  // 10 on all English LSOAs, whose regrowth (5 -> 10 -> 20 strings) had
  // been an allocation and a copy per row (bench/RESULTS.md, perf-areas5).
  out.rows.reserve(size_t(v.s.areas + 1) * size_t(v.s.categories));
  auto add = [&](const std::string& code, const std::string& name, int a, int c) {
    std::vector<std::string> row;
    row.reserve(out.columns.size());
    for (const std::string* x : {&code, &name, &r.categories[size_t(c)].name, &r.previous.label, &r.current.label})
      row.push_back(*x);
    for (std::string& x : v.comparison(a, c)) row.push_back(std::move(x));
    row.push_back(v.caveat());  // also says why a variance is blank (a period without data)
    out.rows.push_back(std::move(row));
  };
  for (int a = 0; a < v.s.areas; ++a)
    for (int c = 0; c < v.s.categories; ++c) add(v.layer.code[size_t(a)], v.layer.label[size_t(a)], a, c);
  // The TOTAL row is the sum of the areas above it (unmatched incidents excluded).
  for (int c = 0; c < v.s.categories; ++c) add("TOTAL", "all " + v.layer.name + " areas", -1, c);
  return out;
}

OutTable significance_table(const View& v, const StatsSpec& spec, bool by_rate) {
  const stats::StatsResult& r = v.stats;
  OutTable out;
  out.name = (by_rate ? "rates_" : "significance_") + v.layer.name;
  if (by_rate) out.add_column("rank", ColumnType::kInteger);
  for (const char* c : {"area_code", "area_name", "category", "period"}) out.add_column(c);
  out.add_column("population", ColumnType::kReal);
  add_significance_columns(out, v.public_mode());
  out.add_column("comparator_rate", v.public_mode() ? ColumnType::kText : ColumnType::kReal);
  out.add_column("rate_per", ColumnType::kReal);
  std::vector<int> order;
  if (by_rate) order = stats::areas_by_rate(v.s, v.layer);
  else
    for (int a = 0; a < v.s.areas; ++a) order.push_back(a);
  int rank = 0;
  for (int a : order) {
    // A rank by rate would place a withheld count: leave those areas out.
    if (by_rate && v.cur_hidden(a, r.headline)) continue;
    std::vector<std::string> row;
    if (by_rate) row.push_back(std::to_string(++rank));
    for (const std::string& x : {v.layer.code[size_t(a)], v.layer.label[size_t(a)],
                                 r.categories[size_t(r.headline)].name, r.current.label,
                                 v.layer.has_population() ? fixed(v.layer.population[size_t(a)], 0) : ""})
      row.push_back(x);
    for (std::string& x : v.significance(a)) row.push_back(std::move(x));
    row.push_back(v.comparator());
    row.push_back(fixed(spec.rate_per, 0));
    out.rows.push_back(std::move(row));
  }
  return out;
}

OutTable increases_table(const View& v, const StatsSpec& spec) {
  const stats::StatsResult& r = v.stats;
  OutTable out;
  out.name = "top_increases_" + v.layer.name;
  out.add_column("rank", ColumnType::kInteger);
  for (const char* c : {"area_code", "area_name", "category"}) out.add_column(c);
  for (const char* c : {"previous", "current", "change"}) out.add_column(c, ColumnType::kInteger);
  out.add_column("variance");
  out.add_column("variance_caveat");
  // No increase can be told when a period has no data at all.
  if (!r.current_has_data() || !r.previous_has_data()) return out;
  // Public mode ranks only publishable cells: all increases are ranked, then
  // withheld ones dropped, so a listed change never hides a small count.
  const auto all = stats::top_increases(v.s, r, v.layer, v.s.areas * v.s.categories);
  int rank = 0;
  for (const stats::Increase& x : all) {
    if (rank >= spec.top_n) break;
    if (v.cur_hidden(x.area, x.category) || v.prev_hidden(x.area, x.category)) continue;
    out.rows.push_back({std::to_string(++rank), v.layer.code[size_t(x.area)], v.layer.label[size_t(x.area)],
                        r.categories[size_t(x.category)].name, std::to_string(x.previous), std::to_string(x.current),
                        std::to_string(x.current - x.previous), stats::format_variance(x.previous, x.current),
                        v.caveat()});
  }
  return out;
}

OutTable repeats_table(const RunResult& result, const StatsSpec& spec) {
  const stats::StatsResult& r = *result.stats;
  const bool pub = result.disclosure != nullptr;
  OutTable out;
  out.name = "repeat_locations";
  // Public mode: no points (they are incident locations), no small counts.
  out.kind = pub ? io::GeometryKind::kNone : io::GeometryKind::kPoint;
  out.add_column("rank", ColumnType::kInteger);
  out.add_column("location");
  out.add_column("count", ColumnType::kInteger);
  out.add_column("categories");
  out.add_column("period");
  for (const AreaLayer& l : result.layers) out.add_column(l.name + "_code");
  int rank = 0;
  for (const stats::RepeatLocation& p : r.repeats) {
    if (pub && p.count <= spec.suppress_below) continue;
    std::vector<std::string> row = {std::to_string(++rank), p.location, std::to_string(p.count),
                                    pub ? "" : p.categories, r.current.label};
    row.insert(row.end(), p.area_codes.begin(), p.area_codes.end());
    out.rows.push_back(std::move(row));
    if (!pub) out.points.push_back({p.x, p.y});
  }
  return out;
}

OutTable parameters_table(const RunResult& result, const StatsSpec& spec) {
  const stats::StatsResult& r = *result.stats;
  OutTable out;
  out.name = "statistics_parameters";
  out.add_column("key");
  out.add_column("value");
  auto add = [&](const std::string& k, const std::string& v) { out.rows.push_back({k, v}); };
  auto span = [](const stats::Period& p) {
    return p.label + " (" + stats::day_label(p.first_day) + " to " + stats::day_label(p.last_day) + ")";
  };
  add("current_period", span(r.current));
  add("previous_period", span(r.previous));
  add("data_months", r.data_months);
  add("current_period_coverage", r.current_coverage.words());
  add("previous_period_coverage", r.previous_coverage.words());
  if (!r.variance_caveat.empty()) add("variance_caveat", r.variance_caveat);
  add("extracted", spec.extracted.empty() ? "not stated" : spec.extracted);
  add("financial_year_start_month", std::to_string(spec.fy_start_month));
  add("headline_category", spec.headline);
  add("rate_per", fixed(spec.rate_per, 0));
  add("comparator", spec.comparator_rate >= 0 ? "given rate " + fixed(spec.comparator_rate, 4) : "study area");
  add("confidence_limits", "Byar for O >= 10, exact Poisson below; 95% and 99.8%");
  // Where a reader finds the formulas: the repository's own methods page.
  add("methods", std::string("docs/methods.md in the hotspot source: \"Periods\", \"Percent variance\", "
                             "\"Rates, expected counts and significance\"") +
                     (spec.public_mode ? ", \"Disclosure control (public packs)\"" : ""));
  add("disclosure", spec.public_mode ? "public: counts 1.." + std::to_string(spec.suppress_below) +
                                           " withheld as '" + spec.marker + "', with secondary suppression"
                                     : "restricted: all counts shown");
  if (result.disclosure) {
    const stats::Disclosure& d = *result.disclosure;
    add("withheld_values", std::to_string(d.hidden));
    add("disclosure_audit", "every withheld count of 1.." + std::to_string(d.rule.k) + " keeps at least " +
                                std::to_string(d.rule.min_values) + " possible values, with 0 or all of 1.." +
                                std::to_string(d.rule.k) + ", against " + std::to_string(d.sums) +
                                " exact sums at once (" + stats::audit_solver() + ")");
    add("disclosure_audit_rounds", std::to_string(d.audit_rounds));
    add("disclosure_hidden_by_audit", std::to_string(d.hidden_by_audit));
    add("disclosure_exposed_after_audit", std::to_string(d.audit.exposed.size()));
  }
  for (const stats::StatCategory& c : r.categories) {
    if (!c.rollup) continue;
    std::string members;
    for (size_t i = 0; i < c.members.size(); ++i)
      if (c.members[i]) members += (members.empty() ? "" : " + ") + result.incidents.categories[i];
    add("rollup:" + c.name, members);
  }
  for (size_t i = 0; i < r.notes.size(); ++i) add("note:" + std::to_string(i + 1), r.notes[i]);
  return out;
}

}  // namespace

void add_stats_columns(OutTable& table, const RunResult& result, size_t l, const StatsSpec& spec) {
  if (l >= result.stats->layers.size()) return;  // no incidents: no statistics per layer
  const View v(result, l, spec);
  // Too many categories for columns: the roll-ups only (kMaxCategoryColumns).
  const bool per_category = result.incidents.categories.size() <= kMaxCategoryColumns;
  auto shown = [&](int c) { return per_category || v.stats.categories[size_t(c)].rollup; };
  for (int ci = 0; ci < v.s.categories; ++ci) {
    if (!shown(ci)) continue;
    const stats::StatCategory& c = v.stats.categories[size_t(ci)];
    const std::string k = slug(c.name);
    for (const char* p : {"prev_", "cur_", "change_"}) table.add_column(p + k, count_type(v));
    table.add_column("pct_" + k);  // as published: "+12.9%", "0%", "n/a"
    table.add_column("pctv_" + k, ColumnType::kReal);  // the same as a number, for graduated styles
  }
  // One caveat for every pct_ column: coverage is a property of the periods.
  table.add_column("pct_caveat");
  add_significance_columns(table, v.public_mode());
  // Gi* of areas is not published in public mode, not even as a bin: each z
  // fixes the sum of an area's and its neighbours' counts, and the z-score's
  // spread term holds the squares of every count (withheld ones too), which
  // no sum-based suppression or audit protects.
  const bool gi = !v.public_mode();
  if (gi) {
    table.add_column("gi_z", ColumnType::kReal);
    table.add_column("gi_p", ColumnType::kReal);
    table.add_column("gi_bin", ColumnType::kInteger);
  }
  for (int a = 0; a < v.s.areas; ++a) {
    auto& row = table.rows[size_t(a)];
    // One move to the final width, not doubling as the columns are pushed:
    // ~190 strings a row on all English LSOAs (bench/RESULTS.md, perf-areas5).
    row.reserve(table.columns.size());
    for (int c = 0; c < v.s.categories; ++c)
      if (shown(c)) {
        std::vector<std::string> x = v.comparison(a, c);
        // A number only where the published text is a number ("+12.9%"):
        // blank where withheld, not covered or undefined (previous 0).
        const std::string number = x[3].size() > 1 && x[3].back() == '%' ? exact(v.variance(a, c)) : "";
        for (std::string& y : x) row.push_back(std::move(y));
        row.push_back(number);
      }
    row.push_back(v.caveat());
    for (std::string& x : v.significance(a)) row.push_back(std::move(x));
    if (gi)
      for (std::string& x : v.gi(a)) row.push_back(std::move(x));
  }
}

std::vector<OutTable> stats_tables(const RunResult& result, const StatsSpec& spec) {
  std::vector<OutTable> out;
  for (size_t l = 0; l < result.stats->layers.size(); ++l) {
    const View v(result, l, spec);
    out.push_back(comparison_table(v));
    if (v.s.has_population) {
      out.push_back(significance_table(v, spec, false));
      out.push_back(significance_table(v, spec, true));
    }
    out.push_back(increases_table(v, spec));
  }
  out.push_back(repeats_table(result, spec));
  out.push_back(parameters_table(result, spec));
  return out;
}

}  // namespace hotspot::pipeline

namespace hotspot {

std::string headline_table(const RunResult& result, const StatsSpec& spec) {
  using pipeline::fixed;
  using stats::SignificanceClass;
  if (!result.stats || result.stats->layers.empty()) return "";
  const stats::StatsResult& r = *result.stats;
  size_t l = result.layers.size() - 1;
  for (size_t i = 0; i < result.layers.size(); ++i)
    if (result.layers[i].name == spec.table_layer) l = i;
  const pipeline::View v(result, l, spec);
  const int h = r.headline;
  std::ostringstream o;
  o << "\n" << r.categories[size_t(h)].name << " by " << v.layer.name << ": " << r.previous.label << " vs "
    << r.current.label << (v.public_mode() ? " (public: small counts withheld)" : "") << "\n";
  char line[256];
  // A % variance over a partly covered period is marked * (footnote below).
  const std::string mark = v.caveat().empty() ? "" : "*";
  auto print = [&](const std::string& code, const std::string& name, std::vector<std::string> x) {
    if (!x[3].empty() && x[3] != "variance") x[3] += mark;
    std::snprintf(line, sizeof line, "  %-12s %-40.40s %9s %9s %9s\n", code.c_str(), name.c_str(), x[0].c_str(),
                  x[1].c_str(), x[3].c_str());
    o << line;
  };
  print(v.layer.name, "name", {"previous", "current", "", "variance"});
  for (int a = 0; a < v.s.areas; ++a) print(v.layer.code[size_t(a)], v.layer.label[size_t(a)], v.comparison(a, h));
  print("TOTAL", "", v.comparison(-1, h));
  if (!r.current_has_data() || !r.previous_has_data())
    o << "  (blank: " << v.caveat() << ": no data)\n";
  else if (!mark.empty())
    o << "  * " << v.caveat() << ": the % variance compares unequal spans\n";
  for (size_t i = 0; i < result.layers.size(); ++i) {
    const pipeline::View lv(result, i, spec);
    if (!lv.s.has_population) continue;
    // Public: only the published areas are counted (the classes of all
    // areas, less the published ones, would give the withheld ones').
    std::map<SignificanceClass, int> classes;
    int withheld = 0;
    for (int a = 0; a < lv.s.areas; ++a) {
      if (lv.cur_hidden(a, h)) ++withheld;
      else ++classes[lv.s.significance[size_t(a)].cls];
    }
    o << "\n" << lv.layer.name << " areas by " << r.categories[size_t(h)].name << " rate per "
      << fixed(spec.rate_per, 0) << " (" << r.current.label << "; comparator "
      << (lv.comparator_withheld() ? spec.marker : fixed(lv.s.comparator_rate, 2)) << ": " << lv.s.comparator
      << "):\n";
    for (const auto& [cls, n] : classes) o << "  " << stats::to_string(cls) << ": " << n << "\n";
    if (withheld > 0) o << "  withheld (small count): " << withheld << "\n";
    for (int a = 0; a < lv.s.areas; ++a) {
      const auto cls = lv.s.significance[size_t(a)].cls;
      if (cls != SignificanceClass::kSignificantlyHigher998 && cls != SignificanceClass::kSignificantlyHigher95) continue;
      const auto sig = lv.significance(a);
      o << "  significantly higher: " << lv.layer.code[size_t(a)] << " " << lv.layer.label[size_t(a)] << " ("
        << sig[7] << " incidents, rate " << (lv.cur_hidden(a, h) ? sig[0] : fixed(lv.s.rate[size_t(a)], 2)) << ", "
        << stats::to_string(cls) << ")\n";
    }
  }
  for (const std::string& n : r.notes) o << "note: " << n << "\n";
  return o.str();
}

}  // namespace hotspot
