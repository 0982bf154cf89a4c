// dry_run_report: what `hotspot validate` / `hotspot run --dry-run` found,
// as text: enough for an analyst to see the run will do what they meant
// (rows, CRS, layers and how many incidents fall in them, periods, grids,
// outputs) before any file is written.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "geo/geos_util.h"
#include "hotspot/pipeline.h"
#include "io/format.h"
#include "stats/area_stats.h"

namespace hotspot {
namespace {

std::string num(double v) { return io::format_number(v, std::chars_format::general, 10); }
std::string metres(double v) { return io::format_number(std::round(v), std::chars_format::fixed, 0); }

std::string box_text(const Box& b) {
  return metres(b.min_x) + " " + metres(b.min_y) + " .. " + metres(b.max_x) + " " + metres(b.max_y);
}

bool overlaps(const Box& a, const Box& b) {
  return a.min_x <= b.max_x && b.min_x <= a.max_x && a.min_y <= b.max_y && b.min_y <= a.max_y;
}

// The extent of the accepted incidents in the working CRS (empty: min > max).
Box incident_box(const IncidentTable& t) {
  Box b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (size_t i = 0; i < t.size(); ++i)
    if (std::isfinite(t.x[i]) && std::isfinite(t.y[i]))
      b = {std::min(b.min_x, t.x[i]), std::min(b.min_y, t.y[i]), std::max(b.max_x, t.x[i]), std::max(b.max_y, t.y[i])};
  return b;
}

Box layer_box(const AreaLayer& l) {
  Box b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (const MultiPolygon& g : l.geometry) {
    const Box a = geo::bounds(g);
    b = {std::min(b.min_x, a.min_x), std::min(b.min_y, a.min_y), std::max(b.max_x, a.max_x), std::max(b.max_y, a.max_y)};
  }
  return b;
}

}  // namespace

std::string dry_run_report(const RunSpec& spec, const RunResult& r) {
  std::ostringstream out;
  const Ledger& ledger = r.ledger;
  out << "inputs:\n";
  for (const auto& [file, rows] : ledger.read_by_file) out << "  " << file << ": " << rows << " rows\n";
  out << "rows read " << ledger.rows_read << " = accepted " << ledger.accepted << " + rejected " << ledger.rejected
      << "\n";
  for (const auto& [reason, n] : ledger.rejected_by_reason) out << "  rejected " << to_string(reason) << ": " << n << "\n";
  if (!r.working_crs_label.empty()) out << "working CRS: " << r.working_crs_label << "\n";
  const Box data = incident_box(r.incidents);
  const bool have_data = data.min_x <= data.max_x;
  if (have_data) out << "incidents extent (working CRS, m): " << box_text(data) << "\n";
  if (!r.incidents.categories.empty())
    out << "categories: " << r.incidents.categories.size() << " in the data\n";
  for (size_t l = 0; l < r.layers.size(); ++l) {
    const AreaLayer& layer = r.layers[l];
    const Box b = layer_box(layer);
    out << "area layer " << layer.name << ": " << layer.size() << " areas"
        << (layer.dissolved_from.empty() ? "" : ", dissolved from " + layer.dissolved_from)
        << (layer.has_population() ? ", with population" : ", no population") << "; extent " << box_text(b) << "\n";
    if (l < ledger.layers.size() && ledger.accepted > 0) {
      const LayerLedger& m = ledger.layers[l];
      out << "  incidents inside: " << m.matched << " of " << ledger.accepted << " ("
          << num(std::round(1000.0 * double(m.matched) / double(ledger.accepted)) / 10) << "%)";
      if (have_data && !overlaps(data, b)) out << "  - the layer does not overlap the incidents at all";
      out << "\n";
    }
  }
  if (r.stats) {
    const stats::StatsResult& s = *r.stats;
    out << "statistics: current " << s.current.label << ", previous " << s.previous.label << " (data "
        << s.data_months << "); headline " << spec.stats.headline << "\n";
    for (const std::string& n : s.notes) out << "  note: " << n << "\n";
  }
  for (const Surface& s : r.surfaces) {
    const auto& p = s.parameters;
    auto get = [&](const char* k) { return p.count(k) ? p.at(k) : std::string("?"); };
    out << "heat map " << s.name << ": " << get("incidents") << " incidents, grid " << get("grid") << " cells of "
        << get("cell_m") << " m, " << get("kernel") << " "
        << (p.count("radius_m") ? "radius " + get("radius_m") : "sigma " + get("sigma_m")) << " m\n";
  }
  for (const std::string& w : ledger.warnings) out << "warning: " << w << "\n";
  if (spec.output.dir.empty()) {
    out << "outputs: none (no output folder given)\n";
  } else {
    out << "outputs (not written): " << spec.output.dir << "/";
    std::vector<std::string> files;
    if (spec.output.geopackage) files.push_back("hotspot.gpkg");
    if (spec.output.geojson)
      for (const AreaSource& a : spec.areas) files.push_back("geojson/" + a.name + ".geojson");
    if (spec.output.csv) files.push_back("csv/*.csv");
    for (const SurfaceSpec& s : spec.kde.surfaces)
      if (spec.kde.enabled) files.push_back("kde/" + s.name + ".tif");
    if (spec.kde.enabled && spec.kde.surfaces.empty()) files.push_back("kde/all.tif");
    if (!spec.stats.public_mode)
      for (const ChangeSurfaceSpec& c : spec.change_surfaces)
        files.push_back("change/" + c.name + "_difference.tif, _log_ratio.tif" + (c.permutations > 0 ? ", _p.tif" : "") +
                        (c.fdr ? ", _p_fdr.tif" : ""));
    for (size_t i = 0; i < files.size(); ++i) out << (i ? ", " : "") << files[i];
    out << "\n";
  }
  return out.str();
}

}  // namespace hotspot
