#include "report/front_page.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <optional>

#include "geo/geos_util.h"
#include "geo/point_locator.h"
#include "report/change_section.h"
#include "report/emerging_section.h"
#include "report/front_tables.h"
#include "report/knox_html.h"
#include "report/map_labels.h"
#include "report/page_text.h"
#include "report/print.h"
#include "report/svg_map.h"
#include "report/trend_chart.h"
#include "stats/area_stats.h"
#include "stats/periods.h"

namespace hotspot::report {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Print-friendly, A4 landscape-wide; system fonts only (opens offline).
constexpr const char* kCss = R"(
@page { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 10pt/1.35 "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; max-width: 277mm;
       margin: 0 auto; padding: 5mm; background: #fff; }
h1 { font-size: 18pt; margin: 3mm 0 1mm; }
h2 { font-size: 13pt; border-bottom: 1.5pt solid #333; padding-bottom: 1mm; margin: 6mm 0 2mm; break-after: avoid; }
.banner { text-align: center; font-weight: bold; letter-spacing: .12em; padding: 1.5mm; border: 1.5pt solid; }
.restricted { color: #a00; border-color: #a00; background: #fdecec; }
.public { color: #05612c; border-color: #05612c; background: #e9f7ee; }
.meta { color: #333; margin: 0 0 1mm; }
.caveats { border: 1pt solid #b58900; background: #fdf6e3; padding: 1mm 4mm; margin: 3mm 0; font-size: 9pt; }
.caveats ul { margin: 1mm 0; padding-left: 5mm; }
.note, figcaption { font-size: 8.5pt; color: #555; }
nav ol { columns: 3; margin: 2mm 0; font-size: 9pt; }
ul.files { columns: 3; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 1mm 0 3mm; }
th, td { border: .5pt solid #bbb; padding: .6mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #eee; }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead { display: table-header-group; }
tr, tbody.block { break-inside: avoid; }
table.jag tr.block-head th { background: #dde6f2; }
table.jag .code { display: inline-block; min-width: 3em; font-weight: bold; }
.small-n { color: #a00; margin-left: .2em; }
.failed { color: #b00; font-weight: bold; }
.map-and-table { display: grid; grid-template-columns: 62% 38%; gap: 4mm; align-items: start; }
svg.map, svg.trends { width: 100%; height: auto; display: block; }
figure { margin: 2mm 0; break-inside: avoid; }
a { color: #0645ad; }
@media print { body { padding: 0; max-width: none; } nav { display: none; } a { color: inherit; } }
)";

constexpr const char* kSections[][2] = {{"jag-table-section", "Beats: previous vs current (JAG table)"},
                                        {"overview-section", "Overview"},
                                        {"increases", "Top increases across all areas"},
                                        {"flagged", "Areas significantly above the comparator"},
                                        {"heat-map", "Heat map and hotspot areas"},
                                        {"trends", "Month by month"},
                                        {"packs", "Packs"},
                                        {"data-quality", "Data quality"}};

std::string esc(const std::string& s) { return html_escape(s); }
std::string note(const std::string& s) { return "<p class=\"note\">" + esc(s) + "</p>"; }

std::string open_section(size_t i, const std::string& heading) {
  return "<section id=\"" + std::string(kSections[i][0]) + "\"><h2>" + std::to_string(i + 1) + ". " + esc(heading) +
         "</h2>";
}

// A relative link inside the page's folder: no root, no "..", no scheme;
// characters that would change its meaning percent-encoded.
std::string relative_link(const std::string& f) {
  bool ok = !f.empty() && f[0] != '/' && f[0] != '\\' && f.find(':') == std::string::npos;
  for (size_t i = 0; ok && i <= f.size();) {
    const size_t j = std::min(f.find_first_of("/\\", i), f.size());
    ok = f.substr(i, j - i) != "..";
    i = j + 1;
  }
  if (!ok) throw OutputError("front page: not a file inside the folder: '" + f + "'");
  return link_target(f);
}

std::string area_name(const RunSpec& spec) {
  return spec.report.area_name.empty() ? "Study area" : spec.report.area_name;
}

std::string header(const FrontData& d, bool batch) {
  std::string o = d.pub() ? "<div class=\"banner public\">PUBLIC (small counts withheld)</div>"
                          : "<div class=\"banner restricted\">RESTRICTED</div>";
  o += "<header><h1>" + esc(area_name(d.spec) + ": JAG front page") + "</h1>";
  if (d.r.stats)
    o += "<p class=\"meta\">" +
         esc("Current period: " + period_words(d.r.stats->current) +
             ". Compared with: " + period_words(d.r.stats->previous) + ". Data months: " + d.r.stats->data_months +
             ". Data extracted: " + (d.spec.stats.extracted.empty() ? "not stated" : d.spec.stats.extracted) + ".") +
         "</p>";
  o += "</header><nav><ol>";
  for (const auto& [id, heading] : kSections)
    o += "<li><a href=\"#" + std::string(id) + "\">" +
         (std::string(id) == "packs" && !batch ? std::string("Files of this run") : std::string(heading)) + "</a></li>";
  o += "</ol></nav>";
  std::vector<std::string> items;
  for (const IncidentSource& s : d.spec.incidents)
    if (s.format == IncidentFormat::kPoliceUk) {
      items.push_back("Police.uk locations are anonymised map points \"on or near\" where an incident happened.");
      break;
    }
  for (const AreaLayer& l : d.r.layers)
    if (!l.dissolved_from.empty())
      items.push_back("'" + l.name + "' areas are built from whole '" + l.dissolved_from +
                      "' areas: their boundaries approximate the official ones.");
  if (d.r.stats) {
    items.push_back("\u2020 marks a % variance where either count is under 10: it swings widely.");
    if (!d.r.stats->variance_caveat.empty()) items.push_back("Periods: " + d.r.stats->variance_caveat + ".");
  }
  if (items.empty()) return o;
  o += "<aside class=\"caveats\"><ul>";
  for (const std::string& i : items) o += "<li>" + esc(i) + "</li>";
  return o + "</ul></aside>";
}

void append_jag_section(std::string& o, const FrontData& d, const std::vector<std::string>& keys) {
  const std::string layer = d.layer >= 0 ? d.r.layers[size_t(d.layer)].name : "area";
  std::string heading = layer + " areas: previous vs current (JAG table)";
  heading[0] = char(std::toupper(static_cast<unsigned char>(heading[0])));
  o += open_section(0, heading);
  const size_t quiet = append_jag_table_html(o, d, keys);
  std::vector<std::string> absent;
  if (d.spec.report.key_categories.empty() && d.r.stats)
    for (const char* c : {"All crime", "Burglary", "Vehicle crime", "Anti-social behaviour"})
      if (std::find(keys.begin(), keys.end(), c) == keys.end()) absent.push_back(c);
  std::string words = "Key categories: ";
  for (size_t i = 0; i < keys.size(); ++i) words += (i ? ", " : "") + keys[i];
  words += " (report.key_categories). Every number is the row of comparison_" + layer +
           " (csv/comparison_" + layer + ".csv of the run and of every pack).";
  for (const std::string& a : absent) words += " The run has no '" + a + "'.";
  if (quiet > 0)
    words += " Not listed: " + std::to_string(quiet) + " of " + std::to_string(d.r.layers[size_t(d.layer)].size()) +
             " " + layer + " areas with 0 in both periods in every category (their rows are in the CSV).";
  if (d.pub())
    words += " Counts of 1 to " + std::to_string(d.spec.stats.suppress_below) + ", and counts that would reveal them, "
             "show as '" + d.spec.stats.marker + "'.";
  o += note(words);
  o += "</section>";
}

// The areas of the JAG layer holding each hotspot's interior point.
std::vector<std::string> hotspot_areas(const FrontData& d, const Surface& s) {
  std::vector<std::string> out(s.hotspots.size());
  if (d.layer < 0) return out;
  const AreaLayer& l = d.r.layers[size_t(d.layer)];
  std::vector<MultiPolygon> shapes;
  for (const HotspotArea& h : s.hotspots) shapes.push_back(h.geometry);
  const std::vector<Point> at = geo::interior_points(shapes);
  const geo::PointLocator locate(l.geometry);
  for (size_t i = 0; i < at.size(); ++i) {
    const int32_t a = std::isfinite(at[i].x) ? locate.locate(at[i].x, at[i].y) : -1;
    out[i] = a < 0 ? "" : l.code[size_t(a)];
  }
  return out;
}

// "A 40; B 22; C 9" -> "A 40; B 22": the table sits beside the map.
std::string first_two(const std::string& categories) {
  const size_t first = categories.find("; ");
  const size_t second = first == std::string::npos ? first : categories.find("; ", first + 2);
  return second == std::string::npos ? categories : categories.substr(0, second);
}

std::string parameter(const Surface& s, const std::string& key) {
  const auto it = s.parameters.find(key);
  return it == s.parameters.end() ? "?" : it->second;
}

// The run's change surfaces ([[change.surfaces]]; none in public mode): the
// difference map and where incidents rose and fell most, by the table layer's areas.
std::string change_html(const FrontData& d) {
  if (d.pub() && !d.spec.change_surfaces.empty())
    return note("Change surfaces are not published in public outputs: the difference of two heat maps, and its "
                "permutation p, are not protected as the public heat map is.");
  if (d.r.change.empty()) return "";
  std::vector<Outlines> lines;
  MapDecor decor;
  decor.context = &d.r.context;
  const AreaLayer* places = d.layer >= 0 ? &d.r.layers[size_t(d.layer)] : nullptr;
  if (places) lines.push_back({places, "beat", -1});
  if (places && d.spec.report.labels) decor.labels.push_back({places, true, "label-beat", 13});
  std::string o = "<h3>Change between two periods</h3>";
  for (const ChangeFigure& f : change_figures(d.r, nullptr, lines, decor, places, "change"))
    o += "<p>" + esc(f.paragraph) + "</p><figure>" + f.svg + "<figcaption>" + esc(f.caption) + "</figcaption></figure>";
  return o;
}

std::string heat_section(const FrontData& d, const FrontPageInput& in) {
  std::string o = open_section(4, kSections[4][1]);
  const Surface* s = in.surface ? in.surface : d.r.surfaces.empty() ? nullptr : &d.r.surfaces.front();
  if (!s || s->density.nx <= 0)
    return o + note(in.surface_problem.empty() ? "No heat map in this run (kde disabled)."
                                               : "No heat map: " + in.surface_problem) +
           change_html(d) + "</section>";
  const SvgFrame frame = fit_frame(bounds(s->density), 0.02, 760, 640);
  std::vector<Outlines> lines;
  if (d.layer >= 0) lines.push_back({&d.r.layers[size_t(d.layer)], "beat", -1});
  const auto u = s->parameters.find("units");
  const std::string units = u == s->parameters.end() ? "" : u->second == "per_km2" ? "incidents per km\xC2\xB2" : u->second;
  // Beat numbers where they fit, and the run's context layers (as the briefings).
  MapDecor decor;
  decor.context = &d.r.context;
  if (d.layer >= 0 && d.spec.report.labels) decor.labels.push_back({&d.r.layers[size_t(d.layer)], true, "label-beat", 13});
  const std::string svg = heat_map_svg(*s, frame, lines, units, "borough", decor);
  // The table beside the map: the same numbers as the map's hotspot labels.
  const std::vector<std::string> where = hotspot_areas(d, *s);
  const int k = d.spec.stats.suppress_below;
  Rows rows;
  for (size_t i = 0; i < s->hotspots.size(); ++i) {
    const HotspotArea& h = s->hotspots[i];
    const bool small = d.pub() && h.incidents >= 1 && h.incidents <= k;  // as the published hotspots layer
    rows.push_back({std::to_string(h.rank), where[i], small ? d.spec.stats.marker : std::to_string(h.incidents),
                    num(h.area_km2, 3)});
    if (!d.pub()) rows.back().push_back(first_two(h.top_categories));  // not published in public mode
  }
  const std::string layer = d.layer >= 0 ? d.r.layers[size_t(d.layer)].name : "area";
  std::string table = rows.empty() ? note("No hotspot areas.")
                                   : html_table_rows(d.pub() ? std::vector<std::string>{"No.", layer, "Incidents", "km\xC2\xB2"}
                                                             : std::vector<std::string>{"No.", layer, "Incidents", "km\xC2\xB2",
                                                                                        "Top categories"},
                                                     rows, "rlrrl", "hotspot-table");
  o += "<div class=\"map-and-table\"><figure>" + svg + "<figcaption>" +
       esc("Heat map '" + s->name + "' (" + parameter(*s, "categories") + "; " + parameter(*s, "period") + "): " +
           parameter(*s, "kernel") + " kernel, radius " + parameter(*s, "radius_m") + " m, cells of " +
           parameter(*s, "cell_m") + " m; hotspot areas: " + parameter(*s, "hotspot_rule") +
           ". Outlines and labels: " + layer + " areas. No incident points are shown.") +
       "</figcaption></figure><div>" + table +
       note("Numbers match the hotspot labels on the map (1 = highest peak density); " + layer +
            ": the one holding the area's interior point" +
            (d.pub() ? "." : "; its two commonest categories.")) +
       "</div></div>";
  return o + change_html(d) + "</section>";
}

void append_trends_section(std::string& o, const FrontData& d) {
  o += open_section(5, kSections[5][1]);
  if (d.pub()) {
    o += note("Not published: public outputs carry no monthly counts per area.");
  } else {
    if (d.layer < 0 || !append_trend_small_multiples(o, d.r, size_t(d.layer)))
      o += note("Fewer than two months of data, or no area statistics.");
    // The space-time cubes ([[change.cubes]]; never in public mode): category map and table.
    o += emerging_html(d.r);
  }
  o += "</section>";
}

std::string packs_section(const FrontPageInput& in) {
  if (!in.packs) {
    std::string o = open_section(6, "Files of this run") + "<ul class=\"files\">";
    for (const std::string& f : in.files) o += "<li><a href=\"" + relative_link(f) + "\">" + esc(f) + "</a></li>";
    return o + "</ul>" + note("Links are relative: keep this page in the run's folder.") + "</section>";
  }
  std::string o = open_section(6, kSections[6][1]);
  o += "<table id=\"pack-table\"><thead><tr><th>Area</th><th>Name</th><th>Status</th><th>Briefing</th></tr></thead><tbody>";
  int failed = 0;
  for (const PackStatus& p : *in.packs) {
    o += "<tr><td>" + esc(p.code) + "</td><td>" + esc(p.name) + "</td>";
    if (p.ok) {
      o += "<td>written</td><td><a href=\"" + relative_link(p.folder + "/briefing.html") + "\">" +
           esc(p.folder + "/briefing.html") + "</a></td></tr>";
    } else {
      ++failed;
      o += "<td class=\"failed\">failed: " + esc(p.error) + "</td><td></td></tr>";
    }
  }
  o += "</tbody></table>";
  return o + note(std::to_string(in.packs->size() - size_t(failed)) + " packs written, " + std::to_string(failed) +
                  " failed. The same list as a table: index.csv.") +
         "</section>";
}

std::string ledger_section(const FrontData& d) {
  const Ledger& g = d.r.ledger;
  std::string o = open_section(7, kSections[7][1]);
  o += html_table_rows({"Rows read", "Accepted", "Rejected", "Reconciles"},
                       {{std::to_string(g.rows_read), std::to_string(g.accepted), std::to_string(g.rejected),
                         g.reconciles() ? "yes" : "NO"}},
                       "rrrr", "ledger");
  Rows reasons;
  for (const auto& [reason, n] : g.rejected_by_reason) reasons.push_back({std::string(to_string(reason)), std::to_string(n)});
  if (!reasons.empty()) o += html_table_rows({"Rejected: reason", "Rows"}, reasons, "lr", "rejected");
  Rows layers;
  for (const LayerLedger& l : g.layers) {
    const LayerLedger::Shown s = l.shown(d.pub() ? d.spec.stats.suppress_below : 0, d.spec.stats.marker);
    layers.push_back({l.layer, s.matched, s.unmatched, s.multiple});
  }
  o += html_table_rows({"Area layer", "Matched", "Unmatched (outside every area)", "In overlapping areas"}, layers,
                       "lrrr", "matched");
  if (!g.warnings.empty()) {
    o += "<ul class=\"note\">";
    for (const std::string& w : g.warnings) o += "<li>" + esc(w) + "</li>";
    o += "</ul>";
  }
  return o + "</section>";
}

}  // namespace

FrontPageDraft draft_front_page(const FrontPageInput& in) {
  if (!in.result || !in.spec) throw OutputError("front page: no run result or spec given");
  const FrontData d(*in.result, *in.spec, in.stat_tables);
  const std::vector<std::string> keys = key_categories(d.r, d.spec);
  const std::string banner = d.pub() ? "<div class=\"banner public\">PUBLIC (small counts withheld)</div>"
                                     : "<div class=\"banner restricted\">RESTRICTED</div>";
  FrontPageDraft draft;
  // Appended in place: the JAG table and the small multiples were ~31 MB
  // each on all English LSOAs (before areas with nothing were left out;
  // still so where every area has incidents), and one concatenation of the
  // parts copied them three times more (bench/RESULTS.md, perf-areas5).
  std::string& o = draft.head;
  o = "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>" +
      esc(area_name(d.spec) + ": JAG front page") + "</title><style>" + kCss + print_css(d.pub()) + map_css() +
      "</style></head><body>" + header(d, in.packs != nullptr);
  append_jag_section(o, d, keys);
  o += open_section(1, kSections[1][1]) + overview_html(d) + "</section>";
  o += open_section(2, kSections[2][1]) + increases_html(d) + "</section>";
  o += open_section(3, kSections[3][1]) + flagged_areas_html(d) + "</section>";
  o += heat_section(d, in);
  append_trends_section(o, d);
  draft.tail = ledger_section(d) + near_repeat_section(d.r, std::to_string(std::size(kSections) + 1)) + "<footer>" +
               banner + "</footer></body></html>\n";
  return draft;
}

std::string finish_front_page(const FrontPageDraft& draft, const FrontPageInput& in) {
  return draft.head + packs_section(in) + draft.tail;
}

std::string front_page_html(const FrontPageInput& in) { return finish_front_page(draft_front_page(in), in); }

void write_front_page(const std::string& path, const FrontPageInput& in, const FrontPageDraft* draft) {
  // The parts straight to the file: on all English LSOAs the page is ~86 MB,
  // and joining it into one string first cost two more copies of it.
  std::optional<FrontPageDraft> own;
  if (!draft) draft = &own.emplace(draft_front_page(in));
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << draft->head << packs_section(in) << draft->tail;
  out.close();
  if (!out) throw OutputError("front page: cannot write " + path);
}

}  // namespace hotspot::report
