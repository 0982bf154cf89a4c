// The change surfaces ([[change.surfaces]]) in the briefings: per surface a
// map of the difference (after - before per month) with a diverging ramp
// (the colours of maps/change_raster.qml, symmetric about 0, darkest at the
// 99th percentile of |change| as the QGIS style), and a short paragraph in
// plain words: where incidents rose most, where they fell most, the floor
// below which the log ratio is left blank. Inline SVG + HTML, self-contained.
#pragma once

#include <string>
#include <vector>

#include "hotspot/pipeline.h"
#include "report/svg_map.h"

namespace hotspot::report {

struct ChangeFigure {
  std::string name;       // the change surface's name
  std::string svg;        // the map
  std::string caption;    // what the map shows (plain text)
  std::string paragraph;  // where incidents rose and fell most (plain text)
};

// One figure per change surface of r. `frame`: the map's frame (null: each
// surface's own grid). `places`: the layer whose areas name the places in
// the paragraph (null: grid coordinates). `id` prefixes the SVG ids.
std::vector<ChangeFigure> change_figures(const RunResult& r, const SvgFrame* frame,
                                         const std::vector<Outlines>& outlines, const MapDecor& decor,
                                         const AreaLayer* places, const std::string& id);

// The diverging colour of v on a ramp from -top to +top (ColorBrewer RdBu
// as maps/change_raster.qml: #2166ac, #67a9cf, #f7f7f7, #ef8a62, #b2182b),
// with its alpha: 0 at v = 0, 230 at |v| = top / 2, 255 at |v| >= top.
struct Rgba {
  Rgb rgb;
  uint8_t alpha = 0;
};
Rgba change_colour(double v, double top);

}  // namespace hotspot::report
