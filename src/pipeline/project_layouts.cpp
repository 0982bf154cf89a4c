#include "pipeline/project_layouts.h"

#include <ogr_spatialref.h>

#include <algorithm>
#include <memory>

#include "geo/crs.h"
#include "geo/geos_util.h"
#include "report/print.h"
#include "stats/area_stats.h"
#include "report/svg_map.h"
#include "stats/periods.h"

namespace hotspot::pipeline {
namespace {

constexpr const char* kProjectCrs = "EPSG:27700";  // maps/pack.qgs's project CRS

int layer_index(const RunResult& r, const std::string& name) {
  for (size_t i = 0; i < r.layers.size(); ++i)
    if (r.layers[i].name == name) return int(i);
  return -1;
}

// `box` (working CRS) in the project's CRS: the bounds of its edges,
// transformed point by point (a box's edges curve under a reprojection).
std::optional<Box> to_project_crs(const Box& box, const std::string& working_crs) {
  if (geo::crs_label(working_crs) == kProjectCrs) return box;
  OGRSpatialReference from, to;
  if (from.SetFromUserInput(working_crs.c_str()) != OGRERR_NONE || to.SetFromUserInput(kProjectCrs) != OGRERR_NONE)
    return std::nullopt;
  from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  to.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&from, &to));
  if (!ct) return std::nullopt;
  std::vector<double> xs, ys;
  for (int i = 0; i <= 10; ++i) {
    const double t = i / 10.0;
    const double x = box.min_x + t * (box.max_x - box.min_x), y = box.min_y + t * (box.max_y - box.min_y);
    for (auto [px, py] : {std::pair{x, box.min_y}, {x, box.max_y}, {box.min_x, y}, {box.max_x, y}}) {
      xs.push_back(px);
      ys.push_back(py);
    }
  }
  if (!ct->Transform(int(xs.size()), xs.data(), ys.data())) return std::nullopt;
  return Box{*std::min_element(xs.begin(), xs.end()), *std::min_element(ys.begin(), ys.end()),
             *std::max_element(xs.begin(), xs.end()), *std::max_element(ys.begin(), ys.end())};
}

}  // namespace

std::optional<Box> project_view(const RunSpec& spec, const RunResult& r, const PackOptions* pack) {
  std::optional<Box> b;
  auto add = [&](const MultiPolygon& g) {
    const Box e = geo::bounds(g);
    b = b ? report::merge(*b, e) : e;
  };
  if (pack && pack->area >= 0) {
    const int l = layer_index(r, pack->layer);
    if (l >= 0 && size_t(pack->area) < r.layers[size_t(l)].size()) add(r.layers[size_t(l)].geometry[size_t(pack->area)]);
  } else if (!r.layers.empty()) {
    int l = layer_index(r, spec.kde.study_layer);
    if (l < 0) l = int(r.layers.size()) - 1;
    const AreaLayer& layer = r.layers[size_t(l)];
    for (size_t a = 0; a < layer.size(); ++a)
      if (spec.kde.study_area.empty() || layer.code[a] == spec.kde.study_area) add(layer.geometry[a]);
  }
  if (!b) return std::nullopt;
  const double m = 0.05 * std::max(b->max_x - b->min_x, b->max_y - b->min_y);
  return to_project_crs(Box{b->min_x - m, b->min_y - m, b->max_x + m, b->max_y + m}, r.working_crs);
}

report::LayoutInfo layout_info(const RunSpec& spec, const RunResult& r, const PackOptions* pack, const Box& view) {
  report::LayoutInfo info;
  info.extent = view;
  info.marking = report::marking(spec.stats.public_mode);
  const int pack_layer = pack ? layer_index(r, pack->layer) : -1;
  if (pack_layer >= 0 && pack->area >= 0 && size_t(pack->area) < r.layers[size_t(pack_layer)].size()) {
    const AreaLayer& l = r.layers[size_t(pack_layer)];
    const std::string& name = l.label[size_t(pack->area)];
    info.title = l.name + " " + l.code[size_t(pack->area)] + (name.empty() ? "" : " - " + name);
    info.area_table = l.name;
  } else {
    const std::string atlas = !spec.stats.table_layer.empty() ? spec.stats.table_layer
                              : r.layers.empty()              ? ""
                                                              : r.layers.back().name;
    info.title = atlas.empty() ? "All areas" : "All " + atlas + " areas";
    info.atlas_table = info.area_table = atlas;
  }
  // What the map shows (the first heat map, ticked in the project) and the
  // tables' periods.
  std::string period;
  if (!r.surfaces.empty()) {
    const Surface& s = r.surfaces.front();
    info.surface = s.name;
    period = "Heat map '" + s.name + "'";
    std::string sep = " (";
    for (const char* key : {"categories", "period"})
      if (const auto it = s.parameters.find(key); it != s.parameters.end() && !it->second.empty()) {
        period += sep + key + ": " + it->second;
        sep = "; ";
      }
    period += (sep == "; " ? "). " : ". ");
  }
  if (r.stats) {
    period += "Tables: " + r.stats->current.label + " compared with " + r.stats->previous.label + ".";
    info.year = std::stoi(stats::day_label(r.stats->current.last_day).substr(0, 4));
  }
  info.period = period;
  return info;
}

}  // namespace hotspot::pipeline
