#include "report/map_labels.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "geo/geos_util.h"
#include "geo/point_locator.h"
#include "report/svg_map.h"

namespace hotspot::report {
namespace {

bool inside_frame(const SvgFrame& f, double x, double y) {
  return x >= 0 && y >= 0 && x <= f.width() && y <= f.height();
}

std::string text_element(const std::string& cls, double x, double y, const std::string& body,
                         const char* anchor = "middle") {
  return "<text class=\"" + cls + "\" x=\"" + num(x, 1) + "\" y=\"" + num(y, 1) + "\" text-anchor=\"" + anchor +
         "\" dominant-baseline=\"central\">" + html_escape(body) + "</text>";
}

// Does the box (SVG units) lie inside area a? Nine points tested: enough
// for a label against boundaries generalised at map scale.
bool fits(const geo::PointLocator& loc, int32_t a, const Box& b, const SvgFrame& f) {
  for (double u : {0.0, 0.5, 1.0})
    for (double v : {0.0, 0.5, 1.0}) {
      const double sx = b.min_x + u * (b.max_x - b.min_x), sy = b.min_y + v * (b.max_y - b.min_y);
      if (!inside_frame(f, sx, sy)) return false;
      const double x = f.extent.min_x + sx / f.scale, y = f.extent.max_y - sy / f.scale;
      if (!loc.contains(a, x, y)) return false;
    }
  return true;
}

std::string path_of(const std::vector<Point>& part, const SvgFrame& f, bool close) {
  std::string d;
  for (size_t i = 0; i < part.size(); ++i)
    d += (i ? " " : "M") + num(f.sx(part[i].x), 1) + " " + num(f.sy(part[i].y), 1);
  return d + (close && !d.empty() ? "Z" : "");
}

Box part_bounds(const std::vector<Point>& part) {
  Box b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (const Point& p : part)
    b = {std::min(b.min_x, p.x), std::min(b.min_y, p.y), std::max(b.max_x, p.x), std::max(b.max_y, p.y)};
  return b;
}

const char* kind_class(ContextKind k) {
  return k == ContextKind::kPoints ? "ctx-point" : k == ContextKind::kLines ? "ctx-line" : "ctx-area";
}

}  // namespace

bool LabelSpace::free(const Box& b) const {
  return std::none_of(taken_.begin(), taken_.end(), [&](const Box& t) { return overlaps(t, b); });
}

Box label_box(const std::string& text, double font_px, double x, double y) {
  size_t chars = 0;  // UTF-8 code points, not bytes
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  const double w = 0.6 * font_px * double(chars) + 4, h = 1.2 * font_px;
  return {x - w / 2, y - h / 2, x + w / 2, y + h / 2};
}

std::string area_labels_svg(const std::vector<AreaLabels>& sets, const SvgFrame& f, LabelSpace& space) {
  std::string out;
  for (const AreaLabels& set : sets) {
    if (!set.layer || set.layer->size() == 0) continue;
    const AreaLayer& l = *set.layer;
    std::vector<MultiPolygon> shown;  // only the areas in the frame: interior points cost a GEOS call each
    std::vector<size_t> index;
    for (size_t a = 0; a < l.size(); ++a)
      if (overlaps(bounds(l.geometry[a]), f.extent)) shown.push_back(l.geometry[a]), index.push_back(a);
    if (shown.empty()) continue;
    const std::vector<Point> at = geo::interior_points(shown);
    const geo::PointLocator loc(shown);
    for (size_t k = 0; k < shown.size(); ++k) {
      const size_t a = index[k];
      const std::string text = set.by_code || l.label[a].empty() ? l.code[a] : l.label[a];
      if (!std::isfinite(at[k].x) || text.empty()) continue;
      const double x = f.sx(at[k].x), y = f.sy(at[k].y);
      const Box b = label_box(text, set.font_px, x, y);
      if (!space.free(b) || !fits(loc, int32_t(k), b, f)) continue;
      space.take(b);
      out += text_element(set.css_class, x, y, text);
    }
  }
  return out;
}

std::string context_svg(const std::vector<ContextLayer>& layers, const SvgFrame& f, LabelSpace& space) {
  std::string shapes, labels;
  for (const ContextLayer& l : layers) {
    const char* cls = kind_class(l.kind);
    std::map<std::string, std::pair<double, Point>> best;  // label -> (longest part, where)
    for (const ContextFeature& feat : l.features) {
      for (const std::vector<Point>& part : feat.parts) {
        if (part.empty() || !overlaps(part_bounds(part), f.extent)) continue;
        if (l.kind == ContextKind::kPoints) {
          shapes += "<circle class=\"" + std::string(cls) + "\" cx=\"" + num(f.sx(part[0].x), 1) + "\" cy=\"" +
                    num(f.sy(part[0].y), 1) + "\" r=\"2.5\"/>";
        } else {
          shapes += "<path class=\"" + std::string(cls) + "\" d=\"" +
                    path_of(part, f, l.kind == ContextKind::kPolygons) + "\"/>";
        }
        if (feat.label.empty()) continue;
        // The length in the frame decides which part carries a line's label.
        double len = 0;
        for (size_t i = 1; i < part.size(); ++i) len += std::hypot(part[i].x - part[i - 1].x, part[i].y - part[i - 1].y);
        const Point mid = part[part.size() / 2];
        if (!inside_frame(f, f.sx(mid.x), f.sy(mid.y))) continue;
        auto& b = best[feat.label];
        if (len >= b.first) b = {len, mid};
      }
    }
    for (const auto& [text, where] : best) {
      const bool point = l.kind == ContextKind::kPoints;
      const double x = f.sx(where.second.x) + (point ? 5 : 0), y = f.sy(where.second.y) - (point ? 0 : 6);
      Box b = label_box(text, 10, x, y);
      if (point) b = {x, b.min_y, x + (b.max_x - b.min_x), b.max_y};
      if (!inside_frame(f, b.min_x, b.min_y) || !inside_frame(f, b.max_x, b.max_y) || !space.free(b)) continue;
      space.take(b);
      labels += text_element("ctx-label", x, y, text, point ? "start" : "middle");
    }
  }
  return shapes + labels;
}

std::string context_words(const std::vector<ContextLayer>& layers) {
  std::string o;
  for (const ContextLayer& l : layers)
    o += (o.empty() ? "" : "; ") + std::string(l.kind == ContextKind::kPoints  ? "grey dots: "
                                               : l.kind == ContextKind::kLines ? "grey lines: "
                                                                               : "grey outlines: ") +
         l.name;
  return o.empty() ? "" : "Context: " + o + ".";
}

}  // namespace hotspot::report
