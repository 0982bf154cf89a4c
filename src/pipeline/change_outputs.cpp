#include "pipeline/change_outputs.h"

#include "geo/crs.h"
#include "io/geotiff_writer.h"
#include "io/safe_name.h"
#include "pipeline/change_run.h"

namespace hotspot::pipeline {

io::OutTable change_parameters(const RunResult& r) {
  io::OutTable out;
  out.name = "change_parameters";
  for (const char* c : {"surface", "key", "value"}) out.add_column(c);
  for (const auto& c : r.change) {
    for (const auto& [k, v] : c->parameters) out.rows.push_back({c->spec.name, k, v});
    for (const std::string& w : c->warnings) out.rows.push_back({c->spec.name, "warning", w});
  }
  return out;
}

std::vector<std::string> write_change_files(const io::StagedOutput& staged, const RunResult& r) {
  std::vector<std::string> written;
  for (const auto& c : r.change) {
    const std::string file = io::safe_component(c->spec.name);
    std::map<std::string, std::string> meta(c->parameters.begin(), c->parameters.end());
    meta["engine"] = std::string("hotspot ") + HOTSPOT_VERSION;
    meta["crs"] = geo::crs_label(r.working_crs);
    const change::ChangeGrids& g = c->grids;
    std::string rel = "change/" + file + "_difference.tif";
    io::write_geotiff(staged.path(rel), {&g.difference, &g.before, &g.after},
                      {"after - before per month", "before per month (" + c->before_label + ")",
                       "after per month (" + c->after_label + ")"},
                      r.working_crs, meta);
    written.push_back(rel);
    rel = "change/" + file + "_log_ratio.tif";
    io::write_geotiff(staged.path(rel), {&g.log_ratio}, {"ln(after / before)"}, r.working_crs, meta);
    written.push_back(rel);
    if (g.p.values.empty()) continue;
    rel = "change/" + file + "_p.tif";
    io::write_geotiff(staged.path(rel), {&g.p}, {"permutation p (two-sided)"}, r.working_crs, meta);
    written.push_back(rel);
  }
  return written;
}

}  // namespace hotspot::pipeline
