#include "pipeline/outputs.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <exception>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <map>

#include <gdal_priv.h>
#include <geos_c.h>
#include <proj.h>

#include "geo/crs.h"
#include "geo/geos_util.h"
#include "io/out_table.h"
#include "io/format.h"
#include "io/gdal_error_scope.h"
#include "io/geotiff_writer.h"
#include "io/output_dir.h"
#include "io/safe_name.h"
#include "hotspot/shareable_path.h"
#include "pipeline/change_outputs.h"
#include "pipeline/emerging_outputs.h"
#include "pipeline/analysis_tables.h"
#include "pipeline/near_repeat_outputs.h"
#include "pipeline/near_repeat_run.h"
#include "pipeline/stream.h"
#include "io/context_layers.h"
#include "pipeline/map_context.h"
#include "pipeline/project_layouts.h"
#include "pipeline/stats_outputs.h"
#include "report/change_styles.h"
#include "report/qgis_near_repeat.h"
#include "report/qgis_styles.h"

namespace hotspot::pipeline {
namespace {

using io::ColumnType;
using io::OutTable;

std::string num(double v) { return io::format_number(v, std::chars_format::general, 6); }

// Category x month columns are written only up to this many: SQLite (and
// so GeoPackage) allows 2000 columns, and QGIS users cannot style more.
// counts_long always has every cell.
constexpr int kMaxWideCells = 600;

// Public mode publishes only the statistics columns (protected by the
// disclosure control), not the monthly counts.
OutTable area_table(const AreaLayer& layer, const AreaCounts& counts, const IncidentTable& t, bool with_counts) {
  const bool wide = counts.categories * counts.months <= kMaxWideCells;
  const bool per_category = t.categories.size() <= kMaxCategoryColumns;
  OutTable out;
  out.name = layer.name;
  out.kind = io::GeometryKind::kPolygon;
  out.add_column("code");
  out.add_column("name");
  if (layer.has_population()) out.add_column("population", ColumnType::kReal);
  out.add_column("area_km2", ColumnType::kReal);
  out.rows.reserve(layer.size());
  if (!with_counts) {
    for (size_t a = 0; a < layer.size(); ++a) {
      out.rows.emplace_back().reserve(out.columns.size());
      out.rows.back().push_back(layer.code[a]);
      out.rows.back().push_back(layer.label[a]);
      if (layer.has_population()) out.rows.back().push_back(num(layer.population[a]));
      out.rows.back().push_back(num(geo::area(layer.geometry[a]) / 1e6));
      out.polygons.push_back(layer.geometry[a]);
    }
    out.lonlat_polygons = layer.lonlat;
    return out;
  }
  out.add_column("n_all", ColumnType::kInteger);
  for (size_t c = 0; per_category && c < t.categories.size(); ++c)
    out.add_column("n_" + slug(t.categories[c]), ColumnType::kInteger);
  for (int m = 0; m < counts.months; ++m)
    out.add_column("n_" + slug(month_label(counts.first_month + m)), ColumnType::kInteger);
  for (size_t c = 0; wide && c < t.categories.size(); ++c)
    for (int m = 0; m < counts.months; ++m)
      out.add_column("n_" + slug(t.categories[c]) + "_" + slug(month_label(counts.first_month + m)), ColumnType::kInteger);
  for (size_t a = 0; a < layer.size(); ++a) {
    const int ai = int(a);
    // Allocated once at its width (~95 strings a row on all English LSOAs),
    // not doubling as the cells are pushed.
    std::vector<std::string> row;
    row.reserve(out.columns.size());
    row.push_back(layer.code[a]);
    row.push_back(layer.label[a]);
    if (layer.has_population()) row.push_back(num(layer.population[a]));
    row.push_back(num(geo::area(layer.geometry[a]) / 1e6));
    row.push_back(std::to_string(counts.area_total(ai)));
    for (int c = 0; per_category && c < counts.categories; ++c)
      row.push_back(std::to_string(counts.area_category_total(ai, c)));
    for (int m = 0; m < counts.months; ++m) row.push_back(std::to_string(counts.area_month_total(ai, m)));
    for (int c = 0; wide && c < counts.categories; ++c)
      for (int m = 0; m < counts.months; ++m) row.push_back(std::to_string(counts.at(ai, c, m)));
    out.rows.push_back(std::move(row));
    out.polygons.push_back(layer.geometry[a]);
  }
  // lsoa.geojson from the source's own lon/lat (the accepted change of
  // issue 13): no PROJ round trip 27700 -> 4326, ~1e-9 degree of noise.
  out.lonlat_polygons = layer.lonlat;
  return out;
}

// The input files as the outputs name them (shareable_path), by source.
std::vector<std::string> source_names(const IncidentTable& t, const std::string& out_dir) {
  std::vector<std::string> names;
  for (const std::string& f : t.sources) names.push_back(shareable_path(f, out_dir));
  return names;
}

OutTable incident_table(const RunResult& r, const std::vector<std::string>& sources) {
  const IncidentTable& t = r.incidents;
  OutTable out;
  out.name = "incidents";
  out.kind = io::GeometryKind::kPoint;
  for (const char* c : {"id", "month", "category", "location", "source_file"}) out.add_column(c);
  out.add_column("source_row", ColumnType::kInteger);
  for (const AreaLayer& l : r.layers) out.add_column(l.name + "_code");
  for (const auto& [layer, codes] : t.recorded) out.add_column("recorded_" + layer);
  for (size_t i = 0; i < t.size(); ++i) {
    std::vector<std::string> row = {t.id_at(i), month_label(t.month[i]), t.categories[t.category[i]], t.location_at(i),
                                    sources[t.source[i]], std::to_string(t.source_row[i])};
    for (size_t l = 0; l < r.layers.size(); ++l) {
      const int32_t a = r.assignments[l].area[i];
      row.push_back(a >= 0 ? r.layers[l].code[size_t(a)] : "");
    }
    for (const auto& [layer, codes] : t.recorded) row.push_back(codes[i]);
    out.rows.push_back(std::move(row));
    out.points.push_back({t.x[i], t.y[i]});
  }
  return out;
}

OutTable reject_table(const Ledger& ledger, const std::string& out_dir) {
  OutTable out;
  out.name = "rejects";
  out.add_column("file");
  out.add_column("row", ColumnType::kInteger);
  out.add_column("reason");
  out.add_column("field");
  out.add_column("raw");
  std::map<std::string, std::string> names;  // a few files, many rows
  for (const Reject& j : ledger.rejects) {
    auto [it, added] = names.try_emplace(j.file);
    if (added) it->second = shareable_path(j.file, out_dir);
    out.rows.push_back({it->second, std::to_string(j.row), std::string(to_string(j.reason)), j.field, j.raw});
  }
  return out;
}

OutTable disagreement_table(const RunResult& r, const std::vector<std::string>& sources) {
  OutTable out;
  out.name = "recorded_disagreements";
  out.kind = io::GeometryKind::kPoint;
  for (const char* c : {"layer", "source_file", "source_row", "id", "recorded_code", "spatial_code"})
    out.add_column(c, std::string(c) == "source_row" ? ColumnType::kInteger : ColumnType::kText);
  const IncidentTable& t = r.incidents;
  for (const LayerLedger& l : r.ledger.layers)
    for (const Agreement::Row& row : l.agreement.rows) {
      const size_t i = size_t(row.incident);
      out.rows.push_back({l.layer, sources[t.source[i]], std::to_string(t.source_row[i]), t.id_at(i), row.recorded,
                          row.spatial});
      out.points.push_back({t.x[i], t.y[i]});
    }
  return out;
}

OutTable counts_long_table(const RunResult& r) {
  OutTable out;
  out.name = "counts_long";
  for (const char* c : {"layer", "area_code", "area_name", "category", "month"}) out.add_column(c);
  out.add_column("count", ColumnType::kInteger);
  // One row per layer, area, category and month (2.3M at national scale, 91%
  // zeros): made as each writer reaches it rather than held as text. Row i
  // of layer l is cell i - first_row[l] of its counts (area, category,
  // month order, as AreaCounts::cells).
  std::vector<size_t> first_row{0};
  std::vector<std::vector<std::string>> months(r.layers.size());
  for (size_t l = 0; l < r.layers.size(); ++l) {
    const AreaCounts& c = r.counts[l];
    first_row.push_back(first_row.back() + c.cells.size());
    for (int m = 0; m < c.months; ++m) months[l].push_back(month_label(c.first_month + m));
  }
  out.generated_rows = first_row.back();
  out.numbers_formatted = true;  // count: std::to_chars of an integer
  out.generate = [&r, first_row, months](size_t i, std::vector<std::string>& row) {
    const size_t l = size_t(std::upper_bound(first_row.begin(), first_row.end(), i) - first_row.begin()) - 1;
    const AreaCounts& c = r.counts[l];
    const size_t cell = i - first_row[l];
    const size_t m = cell % size_t(c.months), k = cell / size_t(c.months) % size_t(c.categories),
                 a = cell / size_t(c.months) / size_t(c.categories);
    row[0].assign(r.layers[l].name);
    row[1].assign(r.layers[l].code[a]);
    row[2].assign(r.layers[l].label[a]);
    row[3].assign(r.incidents.categories[k]);
    row[4].assign(months[l][m]);
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, c.cells[cell]).ptr;
    row[5].assign(digits, end);
  };
  return out;
}

OutTable summary_table(const RunSpec& spec, const RunResult& r) {
  OutTable out;
  out.name = "run_summary";
  out.add_column("key");
  out.add_column("value");
  auto add = [&](const std::string& k, const std::string& v) { out.rows.push_back({k, v}); };
  const Ledger& g = r.ledger;
  add("engine", std::string("hotspot ") + HOTSPOT_VERSION);
  add("gdal", GDALVersionInfo("RELEASE_NAME"));
  add("geos", GEOSversion());
  add("proj", proj_info().release);
  add("working_crs", geo::crs_label(r.working_crs));
  add("working_crs_reason", r.working_crs_reason);
  add("threads", std::to_string(geo::thread_count(spec.threads)));
  // No folders of the machine that made the outputs (file names in public).
  const bool pub = spec.stats.public_mode;
  const int64_t k = pub ? spec.stats.suppress_below : 0;
  for (const auto& [file, n] : g.read_by_file)
    add("read:" + shareable_path(file, spec.output.dir, pub), std::to_string(n));
  add("rows_read", std::to_string(g.rows_read));
  add("accepted", std::to_string(g.accepted));
  add("rejected", std::to_string(g.rejected));
  for (const auto& [reason, n] : g.rejected_by_reason) add("rejected:" + std::string(to_string(reason)), std::to_string(n));
  for (const LayerLedger& l : g.layers) {
    const LayerLedger::Shown s = l.shown(k, spec.stats.marker);
    add("layer:" + l.layer + ":matched", s.matched);
    add("layer:" + l.layer + ":unmatched", s.unmatched);
    add("layer:" + l.layer + ":in_overlapping_areas", s.multiple);
    if (!l.has_agreement || pub) continue;
    add("layer:" + l.layer + ":recorded_compared", std::to_string(l.agreement.compared));
    add("layer:" + l.layer + ":recorded_agree", std::to_string(l.agreement.agree));
    add("layer:" + l.layer + ":recorded_disagree", std::to_string(l.agreement.disagree));
    add("layer:" + l.layer + ":recorded_blank", std::to_string(l.agreement.recorded_blank));
  }
  add("reconciles", g.reconciles() ? "yes" : "NO");
  for (size_t i = 0; i < g.warnings.size(); ++i) add("warning:" + std::to_string(i + 1), g.warnings[i]);
  return out;
}

OutTable hotspot_table(const Surface& s, bool public_mode, int k) {
  OutTable out;
  out.name = "hotspots_" + s.name;
  out.kind = io::GeometryKind::kPolygon;
  out.add_column("rank", ColumnType::kInteger);
  out.add_column("name");  // "On or near <street>, <ward>" (pipeline/hotspot_rules.h)
  out.add_column("surface");
  out.add_column("area_km2", ColumnType::kReal);
  out.add_column("cells", ColumnType::kInteger);
  out.add_column("peak", ColumnType::kReal);
  out.add_column("mean", ColumnType::kReal);
  out.add_column("incidents", public_mode ? ColumnType::kText : ColumnType::kInteger);
  out.add_column("top_categories");
  out.add_column("units");
  out.add_column("study_share", ColumnType::kReal);  // its cells / the study area's
  out.add_column("large");                           // "yes": over kde.hotspot_max_share
  for (const HotspotArea& h : s.hotspots) {
    const bool small = public_mode && h.incidents >= 1 && h.incidents <= k;
    out.rows.push_back({std::to_string(h.rank), h.name, s.name, num(h.area_km2), std::to_string(h.cells), num(h.peak),
                        num(h.mean), small ? "x" : std::to_string(h.incidents), public_mode ? "" : h.top_categories,
                        s.parameters.at("units"), num(h.study_share), h.large ? "yes" : "no"});
    out.polygons.push_back(h.geometry);
  }
  return out;
}

OutTable surface_parameters(const std::vector<Surface>& surfaces) {
  OutTable out;
  out.name = "surface_parameters";
  for (const char* c : {"surface", "key", "value"}) out.add_column(c);
  for (const Surface& s : surfaces) {
    for (const auto& [k, v] : s.parameters) out.rows.push_back({s.name, k, v});
    for (const std::string& w : s.warnings) out.rows.push_back({s.name, "warning", w});
  }
  return out;
}

std::vector<std::string> write_surfaces(const io::StagedOutput& staged, const RunResult& r, bool public_mode) {
  std::vector<std::string> written;
  io::ComponentSet names;
  for (const Surface& s : r.surfaces) {
    std::map<std::string, std::string> meta(s.parameters.begin(), s.parameters.end());
    meta["engine"] = std::string("hotspot ") + HOTSPOT_VERSION;
    meta["crs"] = geo::crs_label(r.working_crs);
    const std::string file = names.add(s.name, "surface name");
    std::string rel = "kde/" + file + ".tif";
    // One file after another: each compresses its tiles on all cores
    // already, and two GeoTIFFs written at once from two threads through
    // GDAL's bounded block cache deadlocked on a national grid.
    io::write_geotiff(staged.path(rel), {&s.density}, {"density (" + s.parameters.at("units") + ")"}, r.working_crs,
                      meta);
    written.push_back(rel);
    if (public_mode || s.gi_z.values.empty()) continue;  // cell counts locate single incidents
    rel = "kde/" + file + "_gistar.tif";
    io::write_geotiff(staged.path(rel), {&s.counts, &s.gi_z, &s.gi_bin}, {"incidents per cell", "Gi* z", "Gi* bin"},
                      r.working_crs, meta);
    written.push_back(rel);
  }
  return written;
}

std::vector<std::string> input_paths(const RunSpec& spec) {
  std::vector<std::string> in;
  for (const auto& s : spec.incidents) in.insert(in.end(), s.paths.begin(), s.paths.end());
  for (const auto& a : spec.areas) {
    in.insert(in.end(), a.paths.begin(), a.paths.end());
    if (a.population) in.push_back(a.population->path);
    if (a.dissolve) in.push_back(a.dissolve->lookup_path);
  }
  for (const ContextSpec& c : spec.report.context) in.push_back(c.path);
  return in;
}

}  // namespace

