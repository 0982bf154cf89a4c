#include "pipeline/stats_outputs.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "pipeline/outputs.h"
#include "stats/variance.h"

namespace hotspot::pipeline {

std::string fixed(double v, int decimals) {
  if (std::isnan(v) || std::isinf(v)) return "";
  char buf[64];
  // to_chars never looks at the locale (printf's %f would follow LC_NUMERIC).
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  return ec == std::errc() ? std::string(buf, end) : "";
}

namespace {

using io::ColumnType;
using io::OutTable;
using stats::SignificanceClass;

// An integer for graduated styles: +3 significantly higher (99.8%) ... -3.
std::string class_score(SignificanceClass c) {
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

std::vector<std::string> significance_values(const stats::LayerStats& s, int a, int headline) {
  const stats::AreaSignificance& g = s.significance[size_t(a)];
  if (g.cls == SignificanceClass::kNotApplicable) return {"", "", "", "", "", "", "", "", "not applicable", ""};
  return {fixed(s.rate[size_t(a)], 2),   fixed(g.expected, 2),        fixed(g.ratio, 3),
          fixed(g.ratio95.lower, 3),     fixed(g.ratio95.upper, 3),   fixed(g.ratio998.lower, 3),
          fixed(g.ratio998.upper, 3),    std::to_string(s.cur(a, headline)),
          std::string(stats::to_string(g.cls)), class_score(g.cls)};
}

const char* const kSignificanceColumns[] = {"rate",  "expected", "o_e",      "lo95_o_e",     "hi95_o_e",
                                            "lo998_o_e", "hi998_o_e", "observed", "significance", "sig_score"};

OutTable comparison_table(const stats::LayerStats& s, const stats::StatsResult& r, const AreaLayer& layer) {
  OutTable out;
  out.name = "comparison_" + layer.name;
  for (const char* c : {"area_code", "area_name", "category", "previous_period", "current_period"}) out.add_column(c);
  for (const char* c : {"previous", "current", "change"}) out.add_column(c, ColumnType::kInteger);
  out.add_column("variance");
  auto add = [&](const std::string& code, const std::string& name, int c, int64_t p, int64_t k) {
    out.rows.push_back({code, name, r.categories[size_t(c)].name, r.previous.label, r.current.label, std::to_string(p),
                        std::to_string(k), std::to_string(k - p), stats::format_variance(p, k)});
  };
  for (int a = 0; a < s.areas; ++a)
    for (int c = 0; c < s.categories; ++c) add(layer.code[size_t(a)], layer.label[size_t(a)], c, s.prev(a, c), s.cur(a, c));
  // The total row is the sum of the areas above it (unmatched incidents excluded).
  for (int c = 0; c < s.categories; ++c) add("TOTAL", "all " + layer.name + " areas", c, s.total_prev(c), s.total_cur(c));
  return out;
}

OutTable significance_table(const stats::LayerStats& s, const stats::StatsResult& r, const AreaLayer& layer,
                            const StatsSpec& spec, bool by_rate) {
  OutTable out;
  out.name = (by_rate ? "rates_" : "significance_") + layer.name;
  if (by_rate) out.add_column("rank", ColumnType::kInteger);
  for (const char* c : {"area_code", "area_name", "category", "period"}) out.add_column(c);
  out.add_column("population", ColumnType::kReal);
  for (const char* c : kSignificanceColumns)
    out.add_column(c, std::string(c) == "significance" ? ColumnType::kText
                      : std::string(c) == "observed" || std::string(c) == "sig_score" ? ColumnType::kInteger
                                                                                      : ColumnType::kReal);
  out.add_column("comparator_rate", ColumnType::kReal);
  out.add_column("rate_per", ColumnType::kReal);
  std::vector<int> order;
  if (by_rate) order = stats::areas_by_rate(s, layer);
  else for (int a = 0; a < s.areas; ++a) order.push_back(a);
  for (size_t i = 0; i < order.size(); ++i) {
    const int a = order[i];
    std::vector<std::string> row;
    if (by_rate) row.push_back(std::to_string(i + 1));
    for (const std::string& v : {layer.code[size_t(a)], layer.label[size_t(a)], r.categories[size_t(r.headline)].name,
                                 r.current.label, layer.has_population() ? fixed(layer.population[size_t(a)], 0) : ""})
      row.push_back(v);
    for (std::string& v : significance_values(s, a, r.headline)) row.push_back(std::move(v));
    row.push_back(fixed(s.comparator_rate, 3));
    row.push_back(fixed(spec.rate_per, 0));
    out.rows.push_back(std::move(row));
  }
  return out;
}

OutTable increases_table(const stats::LayerStats& s, const stats::StatsResult& r, const AreaLayer& layer,
                         const StatsSpec& spec) {
  OutTable out;
  out.name = "top_increases_" + layer.name;
  out.add_column("rank", ColumnType::kInteger);
  for (const char* c : {"area_code", "area_name", "category"}) out.add_column(c);
  for (const char* c : {"previous", "current", "change"}) out.add_column(c, ColumnType::kInteger);
  out.add_column("variance");
  const auto top = stats::top_increases(s, r, layer, spec.top_n);
  for (size_t i = 0; i < top.size(); ++i) {
    const stats::Increase& x = top[i];
    out.rows.push_back({std::to_string(i + 1), layer.code[size_t(x.area)], layer.label[size_t(x.area)],
                        r.categories[size_t(x.category)].name, std::to_string(x.previous), std::to_string(x.current),
                        std::to_string(x.current - x.previous), stats::format_variance(x.previous, x.current)});
  }
  return out;
}

OutTable repeats_table(const RunResult& result) {
  const stats::StatsResult& r = *result.stats;
  OutTable out;
  out.name = "repeat_locations";
  out.kind = io::GeometryKind::kPoint;
  out.add_column("rank", ColumnType::kInteger);
  out.add_column("location");
  out.add_column("count", ColumnType::kInteger);
  out.add_column("categories");
  out.add_column("period");
  for (const AreaLayer& l : result.layers) out.add_column(l.name + "_code");
  for (size_t i = 0; i < r.repeats.size(); ++i) {
    const stats::RepeatLocation& p = r.repeats[i];
    std::vector<std::string> row = {std::to_string(i + 1), p.location, std::to_string(p.count), p.categories,
                                    r.current.label};
    row.insert(row.end(), p.area_codes.begin(), p.area_codes.end());
    out.rows.push_back(std::move(row));
    out.points.push_back({p.x, p.y});
  }
  return out;
}

OutTable periods_table(const RunResult& result, const StatsSpec& spec) {
  const stats::StatsResult& r = *result.stats;
  OutTable out;
  out.name = "statistics_parameters";
  out.add_column("key");
  out.add_column("value");
  auto add = [&](const std::string& k, const std::string& v) { out.rows.push_back({k, v}); };
  add("current_period", r.current.label + " (" + stats::day_label(r.current.first_day) + " to " +
                            stats::day_label(r.current.last_day) + ")");
  add("previous_period", r.previous.label + " (" + stats::day_label(r.previous.first_day) + " to " +
                             stats::day_label(r.previous.last_day) + ")");
  add("data_months", r.data_months);
  add("extracted", spec.extracted.empty() ? "not stated" : spec.extracted);
  add("financial_year_start_month", std::to_string(spec.fy_start_month));
  add("headline_category", spec.headline);
  add("rate_per", fixed(spec.rate_per, 0));
  add("comparator", spec.comparator_rate >= 0 ? fixed(spec.comparator_rate, 3) : "study area");
  add("confidence_limits", "Byar for O >= 10, exact Poisson below; 95% and 99.8%");
  add("disclosure", spec.public_mode ? "public: counts 1.." + std::to_string(spec.suppress_below) + " shown as " +
                                           spec.marker + ", with secondary suppression"
                                     : "restricted: all counts shown");
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

void add_stats_columns(OutTable& table, const stats::LayerStats& s, const stats::StatsResult& r, const StatsSpec&) {
  for (const stats::StatCategory& c : r.categories) {
    const std::string k = slug(c.name);
    table.add_column("prev_" + k, ColumnType::kInteger);
    table.add_column("cur_" + k, ColumnType::kInteger);
    table.add_column("change_" + k, ColumnType::kInteger);
    table.add_column("pct_" + k);
  }
  for (const char* c : kSignificanceColumns)
    table.add_column(c, std::string(c) == "significance" ? ColumnType::kText
                        : std::string(c) == "observed" || std::string(c) == "sig_score" ? ColumnType::kInteger
                                                                                        : ColumnType::kReal);
  for (int a = 0; a < s.areas; ++a) {
    auto& row = table.rows[size_t(a)];
    for (int c = 0; c < s.categories; ++c) {
      const int64_t p = s.prev(a, c), k = s.cur(a, c);
      row.push_back(std::to_string(p));
      row.push_back(std::to_string(k));
      row.push_back(std::to_string(k - p));
      row.push_back(stats::format_variance(p, k));
    }
    for (std::string& v : significance_values(s, a, r.headline)) row.push_back(std::move(v));
  }
}

std::vector<OutTable> stats_tables(const RunResult& result, const StatsSpec& spec) {
  std::vector<OutTable> out;
  const stats::StatsResult& r = *result.stats;
  for (size_t l = 0; l < result.layers.size(); ++l) {
    const stats::LayerStats& s = r.layers[l];
    const AreaLayer& layer = result.layers[l];
    out.push_back(comparison_table(s, r, layer));
    if (s.has_population) {
      out.push_back(significance_table(s, r, layer, spec, false));
      out.push_back(significance_table(s, r, layer, spec, true));
    }
    out.push_back(increases_table(s, r, layer, spec));
  }
  out.push_back(repeats_table(result));
  out.push_back(periods_table(result, spec));
  return out;
}

}  // namespace hotspot::pipeline

namespace hotspot {

std::string headline_table(const RunResult& result, const StatsSpec& spec) {
  using pipeline::fixed;
  using stats::SignificanceClass;
  if (!result.stats || result.layers.empty()) return "";
  const stats::StatsResult& r = *result.stats;
  size_t l = result.layers.size() - 1;
  for (size_t i = 0; i < result.layers.size(); ++i)
    if (result.layers[i].name == spec.table_layer) l = i;
  const AreaLayer& layer = result.layers[l];
  const stats::LayerStats& s = r.layers[l];
  const int h = r.headline;
  std::ostringstream o;
  o << "\n" << r.categories[size_t(h)].name << " by " << layer.name << ": " << r.previous.label << " vs "
    << r.current.label << "\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-12s %-40s %9s %9s %9s\n", layer.name.c_str(), "name", "previous", "current",
                "variance");
  o << line;
  auto row = [&](const std::string& code, const std::string& name, int64_t p, int64_t k) {
    std::snprintf(line, sizeof line, "  %-12s %-40.40s %9lld %9lld %9s\n", code.c_str(), name.c_str(), (long long)p,
                  (long long)k, stats::format_variance(p, k).c_str());
    o << line;
  };
  for (int a = 0; a < s.areas; ++a) row(layer.code[size_t(a)], layer.label[size_t(a)], s.prev(a, h), s.cur(a, h));
  row("TOTAL", "", s.total_prev(h), s.total_cur(h));
  for (size_t i = 0; i < result.layers.size(); ++i) {
    const stats::LayerStats& ls = r.layers[i];
    if (!ls.has_population) continue;
    std::map<SignificanceClass, int> classes;
    for (const auto& g : ls.significance) ++classes[g.cls];
    o << "\n" << result.layers[i].name << " areas by " << r.categories[size_t(h)].name << " rate per "
      << fixed(spec.rate_per, 0) << " (" << r.current.label << ", comparator " << fixed(ls.comparator_rate, 2)
      << " = " << ls.comparator << "):\n";
    for (const auto& [cls, n] : classes) o << "  " << stats::to_string(cls) << ": " << n << "\n";
    for (int a = 0; a < ls.areas; ++a) {
      const auto cls = ls.significance[size_t(a)].cls;
      if (cls != SignificanceClass::kSignificantlyHigher998 && cls != SignificanceClass::kSignificantlyHigher95) continue;
      o << "  significantly higher: " << result.layers[i].code[size_t(a)] << " " << result.layers[i].label[size_t(a)]
        << " (" << ls.cur(a, h) << " incidents, rate " << fixed(ls.rate[size_t(a)], 1) << ", "
        << stats::to_string(cls) << ")\n";
    }
  }
  for (const std::string& n : r.notes) o << "note: " << n << "\n";
  return o.str();
}

}  // namespace hotspot
