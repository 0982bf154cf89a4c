#include "pipeline/near_repeat_outputs.h"

#include <chrono>
#include <cmath>

#include "geo/crs.h"
#include "hotspot/shareable_path.h"
#include "io/format.h"
#include "io/geotiff_writer.h"
#include "io/safe_name.h"
#include "pipeline/near_repeat_run.h"

namespace hotspot::pipeline {
namespace {

using io::ColumnType;
using io::OutTable;

std::string num(double v) { return std::isfinite(v) ? io::format_number(v, std::chars_format::general, 8) : ""; }
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
  OutTable out;
  out.name = "knox_" + n.spec.name;
  out.add_column("distance_band");
  out.add_column("distance_from", ColumnType::kReal);
  out.add_column("distance_to", ColumnType::kReal);
  out.add_column("time_band");
  out.add_column("time_from", ColumnType::kReal);
  out.add_column("time_to", ColumnType::kReal);
  out.add_column("time_unit");
  for (const char* c : {"observed", "at_least"}) out.add_column(c, ColumnType::kInteger);
  for (const char* c : {"expected", "ratio", "p"}) out.add_column(c, ColumnType::kReal);
  out.add_column("flagged", ColumnType::kInteger);
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
  OutTable out;
  out.name = "knox_" + n.spec.name + "_" + what;
  out.add_column("distance");
  for (const std::string& t : n.time_label) out.add_column(t, what == "observed" ? ColumnType::kInteger : ColumnType::kReal);
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
  OutTable out;
  out.name = "cocoons_" + n.spec.name;
  out.kind = io::GeometryKind::kPolygon;
  out.add_column("zone", ColumnType::kInteger);
  out.add_column("source");
  out.add_column("source_row", ColumnType::kInteger);
  out.add_column("category");
  out.add_column("start", ColumnType::kDateTime);
  out.add_column("end", ColumnType::kDateTime);
  out.add_column("radius_m", ColumnType::kReal);
  out.add_column("later_incidents", ColumnType::kInteger);
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
  OutTable out;
  out.name = "cocoons_" + n.spec.name + "_hits";
  out.add_column("zone", ColumnType::kInteger);
  out.add_column("zone_source_row", ColumnType::kInteger);
  out.add_column("zone_start", ColumnType::kDateTime);
  out.add_column("incident_source_row", ColumnType::kInteger);
  out.add_column("incident_time", ColumnType::kDateTime);
  out.add_column("days_after", ColumnType::kReal);
  out.add_column("distance_m", ColumnType::kReal);
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
  OutTable out;
  out.name = "risk_" + n.spec.name + "_backtest";
  out.add_column("step", ColumnType::kInteger);
  out.add_column("step_start");
  out.add_column("events", ColumnType::kInteger);
  for (const char* c : {"hit_rate", "pai", "hit_rate_kde", "pai_kde", "hit_rate_counts", "pai_counts"})
    out.add_column(c, ColumnType::kReal);
  for (const risk::StepScore& s : n.risk.backtest)
    out.rows.push_back({std::to_string(s.step + 1), n.risk_step_label[size_t(s.step)], std::to_string(s.events),
                        num(s.hit), num(s.pai), num(s.hit_kde), num(s.pai_kde), num(s.hit_counts), num(s.pai_counts)});
  return out;
}

OutTable risk_cells(const NearRepeatRun& n) {
  OutTable out;
  out.name = "risk_" + n.spec.name + "_cells";
  for (const char* c : {"col", "row"}) out.add_column(c, ColumnType::kInteger);
  for (const char* c : {"x", "y", "risk"}) out.add_column(c, ColumnType::kReal);
  out.add_column("rank", ColumnType::kInteger);
  out.add_column("top", ColumnType::kInteger);
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

}  // namespace

std::vector<OutTable> near_repeat_layers(const RunResult& r, const std::string& out_dir) {
  std::vector<OutTable> out;
  for (const auto& n : r.near_repeat)
    if (n->has_cocoons) out.push_back(cocoon_layer(*n, r, out_dir));
  return out;
}

std::vector<OutTable> near_repeat_tables(const RunResult& r) {
  std::vector<OutTable> out;
  if (r.near_repeat.empty()) return out;
  OutTable params;
  params.name = "near_repeat_parameters";
  for (const char* c : {"analysis", "key", "value"}) params.add_column(c);
  for (const auto& n : r.near_repeat) {
    out.push_back(knox_table(*n));
    if (n->has_risk) out.push_back(backtest_table(*n));
    for (const auto& [k, v] : n->parameters) params.rows.push_back({n->spec.name, k, v});
    for (const std::string& note : n->notes) params.rows.push_back({n->spec.name, "note", note});
    for (const std::string& w : n->warnings) params.rows.push_back({n->spec.name, "warning", w});
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
    meta["engine"] = std::string("hotspot ") + HOTSPOT_VERSION;
    meta["crs"] = geo::crs_label(r.working_crs);
    const std::string rel = "risk/" + file + ".tif";
    io::write_geotiff(staged.path(rel), {&n->risk.grid}, {"risk " + n->risk_next_label}, r.working_crs, meta);
    written.push_back(rel);
  }
  return written;
}

std::vector<std::string> near_repeat_output_names(const RunSpec& spec) {
  std::vector<std::string> out;
  for (const NearRepeatSpec& n : spec.near_repeat)
    for (const char* prefix : {"knox_", "cocoons_", "risk_"}) out.push_back(prefix + n.name);
  return out;
}

}  // namespace hotspot::pipeline
