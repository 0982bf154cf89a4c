#include "report/svg_map.h"

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "hotspot/errors.h"
#include "pipeline/stats_outputs.h"

namespace hotspot::report {

SvgFrame fit_frame(const Box& given, double margin, double max_width, double max_height) {
  // An empty or non-finite extent (no areas, no incidents) gives a blank 1 m
  // frame rather than infinite coordinates.
  const bool finite = std::isfinite(given.min_x) && std::isfinite(given.min_y) && std::isfinite(given.max_x) &&
                      std::isfinite(given.max_y) && std::isfinite(given.max_x - given.min_x) &&
                      std::isfinite(given.max_y - given.min_y);
  const Box extent = finite ? given : Box{0, 0, 1, 1};
  const double w = std::max(extent.max_x - extent.min_x, 1.0), h = std::max(extent.max_y - extent.min_y, 1.0);
  const double m = margin * std::max(w, h);
  SvgFrame f;
  f.extent = {extent.min_x - m, extent.min_y - m, extent.min_x + w + m, extent.min_y + h + m};
  f.scale = std::min(max_width / (w + 2 * m), max_height / (h + 2 * m));
  return f;
}

Box bounds(const MultiPolygon& g) {
  Box b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (const Polygon& p : g)
    for (const Ring& r : p)
      for (const Point& q : r)
        b = {std::min(b.min_x, q.x), std::min(b.min_y, q.y), std::max(b.max_x, q.x), std::max(b.max_y, q.y)};
  return std::isfinite(b.min_x) ? b : Box{};
}

Box bounds(const Grid& g) { return {g.x0, g.y0, g.x0 + g.nx * g.cell, g.y_top()}; }

Box merge(const Box& a, const Box& b) {
  return {std::min(a.min_x, b.min_x), std::min(a.min_y, b.min_y), std::max(a.max_x, b.max_x),
          std::max(a.max_y, b.max_y)};
}

bool overlaps(const Box& a, const Box& b) {
  return a.min_x <= b.max_x && b.min_x <= a.max_x && a.min_y <= b.max_y && b.min_y <= a.max_y;
}

namespace {

// Appends t / 10 with one decimal; printf's %f would follow LC_NUMERIC.
void append_tenths(std::string& d, long t) {
  if (t < 0) d += '-', t = -t;
  d += std::to_string(t / 10);
  d += '.';
  d += char('0' + t % 10);
}

}  // namespace

std::string svg_path(const MultiPolygon& g, const SvgFrame& f) {
  std::string d;
  for (const Polygon& p : g)
    for (const Ring& r : p) {
      long px = 0, py = 0;
      bool first = true;
      for (const Point& q : r) {
        // Tenths of a unit: finer than any screen or printer will show.
        const long x = std::lround(f.sx(q.x) * 10), y = std::lround(f.sy(q.y) * 10);
        if (!first && x == px && y == py) continue;
        d += first ? "M" : " ";
        append_tenths(d, x);
        d += ' ';
        append_tenths(d, y);
        px = x, py = y, first = false;
      }
      if (!first) d += "Z";
    }
  return d;
}

Rgb heat_colour(double t) {
  // ColorBrewer YlOrRd, 9 classes (Brewer, colorbrewer2.org).
  static constexpr std::array<Rgb, 9> kStops = {{{255, 255, 204},
                                                 {255, 237, 160},
                                                 {254, 217, 118},
                                                 {254, 178, 76},
                                                 {253, 141, 60},
                                                 {252, 78, 42},
                                                 {227, 26, 28},
                                                 {189, 0, 38},
                                                 {128, 0, 38}}};
  t = std::isnan(t) ? 0 : std::clamp(t, 0.0, 1.0) * (kStops.size() - 1);
  const size_t i = std::min(size_t(t), kStops.size() - 2);
  const double u = t - double(i);
  auto mix = [u](uint8_t a, uint8_t b) { return uint8_t(std::lround(a + (b - a) * u)); };
  return {mix(kStops[i].r, kStops[i + 1].r), mix(kStops[i].g, kStops[i + 1].g), mix(kStops[i].b, kStops[i + 1].b)};
}

std::string css_colour(Rgb c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

double positive_quantile(const Grid& g, double q) {
  std::vector<double> v;
  for (double x : g.values)
    if (std::isfinite(x) && x > 0) v.push_back(x);
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, size_t(std::llround(std::clamp(q, 0.0, 1.0) * double(v.size() - 1))));
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

namespace {

// Band-sequential RGBA bytes of the heat map (see density_png).
std::vector<uint8_t> rgba_planes(const Grid& g, double vmax) {
  const size_t n = g.size();
  std::vector<uint8_t> px(4 * n, 0);
  for (size_t i = 0; i < n; ++i) {
    const double v = g.values[i];
    if (!(v > 0) || !std::isfinite(v)) continue;  // NaN and 0: transparent
    const Rgb c = heat_colour(vmax > 0 ? v / vmax : 1);
    px[i] = c.r, px[n + i] = c.g, px[2 * n + i] = c.b, px[3 * n + i] = 235;
  }
  return px;
}

std::string gdal_error(const std::string& what) { return "briefing: " + what + ": " + CPLGetLastErrorMsg(); }

}  // namespace

std::string density_png(const Grid& g, double vmax) { return rgba_png(g.nx, g.ny, rgba_planes(g, vmax)); }

std::string rgba_png(int nx, int ny, const std::vector<uint8_t>& px) {
  const Grid g{0, 0, 1, nx, ny, {}};  // the shape only
  GDALAllRegister();
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  GDALDriver* png = GetGDALDriverManager()->GetDriverByName("PNG");
  if (!mem || !png) throw OutputError("briefing: GDAL lacks the MEM or PNG driver");
  if (g.nx <= 0 || g.ny <= 0) throw OutputError("briefing: empty heat-map grid");
  if (px.size() != 4 * size_t(nx) * size_t(ny)) throw OutputError("briefing: RGBA planes of the wrong size");
  GDALDatasetUniquePtr ds(mem->Create("", g.nx, g.ny, 4, GDT_Byte, nullptr));
  if (!ds) throw OutputError(gdal_error("cannot create an in-memory raster"));
  for (int b = 0; b < 4; ++b)
    if (ds->GetRasterBand(b + 1)->RasterIO(GF_Write, 0, 0, g.nx, g.ny, const_cast<uint8_t*>(px.data()) + size_t(b) * size_t(nx) * size_t(ny), g.nx, g.ny,
                                           GDT_Byte, 0, 0) != CE_None)
      throw OutputError(gdal_error("cannot fill the heat-map raster"));
  static std::atomic<int> seq{0};
  const std::string name = "/vsimem/hotspot_briefing_" + std::to_string(seq++) + ".png";
  GDALDatasetUniquePtr out(png->CreateCopy(name.c_str(), ds.get(), FALSE, nullptr, nullptr, nullptr));
  if (!out) throw OutputError(gdal_error("cannot encode the heat map as PNG"));
  out.reset();  // closing flushes the file
  vsi_l_offset len = 0;
  const GByte* buf = VSIGetMemFileBuffer(name.c_str(), &len, FALSE);
  std::string bytes = buf ? std::string(reinterpret_cast<const char*>(buf), size_t(len)) : "";
  VSIUnlink(name.c_str());
  VSIUnlink((name + ".aux.xml").c_str());
  if (bytes.empty()) throw OutputError(gdal_error("empty PNG"));
  return bytes;
}

const char* map_css() {
  return R"(
.paper { fill: #f3f3f1; }
.frame { fill: none; stroke: #333; stroke-width: 1; }
.ward { fill: none; stroke: #666; stroke-width: .7; stroke-dasharray: 4 2; }
.beat { fill: none; stroke: #333; stroke-width: 1.2; }
.focus { fill: none; stroke: #000; stroke-width: 2.6; }
.hotspot { fill: none; stroke: #08306b; stroke-width: 2.6; stroke-linejoin: round; }
.threshold { fill: none; stroke: #08306b; stroke-width: 2; }
.rank { font: bold 14px sans-serif; fill: #08306b; stroke: #fff; stroke-width: 3.5px; paint-order: stroke; }
.choro { stroke: #fff; stroke-width: .7; }
.label-beat, .label-ward, .label-lsoa, .ctx-label { font-family: sans-serif; fill: #111; stroke: #fff;
  stroke-width: 3px; stroke-linejoin: round; paint-order: stroke; }
.label-beat { font-size: 13px; font-weight: bold; }
.label-ward { font-size: 10px; font-style: italic; fill: #333; }
.label-lsoa { font-size: 8px; fill: #333; }
.ctx-label { font-size: 10px; fill: #444; }
.ctx-line { fill: none; stroke: #777; stroke-width: .9; }
.ctx-area { fill: none; stroke: #777; stroke-width: .8; stroke-dasharray: 2 2; }
.ctx-point { fill: #444; stroke: #fff; stroke-width: .8; }
.legend text, .scalebar text { font: 11px sans-serif; fill: #222; }
.legend .strong { font-weight: bold; }
.swatch { stroke: #666; stroke-width: .5; }
.scalebar .backing { fill: #fff; fill-opacity: .85; }
.scalebar .dark { fill: #222; }
.scalebar .light { fill: #fff; stroke: #222; stroke-width: .8; }
.scalebar .north { font-weight: bold; font-size: 13px; }
)";
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t v = 0;
    for (size_t k = 0; k < 3; ++k) v = v << 8 | (k < n ? uint8_t(bytes[i + k]) : 0u);
    for (size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  return out;
}

std::string num(double v, int decimals) {
  if (decimals < 0) {
    const double a = std::fabs(v);
    decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  }
  return pipeline::fixed(v, decimals);
}

namespace {

// A round length (1, 2 or 5 x 10^n m) near `target` metres.
double round_length(double target) {
  if (!std::isfinite(target)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(std::max(target, 1.0))));
  for (double m : {5.0, 2.0, 1.0})
    if (m * p <= target) return m * p;
  return p;
}

std::string scale_bar(const SvgFrame& f) {
  const double len = round_length(f.extent.max_x - f.extent.min_x) / 4;
  const double metres = round_length(len), w = metres * f.scale, x = 10, y = f.height() - 14;
  const std::string label = metres >= 1000 ? num(metres / 1000, 0) + " km" : num(metres, 0) + " m";
  std::ostringstream o;
  o << "<g class=\"scalebar\"><rect class=\"backing\" x=\"" << num(x - 6, 1) << "\" y=\"" << num(y - 22, 1)
    << "\" width=\"" << num(w + 44, 1) << "\" height=\"30\"/>"
    << "<rect x=\"" << num(x, 1) << "\" y=\"" << num(y, 1) << "\" width=\"" << num(w / 2, 1)
    << "\" height=\"5\" class=\"dark\"/><rect x=\"" << num(x + w / 2, 1) << "\" y=\"" << num(y, 1) << "\" width=\""
    << num(w / 2, 1) << "\" height=\"5\" class=\"light\"/>"
    << "<text x=\"" << num(x, 1) << "\" y=\"" << num(y - 5, 1) << "\">0</text><text x=\"" << num(x + w, 1) << "\" y=\""
    << num(y - 5, 1) << "\" text-anchor=\"middle\">" << label << "</text>"
    << "<text x=\"" << num(x + w + 24, 1) << "\" y=\"" << num(y + 6, 1) << "\" class=\"north\">N&#8593;</text></g>";
  return o.str();
}

// Legends need this much width even beside a tall, narrow map.
constexpr double kMinWidth = 680;

// <svg> with a clip rectangle for the map area and `legend_h` below it.
std::string svg_open(const SvgFrame& f, const std::string& id, double legend_h, const std::string& label) {
  std::ostringstream o;
  o << "<svg class=\"map\" viewBox=\"0 0 " << num(std::max(f.width(), kMinWidth), 1) << " "
    << num(f.height() + legend_h, 1) << "\" role=\"img\" aria-label=\"" << html_escape(label)
    << "\"><defs><clipPath id=\"" << id << "-clip\"><rect width=\"" << num(f.width(), 1) << "\" height=\""
    << num(f.height(), 1) << "\"/></clipPath></defs><rect class=\"paper\" width=\"" << num(f.width(), 1)
    << "\" height=\"" << num(f.height(), 1) << "\"/>";
  return o.str();
}

std::string svg_close(const SvgFrame& f) {
  // Inset by half the stroke, so the whole border is inside the viewBox.
  return "<rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"" + num(f.width() - 1, 1) + "\" height=\"" +
         num(f.height() - 1, 1) + "\"/>" + scale_bar(f) + "</svg>";
}

std::string area_path(const AreaLayer& l, size_t a, const SvgFrame& f, const std::string& attrs,
                      const std::string& tip) {
  return "<path " + attrs + " d=\"" + svg_path(l.geometry[a], f) + "\"><title>" + html_escape(tip) + "</title></path>";
}

std::string outlines_svg(const std::vector<Outlines>& outlines, const SvgFrame& f) {
  std::string o;
  for (const Outlines& ol : outlines)
    for (size_t a = 0; ol.layer && a < ol.layer->size(); ++a) {
      if (ol.only >= 0 ? int(a) != ol.only : !overlaps(bounds(ol.layer->geometry[a]), f.extent)) continue;
      const std::string tip = ol.layer->name + " " + ol.layer->code[a] + " " + ol.layer->label[a];
      o += area_path(*ol.layer, a, f, "class=\"" + ol.css_class + "\"", tip);
    }
  return o;
}

std::string hotspots_svg(const Surface& s, const SvgFrame& f, LabelSpace& space) {
  std::string paths, ranks;
  for (const HotspotArea& h : s.hotspots) {
    paths += "<path class=\"hotspot\" d=\"" + svg_path(h.geometry, f) + "\"><title>hotspot " + std::to_string(h.rank) +
             "</title></path>";
    // The rank sits just north-east of the area's northernmost vertex.
    Point top{0, -INFINITY};
    for (const Polygon& poly : h.geometry)
      for (const Point& q : poly.at(0))
        if (q.y > top.y || (q.y == top.y && q.x > top.x)) top = q;
    const double x = std::min(f.sx(top.x) + 4, f.width() - 12), y = std::max(f.sy(top.y) - 3, 14.0);
    space.take({x - 2, y - 14, x + 10 * double(std::to_string(h.rank).size()) + 2, y + 3});
    ranks +=
        "<text class=\"rank\" x=\"" + num(x, 1) + "\" y=\"" + num(y, 1) + "\">" + std::to_string(h.rank) + "</text>";
  }
  return paths + ranks;
}

double max_value(const Grid& g) {
  double hi = 0;
  for (double v : g.values)
    if (std::isfinite(v)) hi = std::max(hi, v);
  return hi;
}

std::string text(double x, double y, const std::string& body, const char* anchor = "start") {
  return "<text x=\"" + num(x, 1) + "\" y=\"" + num(y, 1) + "\" text-anchor=\"" + anchor + "\">" + body + "</text>";
}

// The ramp and the hotspot threshold side by side (issue 9): where on the
// ramp an area becomes a hotspot, and which value the darkest colour means.
std::string heat_legend(const Surface& s, const std::string& id, double y, double vmax, const std::string& units) {
  const Grid& g = s.density;
  const double hi = max_value(g);
  const auto param = [&](const char* key) {
    const auto it = s.parameters.find(key);
    return it == s.parameters.end() ? std::string() : it->second;
  };
  const double threshold = std::atof(param("hotspot_threshold").c_str());
  std::ostringstream o;
  o << "<defs><linearGradient id=\"" << id << "-ramp\">";
  for (int i = 0; i <= 8; ++i)
    o << "<stop offset=\"" << num(i / 8.0, 3) << "\" stop-color=\"" << css_colour(heat_colour(i / 8.0)) << "\"/>";
  o << "</linearGradient></defs><g class=\"legend\">"
    << text(10, y + 14, "<tspan class=\"strong\">Density, " + html_escape(units) + "</tspan>") << "<rect x=\"10\" y=\""
    << num(y + 22, 1) << "\" width=\"240\" height=\"12\" fill=\"url(#" << id << "-ramp)\" class=\"swatch\"/>"
    << text(10, y + 48, "&gt; 0") << text(130, y + 48, num(vmax / 2), "middle")
    << text(250, y + 48, "&#8805; " + num(vmax), "end")
    << text(270, y + 32, "ramp top " + num(vmax) + " (99.5th percentile); highest cell " + num(hi))
    << text(270, y + 48, "blank: no incidents within the radius, or outside the area");
  if (threshold > 0 && vmax > 0) {
    // A tick on the ramp at the threshold (at its end when above the top).
    const double x = 10 + 240 * std::min(threshold / vmax, 1.0);
    o << "<path class=\"threshold\" d=\"M" << num(x, 1) << " " << num(y + 19, 1) << "v18\"/>";
  }
  const std::string rule = param("hotspot_rule");
  o << "<path class=\"hotspot\" d=\"M10 " << num(y + 58, 1) << "h24v10h-24Z\"/>"
    << text(42, y + 67,
            "hotspot area: density &#8805; " + num(threshold) + (rule.empty() ? "" : " (" + html_escape(rule) + ")") +
                " (tick on the ramp), ramp top " + num(vmax) + "; numbered as in the table")
    << "</g>";
  return o.str();
}

}  // namespace

std::string heat_map_svg(const Surface& s, const SvgFrame& f, const std::vector<Outlines>& outlines,
                         const std::string& units, const std::string& id, const MapDecor& decor) {
  const Grid& g = s.density;
  const double vmax = positive_quantile(g, 0.995);
  const Box b = bounds(g);
  std::ostringstream o;
  LabelSpace space;
  const std::string ranks = hotspots_svg(s, f, space);  // first: numbers win space over labels
  o << svg_open(f, id, 78, "heat map " + s.name) << "<g clip-path=\"url(#" << id << "-clip)\">"
    << "<image x=\"" << num(f.sx(b.min_x), 2) << "\" y=\"" << num(f.sy(b.max_y), 2) << "\" width=\""
    << num((b.max_x - b.min_x) * f.scale, 2) << "\" height=\"" << num((b.max_y - b.min_y) * f.scale, 2)
    << "\" preserveAspectRatio=\"none\" href=\"data:image/png;base64," << base64(density_png(g, vmax)) << "\"/>"
    << (decor.context ? context_svg(*decor.context, f, space) : "") << outlines_svg(outlines, f) << "</g>" << ranks
    << area_labels_svg(decor.labels, f, space) << heat_legend(s, id, f.height(), vmax, units)
    << svg_close(f);
  return o.str();
}

std::string raster_map_svg(const Grid& g, const std::string& png, const SvgFrame& f,
                           const std::vector<Outlines>& outlines, const std::string& id, const std::string& label,
                           const std::string& legend, double legend_h, const MapDecor& decor) {
  const Box b = bounds(g);
  std::ostringstream o;
  LabelSpace space;
  o << svg_open(f, id, legend_h, label) << "<g clip-path=\"url(#" << id << "-clip)\">"
    << "<image x=\"" << num(f.sx(b.min_x), 2) << "\" y=\"" << num(f.sy(b.max_y), 2) << "\" width=\""
    << num((b.max_x - b.min_x) * f.scale, 2) << "\" height=\"" << num((b.max_y - b.min_y) * f.scale, 2)
    << "\" preserveAspectRatio=\"none\" href=\"data:image/png;base64," << base64(png) << "\"/>"
    << (decor.context ? context_svg(*decor.context, f, space) : "") << outlines_svg(outlines, f) << "</g>"
    << area_labels_svg(decor.labels, f, space) << legend << svg_close(f);
  return o.str();
}

std::string choropleth_svg(const Choropleth& c, const SvgFrame& f, const std::vector<Outlines>& outlines,
                           const std::string& id, const MapDecor& decor) {
  const double rows = std::ceil(double(c.legend.size()) / 3.0);
  std::ostringstream o;
  o << svg_open(f, id, 12 + 18 * rows, "choropleth " + c.layer->name) << "<g clip-path=\"url(#" << id << "-clip)\">";
  for (size_t a = 0; a < c.layer->size(); ++a)
    if (overlaps(bounds(c.layer->geometry[a]), f.extent))
      o << area_path(*c.layer, a, f, "class=\"choro\" fill=\"" + c.fill[a] + "\"", c.tip[a]);
  LabelSpace space;
  o << (decor.context ? context_svg(*decor.context, f, space) : "") << outlines_svg(outlines, f) << "</g>"
    << area_labels_svg(decor.labels, f, space) << "<g class=\"legend\">";
  const double col_w = std::max(f.width(), kMinWidth) / 3;
  for (size_t i = 0; i < c.legend.size(); ++i) {
    const double x = 10 + col_w * double(i % 3), y = f.height() + 10 + 18 * double(i / 3);
    o << "<rect class=\"swatch\" x=\"" << num(x, 1) << "\" y=\"" << num(y, 1) << "\" width=\"16\" height=\"12\" fill=\""
      << c.legend[i].second << "\"/>" << text(x + 22, y + 10, html_escape(c.legend[i].first));
  }
  o << "</g>" << svg_close(f);
  return o.str();
}

std::string standalone_svg(const std::string& map_svg, int width_px) {
  // The page's <svg class="map" viewBox="0 0 W H" ...>: the same map with its
  // own size, namespace and styles, so it opens alone in a browser or slides.
  const size_t vb = map_svg.find("viewBox=\"0 0 ");
  double w = 1, h = 1;
  if (vb != std::string::npos) {
    const size_t a = vb + 13, sp = map_svg.find(' ', a);
    w = std::atof(map_svg.substr(a, sp - a).c_str());
    h = std::atof(map_svg.substr(sp + 1).c_str());
  }
  const long height_px = std::lround(double(width_px) * h / std::max(w, 1.0));
  std::string body = map_svg;
  const std::string open = "<svg class=\"map\"";
  if (body.rfind(open, 0) == 0)
    body.replace(0, open.size(), "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" width=\"" +
                                     std::to_string(width_px) + "\" height=\"" + std::to_string(height_px) + "\"");
  // xlink:href for the raster: SVG 1.1 viewers (and older librsvg) know only that.
  // Cells drawn as cells (nearest neighbour), as QGIS draws the GeoTIFF: a
  // smoothed upscale of the small heat-map image was most of librsvg's time.
  for (size_t at = 0; (at = body.find(" href=\"data:", at)) != std::string::npos; at += 40)
    body.replace(at, 5, " image-rendering=\"optimizeSpeed\" xlink:href");
  body.insert(body.find(' '), " xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
  const size_t defs = body.find('>') + 1;
  body.insert(defs, std::string("<style>") + map_css() + "</style><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body + "\n";
}

}  // namespace hotspot::report
