#include "pipeline/emerging_outputs.h"

#include <cmath>

#include "io/geotiff_writer.h"
#include "io/safe_name.h"
#include "pipeline/analysis_tables.h"
#include "pipeline/emerging_run.h"

namespace hotspot::pipeline {
namespace {

using io::OutTable;
constexpr io::ColumnType kReal = io::ColumnType::kReal, kInteger = io::ColumnType::kInteger;

std::string num(double v) { return number_text(v, 6); }

std::string also_text(const std::vector<emerging::Pattern>& also) {
  std::string s;
  for (emerging::Pattern p : also) s += (s.empty() ? "" : "; ") + emerging::pattern_name(p);
  return s;
}

OutTable layer_of(const EmergingRun& e, const RunResult& r) {
  OutTable out = new_table("emerging_" + e.spec.name,
                           {{"code"}, {"name"}, {"category"}, {"also_fits"}, {"simple_class"},
                            {"incidents", kReal}, {"tau", kReal}, {"trend_p", kReal}, {"trend_z", kReal},
                            {"hot_share", kReal}, {"cold_share", kReal}, {"last_z", kReal}, {"last_bin", kInteger}},
                           io::GeometryKind::kPolygon);
  const bool areas = e.layer >= 0;
  if (areas)
    for (const char* c : {"count_tau", "count_trend_p", "sen_slope"}) out.add_column(c, kReal);
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
  OutTable out = new_table("emerging_" + e.spec.name + "_bins", {{"code"}, {"step", kInteger}, {"step_start"},
                                                                  {"count", kReal}, {"z", kReal}, {"p", kReal},
                                                                  {"bin", kInteger}});
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
  OutTable out = new_table("emerging_" + e.spec.name + "_trends",
                           {{"code"}, {"name"}, {"category"}, {"incidents", kReal}, {"tau", kReal},
                            {"trend_p", kReal}, {"trend_z", kReal}, {"sen_slope", kReal}, {"trend"}});
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
    keep_rows_near(out.back(), *within);
  }
  return out;
}

OutTable emerging_parameters(const RunResult& r) {
  OutTable out = parameters_table("emerging_parameters", "cube");
  for (const auto& e : r.emerging) add_parameter_rows(out, e->spec.name, e->parameters, {}, e->warnings);
  return out;
}

void add_trend_columns(OutTable& area, const RunResult& r, size_t l) {
  for (const auto& e : r.emerging) {
    if (e->layer != int(l)) continue;
    const OutTable t = trends_table(*e, r);
    const std::string s = e->spec.name;
    area.add_column("trend_" + s);
    area.add_column("tau_" + s, kReal);
    area.add_column("trend_p_" + s, kReal);
    area.add_column("sen_" + s, kReal);
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
    const std::map<std::string, std::string> meta = raster_metadata(e->parameters, r.working_crs);
    const std::string rel = "emerging/" + file + "_z.tif";
    io::write_geotiff(staged.path(rel), ptrs, names, r.working_crs, meta);
    written.push_back(rel);
  }
  return written;
}

}  // namespace hotspot::pipeline
