#include "report/knox_html.h"

#include <algorithm>
#include <cmath>

#include "io/format.h"
#include "pipeline/near_repeat_run.h"
#include "report/svg_map.h"

namespace hotspot::report {
namespace {

std::string esc(const std::string& s) { return html_escape(s); }
std::string fixed(double v, int d) { return std::isfinite(v) ? io::format_number(v, std::chars_format::fixed, d) : "-"; }

// Knox ratio as a colour: white at 1, reds above (full at 3), blues below.
std::string shade(double ratio) {
  if (!std::isfinite(ratio)) return "#f4f4f4";
  const double t = std::clamp(ratio >= 1 ? (ratio - 1) / 2 : (1 - ratio), 0.0, 1.0);
  const int fade = int(std::lround(255 - 150 * t));
  char buf[16];
  if (ratio >= 1) std::snprintf(buf, sizeof buf, "#ff%02x%02x", fade, fade);
  else std::snprintf(buf, sizeof buf, "#%02x%02xff", fade, fade);
  return buf;
}

std::string heat_table(const pipeline::NearRepeatRun& n) {
  const knox::Table& k = n.table;
  std::string o = "<table class=\"knox\"><thead><tr><th>Distance \\ time apart</th>";
  for (const std::string& t : n.time_label) o += "<th class=\"n\">" + esc(t) + "</th>";
  o += "</tr></thead><tbody>";
  for (size_t a = 0; a < k.rows; ++a) {
    o += "<tr><th>" + esc(n.distance_label[a]) + "</th>";
    for (size_t b = 0; b < k.cols; ++b) {
      const size_t c = k.at(a, b);
      const bool f = k.flagged[c];
      o += "<td class=\"n" + std::string(f ? " flagged" : "") + "\" style=\"background:" + shade(k.ratio[c]) +
           "\" title=\"observed " + std::to_string(k.observed[c]) + ", expected " + fixed(k.expected[c], 2) +
           ", p = " + io::format_number(k.p[c], std::chars_format::general, 3) + "\">" + fixed(k.ratio[c], 2) +
           "<br><small>" + std::to_string(k.observed[c]) + " / " + fixed(k.expected[c], 1) + "</small></td>";
    }
    o += "</tr>";
  }
  return o + "</tbody></table>";
}

std::string risk_block(const pipeline::NearRepeatRun& n) {
  const risk::Result& r = n.risk;
  const std::string step = n.parameters.count("risk_step") ? n.parameters.at("risk_step") : "step";
  std::string o = "<h4>Next " + esc(step) + " risk surface (from " + esc(n.risk_next_label) + ")</h4>";
  if (r.backtest.empty())
    return o + "<p class=\"note\">Too few " + esc(step) + "s of data for a backtest.</p>";
  auto row = [&](const std::string& what, double hit, double pai) {
    return "<tr><td>" + what + "</td><td class=\"n\">" + fixed(100 * hit, 1) + "%</td><td class=\"n\">" +
           fixed(pai, 2) + "</td></tr>";
  };
  o += "<table><thead><tr><th>Backtest over " + std::to_string(r.backtest.size()) + " " + esc(step) +
       "s, top " + io::format_number(n.spec.risk_top_percent, std::chars_format::general, 6) + "% of cells (" +
       std::to_string(r.top_cells) + " of " + std::to_string(r.study_cells) + ")</th><th class=\"n\">Mean hit rate</th><th class=\"n\">Mean PAI</th></tr></thead><tbody>" +
       row("Risk surface (recent incidents by distance and age)", r.mean_hit, r.mean_pai) +
       row("Baseline: KDE of the previous " + esc(step), r.mean_hit_kde, r.mean_pai_kde) +
       row("Baseline: previous " + esc(step) + "'s counts", r.mean_hit_counts, r.mean_pai_counts) + "</tbody></table>";
  return o + "<p class=\"note\">Hit rate: share of a " + esc(step) +
         "'s incidents inside the cells ranked highest beforehand. PAI: hit rate divided by the share of the area "
         "those cells cover. Surface: risk/" + esc(n.spec.name) + ".tif.</p>";
}

}  // namespace

std::string near_repeat_section(const RunResult& r, const std::string& number) {
  if (r.near_repeat.empty()) return "";
  std::string o = "<section id=\"near-repeat-section\"><h2>" + number +
                  ". Near repeats (Knox test)</h2><style>table.knox { font-size: 7.5pt; table-layout: fixed; } "
                  "table.knox th, table.knox td { padding: .5mm 1mm; } table.knox td.flagged { outline: 2pt solid "
                  "#7a0000; outline-offset: -2pt; font-weight: bold; } table.knox small { color: #555; font-size: 6.5pt; "
                  "}</style>";
  for (const auto& p : r.near_repeat) {
    const pipeline::NearRepeatRun& n = *p;
    o += "<h3>" + esc(n.spec.name) + ": " + esc(n.what) + ", " + esc(n.parameters.at("period")) + "</h3>";
    o += "<p class=\"reading\"><strong>" + esc(n.headline) + "</strong></p>";
    o += heat_table(n);
    o += "<p class=\"note\">Each cell: Knox ratio (observed pairs / expected), then observed / expected pairs. "
         "Expected = mean over " + std::to_string(n.table.orderings) + (n.table.exact ? " orderings (all of them)" : " random orderings") +
         " of the times among the same places. Outlined: p &lt;= " +
         io::format_number(n.spec.alpha, std::chars_format::general, 4) + " and ratio &gt;= " +
         io::format_number(n.spec.min_ratio, std::chars_format::general, 4) + ". " +
         std::to_string(n.table.events) + " incidents, distance " + esc(n.spec.metric) + ", seed " +
         std::to_string(n.spec.seed) + ".</p>";
    if (!n.readings.empty()) {
      o += "<ul>";
      for (const std::string& s : n.readings) o += "<li>" + esc(s) + "</li>";
      o += "</ul>";
    }
    for (const std::string& note : n.notes) o += "<p class=\"note\">" + esc(note) + "</p>";
    if (n.has_cocoons) {
      const cocoon::Result& c = n.cocoons;
      o += "<h4>Cocooning zones</h4><p>" + std::to_string(c.zones.size()) + " zones of " +
           io::format_number(c.radius, std::chars_format::general, 6) + " m for " + std::to_string(c.days) +
           " days (layer cocoons_" + esc(n.spec.name) + ", from " + esc(n.parameters.at("cocoon_source")) + "). " +
           std::to_string(c.inside_earlier) + " of " + std::to_string(c.events) + " incidents (" +
           fixed(100 * c.share(), 1) + "%) fell inside an earlier incident's zone while it was active: what "
           "cocooning after every incident could at most have reached.</p>";
    }
    if (n.has_risk) o += risk_block(n);
  }
  return o + "</section>";
}

}  // namespace hotspot::report
