#include "pipeline/surface_grid.h"

#include <algorithm>
#include <thread>

#include "geo/crs.h"
#include "geo/geos_util.h"

namespace hotspot::pipeline {

Study study_area(const KdeSpec& k, const RunResult& r) {
  Study s;
  if (k.study_layer.empty()) return s;
  const AreaLayer* layer = nullptr;
  for (const AreaLayer& l : r.layers)
    if (l.name == k.study_layer) layer = &l;
  if (!layer) throw ConfigError("kde.study_layer: no area layer named '" + k.study_layer + "'");
  for (size_t a = 0; a < layer->size(); ++a)
    if (k.study_area.empty() || layer->code[a] == k.study_area) s.areas.push_back(layer->geometry[a]);
  if (s.areas.empty()) throw ConfigError("kde.study_area: layer " + k.study_layer + " has no area " + k.study_area);
  for (const MultiPolygon& mp : s.areas) {
    const Box b = geo::bounds(mp);
    s.box = {std::min(s.box.min_x, b.min_x), std::min(s.box.min_y, b.min_y), std::max(s.box.max_x, b.max_x),
             std::max(s.box.max_y, b.max_y)};
  }
  s.label = k.study_layer + (k.study_area.empty() ? " (all areas)" : " " + k.study_area);
  s.locator = std::make_unique<geo::PointLocator>(s.areas);
  return s;
}

// Grid over the box: snapped outward to whole cells, or (exact = true)
// starting at the box's west and north edges as given.
Grid make_grid(const Box& b, double cell, bool exact) {
  Grid g;
  g.cell = cell;
  g.x0 = exact ? b.min_x : std::floor(b.min_x / cell) * cell;
  const double y_floor = exact ? b.min_y : std::floor(b.min_y / cell) * cell;
  g.nx = std::max(1, int(std::ceil((b.max_x - g.x0) / cell - 1e-9)));
  g.ny = std::max(1, int(std::ceil((b.max_y - y_floor) / cell - 1e-9)));
  g.y0 = exact ? b.max_y - g.ny * cell : y_floor;
  g.values.assign(size_t(g.nx) * size_t(g.ny), 0.0);
  return g;
}

// Which cells lie in the study area (cell centres tested with the point
// locator), computed once per grid shape. Row bands on `threads` threads
// (a national grid is tens of millions of cells): each writes its own bytes,
// packed into the bit vector afterwards (bits of one word must not be
// written from two threads).
const std::vector<bool>& mask_of(const Grid& g, Study& study, int threads) {
  const Grid& m = study.mask_grid;
  if (!study.mask.empty() && m.x0 == g.x0 && m.y0 == g.y0 && m.cell == g.cell && m.nx == g.nx && m.ny == g.ny)
    return study.mask;
  study.mask.assign(g.size(), true);
  if (study.locator) {
    std::vector<uint8_t> in(g.size());
    const auto band = [&](int r_begin, int r_end) {
      for (int r = r_begin; r < r_end; ++r)
        for (int c = 0; c < g.nx; ++c)
          in[size_t(r) * size_t(g.nx) + size_t(c)] = study.locator->locate(g.centre_x(c), g.centre_y(r)) >= 0;
    };
    const int parts = std::clamp(geo::thread_count(threads), 1, std::max(1, g.ny / 16));
    std::vector<std::thread> pool;
    for (int t = 1; t < parts; ++t) pool.emplace_back(band, g.ny * t / parts, g.ny * (t + 1) / parts);
    band(0, g.ny / parts);
    for (auto& th : pool) th.join();
    for (size_t i = 0; i < in.size(); ++i) study.mask[i] = in[i] != 0;
  }
  study.mask_grid = Grid{g.x0, g.y0, g.cell, g.nx, g.ny, {}};
  return study.mask;
}

}  // namespace hotspot::pipeline