std::string slug(const std::string& text) {
  std::string out;
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
    else if (!out.empty() && out.back() != '_') out.push_back('_');
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "x" : out;
}

namespace {

void filter_rows(OutTable& t, const std::vector<bool>& keep) {
  size_t k = 0;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    if (!keep[i]) continue;
    if (k != i) {
      t.rows[k] = std::move(t.rows[i]);
      if (!t.points.empty()) t.points[k] = t.points[i];
      if (!t.polygons.empty()) t.polygons[k] = std::move(t.polygons[i]);
      if (!t.lonlat_polygons.empty()) t.lonlat_polygons[k] = std::move(t.lonlat_polygons[i]);
    }
    ++k;
  }
  t.rows.resize(k);
  if (!t.points.empty()) t.points.resize(k);
  if (!t.polygons.empty()) t.polygons.resize(k);
  if (!t.lonlat_polygons.empty()) t.lonlat_polygons.resize(k);
}

// Pack clipping: the pack's incidents (those in its area), and the areas of
// every layer whose box meets the pack area's box.
void clip_to_pack(const RunResult& r, const PackOptions& pack, OutTable& incidents, std::vector<OutTable>& areas) {
  size_t l = 0;
  while (l < r.layers.size() && r.layers[l].name != pack.layer) ++l;
  if (l == r.layers.size() || pack.area < 0) return;
  if (!incidents.rows.empty()) {
    std::vector<bool> keep(incidents.rows.size());
    for (size_t i = 0; i < keep.size(); ++i) keep[i] = r.assignments[l].area[i] == pack.area;
    filter_rows(incidents, keep);
  }
  const Box b = geo::bounds(r.layers[l].geometry[size_t(pack.area)]);
  for (size_t k = 0; k < areas.size(); ++k) {
    std::vector<bool> keep(areas[k].rows.size());
    for (size_t a = 0; a < keep.size(); ++a) {
      const Box x = geo::bounds(r.layers[k].geometry[a]);
      keep[a] = k == l ? int32_t(a) == pack.area
                       : !(x.min_x > b.max_x || x.max_x < b.min_x || x.min_y > b.max_y || x.max_y < b.min_y);
    }
    filter_rows(areas[k], keep);
  }
}

