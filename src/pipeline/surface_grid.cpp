#include "pipeline/surface_grid.h"

#include <algorithm>
#include <thread>

#include "geo/crs.h"
#include "geo/geos_util.h"
#include "hotspot/bandwidth.h"
#include "hotspot/fresh_buffer.h"
#include "io/format.h"
#include "pipeline/spec_check.h"

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
  assign_fresh(g.values, size_t(g.nx) * size_t(g.ny), 0.0);
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

kde::KdeOptions kde_options(const KdeSpec& k, int threads, const std::vector<Point>& for_rule) {
  kde::KdeOptions o;
  o.kernel = k.kernel;
  o.units = k.units;
  o.mode = k.mode;
  o.gaussian_cutoff = k.gaussian_cutoff;
  o.threads = threads;
  o.bandwidth = k.bandwidth > 0 ? k.bandwidth : kde::bandwidth_by_rule(k.bandwidth_rule, o.kernel, for_rule);
  return o;
}

bool in_rule_area(const Study& study, const RunResult& r, size_t i) {
  const IncidentTable& t = r.incidents;
  return study.locator          ? study.locator->locate(t.x[i], t.y[i]) >= 0
         : r.assignments.empty() ? true
                                 : r.assignments[0].area[i] >= 0;
}

GridChoice grid_choice(const KdeSpec& k, const Study& study, const std::vector<Point>& for_rule, double radius,
                       const std::string& what, const std::string& no_incidents, bool with_gistar) {
  auto num = [](double v) { return io::format_number(v, std::chars_format::general, 10); };
  GridChoice g;
  g.box = study.box;
  g.explicit_extent = k.extent.size() == 4;
  if (g.explicit_extent) {
    g.box = {k.extent[0], k.extent[1], k.extent[2], k.extent[3]};
  } else if (study.areas.empty()) {
    if (for_rule.empty()) throw InputError(what + ": " + no_incidents);
    for (const Point& p : for_rule)
      g.box = {std::min(g.box.min_x, p.x - radius), std::min(g.box.min_y, p.y - radius),
               std::max(g.box.max_x, p.x + radius), std::max(g.box.max_y, p.y + radius)};
  }
  const Box& b = g.box;
  g.cell = k.cell > 0 ? k.cell : kde::cell_by_rule(k.cell_rule, b);
  if (!(std::isfinite(g.cell) && g.cell > 0 && std::isfinite(b.max_x - b.min_x) && std::isfinite(b.max_y - b.min_y)))
    throw InputError(what + ": the grid extent (" + num(b.min_x) + " " + num(b.min_y) + " " + num(b.max_x) + " " +
                     num(b.max_y) + ") or cell (" + num(g.cell) +
                     " m) is not finite and positive; give kde.cell and kde.extent or a study layer");
  const std::string too_big = grid_size_problem(what, b.max_x - b.min_x, b.max_y - b.min_y, g.cell, with_gistar);
  if (!too_big.empty()) throw ConfigError(too_big);
  return g;
}

double one_incident_peak(const kde::KdeOptions& o, double cell) {
  const kde::KernelFunction k(o.kernel, o.bandwidth, o.gaussian_cutoff);
  const double scale = o.units == kde::Units::kRaw       ? 1.0
                       : o.units == kde::Units::kPerKm2 ? k.norm() * 1e6
                                                        : k.norm() * cell * cell;
  return scale * k.shape(0);
}

}  // namespace hotspot::pipeline
