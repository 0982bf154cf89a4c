// Maps for the briefing page, drawn as inline SVG: working-CRS polygons as
// SVG paths, the heat-map raster as an inline PNG (a data: URI), a scale bar
// and legends. Everything returned is self-contained text: no external
// references, no scripts, no fonts (the page must open offline).
//
// Styling is by CSS classes: put map_css() in the page's <style>. Outlines
// use the class named in Outlines ("ward", "beat", "focus" are defined).
// Thread safety: pure functions; density_png uses a unique /vsimem/ name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hotspot/areas.h"
#include "hotspot/geometry.h"
#include "hotspot/grid.h"
#include "hotspot/surface.h"
#include "report/map_labels.h"

namespace hotspot::report {

// A box of the working CRS (metres) mapped onto SVG user units: x to the
// right, y flipped (SVG's y grows downwards).
struct SvgFrame {
  Box extent;        // working CRS, metres
  double scale = 1;  // SVG units per metre
  double width() const { return (extent.max_x - extent.min_x) * scale; }
  double height() const { return (extent.max_y - extent.min_y) * scale; }
  double sx(double x) const { return (x - extent.min_x) * scale; }
  double sy(double y) const { return (extent.max_y - y) * scale; }
};

// The frame showing `extent` grown by `margin` (a share of its larger side)
// on every side, scaled to fit max_width x max_height SVG units.
SvgFrame fit_frame(const Box& extent, double margin, double max_width, double max_height);

Box bounds(const MultiPolygon& g);  // of every vertex; all 0 when empty
Box bounds(const Grid& g);          // the grid's cells
Box merge(const Box& a, const Box& b);
bool overlaps(const Box& a, const Box& b);  // closed boxes share a point

// SVG path data of g in frame f ("M x y x y ... Z" per ring, 0.1 unit
// precision, repeated points dropped). Fill with fill-rule evenodd so holes
// stay holes.
std::string svg_path(const MultiPolygon& g, const SvgFrame& f);

// Sequential ramp (ColorBrewer YlOrRd, 9 classes, linearly interpolated):
// t = 0 pale yellow .. t = 1 dark red; t is clamped to [0, 1].
struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};
Rgb heat_colour(double t);
std::string css_colour(Rgb c);  // "#rrggbb"

// The q-quantile (0..1, nearest rank) of the grid's positive finite values;
// 0 when there are none.
double positive_quantile(const Grid& g, double q);

// g as an RGBA PNG, one pixel per cell, north up: transparent for NaN and
// values <= 0, else heat_colour(v / vmax) (so values >= vmax are darkest).
// Throws OutputError with GDAL's message.
std::string density_png(const Grid& g, double vmax);

// Band-sequential RGBA bytes (4 x nx x ny: all red, then green, blue,
// alpha; rows north first) as a PNG. Throws OutputError.
std::string rgba_png(int nx, int ny, const std::vector<uint8_t>& planes);

// CSS for the maps' classes (paper, frame, outlines, hotspots, legends).
const char* map_css();

std::string base64(std::string_view bytes);   // RFC 4648, padded
std::string html_escape(std::string_view s);  // & < > " '
// v with `decimals` places ("" for NaN), locale-free; decimals < 0 picks
// them from the magnitude (0 from 100, 1 from 10, 2 from 1, else 3).
std::string num(double v, int decimals = -1);

// Polygons drawn over a map: every area of `layer` whose bounding box meets
// the frame, or only area `only` (>= 0). Each path gets a <title> tooltip.
struct Outlines {
  const AreaLayer* layer = nullptr;
  std::string css_class;  // e.g. "beat", "ward", "focus"
  int only = -1;
};

// What a map carries besides its data (issue 9): area labels where they fit
// and the user's context layers.
struct MapDecor {
  std::vector<AreaLabels> labels;
  const std::vector<ContextLayer>* context = nullptr;  // not owned; may be null
};

// The heat map of surface s: density PNG up to vmax, context layers,
// outlines, the hotspot polygons numbered by rank, area labels, a scale bar
// and a legend with `units` (the ramp's top and the hotspot threshold).
// `id` prefixes the SVG ids (unique in the page).
std::string heat_map_svg(const Surface& s, const SvgFrame& f, const std::vector<Outlines>& outlines,
                         const std::string& units, const std::string& id, const MapDecor& decor = {});

// A raster map: `png` (one pixel per cell of g, north up) stretched over
// g's cells, then the context layers, outlines and labels, `legend` (SVG
// drawn below the map, in a band legend_h units tall), a scale bar and the
// frame. `label` is the map's accessible name.
std::string raster_map_svg(const Grid& g, const std::string& png, const SvgFrame& f,
                           const std::vector<Outlines>& outlines, const std::string& id, const std::string& label,
                           const std::string& legend, double legend_h, const MapDecor& decor = {});

// A choropleth: the areas of `layer` that meet the frame filled with
// fill[a] (tooltip tip[a]), then the outlines, a scale bar and a legend of
// (label, colour) swatches.
struct Choropleth {
  const AreaLayer* layer = nullptr;
  std::vector<std::string> fill, tip;  // per area of layer
  std::vector<std::pair<std::string, std::string>> legend;
};
std::string choropleth_svg(const Choropleth& c, const SvgFrame& f, const std::vector<Outlines>& outlines,
                           const std::string& id, const MapDecor& decor = {});

// A map SVG from the page as a standalone file (for slides): the page's
// map classes inlined in a <style>, an XML declaration and the SVG
// namespace, and width / height in pixels for `width_px` (height to scale).
std::string standalone_svg(const std::string& map_svg, int width_px);

}  // namespace hotspot::report