// A pack's repeat locations: those inside its area.
void clip_repeats_to_pack(const RunResult& r, const PackOptions& pack, std::vector<OutTable>& tables) {
  size_t l = 0;
  while (l < r.layers.size() && r.layers[l].name != pack.layer) ++l;
  if (l == r.layers.size() || pack.area < 0) return;
  for (OutTable& t : tables) {
    if (t.name != "repeat_locations") continue;
    size_t column = 0;
    while (column < t.columns.size() && t.columns[column].name != pack.layer + "_code") ++column;
    if (column == t.columns.size()) continue;
    std::vector<bool> keep(t.rows.size());
    for (size_t i = 0; i < keep.size(); ++i) keep[i] = t.rows[i][column] == r.layers[l].code[size_t(pack.area)];
    filter_rows(t, keep);
  }
}

// A pack's area's box grown by 5% of its larger side; nullopt for a run.
std::optional<Box> pack_view(const RunResult& r, const PackOptions* pack) {
  if (!pack || pack->area < 0) return std::nullopt;
  for (const AreaLayer& l : r.layers)
    if (l.name == pack->layer && size_t(pack->area) < l.size()) {
      const Box b = geo::bounds(l.geometry[size_t(pack->area)]);
      const double m = 0.05 * std::max(b.max_x - b.min_x, b.max_y - b.min_y);
      return Box{b.min_x - m, b.min_y - m, b.max_x + m, b.max_y + m};
    }
  return std::nullopt;
}

