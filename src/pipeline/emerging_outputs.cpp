#include "pipeline/emerging_outputs.h"

#include <cmath>

#include "geo/crs.h"
#include "geo/geos_util.h"
#include "io/format.h"
#include "io/geotiff_writer.h"
#include "io/safe_name.h"
#include "pipeline/emerging_run.h"

namespace hotspot::pipeline {
namespace {

using io::ColumnType;
using io::OutTable;

std::string num(double v) { return std::isfinite(v) ? io::format_number(v, std::chars_format::general, 6) : ""; }

MultiPolygon cell_square(const Grid& g, uint32_t loc) {
  const int c = int(loc % uint32_t(g.nx)), r = int(loc / uint32_t(g.nx));
  const double x0 = g.x0 + c * g.cell, x1 = x0 + g.cell, y1 = g.y_top() - r * g.cell, y0 = y1 - g.cell;
  return {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
}

std::string also_text(const std::vector<emerging::Pattern>& also) {
  std::string s;
  for (emerging::Pattern p : also) s += (s.empty() ? "" : "; ") + emerging::pattern_name(p);
  return s;
}

OutTable layer_of(const EmergingRun& e, const RunResult& r) {
  OutTable out;
  out.name = "emerging_" + e.spec.name;
  out.kind = io::GeometryKind::kPolygon;
  out.add_column("code");
  out.add_column("name");
  out.add_column("category");
  out.add_column("also_fits");
  out.add_column("simple_class");
  out.add_column("incidents", ColumnType::kReal);
  out.add_column("tau", ColumnType::kReal);
  out.add_column("trend_p", ColumnType::kReal);
  out.add_column("trend_z", ColumnType::kReal);
  out.add_column("hot_share", ColumnType::kReal);
  out.add_column("cold_share", ColumnType::kReal);
  out.add_column("last_z", ColumnType::kReal);
  out.add_column("last_bin", ColumnType::kInteger);
  const bool areas = e.layer >= 0;
  if (areas)
    for (const char* c : {"count_tau", "count_trend_p", "sen_slope"}) out.add_column(c, ColumnType::kReal);
  if (areas) out.add_column("count_trend");
  const size_t T = size_t(e.cube.steps);
  for (size_t k = 0; k < e.cube.size(); ++k) {
    const emerging::LocationPattern& lp = e.pattern[k];
    double total = 0;
    for (size_t t = 0; t < T; ++t) total += e.cube.count[k * T + t];
    const size_t last = k * T + T - 1;
    std::vector<std::string> row = {e.code[k], e.label[k], emerging::pattern_name(lp.pattern), also_text(lp.also),
                                    lp.simple, num(total), num(lp.trend.tau_b), num(lp.trend.p), num(lp.trend.z),
                                    num(lp.hot_share), num(lp.cold_share), num(e.gi.z[last]),
                                    std::to_string(e.gi.bin[last])};
    if (areas) {
      row.insert(row.end(), {num(e.count_trend[k].tau_b), num(e.count_trend[k].p), num(e.sen_slope[k]),
                             trend_class(e.count_trend[k], e.spec.trend_alpha)});
      out.polygons.push_back(r.layers[size_t(e.layer)].geometry[e.cube.location[k]]);
    } else {
      out.polygons.push_back(cell_square(e.grid, e.cube.location[k]));
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

OutTable bins_table(const EmergingRun& e) {
  OutTable out;
  out.name = "emerging_" + e.spec.name + "_bins";
  for (const char* c : {"code", "step", "step_start"}) out.add_column(c, std::string(c) == "step" ? ColumnType::kInteger : ColumnType::kText);
  out.add_column("count", ColumnType::kReal);
  out.add_column("z", ColumnType::kReal);
  out.add_column("p", ColumnType::kReal);
  out.add_column("bin", ColumnType::kInteger);
  const size_t T = size_t(e.cube.steps);
  out.rows.reserve(e.cube.count.size());
  for (size_t k = 0; k < e.cube.size(); ++k)
    for (size_t t = 0; t < T; ++t) {
      const size_t b = k * T + t;
      out.rows.push_back({e.code[k], std::to_string(t + 1), e.step_label[t], num(e.cube.count[b]), num(e.gi.z[b]),
                          num(e.gi.p[b]), std::to_string(e.gi.bin[b])});
    }
  return out;
}

// Every area of the layer: areas never with an incident of the cube's
// categories have a constant zero series (no trend). The cube's selection
// first (category "selection"), then each source category in it.
OutTable trends_table(const EmergingRun& e, const RunResult& r) {
  OutTable out;
  out.name = "emerging_" + e.spec.name + "_trends";
  out.add_column("code");
  out.add_column("name");
  out.add_column("category");
  out.add_column("incidents", ColumnType::kReal);
  for (const char* c : {"tau", "trend_p", "trend_z", "sen_slope"}) out.add_column(c, ColumnType::kReal);
  out.add_column("trend");
  const AreaLayer& l = r.layers[size_t(e.layer)];
  std::vector<int64_t> kept(l.size(), -1);
  for (size_t k = 0; k < e.cube.size(); ++k) kept[e.cube.location[k]] = int64_t(k);
  const size_t T = size_t(e.cube.steps);
  for (size_t a = 0; a < l.size(); ++a) {
    if (kept[a] < 0) {
      out.rows.push_back({l.code[a], l.label[a], "selection", "0", "", "1", "0", "0", "no trend"});
      continue;
    }
    const size_t k = size_t(kept[a]);
    double total = 0;
    for (size_t t = 0; t < T; ++t) total += e.cube.count[k * T + t];
    const stats::MannKendall& mk = e.count_trend[k];
    out.rows.push_back({l.code[a], l.label[a], "selection", num(total), num(mk.tau_b), num(mk.p), num(mk.z),
                        num(e.sen_slope[k]), trend_class(mk, e.spec.trend_alpha)});
  }
  for (const EmergingRun::CategoryTrend& ct : e.category_trends)
    for (size_t a = 0; a < l.size(); ++a)
      out.rows.push_back({l.code[a], l.label[a], ct.category, num(ct.total[a]), num(ct.trend[a].tau_b),
                          num(ct.trend[a].p), num(ct.trend[a].z), num(ct.sen_slope[a]),
                          trend_class(ct.trend[a], e.spec.trend_alpha)});
  return out;
}

}  // namespace

std::vector<OutTable> emerging_layers(const RunResult& r, const Box* within) {
  std::vector<OutTable> out;
  for (const auto& e : r.emerging) {
    if (within && e->layer < 0) continue;
    out.push_back(layer_of(*e, r));
    if (!within) continue;
    OutTable& t = out.back();
    size_t kept = 0;
    for (size_t i = 0; i < t.rows.size(); ++i) {
      const Box b = geo::bounds(t.polygons[i]);
      if (b.min_x > within->max_x || b.max_x < within->min_x || b.min_y > within->max_y || b.max_y < within->min_y)
        continue;
      // Not onto itself: a vector moved onto itself is left empty (libstdc++),
      // which lost the kept rows' values and outlines (and crashed the writer).
      if (kept != i) {
        t.rows[kept] = std::move(t.rows[i]);
        t.polygons[kept] = std::move(t.polygons[i]);
      }
      ++kept;
    }
    t.rows.resize(kept), t.polygons.resize(kept);
  }
  return out;
}

OutTable emerging_parameters(const RunResult& r) {
  OutTable out;
  out.name = "emerging_parameters";
  for (const char* c : {"cube", "key", "value"}) out.add_column(c);
  for (const auto& e : r.emerging) {
    for (const auto& [k, v] : e->parameters) out.rows.push_back({e->spec.name, k, v});
    for (const std::string& w : e->warnings) out.rows.push_back({e->spec.name, "warning", w});
  }
  return out;
}

void add_trend_columns(OutTable& area, const RunResult& r, size_t l) {
  for (const auto& e : r.emerging) {
    if (e->layer != int(l)) continue;
    const OutTable t = trends_table(*e, r);
    const std::string s = e->spec.name;
    area.add_column("trend_" + s);
    area.add_column("tau_" + s, ColumnType::kReal);
    area.add_column("trend_p_" + s, ColumnType::kReal);
    area.add_column("sen_" + s, ColumnType::kReal);
    // Rows of the area table are the layer's areas in order, as the first
    // (selection) rows of trends_table's (a pack's clipping happens later).
    for (size_t a = 0; a < area.rows.size() && a < t.rows.size(); ++a)
      area.rows[a].insert(area.rows[a].end(), {t.rows[a][8], t.rows[a][4], t.rows[a][5], t.rows[a][7]});
  }
}

std::vector<std::string> write_emerging_files(const io::StagedOutput& staged, const RunResult& r, bool csv) {
  std::vector<std::string> written;
  for (const auto& e : r.emerging) {
    const std::string file = io::safe_component(e->spec.name);
    if (csv) {
      std::string rel = "csv/emerging_" + file + "_bins.csv";
      io::write_csv(staged.path(rel), bins_table(*e));
      written.push_back(rel);
      if (e->layer >= 0) {
        rel = "csv/emerging_" + file + "_trends.csv";
        io::write_csv(staged.path(rel), trends_table(*e, r));
        written.push_back(rel);
      }
    }
    if (e->layer >= 0) continue;
    // One band of z per step; cells never with an incident are NaN.
    std::vector<Grid> bands(size_t(e->cube.steps), e->grid);
    for (Grid& g : bands) g.values.assign(size_t(g.nx) * size_t(g.ny), NAN);
    const size_t T = size_t(e->cube.steps);
    for (size_t k = 0; k < e->cube.size(); ++k)
      for (size_t t = 0; t < T; ++t) bands[t].values[e->cube.location[k]] = e->gi.z[k * T + t];
    std::vector<const Grid*> ptrs;
    std::vector<std::string> names;
    for (size_t t = 0; t < T; ++t) ptrs.push_back(&bands[t]), names.push_back("z " + e->step_label[t]);
    std::map<std::string, std::string> meta(e->parameters.begin(), e->parameters.end());
    meta["engine"] = std::string("hotspot ") + HOTSPOT_VERSION;
    meta["crs"] = geo::crs_label(r.working_crs);
    const std::string rel = "emerging/" + file + "_z.tif";
    io::write_geotiff(staged.path(rel), ptrs, names, r.working_crs, meta);
    written.push_back(rel);
  }
  return written;
}

}  // namespace hotspot::pipeline
