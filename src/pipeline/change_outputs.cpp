#include "pipeline/change_outputs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "geo/crs.h"
#include "hotspot/errors.h"
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
    if (g.p_fdr.values.empty()) continue;
    rel = "change/" + file + "_p_fdr.tif";
    io::write_geotiff(staged.path(rel), {&g.p_fdr}, {"permutation p, Benjamini-Hochberg adjusted"}, r.working_crs,
                      meta);
    written.push_back(rel);
  }
  return written;
}

std::vector<report::ProjectRaster> change_project_rasters(const std::string& dir, const RunResult& r,
                                                          const std::vector<std::string>& qmls, bool show_difference) {
  std::vector<report::ProjectRaster> out;
  for (const auto& c : r.change) {
    const std::string file = io::safe_component(c->spec.name);
    const std::string period = " (" + c->before_label + " to " + c->after_label + ")";
    for (const auto& [suffix, words] : std::vector<std::pair<std::string, std::string>>{
             {"_difference", "after - before per month" + period},
             {"_log_ratio", "ln(after / before)" + period},
             {"_p", "permutation p"},
             {"_p_fdr", "permutation p, FDR adjusted"}}) {
      const std::string qml = "change/" + file + suffix + ".qml";
      if (std::find(qmls.begin(), qmls.end(), qml) == qmls.end()) continue;
      std::ifstream in(std::filesystem::path(dir) / qml, std::ios::binary);
      std::ostringstream text;
      if (!(text << in.rdbuf())) throw OutputError(qml + ": cannot read it back for the QGIS project");
      out.push_back({"./change/" + file + suffix + ".tif", c->spec.name + ": " + words, text.str(),
                     show_difference && suffix == "_difference"});
    }
  }
  return out;
}

}  // namespace hotspot::pipeline
