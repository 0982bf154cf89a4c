#include "report/briefing.h"

#include <algorithm>
#include <climits>
#include <fstream>
#include <set>
#include <sstream>

#include "io/out_table.h"
#include "pipeline/stats_outputs.h"
#include "report/change_section.h"
#include "report/emerging_section.h"
#include "report/page_text.h"
#include "report/print.h"
#include "report/svg_map.h"
#include "stats/monthly_series.h"
#include "stats/disclosure.h"

namespace hotspot::report {
namespace {

using io::OutTable;
using stats::SignificanceClass;
using Rows = std::vector<std::vector<std::string>>;

// Print-friendly, A4-wide; system fonts only (the page must open offline).
// The @page rule with the marking on every page: print_css() (print.h).
constexpr const char* kCss = R"(
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 10.5pt/1.4 "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; max-width: 190mm;
       margin: 0 auto; padding: 6mm; background: #fff; }
h1 { font-size: 18pt; margin: 4mm 0 1mm; }
h2 { font-size: 13pt; border-bottom: 1.5pt solid #333; padding-bottom: 1mm; margin: 7mm 0 2mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; break-after: avoid; }
.banner { text-align: center; font-weight: bold; letter-spacing: .12em; padding: 1.5mm; border: 1.5pt solid; }
.restricted { color: #a00; border-color: #a00; background: #fdecec; }
.caveats { border: 1pt solid #b58900; background: #fdf6e3; padding: 1mm 4mm; margin: 4mm 0; break-inside: avoid; }
.caveats h2 { font-size: 11pt; border: none; margin: 2mm 0 1mm; }
.caveats ul { margin: 0 0 2mm; padding-left: 5mm; }
.public { color: #05612c; border-color: #05612c; background: #e9f7ee; }
.meta { color: #333; margin: 0 0 1mm; }
nav ol { columns: 2; margin: 2mm 0; font-size: 9.5pt; }
figure { margin: 2mm 0; break-inside: avoid; }
figcaption, .note { font-size: 9pt; color: #555; }
svg.map { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 1mm 0 3mm; }
th, td { border: .5pt solid #bbb; padding: .8mm 1.8mm; text-align: left; vertical-align: top; }
th { background: #eee; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
tr.headline td { font-weight: bold; background: #fff4d6; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
a { color: #0645ad; }
@media print { body { padding: 0; max-width: none; } nav { display: none; } a { color: inherit; } }
)";

// The page's sections, in order: fragment id and heading.
constexpr const char* kSections[][2] = {{"heat-map", "Heat map and hotspot areas"},
                                        {"significance", "Significance against the comparator"},
                                        {"comparison-section", "Previous vs current"},
                                        {"increases", "Top increases"},
                                        {"hotspots", "Hotspot areas"},
                                        {"data-quality", "Data quality"},
                                        {"parameters", "Parameters"},
                                        {"files", "Files in this pack"}};

// What the page is about, resolved and checked once.
struct Page {
  Page(const BriefingInput& i, const RunResult& res, const RunSpec& sp) : in(i), r(res), spec(sp) {}
  const BriefingInput& in;
  const RunResult& r;
  const RunSpec& spec;
  int layer = -1;  // the pack's layer in r.layers (-1: no layers)
  int area = -1;   // the pack's area in that layer (-1: all)
  const Surface* surface = nullptr;
  SvgFrame frame;
  std::vector<OutTable> tables;  // statistics, every increase ranked
  bool pub() const { return r.disclosure != nullptr; }
  const AreaLayer& pack_layer() const { return r.layers[size_t(layer)]; }
  std::string area_words() const {
    if (layer < 0) return "all areas";
    return area < 0 ? "all " + pack_layer().name + " areas" : pack_layer().name + " " + in.area_code;
  }
};

int layer_index(const RunResult& r, const std::string& name) {
  for (size_t i = 0; i < r.layers.size(); ++i)
    if (r.layers[i].name == name) return int(i);
  return -1;
}

// A relative path inside the pack: no root, no "..", no scheme or drive.
void check_pack_file(const std::string& f) {
  bool ok = !f.empty() && f[0] != '/' && f[0] != '\\' && f.find(':') == std::string::npos;
  for (size_t i = 0; ok && i <= f.size();) {
    const size_t j = std::min(f.find_first_of("/\\", i), f.size());
    ok = f.substr(i, j - i) != "..";
    i = j + 1;
  }
  if (!ok) throw OutputError("briefing: not a file inside the pack: '" + f + "'");
}

void pick_area(Page& p) {
  const BriefingInput& in = p.in;
  p.layer = in.area_layer.empty() ? layer_index(p.r, p.spec.kde.study_layer) : layer_index(p.r, in.area_layer);
  if (!in.area_layer.empty() && p.layer < 0) throw OutputError("briefing: no area layer '" + in.area_layer + "'");
  if (p.layer < 0) p.layer = int(p.r.layers.size()) - 1;
  if (in.area_code.empty()) return;
  if (p.layer < 0 || in.area_layer.empty()) throw OutputError("briefing: area_code needs area_layer");
  const auto& codes = p.pack_layer().code;
  const auto it = std::find(codes.begin(), codes.end(), in.area_code);
  if (it == codes.end()) throw OutputError("briefing: no " + in.area_layer + " '" + in.area_code + "'");
  p.area = int(it - codes.begin());
}

// The surfaces a page shows: the one asked for, else every surface of the
// run (a briefing used to show only the first).
std::vector<const Surface*> shown_surfaces(const Page& p) {
  std::vector<const Surface*> out;
  for (const Surface& s : p.r.surfaces)
    if (p.in.surface.empty() || s.name == p.in.surface) out.push_back(&s);
  return out;
}

void pick_surface(Page& p) {
  for (const Surface& s : p.r.surfaces)
    if (p.in.surface.empty() || s.name == p.in.surface) {
      p.surface = &s;
      return;
    }
  if (!p.in.surface.empty()) throw OutputError("briefing: no surface '" + p.in.surface + "'");
}

// The surface grid's extent (the pack's area when kde.study_area is set),
// else the pack's area, else its whole layer.
Box map_extent(const Page& p) {
  if (p.surface && p.surface->density.nx > 0) return bounds(p.surface->density);
  if (p.layer < 0) return {0, 0, 1, 1};
  if (p.area >= 0) return bounds(p.pack_layer().geometry[size_t(p.area)]);
  Box b = bounds(p.pack_layer().geometry.at(0));
  for (const MultiPolygon& g : p.pack_layer().geometry) b = merge(b, bounds(g));
  return b;
}

Page resolve(const BriefingInput& in) {
  if (!in.result || !in.spec) throw OutputError("briefing: no run result or spec given");
  Page p(in, *in.result, *in.spec);
  for (const std::string& f : in.files) check_pack_file(f);
  if (!in.manifest_file.empty()) check_pack_file(in.manifest_file);
  pick_area(p);
  pick_surface(p);
  p.frame = fit_frame(map_extent(p), 0.03, 700, 620);
  if (p.r.stats) {
    StatsSpec all = p.spec.stats;
    all.top_n = INT_MAX;  // rank every increase, then keep the pack's area's
    p.tables = pipeline::stats_tables(p.r, all);
  }
  return p;
}

// --- HTML helpers -----------------------------------------------------------

std::string esc(const std::string& s) { return html_escape(s); }

// <section> with the numbered heading of kSections[i] (+ suffix).
std::string open_section(size_t i, const std::string& suffix = "") {
  return "<section id=\"" + std::string(kSections[i][0]) + "\"><h2>" + std::to_string(i + 1) + ". " + kSections[i][1] +
         esc(suffix) + "</h2>";
}

// Column c is right-aligned when align[c] == 'r'; row `strong` is
// highlighted. Everything is escaped here.
std::string html_table(const std::string& id, const std::vector<std::string>& head, const Rows& rows,
                       const std::string& align, int strong = -1) {
  auto right = [&](size_t c) { return c < align.size() && align[c] == 'r'; };
  std::ostringstream o;
  o << "<table" << (id.empty() ? "" : " id=\"" + id + "\"") << "><thead><tr>";
  for (size_t c = 0; c < head.size(); ++c) o << (right(c) ? "<th class=\"n\">" : "<th>") << esc(head[c]) << "</th>";
  o << "</tr></thead><tbody>";
  for (size_t i = 0; i < rows.size(); ++i) {
    o << (int(i) == strong ? "<tr class=\"headline\">" : "<tr>");
    for (size_t c = 0; c < rows[i].size(); ++c)
      o << (right(c) ? "<td class=\"n\">" : "<td>") << esc(rows[i][c]) << "</td>";
    o << "</tr>";
  }
  o << "</tbody></table>";
  return o.str();
}

std::string para(const std::string& cls, const std::string& text) {
  return "<p class=\"" + cls + "\">" + esc(text) + "</p>";
}

const OutTable* find_table(const Page& p, const std::string& name) {
  for (const OutTable& t : p.tables)
    if (t.name == name) return &t;
  return nullptr;
}

size_t col(const OutTable& t, const std::string& name) {
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].name == name) return i;
  throw OutputError("briefing: table " + t.name + " has no column " + name);
}

// --- Sections -----------------------------------------------------------------

std::string banner(const Page& p) {
  return p.pub() ? "<div class=\"banner public\">PUBLIC (small counts withheld)</div>"
                 : "<div class=\"banner restricted\">RESTRICTED</div>";
}

// "Read with care": what a reader at the meeting must know before the
// numbers (issue 9), only the points that apply to this run.
std::string caveats(const Page& p) {
  std::vector<std::string> items;
  bool police_uk = false;
  for (const IncidentSource& s : p.spec.incidents) police_uk = police_uk || s.format == IncidentFormat::kPoliceUk;
  if (police_uk)
    items.push_back("Police.uk locations are anonymised: each incident is moved to a map point \"on or near\" "
                    "where it happened, so street-level patterns are approximate.");
  for (const AreaLayer& l : p.r.layers)
    if (!l.dissolved_from.empty())
      items.push_back("Layer '" + l.name + "' is built from whole '" + l.dissolved_from +
                      "' areas through a lookup: its boundaries approximate the official ones.");
  for (const std::string& w : p.r.ledger.warnings)
    if (w.find("by best fit") != std::string::npos) items.push_back("Population: " + w + ".");
  if (p.r.stats) {
    items.push_back("A % variance between small counts swings widely: those where either count is under 10 are "
                    "marked \u2020 in the tables.");
    if (!p.r.stats->variance_caveat.empty()) items.push_back("Periods: " + p.r.stats->variance_caveat + ".");
  }
  if (items.empty()) return "";
  std::string o = "<aside class=\"caveats\"><h2>Read with care</h2><ul>";
  for (const std::string& i : items) o += "<li>" + esc(i) + "</li>";
  return o + "</ul></aside>";
}

std::string header(const Page& p) {
  std::ostringstream o;
  o << banner(p) << "<header><h1>" << esc(p.in.title) << "</h1>";
  if (p.r.stats)
    o << para("meta", "Current period: " + period_words(p.r.stats->current) +
                          ". Compared with: " + period_words(p.r.stats->previous) + ".")
      << para("meta", "Data extracted: " + (p.spec.stats.extracted.empty() ? "not stated" : p.spec.stats.extracted) +
                          ". Data months: " + p.r.stats->data_months + ".");
  std::string engine = "hotspot";
#ifdef HOTSPOT_VERSION
  engine += std::string(" ") + HOTSPOT_VERSION;
#endif
  o << para("meta", "Area: " + p.area_words() + ". Working CRS: " + (p.r.working_crs_label.empty() ? p.r.working_crs : p.r.working_crs_label) + ". Produced by " + engine + ".")
    << "</header><nav><ol>";
  for (const auto& [id, heading] : kSections) o << "<li><a href=\"#" << id << "\">" << heading << "</a></li>";
  o << "</ol></nav>";
  return o.str() + caveats(p);
}

// Outlines over a map: the layer the pack's layer was dissolved from (thin),
// the pack's layer, and the pack's area (bold).
std::vector<Outlines> outlines(const Page& p, bool with_parts) {
  std::vector<Outlines> out;
  if (p.layer < 0) return out;
  const int from = layer_index(p.r, p.pack_layer().dissolved_from);
  if (with_parts && from >= 0) out.push_back({&p.r.layers[size_t(from)], "ward", -1});
  out.push_back({&p.pack_layer(), "beat", -1});
  if (p.area >= 0) out.push_back({&p.pack_layer(), "focus", p.area});
  return out;
}

// Labels where they fit (issue 9): the pack's layer by code (beat numbers),
// the layer it is built from by name (wards), and `fill_layer` (the
// choropleth's layer, e.g. LSOAs) by code; plus the run's context layers.
MapDecor decor(const Page& p, bool with_parts, int fill_layer = -1) {
  MapDecor d;
  d.context = &p.r.context;
  if (!p.spec.report.labels || p.layer < 0) return d;
  d.labels.push_back({&p.pack_layer(), true, "label-beat", 13});
  const int from = layer_index(p.r, p.pack_layer().dissolved_from);
  if (with_parts && from >= 0) d.labels.push_back({&p.r.layers[size_t(from)], false, "label-ward", 10});
  if (fill_layer >= 0 && fill_layer != p.layer)
    d.labels.push_back({&p.r.layers[size_t(fill_layer)], true, "label-lsoa", 8});
  return d;
}

// A map kept for its standalone file (BriefingInput::maps), and the link to
// it under the map on the page.
std::string keep_map(const Page& p, const std::string& stem, const std::string& svg) {
  if (!p.in.maps) return "";
  std::string name = "maps/" + stem;
  std::replace(name.begin(), name.end(), ' ', '_');  // surface names may hold spaces; file names here do not
  p.in.maps->push_back({name, standalone_svg(svg, p.in.map_width_px)});
  return " <a href=\"" + link_target(name + ".svg") + "\">SVG</a> <a href=\"" + link_target(name + ".png") +
         "\">PNG</a>";
}

// The key to outlines(p, with_parts).
std::string outline_words(const Page& p, bool with_parts) {
  if (p.layer < 0) return "";
  const AreaLayer& l = p.pack_layer();
  std::string o = p.area >= 0 ? "Bold black: " + p.area_words() + "; black: other " + l.name + " areas"
                              : "Black: " + l.name + " areas";
  if (with_parts && layer_index(p.r, l.dissolved_from) >= 0) o += "; dashed: " + l.dissolved_from + " areas";
  return o + ".";
}

std::string units_words(const Surface& s) {
  const auto it = s.parameters.find("units");
  const std::string u = it == s.parameters.end() ? "" : it->second;
  if (u == "per_km2") return "incidents per km\xC2\xB2";
  if (u == "per_cell") return "incidents per cell";
  return u == "raw" ? "sum of kernels (raw)" : u;
}

std::string parameter(const Surface& s, const std::string& key) {
  const auto it = s.parameters.find(key);
  return it == s.parameters.end() ? "?" : it->second;
}

// The change surfaces on the pack's area ([[change.surfaces]]; none in
// public mode): the difference map and where incidents rose and fell most,
// named by the areas the pack's layer is built from (wards for beats), or
// the pack's own layer.
std::string change_html(const Page& p) {
  if (p.pub() && !p.spec.change_surfaces.empty())
    return para("note", "Change surfaces are not published in public packs: the difference of two heat maps, and "
                        "its permutation p, are not protected as the public heat map is.");
  if (p.r.change.empty()) return "";
  const int from = p.layer < 0 ? -1 : layer_index(p.r, p.pack_layer().dissolved_from);
  const AreaLayer* places = from >= 0 ? &p.r.layers[size_t(from)] : p.layer >= 0 ? &p.pack_layer() : nullptr;
  std::string o = "<h3>Change between two periods</h3>";
  for (const ChangeFigure& f : change_figures(p.r, p.surface ? &p.frame : nullptr, outlines(p, true), decor(p, true),
                                              places, "change"))
    o += para("change-words", f.paragraph) + "<figure>" + f.svg + "<figcaption>" +
         esc(f.caption + " " + outline_words(p, true)) + keep_map(p, "change_" + f.name, f.svg) +
         "</figcaption></figure>";
  return o;
}

std::string heat_section(const Page& p) {
  std::string o = open_section(0);
  if (!p.surface) return o + para("note", "No heat map in this run (kde disabled).") + change_html(p) + "</section>";
  int n = 0;  // each map's SVG ids (clip paths, gradients) must be unique in the page
  for (const Surface* each : shown_surfaces(p)) {
    const Surface& s = *each;
    const std::string id = n++ == 0 ? "heat" : "heat" + std::to_string(n);
    const std::string svg = heat_map_svg(s, p.frame, outlines(p, true), units_words(s), id, decor(p, true));
    o += "<figure>" + svg + "<figcaption>" +
         esc("Kernel density of surface '" + s.name + "' (" + parameter(s, "categories") + "; " + parameter(s, "period") +
             "): " + parameter(s, "kernel") + " kernel, radius " + num(std::atof(parameter(s, "radius_m").c_str()), 0) +
             " m, cells of " + num(std::atof(parameter(s, "cell_m").c_str()), 0) + " m; hotspot areas: " +
             parameter(s, "hotspot_rule") + ", numbered as in the hotspot table. " + outline_words(p, true) + " " +
             context_words(p.r.context) + " No incident points are shown.") +
         keep_map(p, "heat_" + s.name, svg) + "</figcaption></figure>";
  }
  return o + change_html(p) + "</section>";
}

const char* class_colour(SignificanceClass c) {
  // Diverging (ColorBrewer RdBu): dark red = significantly higher .. dark blue.
  static constexpr const char* kColours[] = {"#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7",
                                             "#d1e5f0", "#67a9cf", "#2166ac", "#d9d9d9"};
  return kColours[int(c)];
}
constexpr const char* kWithheldColour = "#969696";

// The comparator rate as published: withheld in public mode when it is the
// study area's own rate and the TOTAL it comes from is withheld.
std::string comparator_rate(const Page& p, size_t l, int decimals) {
  const stats::LayerStats& s = p.r.stats->layers[l];
  const bool derived = p.spec.stats.comparator_rate < 0;
  if (p.pub() && derived && p.r.disclosure->layers[l].current.hidden_total[size_t(p.r.stats->headline)])
    return p.spec.stats.marker;
  return num(s.comparator_rate, decimals);
}

Choropleth significance_map(const Page& p, size_t l, std::vector<int>& tally) {
  const stats::LayerStats& s = p.r.stats->layers[l];
  const AreaLayer& layer = p.r.layers[l];
  Choropleth c{&layer, {}, {}, {}};
  for (int a = 0; a < s.areas; ++a) {
    const auto cls = s.significance[size_t(a)].cls;
    const bool hidden = p.pub() && p.r.disclosure->layers[l].cur_hidden(s, a, p.r.stats->headline);
    c.fill.push_back(hidden ? kWithheldColour : class_colour(cls));
    c.tip.push_back(layer.code[size_t(a)] + " " + layer.label[size_t(a)] + ": " +
                    (hidden ? "withheld (small count)" : std::string(stats::to_string(cls))));
    if (overlaps(bounds(layer.geometry[size_t(a)]), p.frame.extent)) ++tally[hidden ? 8 : int(cls)];
  }
  for (int k = 0; k < 8; ++k)
    c.legend.push_back(
        {std::string(stats::to_string(SignificanceClass(k))) + " (" + std::to_string(tally[size_t(k)]) + ")",
         class_colour(SignificanceClass(k))});
  if (p.pub()) c.legend.push_back({"withheld (" + std::to_string(tally[8]) + ")", kWithheldColour});
  return c;
}

std::string significance_section(const Page& p) {
  std::string o = open_section(1);
  size_t l = 0;
  while (p.r.stats && l < p.r.stats->layers.size() && !p.r.stats->layers[l].has_population) ++l;
  if (!p.r.stats) return o + para("note", "No area statistics in this run.") + "</section>";
  if (l == p.r.stats->layers.size())
    return o + para("note", "No area layer with population: no rates or significance classes.") + "</section>";
  const stats::LayerStats& s = p.r.stats->layers[l];
  std::vector<int> tally(9, 0);
  const std::string svg = choropleth_svg(significance_map(p, l, tally), p.frame, outlines(p, false), "sig",
                                         decor(p, false, int(l)));
  o += "<figure>" + svg + "<figcaption>" +
       esc("Areas of layer '" + p.r.layers[l].name + "' by " + p.spec.stats.headline + " rate per " +
           num(p.spec.stats.rate_per, 0) + " people in " + p.r.stats->current.label + " against the comparator " +
           comparator_rate(p, l, 2) + " (" + s.comparator +
           "): observed vs expected with Byar / exact Poisson 95% and 99.8% limits. "
           "Counts of areas drawn in brackets. " +
           outline_words(p, false)) +
       keep_map(p, "significance", svg) + "</figcaption></figure>";
  return o + "</section>";
}

// The pack's area in every category, or (the pack is a whole layer) every
// area and the TOTAL in the headline category.
// The pack's area's headline incidents month by month, as many months as
// the data hold, as bars (issue 9). Not in public packs: their area layers
// carry no monthly counts either (each would be one more published number).
std::string monthly_chart(const Page& p) {
  if (p.pub() || p.area < 0 || p.layer < 0 || !p.r.stats || size_t(p.layer) >= p.r.counts.size()) return "";
  const AreaCounts& c = p.r.counts[size_t(p.layer)];
  const stats::StatCategory& headline = p.r.stats->categories[size_t(p.r.stats->headline)];
  if (c.months < 2) return "";
  std::vector<int64_t> n(size_t(c.months), 0);
  const std::vector<double> series = stats::monthly_series(c, p.area, headline.members);  // as the trends
  for (int m = 0; m < c.months; ++m) n[size_t(m)] = int64_t(series[size_t(m)]);
  const int64_t top = std::max<int64_t>(1, *std::max_element(n.begin(), n.end()));
  const double w = 660, h = 170, base = 140, bar = std::min(60.0, (w - 20) / c.months);
  std::ostringstream o;
  o << "<figure><svg class=\"monthly\" viewBox=\"0 0 " << w << " " << h << "\" width=\"100%\" role=\"img\">";
  for (int m = 0; m < c.months; ++m) {
    const double x = 10 + m * bar, bh = (base - 20) * double(n[size_t(m)]) / double(top);
    o << "<rect x=\"" << x + 3 << "\" y=\"" << base - bh << "\" width=\"" << bar - 6 << "\" height=\"" << bh
      << "\" fill=\"#4a6fa5\"/><text x=\"" << x + bar / 2 << "\" y=\"" << base - bh - 4
      << "\" font-size=\"11\" text-anchor=\"middle\">" << n[size_t(m)] << "</text><text x=\"" << x + bar / 2
      << "\" y=\"" << base + 16 << "\" font-size=\"10\" text-anchor=\"middle\">"
      << month_label(c.first_month + m) << "</text>";
  }
  o << "<line x1=\"10\" x2=\"" << 10 + c.months * bar << "\" y1=\"" << base << "\" y2=\"" << base
    << "\" stroke=\"#333\"/></svg><figcaption>"
    << esc(headline.name + " in " + p.area_words() + ", month by month (every month of the data).")
    << "</figcaption></figure>";
  return "<h3>Month by month</h3>" + o.str();
}

std::string comparison_section(const Page& p) {
  const bool one = p.area >= 0;
  std::string o = open_section(2, ": " + (one ? p.area_words() : p.spec.stats.headline + ", " + p.area_words()));
  const OutTable* t = p.layer < 0 ? nullptr : find_table(p, "comparison_" + p.pack_layer().name);
  if (!t) return o + para("note", "No area statistics in this run.") + "</section>";
  const size_t code = col(*t, "area_code"), cat = col(*t, "category");
  using Names = std::vector<std::string>;
  Names cols = one ? Names{"category"} : Names{"area_code", "area_name"};
  for (const char* c : {"previous", "current", "change", "variance"}) cols.push_back(c);
  Rows rows;
  int strong = -1;
  for (const auto& row : t->rows) {
    if (one ? row[code] != p.in.area_code : row[cat] != p.spec.stats.headline) continue;
    if (one ? row[cat] == p.spec.stats.headline : row[code] == "TOTAL") strong = int(rows.size());
    rows.emplace_back();
    for (const std::string& c : cols) rows.back().push_back(row[col(*t, c)]);
  }
  Names head = one ? Names{"Category"} : Names{"Area", "Name"};
  for (const std::string& h :
       {"Previous (" + p.r.stats->previous.label + ")", "Current (" + p.r.stats->current.label + ")",
        std::string("Change"), std::string("% variance")})
    head.push_back(h);
  // A % variance between counts under 10 is marked (see the caveats box).
  for (auto& row : rows) {
    const size_t n = row.size();
    auto small = [](const std::string& v) { return !v.empty() && v != "x" && std::isdigit(static_cast<unsigned char>(v[0])) && std::stol(v) < 10; };
    if (n >= 4 && !row[n - 1].empty() && row[n - 1] != p.spec.stats.marker && (small(row[n - 4]) || small(row[n - 3])))
      row[n - 1] += "\u2020";
  }
  // A % variance over a partly covered period is marked, as on the terminal.
  const std::string& caveat = p.r.stats->variance_caveat;
  if (!caveat.empty() && p.r.stats->current_has_data() && p.r.stats->previous_has_data())
    for (auto& row : rows)
      if (!row.back().empty()) row.back() += "*";
  std::string table = html_table("comparison", head, rows, one ? "lrrrr" : "llrrrr", strong);
  // One area's categories are one block: printed on one page (print.h).
  if (one) table.replace(table.find("<tbody>"), 7, "<tbody class=\"block\">");
  o += table;
  if (!caveat.empty()) o += para("note", "* " + caveat + ".");
  if (one) o += monthly_chart(p);
  // Area cubes ([[change.cubes]]) over the pack's area: category map and table.
  if (one && p.layer >= 0 && !p.r.emerging.empty()) {
    const AreaLayer& l = p.r.layers[size_t(p.layer)];
    const Box focus = bounds(l.geometry[size_t(p.area)]);
    o += emerging_html(p.r, &focus, &l, p.area);
  }
  if (p.pub())
    o += para("note", "Counts of 1 to " + std::to_string(p.spec.stats.suppress_below) +
                          ", and counts that would reveal them, are shown as '" + p.spec.stats.marker + "'.");
  return o + "</section>";
}

std::string increases_section(const Page& p) {
  std::string o = open_section(3, ": " + p.area_words());
  const OutTable* t = p.layer < 0 ? nullptr : find_table(p, "top_increases_" + p.pack_layer().name);
  if (!t) return o + para("note", "No area statistics in this run.") + "</section>";
  std::vector<std::string> cols = {"category", "previous", "current", "change", "variance"};
  std::vector<std::string> head = {"Rank", "Category", "Previous", "Current", "Change", "% variance"};
  if (p.area < 0)
    cols.insert(cols.begin(), {"area_code", "area_name"}), head.insert(head.begin() + 1, {"Area", "Name"});
  Rows rows;
  for (const auto& row : t->rows) {
    if (int(rows.size()) >= p.spec.stats.top_n) break;
    if (p.area >= 0 && row[col(*t, "area_code")] != p.in.area_code) continue;
    rows.push_back({std::to_string(rows.size() + 1)});
    for (const std::string& c : cols) rows.back().push_back(row[col(*t, c)]);
  }
  if (rows.empty()) return o + para("note", "No category increased.") + "</section>";
  return o + html_table("top-increases", head, rows, p.area < 0 ? "rlllrrrr" : "rlrrrr") + "</section>";
}

std::string hotspot_table(const Page& p, const Surface& surface);

// The repeat locations (police.uk map points with the most incidents in the
// current period) inside the pack's area, the ten first (issue 9).
std::string repeats_block(const Page& p) {
  const OutTable* t = find_table(p, "repeat_locations");
  if (!t) return "";
  const std::string code_column = p.layer >= 0 ? p.pack_layer().name + "_code" : "";
  Rows rows;
  for (const auto& row : t->rows) {
    if (p.area >= 0 && row[col(*t, code_column)] != p.in.area_code) continue;
    rows.push_back({std::to_string(rows.size() + 1), row[col(*t, "location")], row[col(*t, "count")],
                    p.pub() ? "not published" : row[col(*t, "categories")]});
    if (rows.size() == 10) break;
  }
  const std::string period = p.r.stats ? p.r.stats->current.label : "";
  if (rows.empty()) return "<h3>Repeat locations</h3>" + para("note", "No repeat locations in " + p.area_words() + ".");
  return "<h3>Repeat locations (" + esc(period) + ")</h3>" +
         html_table("repeats", {"#", "Location", "Incidents", "Categories"}, rows, "rlrl") +
         para("note", "Police.uk map points (\"on or near\"), not addresses." +
                          std::string(p.pub() ? " Only locations with more than " +
                                                    std::to_string(p.spec.stats.suppress_below) + " incidents." : ""));
}

std::string hotspots_section(const Page& p) {
  std::string o = open_section(4);
  if (!p.surface) return o + para("note", "No hotspot areas.") + "</section>";
  const std::vector<const Surface*> surfaces = shown_surfaces(p);
  for (const Surface* s : surfaces) {
    if (surfaces.size() > 1) o += "<h3>Heat map '" + esc(s->name) + "'</h3>";
    o += hotspot_table(p, *s);
  }
  return o + repeats_block(p) + "</section>";
}

std::string hotspot_table(const Page& p, const Surface& surface) {
  // The size rule's tally (pipeline/hotspot_rules.h): nothing dropped silently.
  std::string dropped;
  if (const auto it = surface.parameters.find("hotspots_dropped_small");
      it != surface.parameters.end() && it->second != "0")
    dropped = it->second + " smaller area" + (it->second == "1" ? "" : "s") + " (under " +
              parameter(surface, "hotspot_min_size") + ") not listed.";
  if (const auto it = surface.parameters.find("public_hotspots_left_out"); it != surface.parameters.end())
    dropped += (dropped.empty() ? "" : " ") + std::string("Public: ") + it->second + " not published.";
  if (surface.hotspots.empty()) return para("note", "No hotspot areas." + (dropped.empty() ? "" : " " + dropped));
  const int k = p.spec.stats.suppress_below;
  Rows rows;
  for (const HotspotArea& h : surface.hotspots) {
    // As the published hotspots_<surface> layer: incidents 1..k withheld.
    const bool small = p.pub() && h.incidents >= 1 && h.incidents <= k;
    rows.push_back({std::to_string(h.rank),
                    h.name + (h.large ? " [large: " + num(100 * h.study_share, 0) + "% of the study area]" : ""),
                    num(h.area_km2, 3), std::to_string(h.cells), num(h.peak), num(h.mean),
                    small             ? p.spec.stats.marker
                    : h.incidents == 0 ? "0 (none inside: high density from incidents nearby)"
                                       : std::to_string(h.incidents),
                    p.pub() ? "not published" : h.top_categories});
  }
  const std::string u = units_words(surface);
  return html_table("hotspot-areas",
                    {"#", "Name", "Area (km\xC2\xB2)", "Cells", "Peak (" + u + ")", "Mean", "Incidents",
                     "Top categories"},
                    rows, "rlrrrrrl") +
         para("note", "# = the number on the map. Incidents: those of surface '" + surface.name +
                          "' inside each area. Names: the commonest police.uk location text inside, and the " +
                          "area most of them lie in. " + dropped);
}

// What the disclosure audit proved (public packs): stats/audit.h.
std::string audit_block(const stats::Disclosure& d) {
  const std::string k = std::to_string(d.rule.k);
  Rows rows = {{"Withheld values (shown as x)", std::to_string(d.hidden)},
               {"Exact sums an attacker has (TOTALs, roll-ups, beats from wards)", std::to_string(d.sums)},
               {"Rule proved for every withheld count of 1-" + k,
                "at least " + std::to_string(d.rule.min_values) + " possible values, including 0 or all of 1-" + k},
               {"Small counts the one-sum rule alone left too narrow", std::to_string(d.exposed_first)},
               {"More values withheld to fix them (audit rounds)",
                std::to_string(d.hidden_by_audit) + " (" + std::to_string(d.audit_rounds) + ")"},
               {"Small counts too narrow now", std::to_string(d.audit.exposed.size())},
               {"Solver", stats::audit_solver() + ", " + std::to_string(d.audit.programs) +
                              " linear programmes in the last round, " + num(d.audit.seconds, 2) + " s"}};
  return "<h3>Disclosure audit</h3>" + html_table("", {"Check", "Result"}, rows, "lr") +
         para("note",
              "Each withheld count was minimised and maximised against every published number that sums "
              "with it, all at once. Not covered: Gi* on areas (not published in public packs) and outside "
              "knowledge; heat maps are protected separately (see the heat map parameters).");
}

std::string ledger_section(const Page& p) {
  const Ledger& g = p.r.ledger;
  std::string o = open_section(5);
  o += html_table("", {"Rows read", "Accepted", "Rejected", "Reconciles"},
                  {{std::to_string(g.rows_read), std::to_string(g.accepted), std::to_string(g.rejected),
                    g.reconciles() ? "yes" : "NO"}},
                  "rrrr");
  Rows reasons;
  for (const auto& [reason, n] : g.rejected_by_reason)
    reasons.push_back({std::string(to_string(reason)), std::to_string(n)});
  if (!reasons.empty()) o += "<h3>Rejected rows by reason</h3>" + html_table("", {"Reason", "Rows"}, reasons, "lr");
  Rows layers;
  for (const LayerLedger& l : g.layers) {
    const Agreement& a = l.agreement;
    const LayerLedger::Shown s = l.shown(p.pub() ? p.spec.stats.suppress_below : 0, p.spec.stats.marker);
    const bool agreement = l.has_agreement && !p.pub();  // not published in public mode
    layers.push_back({l.layer, s.matched, s.unmatched, s.multiple, agreement ? std::to_string(a.compared) : "",
                      agreement ? std::to_string(a.agree) : "", agreement ? std::to_string(a.disagree) : "",
                      agreement ? num(100 * a.agree_share(), 2) + "%" : p.pub() ? "not published" : "not recorded"});
  }
  o += "<h3>Incidents per area layer, and recorded vs spatial area</h3>" +
       html_table("", {"Layer", "Matched", "Unmatched", "In overlaps", "Recorded", "Agree", "Disagree", "Agreement"},
                  layers, "lrrrrrrr");
  if (!g.warnings.empty()) {
    o += "<h3>Warnings</h3><ul>";
    for (const std::string& w : g.warnings) o += "<li>" + esc(w) + "</li>";
    o += "</ul>";
  }
  if (p.pub()) o += audit_block(*p.r.disclosure);
  return o + "</section>";
}

std::string parameters_section(const Page& p) {
  std::string o = open_section(6);
  for (const Surface* s : shown_surfaces(p)) {
    Rows rows;
    for (const auto& [k, v] : s->parameters) rows.push_back({k, v});
    for (const std::string& w : s->warnings) rows.push_back({"warning", w});
    o += "<h3>Heat map '" + esc(s->name) + "'</h3>" + html_table("", {"Parameter", "Value"}, rows, "");
  }
  if (const OutTable* t = find_table(p, "statistics_parameters")) {
    Rows rows = t->rows;
    for (size_t l = 0; l < p.r.stats->layers.size(); ++l) {
      const stats::LayerStats& s = p.r.stats->layers[l];
      if (s.has_population)
        rows.push_back({"comparator_rate:" + s.layer, comparator_rate(p, l, 4) + " (" + s.comparator + ")"});
    }
    o += "<h3>Statistics</h3>" + html_table("", {"Parameter", "Value"}, rows, "");
  }
  return o + "</section>";
}

std::string files_section(const Page& p) {
  std::string o = open_section(7) + "<ul>";
  if (!p.in.manifest_file.empty())
    o += "<li><a href=\"" + link_target(p.in.manifest_file) + "\">" + esc(p.in.manifest_file) +
         "</a> (the manifest: inputs with checksums, versions, configuration and parameters)</li>";
  // Each file once: the manifest (above) may be among the pack's files too.
  std::set<std::string> listed = {p.in.manifest_file};
  for (const std::string& f : p.in.files)
    if (listed.insert(f).second) o += "<li><a href=\"" + link_target(f) + "\">" + esc(f) + "</a></li>";
  return o + "</ul>" + para("note", "Links are relative: keep this page in the pack's folder.") + "</section>";
}

std::string page_html(const Page& p) {
  // One statement each: the maps are kept (BriefingInput::maps) in page order.
  std::string body = header(p);
  body += heat_section(p);
  body += significance_section(p);
  body += comparison_section(p);
  body += increases_section(p);
  body += hotspots_section(p);
  body += ledger_section(p);
  body += parameters_section(p);
  body += files_section(p);
  return "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>" + esc(p.in.title) +
         "</title><style>" + kCss + print_css(p.pub()) + map_css() + "</style></head><body>" + body + "<footer>" +
         banner(p) +
         "</footer></body></html>\n";
}

}  // namespace

void write_briefing(const std::string& path, const BriefingInput& in) {
  const std::string html = page_html(resolve(in));
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << html;
  out.close();
  if (!out) throw OutputError("briefing: cannot write " + path);
}

}  // namespace hotspot::report
