#include "report/change_section.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>

#include "geo/point_locator.h"
#include "pipeline/change_run.h"
#include "report/change_styles.h"

namespace hotspot::report {
namespace {

struct Stop {
  double t;
  Rgb c;
  double alpha;
};
// maps/change_raster.qml's stops, from -top (t = 0) to +top (t = 1).
constexpr Stop kStops[] = {{0.00, {33, 102, 172}, 255}, {0.25, {103, 169, 207}, 230}, {0.50, {247, 247, 247}, 0},
                           {0.75, {239, 138, 98}, 230}, {1.00, {178, 24, 43}, 255}};

std::string parameter(const pipeline::ChangeRun& c, const std::string& key) {
  const auto it = c.parameters.find(key);
  return it == c.parameters.end() ? "" : it->second;
}

// "incidents per km² per month", as the briefings' heat maps word units.
std::string units_words(const pipeline::ChangeRun& c) {
  const std::string u = parameter(c, "units");
  const std::string per_month = " per month";
  const std::string base = u.size() > per_month.size() ? u.substr(0, u.size() - per_month.size()) : u;
  if (base == "per_km2") return "incidents per km\xC2\xB2 per month";
  if (base == "per_cell") return "incidents per cell per month";
  if (base == "raw") return "sum of kernels (raw) per month";
  return u;
}

std::vector<uint8_t> diverging_planes(const Grid& g, double top) {
  const size_t n = g.size();
  std::vector<uint8_t> px(4 * n, 0);
  for (size_t i = 0; i < n; ++i) {
    const double v = g.values[i];
    if (!std::isfinite(v) || v == 0) continue;  // NaN (outside) and no change: transparent
    const Rgba c = change_colour(v, top);
    px[i] = c.rgb.r, px[n + i] = c.rgb.g, px[2 * n + i] = c.rgb.b, px[3 * n + i] = c.alpha;
  }
  return px;
}

std::string text(double x, double y, const std::string& body, const char* anchor = "start") {
  return "<text x=\"" + num(x, 1) + "\" y=\"" + num(y, 1) + "\" text-anchor=\"" + anchor + "\">" + body + "</text>";
}

// The ramp from -top to +top with its units, and the floor of the log ratio.
std::string legend(const pipeline::ChangeRun& c, const std::string& id, double y, double top) {
  std::ostringstream o;
  o << "<defs><linearGradient id=\"" << id << "-ramp\">";
  for (const Stop& s : kStops)
    o << "<stop offset=\"" << num(s.t, 2) << "\" stop-color=\"" << css_colour(s.c) << "\" stop-opacity=\""
      << num(std::max(s.alpha, 40.0) / 255.0, 2) << "\"/>";  // 0 drawn faintly, so the legend shows where it is
  const std::string units = html_escape(units_words(c));
  o << "</linearGradient></defs><g class=\"legend\">"
    << text(10, y + 14, "<tspan class=\"strong\">Change, after - before, " + units + "</tspan>")
    << "<rect x=\"10\" y=\"" << num(y + 22, 1) << "\" width=\"240\" height=\"12\" fill=\"url(#" << id
    << "-ramp)\" class=\"swatch\"/>" << text(10, y + 48, "&#8804; -" + num(top)) << text(130, y + 48, "0", "middle")
    << text(250, y + 48, "&#8805; +" + num(top), "end")
    << text(270, y + 32, "blues: fewer incidents, reds: more") << text(270, y + 48, "darkest at &#177;" + num(top) + ": the 99th percentile of |change|")
    << text(10, y + 66, "Blank: no change, or outside the area.")
    << text(10, y + 84, "Log ratio (GeoTIFF, QGIS) only where both periods exceed the floor " +
                            num(std::atof(parameter(c, "floor").c_str())) + " " + units + ".")
    << "</g>";
  return o.str();
}

// The place of a cell: the area of `places` holding its centre, or its coordinates.
std::string place_of(const Grid& g, size_t cell, const AreaLayer* places, const geo::PointLocator* locator) {
  const double x = g.centre_x(int(cell % size_t(g.nx))), y = g.centre_y(int(cell / size_t(g.nx)));
  const int32_t a = locator ? locator->locate(x, y) : -1;
  if (a >= 0) {
    const std::string& label = places->label[size_t(a)];
    return places->name + " " + places->code[size_t(a)] + (label.empty() ? "" : " (" + label + ")");
  }
  return "the cell centred at " + num(x, 0) + ", " + num(y, 0);
}

std::string paragraph(const pipeline::ChangeRun& c, const AreaLayer* places) {
  const Grid& d = c.grids.difference;
  size_t hi = d.size(), lo = d.size();
  for (size_t i = 0; i < d.size(); ++i) {
    const double v = d.values[i];
    if (!std::isfinite(v)) continue;
    if (v > 0 && (hi == d.size() || v > d.values[hi])) hi = i;
    if (v < 0 && (lo == d.size() || v < d.values[lo])) lo = i;
  }
  std::unique_ptr<geo::PointLocator> locator;
  if (places && places->size() > 0) locator = std::make_unique<geo::PointLocator>(places->geometry);
  const std::string units = units_words(c);
  auto p_words = [&](size_t i) {
    if (c.grids.p.values.empty() || !std::isfinite(c.grids.p.values[i])) return std::string();
    std::string w = ", permutation p = " + num(c.grids.p.values[i], 3);
    if (!c.grids.p_fdr.values.empty()) w += ", FDR-adjusted " + num(c.grids.p_fdr.values[i], 3);
    return w;
  };
  std::string o = "Where incidents rose most between " + c.before_label + " and " + c.after_label + " (" +
                  parameter(c, "categories") + "; the run's data hold " + parameter(c, "incidents_before") +
                  " incidents before and " + parameter(c, "incidents_after") + " after; each period per month): ";
  o += hi < d.size() ? "around " + place_of(d, hi, places, locator.get()) + ", up " + num(d.values[hi]) + " " + units +
                           p_words(hi) + "."
                     : "nowhere: no cell rose.";
  o += lo < d.size() ? " They fell most around " + place_of(d, lo, places, locator.get()) + ", down " +
                           num(-d.values[lo]) + " " + units + p_words(lo) + "."
                     : " No cell fell.";
  if (!c.grids.p.values.empty()) {
    size_t low = 0, tested = 0;
    const Grid& p = c.grids.p_fdr.values.empty() ? c.grids.p : c.grids.p_fdr;
    for (double v : p.values)
      if (std::isfinite(v)) tested += 1, low += v <= 0.05;
    o += " " + std::to_string(low) + " of " + std::to_string(tested) + " cells changed more than shuffling the " +
         "incidents between the two periods explains (" +
         (c.grids.p_fdr.values.empty() ? "p <= 0.05, not corrected for the many cells" : "FDR-adjusted p <= 0.05") +
         ").";
  }
  return o + " A rise or fall of a few incidents is within ordinary month-to-month variation: read the map with "
             "the counts.";
}

}  // namespace

Rgba change_colour(double v, double top) {
  const double t = top > 0 ? std::clamp(0.5 + 0.5 * v / top, 0.0, 1.0) : (v > 0 ? 1.0 : v < 0 ? 0.0 : 0.5);
  size_t i = 0;
  while (i + 2 < std::size(kStops) && t > kStops[i + 1].t) ++i;
  const Stop &a = kStops[i], &b = kStops[i + 1];
  const double u = (t - a.t) / (b.t - a.t);
  auto mix = [u](double x, double y) { return uint8_t(std::lround(x + (y - x) * u)); };
  return {{mix(a.c.r, b.c.r), mix(a.c.g, b.c.g), mix(a.c.b, b.c.b)}, mix(a.alpha, b.alpha)};
}

std::vector<ChangeFigure> change_figures(const RunResult& r, const SvgFrame* frame,
                                         const std::vector<Outlines>& outlines, const MapDecor& decor,
                                         const AreaLayer* places, const std::string& id) {
  std::vector<ChangeFigure> out;
  int n = 0;
  for (const auto& c : r.change) {
    const Grid& d = c->grids.difference;
    if (d.nx <= 0 || d.ny <= 0) continue;
    std::vector<float> abs;
    for (double v : d.values)
      if (std::isfinite(v) && v != 0) abs.push_back(std::fabs(float(v)));  // as the GeoTIFF holds it
    const double top = symmetric_top(std::move(abs));
    const SvgFrame f = frame ? *frame : fit_frame(bounds(d), 0.02, 760, 640);
    const std::string map_id = id + std::to_string(n++);
    ChangeFigure fig;
    fig.name = c->spec.name;
    fig.svg = raster_map_svg(d, rgba_png(d.nx, d.ny, diverging_planes(d, top)), f, outlines, map_id,
                             "change map " + c->spec.name, legend(*c, map_id, f.height(), top), 96, decor);
    fig.caption = "Change surface '" + c->spec.name + "': " + c->after_label + " against " + c->before_label + " (" +
                  parameter(*c, "categories") + "), each period's kernel density divided by its months, on one grid: " +
                  parameter(*c, "kernel") + " kernel, " +
                  (parameter(*c, "radius_m").empty() ? "sigma " + parameter(*c, "sigma_m")
                                                     : "radius " + parameter(*c, "radius_m")) +
                  " m, cells of " +
                  parameter(*c, "cell_m") + " m. No incident points are shown.";
    fig.paragraph = paragraph(*c, places);
    out.push_back(std::move(fig));
  }
  return out;
}

}  // namespace hotspot::report
