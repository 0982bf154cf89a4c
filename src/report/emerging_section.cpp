#include "report/emerging_section.h"

#include <map>

#include "pipeline/emerging_run.h"
#include "report/svg_map.h"

namespace hotspot::report {
namespace {

// maps/emerging.qml's fills, in emerging::Pattern order after kNone.
constexpr const char* kFills[] = {"#ff0000", "#e63228", "#99000d", "#cb181d", "#fb6a4a", "#fcae91", "#fdd0a2",
                                  "#fee0d2", "#005aff", "#286ee6", "#08306b", "#2171b5", "#6baed6", "#9ecae1",
                                  "#bdd7e7", "#deebf7"};
constexpr int kPatterns = 17;  // kNone .. kHistoricalCold

MultiPolygon cell_square(const Grid& g, uint32_t loc) {
  const int c = int(loc % uint32_t(g.nx)), r = int(loc / uint32_t(g.nx));
  const double x0 = g.x0 + c * g.cell, x1 = x0 + g.cell, y1 = g.y_top() - r * g.cell, y0 = y1 - g.cell;
  return {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
}

std::string one_cube(const pipeline::EmergingRun& e, const RunResult& r, const Box* focus,
                     const AreaLayer* focus_layer, int focus_area, const std::string& id) {
  // The locations as polygons: the cube's areas, or its cells (those with a
  // pattern only: a city grid has thousands of cells with none).
  AreaLayer shown;
  shown.name = e.layer >= 0 ? r.layers[size_t(e.layer)].name : "cell";
  std::vector<int> pattern;
  std::vector<std::vector<std::string>> by_category(kPatterns);
  Box extent{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (size_t k = 0; k < e.cube.size(); ++k) {
    MultiPolygon g = e.layer >= 0 ? r.layers[size_t(e.layer)].geometry[e.cube.location[k]]
                                  : cell_square(e.grid, e.cube.location[k]);
    const Box b = bounds(g);
    if (focus && !overlaps(b, *focus)) continue;
    const int p = int(e.pattern[k].pattern);
    by_category[size_t(p)].push_back(e.code[k] + (e.label[k].empty() ? "" : " " + e.label[k]));
    extent = merge(extent, b);  // framed on every analysed location
    if (e.layer < 0 && p == 0) continue;
    shown.code.push_back(e.code[k]);
    shown.label.push_back(e.label[k]);
    shown.geometry.push_back(std::move(g));
    pattern.push_back(p);
  }
  const std::string title = "Emerging hot spots: " + e.spec.name + " (" + e.parameters.at("locations") + ", " +
                            e.parameters.at("steps") + " " + e.spec.step + " steps, " + e.parameters.at("span") + ")";
  std::string o = "<h3>" + html_escape(title) + "</h3>";
  if (focus) extent = *focus;
  if (!shown.geometry.empty() && extent.min_x <= extent.max_x) {
    Choropleth c{&shown, {}, {}, {}};
    std::vector<bool> used(kPatterns, false);
    for (size_t a = 0; a < shown.size(); ++a) {
      const int p = pattern[a];
      used[size_t(p)] = true;
      c.fill.push_back(p == 0 ? "none" : kFills[p - 1]);
      c.tip.push_back(shown.name + " " + shown.code[a] + ": " + emerging::pattern_name(emerging::Pattern(p)));
    }
    for (int p = 1; p < kPatterns; ++p)
      if (used[size_t(p)]) c.legend.push_back({emerging::pattern_name(emerging::Pattern(p)), kFills[p - 1]});
    std::vector<Outlines> lines;
    if (focus_layer && focus_area >= 0) lines.push_back({focus_layer, "focus", focus_area});
    // Cells alone say little about where: the run's last area layer (the
    // table layer by default, e.g. the beats) outlined over them.
    else if (e.layer < 0 && !r.layers.empty()) lines.push_back({&r.layers.back(), "beat", -1});
    const SvgFrame frame = fit_frame(extent, 0.02, 760, 560);
    o += "<figure>" + choropleth_svg(c, frame, lines, id) + "<figcaption>" +
         html_escape("Each " + shown.name + " by its emerging hot spot category (Gi* per step on the " +
                     e.parameters.at("neighbourhood") + ", Mann-Kendall trend; docs/methods.md, \"Change over time\")" +
                     (e.layer < 0 && !r.layers.empty()
                          ? "; cells with no pattern are not drawn; outlines: " + r.layers.back().name + "."
                          : e.layer < 0 ? "; cells with no pattern are not drawn." : ".")) +
         "</figcaption></figure>";
  }
  // The table: every category that has a location, with the locations.
  o += "<table class=\"emerging\"><thead><tr><th>Category</th><th class=\"n\">Locations</th><th>Which</th></tr></thead><tbody>";
  for (int p = 1; p <= kPatterns; ++p) {
    const int q = p % kPatterns;  // the patterns first, "no pattern" last
    const auto& list = by_category[size_t(q)];
    if (list.empty()) continue;
    std::string which;
    if (q != 0) {
      const size_t shown_n = std::min<size_t>(list.size(), 12);
      for (size_t i = 0; i < shown_n; ++i) which += (i ? "; " : "") + list[i];
      if (list.size() > shown_n) which += "; and " + std::to_string(list.size() - shown_n) + " more (layer emerging_" + e.spec.name + ")";
    }
    o += "<tr><td>" + html_escape(emerging::pattern_name(emerging::Pattern(q))) + "</td><td class=\"n\">" +
         std::to_string(list.size()) + "</td><td>" + html_escape(which) + "</td></tr>";
  }
  o += "</tbody></table>";
  for (const std::string& w : e.warnings) o += "<p class=\"note\">" + html_escape(w) + "</p>";
  return o;
}

}  // namespace

std::string pattern_colour(const std::string& category) {
  for (int p = 1; p < kPatterns; ++p)
    if (emerging::pattern_name(emerging::Pattern(p)) == category) return kFills[p - 1];
  return "none";
}

std::string emerging_html(const RunResult& r, const Box* focus, const AreaLayer* focus_layer, int focus_area) {
  std::string o;
  for (size_t i = 0; i < r.emerging.size(); ++i)
    if (!focus || r.emerging[i]->layer >= 0)  // a pack: area cubes only (a grid cube is run-wide)
      o += one_cube(*r.emerging[i], r, focus, focus_layer, focus_area, "emerging" + std::to_string(i));
  return o;
}

}  // namespace hotspot::report
