#include "pipeline/near_repeat_outputs.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>

#include "hotspot/shareable_path.h"
#include "io/format.h"
#include "io/geotiff_writer.h"
#include "io/gpkg_raster.h"
#include "io/safe_name.h"
#include "pipeline/analysis_tables.h"
#include "pipeline/near_repeat_run.h"

namespace hotspot::pipeline {
namespace {

using io::OutTable;
constexpr io::ColumnType kReal = io::ColumnType::kReal, kInteger = io::ColumnType::kInteger,
                         kDateTime = io::ColumnType::kDateTime;

std::string num(double v) { return number_text(v, 8); }
std::string edge(double v) { return std::isinf(v) ? "" : num(v); }

std::string date_time(int64_t minute) {
  const int64_t day = minute / 1440 - (minute % 1440 < 0), rest = minute - day * 1440;
  const std::chrono::year_month_day d{std::chrono::sys_days{std::chrono::days{day}}};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:00", int(d.year()), unsigned(d.month()), unsigned(d.day()),
                int(rest / 60), int(rest % 60));
  return buf;
}

OutTable knox_table(const NearRepeatRun& n) {
  OutTable out = new_table("knox_" + n.spec.name,
                           {{"distance_band"}, {"distance_from", kReal}, {"distance_to", kReal}, {"time_band"},
                            {"time_from", kReal}, {"time_to", kReal}, {"time_unit"}, {"observed", kInteger},
                            {"at_least", kInteger}, {"expected", kReal}, {"ratio", kReal}, {"p", kReal},
                            {"flagged", kInteger}});
  const knox::Table& k = n.table;
  const auto& de = n.options.space.edges;
  const auto& te = n.options.time.edges;
  for (size_t a = 0; a < k.rows; ++a)
    for (size_t b = 0; b < k.cols; ++b) {
      const size_t c = k.at(a, b);
      out.rows.push_back({n.distance_label[a], edge(de[a]), edge(de[a + 1]), n.time_label[b], edge(te[b]),
                          edge(te[b + 1]), n.unit, std::to_string(k.observed[c]), std::to_string(k.at_least[c]),
                          num(k.expected[c]), num(k.ratio[c]), num(k.p[c]), k.flagged[c] ? "1" : "0"});
    }
  return out;
}

// One of the calculator's tables: rows distance bands, columns time bands.
OutTable wide(const NearRepeatRun& n, const std::string& what) {
  OutTable out = new_table("knox_" + n.spec.name + "_" + what, {{"distance"}});
  for (const std::string& t : n.time_label) out.add_column(t, what == "observed" ? kInteger : kReal);
  const knox::Table& k = n.table;
  for (size_t a = 0; a < k.rows; ++a) {
    std::vector<std::string> row = {n.distance_label[a]};
    for (size_t b = 0; b < k.cols; ++b) {
      const size_t c = k.at(a, b);
      row.push_back(what == "observed"   ? std::to_string(k.observed[c])
                    : what == "expected" ? num(k.expected[c])
                    : what == "ratio"    ? num(k.ratio[c])
                                         : num(k.p[c]));
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

OutTable cocoon_layer(const NearRepeatRun& n, const RunResult& r, const std::string& out_dir) {
  OutTable out = new_table("cocoons_" + n.spec.name,
                           {{"zone", kInteger}, {"source"}, {"source_row", kInteger}, {"category"},
                            {"start", kDateTime}, {"end", kDateTime}, {"radius_m", kReal},
                            {"later_incidents", kInteger}},
                           io::GeometryKind::kPolygon);
  const IncidentTable& t = r.incidents;
  const cocoon::Result& c = n.cocoons;
  std::vector<std::string> sources;
  for (const std::string& f : t.sources) sources.push_back(shareable_path(f, out_dir));
  for (size_t z = 0; z < c.zones.size(); ++z) {
    const size_t i = n.zone_incident[z];
    out.rows.push_back({std::to_string(z + 1), sources[t.source[i]], std::to_string(t.source_row[i]),
                        t.categories[t.category[i]], date_time(c.zones[z].start), date_time(c.zones[z].end),
                        num(c.radius), std::to_string(c.zones[z].later.size())});
    out.polygons.push_back(cocoon::disc(t.x[i], t.y[i], c.radius));
  }
  return out;
}

OutTable cocoon_hits(const NearRepeatRun& n, const RunResult& r) {
  OutTable out = new_table("cocoons_" + n.spec.name + "_hits",
                           {{"zone", kInteger}, {"zone_source_row", kInteger}, {"zone_start", kDateTime},
                            {"incident_source_row", kInteger}, {"incident_time", kDateTime}, {"days_after", kReal},
                            {"distance_m", kReal}});
  const IncidentTable& t = r.incidents;
  const cocoon::Result& c = n.cocoons;
  for (size_t z = 0; z < c.zones.size(); ++z) {
    const size_t i = n.zone_incident[z];
    for (uint32_t later : c.zones[z].later) {
      const size_t j = n.zone_incident[later];
      out.rows.push_back({std::to_string(z + 1), std::to_string(t.source_row[i]), date_time(c.zones[z].start),
                          std::to_string(t.source_row[j]), date_time(t.minute[j]),
                          io::format_number(double(t.minute[j] - t.minute[i]) / 1440.0, std::chars_format::fixed, 3),
                          io::format_number(std::hypot(t.x[j] - t.x[i], t.y[j] - t.y[i]), std::chars_format::fixed, 1)});
    }
  }
  return out;
}

OutTable backtest_table(const NearRepeatRun& n) {
  OutTable out = new_table("risk_" + n.spec.name + "_backtest",
                           {{"step", kInteger}, {"step_start"}, {"events", kInteger}, {"hit_rate", kReal}, {"pai", kReal},
                            {"hit_rate_kde", kReal}, {"pai_kde", kReal}, {"hit_rate_counts", kReal},
                            {"pai_counts", kReal}});
  for (const risk::StepScore& s : n.risk.backtest)
    out.rows.push_back({std::to_string(s.step + 1), n.risk_step_label[size_t(s.step)], std::to_string(s.events),
                        num(s.hit), num(s.pai), num(s.hit_kde), num(s.pai_kde), num(s.hit_counts), num(s.pai_counts)});
  return out;
}

OutTable risk_cells(const NearRepeatRun& n) {
  OutTable out = new_table("risk_" + n.spec.name + "_cells", {{"col", kInteger}, {"row", kInteger}, {"x", kReal},
                                                              {"y", kReal}, {"risk", kReal}, {"rank", kInteger},
                                                              {"top", kInteger}});
  const Grid& g = n.risk.grid;
  for (int r = 0; r < g.ny; ++r)
    for (int c = 0; c < g.nx; ++c) {
      const size_t k = size_t(r) * size_t(g.nx) + size_t(c);
      if (!(g.values[k] > 0)) continue;
      const int64_t rank = n.risk.rank[k];
      out.rows.push_back({std::to_string(c), std::to_string(r), num(g.centre_x(c)), num(g.centre_y(r)), num(g.values[k]),
                          rank > 0 ? std::to_string(rank) : "", rank > 0 && rank <= n.risk.top_cells ? "1" : "0"});
    }
  return out;
}

// The prospective hotspot cells: the top X% of the study cells by the
// next-step risk (the cells the backtest scores), as squares QGIS can draw
// over the risk raster. share: the cell's part of the surface's total risk
// over the study cells; cumulative_share: of this cell and those above it.
OutTable risk_top_layer(const NearRepeatRun& n) {
  OutTable out = new_table("risk_" + n.spec.name + "_top",
                           {{"rank", kInteger}, {"risk", kReal}, {"share", kReal}, {"cumulative_share", kReal},
                            {"col", kInteger}, {"row", kInteger}, {"step"}},
                           io::GeometryKind::kPolygon);
  const Grid& g = n.risk.grid;
  double total = 0;
  std::vector<size_t> top(size_t(n.risk.top_cells), SIZE_MAX);  // by rank
  for (size_t k = 0; k < g.values.size(); ++k) {
    const int64_t rank = n.risk.rank[k];
    if (rank > 0) total += g.values[k];
    if (rank > 0 && rank <= n.risk.top_cells) top[size_t(rank - 1)] = k;
  }
  double cumulative = 0;
  for (size_t i = 0; i < top.size(); ++i) {
    const size_t k = top[i];
    if (k == SIZE_MAX) continue;  // fewer study cells than the top count: cannot happen, ranks cover them
    const int c = int(k % size_t(g.nx)), r = int(k / size_t(g.nx));
    const double v = g.values[k], share = total > 0 ? v / total : 0;
    cumulative += share;
    out.rows.push_back({std::to_string(i + 1), num(v), num(share), num(cumulative), std::to_string(c),
                        std::to_string(r), n.risk_next_label});
    out.polygons.push_back(cell_square(g, k));
  }
  return out;
}

}  // namespace

std::vector<OutTable> near_repeat_layers(const RunResult& r, const std::string& out_dir) {
  std::vector<OutTable> out;
  for (const auto& n : r.near_repeat) {
    if (n->has_cocoons) out.push_back(cocoon_layer(*n, r, out_dir));
    if (n->has_risk) out.push_back(risk_top_layer(*n));
  }
  return out;
}

std::vector<OutTable> near_repeat_tables(const RunResult& r) {
  std::vector<OutTable> out;
  if (r.near_repeat.empty()) return out;
  OutTable params = parameters_table("near_repeat_parameters", "analysis");
  for (const auto& n : r.near_repeat) {
    out.push_back(knox_table(*n));
    if (n->has_risk) out.push_back(backtest_table(*n));
    add_parameter_rows(params, n->spec.name, n->parameters, n->notes, n->warnings);
  }
  out.push_back(std::move(params));
  return out;
}

std::vector<std::string> write_near_repeat_files(const io::StagedOutput& staged, const RunResult& r, bool csv) {
  std::vector<std::string> written;
  for (const auto& n : r.near_repeat) {
    const std::string file = io::safe_component(n->spec.name);
    if (csv) {
      for (const char* what : {"observed", "expected", "ratio", "p"}) {
        const std::string rel = "csv/knox_" + file + "_" + what + ".csv";
        io::write_csv(staged.path(rel), wide(*n, what));
        written.push_back(rel);
      }
      if (n->has_cocoons) {
        const std::string rel = "csv/cocoons_" + file + "_hits.csv";
        io::write_csv(staged.path(rel), cocoon_hits(*n, r));
        written.push_back(rel);
      }
      if (n->has_risk) {
        const std::string rel = "csv/risk_" + file + "_cells.csv";
        io::write_csv(staged.path(rel), risk_cells(*n));
        written.push_back(rel);
      }
    }
    if (!n->has_risk) continue;
    std::map<std::string, std::string> meta;
    for (const auto& [k, v] : n->parameters)
      if (k.rfind("risk", 0) == 0) meta[k] = v;
    const std::string rel = "risk/" + file + ".tif";
    io::write_geotiff(staged.path(rel), {&n->risk.grid}, {"risk " + n->risk_next_label}, r.working_crs,
                      raster_metadata(meta, r.working_crs));
    written.push_back(rel);
  }
  return written;
}

namespace {

// The part of `g` whose cells meet `box` (whole cells); nx = 0 when none do.
Grid crop(const Grid& g, const Box& box) {
  const int c0 = std::max(0, int(std::floor((box.min_x - g.x0) / g.cell)));
  const int c1 = std::min(g.nx - 1, int(std::floor((box.max_x - g.x0) / g.cell)));
  const int r0 = std::max(0, int(std::floor((g.y_top() - box.max_y) / g.cell)));
  const int r1 = std::min(g.ny - 1, int(std::floor((g.y_top() - box.min_y) / g.cell)));
  Grid out;
  out.cell = g.cell;
  if (c0 > c1 || r0 > r1) return out;
  out.nx = c1 - c0 + 1, out.ny = r1 - r0 + 1;
  out.x0 = g.x0 + c0 * g.cell;
  out.y0 = g.y_top() - (r1 + 1) * g.cell;
  out.values.reserve(size_t(out.nx) * size_t(out.ny));
  for (int r = r0; r <= r1; ++r)
    for (int c = c0; c <= c1; ++c) out.values.push_back(g.at(c, r));
  return out;
}

}  // namespace

std::vector<std::string> write_near_repeat_rasters(const std::string& gpkg_path, const RunResult& r, const Box* within) {
  std::vector<std::string> names;
  for (const auto& n : r.near_repeat) {
    if (!n->has_risk) continue;
    const Grid cropped = within ? crop(n->risk.grid, *within) : Grid{};
    if (within && cropped.nx == 0) continue;
    io::append_gpkg_raster(gpkg_path, risk_raster_table(n->spec.name), within ? cropped : n->risk.grid,
                           r.working_crs, "hotspot: " + n->spec.name + " risk for " + n->risk_next_label);
    names.push_back(n->spec.name);
  }
  return names;
}

std::string risk_raster_table(const std::string& name) { return "risk_" + name; }

std::vector<std::string> near_repeat_output_names(const RunSpec& spec) {
  std::vector<std::string> out;
  for (const NearRepeatSpec& n : spec.near_repeat) {
    for (const char* prefix : {"knox_", "cocoons_", "risk_"}) out.push_back(prefix + n.name);
    out.push_back("risk_" + n.name + "_top");
  }
  return out;
}

}  // namespace hotspot::pipeline
