#include "report/map_labels.h"

#include <cmath>

#include "geo/geos_util.h"

namespace hotspot::report {

std::string area_labels_svg(const AreaLayer& layer, const SvgFrame& f) {
  const std::vector<Point> at = geo::interior_points(layer.geometry);
  std::string o = "<g class=\"area-labels\">";
  for (size_t a = 0; a < at.size() && a < layer.size(); ++a) {
    if (!std::isfinite(at[a].x) || !std::isfinite(at[a].y)) continue;
    const double x = f.sx(at[a].x), y = f.sy(at[a].y);
    if (x < 0 || y < 0 || x > f.width() || y > f.height()) continue;
    o += "<text class=\"area-label\" x=\"" + num(x, 1) + "\" y=\"" + num(y, 1) + "\"><title>" +
         html_escape(layer.code[a] + " " + layer.label[a]) + "</title>" + html_escape(layer.code[a]) + "</text>";
  }
  return o + "</g>";
}

const char* area_label_css() {
  return ".area-label { font: bold 15px sans-serif; fill: #111; stroke: #fff; stroke-width: 4px; "
         "paint-order: stroke; text-anchor: middle; dominant-baseline: middle; }\n";
}

std::string svg_with(const std::string& svg, const std::string& extra) {
  const size_t end = svg.rfind("</svg>");
  if (end == std::string::npos) return svg + extra;
  return svg.substr(0, end) + extra + svg.substr(end);
}

}  // namespace hotspot::report
