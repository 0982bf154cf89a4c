#include "pipeline/map_context.h"

#include <algorithm>
#include <cmath>

#include "geo/geos_util.h"
#include "io/context_layers.h"

namespace hotspot::pipeline {

Box context_extent(const RunSpec& spec, const std::vector<AreaLayer>& layers) {
  Box b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (const AreaLayer& l : layers) {
    if (!spec.kde.study_layer.empty() && l.name != spec.kde.study_layer) continue;
    for (const MultiPolygon& g : l.geometry) {
      const Box x = geo::bounds(g);
      b = {std::min(b.min_x, x.min_x), std::min(b.min_y, x.min_y), std::max(b.max_x, x.max_x),
           std::max(b.max_y, x.max_y)};
    }
  }
  if (!std::isfinite(b.min_x)) return {};
  const double m = 0.05 * std::max(b.max_x - b.min_x, b.max_y - b.min_y);
  return {b.min_x - m, b.min_y - m, b.max_x + m, b.max_y + m};
}

std::vector<ContextLayer> read_context(const RunSpec& spec, const std::vector<AreaLayer>& layers,
                                       const std::string& working_crs) {
  return io::read_context_layers(spec.report.context, working_crs, context_extent(spec, layers));
}

}  // namespace hotspot::pipeline
