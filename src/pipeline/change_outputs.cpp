#include "pipeline/change_outputs.h"

#include "io/geotiff_writer.h"
#include "io/safe_name.h"
#include "pipeline/analysis_tables.h"
#include "pipeline/change_run.h"

namespace hotspot::pipeline {

io::OutTable change_parameters(const RunResult& r) {
  io::OutTable out = parameters_table("change_parameters", "surface");
  for (const auto& c : r.change) add_parameter_rows(out, c->spec.name, c->parameters, {}, c->warnings);
  return out;
}

std::vector<std::string> write_change_files(const io::StagedOutput& staged, const RunResult& r) {
  std::vector<std::string> written;
  for (const auto& c : r.change) {
    const std::string file = io::safe_component(c->spec.name);
    const std::map<std::string, std::string> meta = raster_metadata(c->parameters, r.working_crs);
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
