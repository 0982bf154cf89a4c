// Labels and context on the briefing maps (issue 9: nobody at the table
// could tell one place from another on a map without names): area labels
// at an interior point of each area, left out where the text would not fit
// inside the area at the map's scale or would overlap a label already
// placed; and the user's context layers (roads, places, ...) with theirs.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "hotspot/areas.h"
#include "hotspot/context.h"
#include "hotspot/geometry.h"

namespace hotspot::report {

struct SvgFrame;

// Which areas to label and with what.
struct AreaLabels {
  const AreaLayer* layer = nullptr;
  bool by_code = true;    // the area code (beat numbers, LSOA codes), else the name (wards)
  std::string css_class;  // "label-beat", "label-ward", "label-lsoa" (map_css)
  double font_px = 11;    // for the fit test: the class's font size in SVG units
};

// Boxes of labels already on the map, in SVG units; a new label that meets
// one is left out.
class LabelSpace {
 public:
  bool free(const Box& b) const;
  void take(const Box& b) { taken_.push_back(b); }

 private:
  std::vector<Box> taken_;
};

// The rough box of `text` at `font_px` centred on (x, y), SVG units
// (sans-serif: ~0.6 em a character).
Box label_box(const std::string& text, double font_px, double x, double y);

// <text> elements for every area of each set that meets the frame, in set
// order (earlier sets win space), each at its area's interior point, skipped
// when its box is not inside the area (centre, corners and edge midpoints
// tested) or is taken.
std::string area_labels_svg(const std::vector<AreaLabels>& sets, const SvgFrame& f, LabelSpace& space);

// The context layers within the frame: lines and polygon outlines as paths,
// points as dots, and each distinct label once (points beside the dot,
// lines at the middle vertex of their longest part in the frame) where it
// finds space.
std::string context_svg(const std::vector<ContextLayer>& layers, const SvgFrame& f, LabelSpace& space);

// A key to the context layers drawn: "Grey lines: roads (OS Open Roads)..."
std::string context_words(const std::vector<ContextLayer>& layers);

}  // namespace hotspot::report