void set_gpkg_metadata(const std::string& path, const std::string& manifest) {
  io::GdalErrorScope errors;
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
  if (!ds || ds->SetMetadataItem("HOTSPOT_MANIFEST", manifest.c_str()) != CE_None)
    throw OutputError(path + ": cannot store the manifest: " + CPLGetLastErrorMsg());
  GDALClose(GDALDataset::ToHandle(ds.release()));
  if (errors.failed()) throw OutputError(path + ": " + errors.first_failure());
}

}  // namespace

namespace {

// Layer and surface names name GeoPackage tables and columns as well as
// files: they must start with a letter and hold only letters, digits,
// spaces, '_', '-' and '.', so they never climb out of a folder nor break
// GDAL's table names. (Files use io::safe_component of them.)
void check_name(const std::string& name, const std::string& what) {
  bool ok = !name.empty() && name.size() <= 64 && std::isalpha(static_cast<unsigned char>(name[0]));
  for (char ch : name) {
    const unsigned char c = static_cast<unsigned char>(ch);
    ok = ok && (std::isalnum(c) || c == ' ' || c == '_' || c == '-' || c == '.');
  }
  if (!ok || name.find("..") != std::string::npos)
    throw ConfigError(what + " '" + name +
                      "': use 1-64 letters, digits, spaces, '_', '-' or '.', starting with a letter (e.g. \"beat\")");
}

}  // namespace

void check_outputs(const RunSpec& spec) {
  for (const AreaSource& a : spec.areas) check_name(a.name, "area layer name");
  for (const SurfaceSpec& s : spec.kde.surfaces) check_name(s.name, "surface name");
  for (const EmergingSpec& e : spec.emerging) check_name(e.name, "emerging cube name");
  for (const NearRepeatSpec& n : spec.near_repeat) check_name(n.name, "near_repeat name");
  for (const ChangeSurfaceSpec& c : spec.change_surfaces) check_name(c.name, "change surface name");
  for (const ContextSpec& c : spec.report.context) check_name(c.name, "context name");
  if (spec.output.dir.empty()) return;
  io::check_output_target(spec.output.dir, input_paths(spec));
  // The names that become files: layers (GeoJSON, CSV) and surfaces (GeoTIFF).
  io::ComponentSet layers, surfaces;
  for (const char* fixed : {"incidents", "rejects", "recorded_disagreements", "counts_long", "run_summary",
                            "surface_parameters"})
    layers.add(fixed, "output table");
  for (const AreaSource& a : spec.areas) {
    layers.add(a.name, "area layer");
    layers.add(a.name + "_counts", "area layer");
  }
  for (const SurfaceSpec& s : spec.kde.surfaces) {
    surfaces.add(s.name, "surface name");
    layers.add("hotspots_" + s.name, "surface name");
  }
  for (const EmergingSpec& e : spec.emerging) {
    layers.add("emerging_" + e.name, "emerging cube name");
    layers.add("emerging_" + e.name + "_bins", "emerging cube name");
    layers.add("emerging_" + e.name + "_trends", "emerging cube name");
  }
  if (!spec.emerging.empty()) layers.add("emerging_parameters", "output table");
  for (const std::string& n : near_repeat_output_names(spec)) layers.add(n, "near_repeat name");
  if (!spec.near_repeat.empty()) layers.add("near_repeat_parameters", "output table");
  io::ComponentSet change_files;  // change/<name>_*.tif
  for (const ChangeSurfaceSpec& c : spec.change_surfaces) change_files.add(c.name, "change surface name");
  if (!spec.change_surfaces.empty()) layers.add("change_parameters", "output table");
  for (const ContextSpec& c : spec.report.context) layers.add("context_" + c.name, "context name");
}

void build_output_tables(const RunSpec& spec, const RunResult& r, const PackOptions* pack, OutputTables& o) {
  // Public mode (stats.public): no incident-level data, no unprotected counts.
  const bool public_mode = r.disclosure != nullptr;
  // A batch's pack of one area (the run's own front page also passes
  // PackOptions, for its extra files, but is the whole run).
  const bool area_pack = pack && !pack->layer.empty();
  std::vector<OutTable>& areas = o.areas;
  // Input files named without the machine's folders (shareable_path).
  const std::vector<std::string> sources = source_names(r.incidents, spec.output.dir);
  // The statistics tables, rejects and disagreements on a second thread
  // while this one builds the area layers (each reads the run's result and
  // fills its own tables; all English LSOAs: ~2 CPU-s each side, which the
  // GeoPackage's thread waited for). On one thread, run here in turn.
  auto side_tables = [&] {
    o.stat_tables = r.stats ? stats_tables(r, spec.stats) : std::vector<OutTable>{};
    if (pack) clip_repeats_to_pack(r, *pack, o.stat_tables);
    o.rejects = reject_table(r.ledger, spec.output.dir);
    o.disagreements = disagreement_table(r, sources);
  };
  std::future<void> side_done = std::async(
      geo::thread_count(spec.threads) > 1 ? std::launch::async : std::launch::deferred, side_tables);
  for (size_t l = 0; l < r.layers.size(); ++l) {
    areas.push_back(area_table(r.layers[l], r.counts[l], r.incidents, !public_mode));
    if (r.stats) add_stats_columns(areas.back(), r, l, spec.stats);
    add_trend_columns(areas.back(), r, l);  // before a pack clips the rows
  }
  // (A run whose writers take no layers builds no 6M-row table of text.)
  const bool with_incidents = incidents_layer_written(spec) && !public_mode;
  if (with_incidents) o.incidents = incident_table(r, sources);
  side_done.get();
  if (pack) clip_to_pack(r, *pack, o.incidents, areas);
  o.counts = counts_long_table(r);
  o.summary = summary_table(spec, r);
  for (const Surface& s : r.surfaces) o.hotspots.push_back(hotspot_table(s, public_mode, spec.stats.suppress_below));
  o.surface_params = surface_parameters(r.surfaces);
  // A pack: the area cubes' locations near its area (grid cubes are run-wide).
  std::optional<Box> pack_box;
  if (area_pack)
    for (size_t l = 0; l < r.layers.size(); ++l)
      if (r.layers[l].name == pack->layer && pack->area >= 0) pack_box = geo::bounds(r.layers[l].geometry[size_t(pack->area)]);
  o.emerging = area_pack ? (pack_box ? emerging_layers(r, &*pack_box) : std::vector<OutTable>{}) : emerging_layers(r);
  o.emerging_params = emerging_parameters(r);
  o.change_params = change_parameters(r);
  // Near repeats run over the whole selection; a pack shows the zones and
  // top risk cells near its area (and the run's Knox and backtest tables).
  if (!area_pack || pack_box) {
    o.near_layers = near_repeat_layers(r, spec.output.dir);
    if (pack_box)
      for (OutTable& t : o.near_layers) keep_rows_near(t, *pack_box);
    o.near_tables = near_repeat_tables(r);
    o.near_box = pack_box;
  }
  if (with_incidents) o.layers.push_back(&o.incidents);
  for (const OutTable& h : o.hotspots) o.layers.push_back(&h);
  for (const OutTable& e : o.emerging) o.layers.push_back(&e);
  for (const OutTable& n : o.near_layers) o.layers.push_back(&n);
  o.tables = {&o.summary};
  if (!public_mode) o.tables = {&o.rejects, &o.disagreements, &o.counts, &o.summary};
  for (const OutTable& t : o.stat_tables) o.tables.push_back(&t);
  if (!r.surfaces.empty()) o.tables.push_back(&o.surface_params);
  if (!r.emerging.empty()) o.tables.push_back(&o.emerging_params);
  if (!r.change.empty()) o.tables.push_back(&o.change_params);  // a pack's: on its own area (batch.cpp)
  for (const OutTable& n : o.near_tables) o.tables.push_back(&n);
  for (const OutTable& a : areas) o.layers.push_back(&a);
}

std::vector<std::string> write_outputs(const RunSpec& spec, const RunResult& r, const PackOptions* pack) {
  io::StagedOutput staged(spec.output.dir, input_paths(spec));
  const bool public_mode = r.disclosure != nullptr;
  const bool area_pack = pack && !pack->layer.empty();
  // Held by pointer so that, once written, the tables can be freed on a
  // thread of their own (below).
  auto owned = std::make_unique<OutputTables>();
  OutputTables& o = *owned;
  build_output_tables(spec, r, pack, o);
  const std::vector<OutTable>& areas = o.areas;
  const std::vector<const OutTable*>& layers = o.layers;
  const std::vector<const OutTable*>& tables = o.tables;
  std::vector<std::string> written;
  // A std::async future waits for its thread when destroyed, so every way
  // out of here (an exception too) joins the GeoPackage writer.
  std::future<void> gpkg_done;
  if (spec.output.geopackage) {
    std::vector<const OutTable*> all = layers;
    all.insert(all.end(), tables.begin(), tables.end());
    // SQLite allows 2000 columns a table: say why, not GDAL's "too many columns".
    for (const OutTable* t : all)
      if (t->columns.size() > 1990)
        throw ConfigError("the GeoPackage table " + t->name + " would need " + std::to_string(t->columns.size()) +
                          " columns (" + std::to_string(r.incidents.categories.size()) +
                          " categories; a GeoPackage table holds at most 2000): map categories together with "
                          "[stats.aliases], or set output.geopackage = false (the CSV tables have no such limit)");
    // The GeoPackage is written on a thread of its own while this one writes
    // the GeoJSON, CSV and GeoTIFF files (separate files, separate GDAL
    // datasets; GDAL's error handlers are per thread): at national scale the
    // two writers took 11 s and 16 s one after the other. Same bytes either way.
    auto write_gpkg = [&staged, &r, pack, all] {
      io::write_ogr(staged.path("hotspot.gpkg"), "GPKG", all, r.working_crs);
      if (pack && !pack->gpkg_manifest.empty()) set_gpkg_metadata(staged.path("hotspot.gpkg"), pack->gpkg_manifest);
    };
    if (geo::thread_count(spec.threads) > 1) gpkg_done = std::async(std::launch::async, write_gpkg);
    else write_gpkg();
    written.push_back("hotspot.gpkg");
  }
  // PackOptions::early (the front page's drawing, ~2 CPU-s on all English
  // LSOAs) on a thread of its own beside the GeoJSON and CSV writing, which
  // had become the write stage's longest path once the GeoPackage's rows went
  // in 64 to a statement; on one thread, run where it is awaited below.
  std::future<void> early_done;
  if (pack && pack->early)
    early_done = std::async(geo::thread_count(spec.threads) > 1 ? std::launch::async : std::launch::deferred,
                            [pack, &o] { pack->early(o.stat_tables); });
  io::ComponentSet geojson_names, csv_names;
  if (spec.output.geojson)
    for (const OutTable* t : layers) {
      const std::string rel = "geojson/" + geojson_names.add(t->name, "output layer") + ".geojson";
      io::write_geojson(staged.path(rel), *t, r.working_crs, geo::thread_count(spec.threads));
      written.push_back(rel);
    }
  if (spec.output.csv) {
    for (const OutTable* t : tables) {
      const std::string rel = "csv/" + csv_names.add(t->name, "output table") + ".csv";
      io::write_csv(staged.path(rel), *t);
      written.push_back(rel);
    }
    for (const OutTable& a : areas) {
      const std::string rel =
          "csv/" + csv_names.add(a.name + (public_mode ? "_statistics" : "_counts"), "output table") + ".csv";
      io::write_csv(staged.path(rel), a);
      written.push_back(rel);
    }
  }
  for (std::string& w : write_surfaces(staged, r, public_mode)) written.push_back(std::move(w));
  if (!area_pack)
    for (std::string& w : write_emerging_files(staged, r, spec.output.csv)) written.push_back(std::move(w));
  if (!area_pack)
    for (std::string& w : write_near_repeat_files(staged, r, spec.output.csv)) written.push_back(std::move(w));
  for (std::string& w : write_change_files(staged, r)) written.push_back(std::move(w));
  std::exception_ptr early_error;  // thrown where pack->extra runs (PackOptions::early)
  if (early_done.valid()) try {
      early_done.get();
    } catch (...) {
      early_error = std::current_exception();
    }
  if (gpkg_done.valid()) gpkg_done.get();  // rethrows the GeoPackage writer's error
  // Every table is written (the front page's draft holds its own text):
  // they are freed on another thread while this one writes the styles, the
  // project and the front page. All English LSOAs: ~300 MB of strings, whose
  // free() and munmap had been the run's last ~0.2 CPU-s on one core.
  const std::optional<Box> near_box = o.near_box;
  std::future<void> freed;
  if (geo::thread_count(spec.threads) > 1)
    freed = std::async(std::launch::async, [tables = std::move(owned)]() mutable { tables.reset(); });
  // The risk surfaces as raster tables, appended once the vector writer has
  // created and closed the file (it would replace a file it finds); a
  // pack's cropped to its area.
  std::vector<std::string> risk_rasters;
  if (spec.output.geopackage && (!area_pack || near_box))
    risk_rasters = write_near_repeat_rasters(staged.path("hotspot.gpkg"), r, near_box ? &*near_box : nullptr);
  // The context layers, clipped to what this output shows (a pack: its area).
  const Box context_view = pack_view(r, pack) ? *pack_view(r, pack) : context_extent(spec, r.layers);
  if (spec.output.geopackage)
    io::write_context_layers(staged.path("hotspot.gpkg"), r.context, r.working_crs, context_view);
  if (!spec.output.maps_dir.empty() && spec.output.geopackage) {
    // Default QGIS styles in layer_styles, .qml beside each raster, and a
    // project that opens the folder's layers.
    const std::string gpkg = staged.path("hotspot.gpkg");
    const std::string dir = std::filesystem::path(gpkg).parent_path().string();
    report::write_layer_styles(gpkg, report::default_styles(gpkg, spec.output.maps_dir));
    for (std::string& qml : report::write_raster_styles(dir, spec.output.maps_dir)) written.push_back(std::move(qml));
    const std::vector<std::string> change_qmls = report::write_change_styles(dir, spec.output.maps_dir);
    written.insert(written.end(), change_qmls.begin(), change_qmls.end());
    for (std::string& qml : report::write_risk_styles(dir, spec.output.maps_dir)) written.push_back(std::move(qml));
    // A pack opens on its own area, a borough run on its study area, each
    // with an A4 print layout (and the borough an atlas): project_layouts.h.
    const std::optional<Box> view = project_view(spec, r, pack);
    const std::optional<report::LayoutInfo> layouts =
        view ? std::optional(layout_info(spec, r, pack, *view)) : std::nullopt;
    // The user's context layers on top, the OpenStreetMap basemap at the bottom.
    report::ProjectExtras extras;
    extras.basemap = spec.report.basemap;
    for (const ContextLayer& c : r.context) extras.context.push_back({c.name, c.kind});
    extras.change = change_project_rasters(dir, r, change_qmls, r.surfaces.empty());
    if (!area_pack || near_box)
      for (const auto& n : r.near_repeat) {
        const bool risk = std::find(risk_rasters.begin(), risk_rasters.end(), n->spec.name) != risk_rasters.end();
        const double top = risk ? report::ramp_top("GPKG:" + gpkg + ":" + risk_raster_table(n->spec.name)) : 0;
        extras.near_repeat.push_back({n->spec.name, n->has_cocoons, risk, top});
      }
    report::write_project(spec.output.maps_dir, dir, view ? &*view : nullptr, layouts ? &*layouts : nullptr, extras);
    written.push_back("project.qgs");
  }
  if (early_error) std::rethrow_exception(early_error);
  if (pack && pack->extra) pack->extra(staged, written);
  staged.commit();
  for (std::string& w : written) w = (std::filesystem::path(staged.final_dir()) / w).string();
  return written;
}

}  // namespace hotspot::pipeline
