// RunSpec -> TOML: the exact inverse of load_config, so a pack's run.toml
// reruns the pack's numbers (`hotspot run -c run.toml`). Paths are written
// relative to the folder the file is written to (load_config resolves them
// against it), so a pack carries no absolute path of the machine that made it.
#include <filesystem>

#include <toml++/toml.h>

#include "config.h"
#include "io/pg_conn.h"
#include "hotspot/shareable_path.h"

namespace hotspot::cli {
namespace {

// A path as seen from the config's folder (the file name alone where the
// two share no folder below the root: see shareable_path).
class RelativeTo {
 public:
  explicit RelativeTo(const std::string& folder) : folder_(folder) {}
  std::string operator()(const std::string& p) const { return p.empty() ? p : shareable_path(p, folder_); }

 private:
  std::string folder_;
};

toml::array strings(const std::vector<std::string>& v) {
  toml::array a;
  for (const std::string& s : v) a.push_back(s);
  return a;
}

toml::array paths(const std::vector<std::string>& v, const RelativeTo& path) {
  toml::array a;
  for (const std::string& s : v) a.push_back(path(s));
  return a;
}

toml::table string_map(const std::map<std::string, std::string>& m) {
  toml::table t;
  for (const auto& [k, v] : m) t.insert(k, v);
  return t;
}

const char* format_name(IncidentFormat f) {
  switch (f) {
    case IncidentFormat::kPoliceUk: return "police_uk";
    case IncidentFormat::kDelimited: return "csv";
    case IncidentFormat::kOgr: return "ogr";
  }
  return "police_uk";
}

toml::table incident_table(const IncidentSource& s, const RelativeTo& path) {
  const bool postgis = s.format == IncidentFormat::kOgr && s.paths.size() == 1 && io::is_pg_connection(s.paths[0]);
  toml::table t{{"format", postgis ? "postgis" : format_name(s.format)}};
  if (postgis) t.insert("connection", io::redact_connection(s.paths[0]));  // never the password
  else t.insert("paths", paths(s.paths, path));
  if (postgis && !s.sql.empty()) t.insert("sql", s.sql);
  if (!s.crs.empty()) t.insert("crs", s.crs);
  if (s.format != IncidentFormat::kPoliceUk) {
    if (s.delimiter) t.insert("delimiter", s.delimiter == '\t' ? std::string("tab") : std::string(1, s.delimiter));
    t.insert("x", s.x_field);
    t.insert("y", s.y_field);
    t.insert("date", s.date_field);
    for (const auto& [k, v] : {std::pair{"category", s.category_field}, {"id", s.id_field},
                               {"location", s.location_field}, {postgis ? "table" : "layer", s.layer_name},
                               {"weight", s.weight_field}, {"year", s.year_field}, {"month", s.month_field},
                               {"day", s.day_field}})
      if (!v.empty()) t.insert(k, v);
  }
  if (!s.recorded_fields.empty()) t.insert("recorded", string_map(s.recorded_fields));
  return t;
}

toml::table area_table(const AreaSource& a, const RelativeTo& path) {
  toml::table t{{"name", a.name}};
  if (a.dissolve) {
    const DissolveSpec& d = *a.dissolve;
    t.insert("dissolve", toml::table{{"from", d.from_layer}, {"lookup", path(d.lookup_path)},
                                     {"from_code", d.from_field}, {"to_code", d.to_field}, {"to_name", d.to_name_field}});
  } else {
    t.insert("paths", paths(a.paths, path));
    t.insert("code", a.code_field);
  }
  for (const auto& [k, v] : {std::pair{"name_field", a.name_field}, {"population_field", a.population_field},
                             {"population_from", a.population_from},
                             {"crs", a.crs}})
    if (!v.empty()) t.insert(k, v);
  if (a.population)
    t.insert("population", toml::table{{"path", path(a.population->path)}, {"code", a.population->code_field},
                                       {"value", a.population->value_field}});
  return t;
}

toml::table stats_table(const StatsSpec& s) {
  toml::table t{{"enabled", s.enabled},        {"current", s.current},         {"previous", s.previous},
                {"fy_start_month", s.fy_start_month}, {"headline", s.headline}, {"rate_per", s.rate_per},
                {"comparator_rate", s.comparator_rate}, {"top_n", s.top_n},      {"public", s.public_mode},
                {"suppress_below", s.suppress_below}, {"protect_min_values", s.protect_min_values}, {"marker", s.marker},
                {"gistar_distance", s.gistar_distance}};
  if (!s.extracted.empty()) t.insert("extracted", s.extracted);
  if (!s.table_layer.empty()) t.insert("table_layer", s.table_layer);
  if (!s.aliases.empty()) t.insert("aliases", string_map(s.aliases));
  toml::array rollups;
  for (const RollupSpec& r : s.rollups) {
    toml::table rt{{"name", r.name}};
    if (!r.include.empty()) rt.insert("include", strings(r.include));
    if (!r.exclude.empty()) rt.insert("exclude", strings(r.exclude));
    rollups.push_back(std::move(rt));
  }
  if (!rollups.empty()) t.insert("rollups", std::move(rollups));
  return t;
}

toml::table kde_table(const KdeSpec& k) {
  toml::table t{{"enabled", k.enabled},
                {"kernel", std::string(kde::to_string(k.kernel))},
                {"bandwidth", k.bandwidth},
                {"bandwidth_rule", std::string(kde::to_string(k.bandwidth_rule))},
                {"gaussian_cutoff", k.gaussian_cutoff},
                {"cell", k.cell},
                {"cell_rule", std::string(kde::to_string(k.cell_rule))},
                {"units", std::string(kde::to_string(k.units))},
                {"mode", std::string(kde::to_string(k.mode))},
                {"hotspot_rule", std::string(kde::to_string(k.hotspot_rule))},
                {"hotspot_top_percent", k.hotspot_top_percent},
                {"hotspot_threshold", k.hotspot_threshold},
                {"gistar", k.gistar},
                {"fdr", k.fdr},
                {"gistar_distance", k.gistar_distance},
                {"gistar_neighbourhood", k.gistar_queen ? "queen" : "band"},
                {"hotspot_min_incidents", k.hotspot_min_incidents},
                {"hotspot_min_cells", k.hotspot_min_cells},
                {"hotspot_max_share", k.hotspot_max_share}};
  if (!k.study_layer.empty()) t.insert("study_layer", k.study_layer);
  if (!k.study_area.empty()) t.insert("study_area", k.study_area);
  if (k.extent.size() == 4) t.insert("extent", toml::array{k.extent[0], k.extent[1], k.extent[2], k.extent[3]});
  toml::array surfaces;
  for (const SurfaceSpec& s : k.surfaces) {
    toml::table st{{"name", s.name}, {"categories", strings(s.categories)}};
    if (!s.period.empty()) st.insert("period", s.period);
    surfaces.push_back(std::move(st));
  }
  if (!surfaces.empty()) t.insert("surfaces", std::move(surfaces));
  return t;
}

// [report]: the front page's settings (a pack's run.toml reruns as a run,
// whose briefing.html is the front page). family_path is left out: a
// pack's front page is its briefing, which shows no family position.
toml::table report_table(const ReportSpec& r) {
  toml::table t;
  if (!r.area_name.empty()) t.insert("area_name", r.area_name);
  auto strings = [](const std::vector<std::string>& v) {
    toml::array a;
    for (const std::string& s : v) a.push_back(s);
    return a;
  };
  if (!r.key_categories.empty()) t.insert("key_categories", strings(r.key_categories));
  if (!r.overview_categories.empty()) t.insert("overview_categories", strings(r.overview_categories));
  toml::table family;
  for (const auto& [category, areas] : r.family) {
    toml::table rates;
    for (const auto& [area, rate] : areas) rates.insert(area, rate);
    family.insert(category, std::move(rates));
  }
  if (!family.empty()) t.insert("family", std::move(family));
  t.insert("basemap", r.basemap);
  t.insert("labels", r.labels);
  t.insert("map_png_width", r.map_png_width);
  if (!r.hotspot_place_layer.empty()) t.insert("hotspot_place_layer", r.hotspot_place_layer);
  return t;
}

toml::array string_array(const std::vector<std::string>& v) {
  toml::array a;
  for (const std::string& s : v) a.push_back(s);
  return a;
}

toml::array real_array(const std::vector<double>& v) {
  toml::array a;
  for (double d : v) a.push_back(d);
  return a;
}

// [[change.cubes]] (the space-time cubes, also read as [[emerging]]).
toml::table cube_table(const EmergingSpec& e) {
  toml::table t{{"name", e.name},
                {"cell", e.cell},
                {"categories", string_array(e.categories)},
                {"step", e.step},
                {"time_steps", e.time_steps},
                {"window", e.window},
                {"distance", e.distance},
                {"fdr", e.fdr},
                {"alpha", e.alpha},
                {"trend_alpha", e.trend_alpha},
                {"continuity", e.continuity},
                {"share", e.share},
                {"recent_share", e.recent_share},
                {"persistent_share", e.persistent_share},
                {"intermittent_share", e.intermittent_share}};
  if (!e.layer.empty()) t.insert("layer", e.layer);
  return t;
}

// [[change.surfaces]].
toml::table change_surface_table(const ChangeSurfaceSpec& c) {
  return toml::table{{"name", c.name},         {"categories", string_array(c.categories)},
                     {"after", c.after},       {"before", c.before},
                     {"floor", c.floor},       {"permutations", c.permutations},
                     {"seed", c.seed},         {"fdr", c.fdr}};
}

// [[near_repeat]]: every setting, so a rerun draws the same shuffles.
toml::table near_repeat_table(const NearRepeatSpec& n) {
  toml::table t{{"name", n.name},
                {"categories", string_array(n.categories)},
                {"time_unit", n.time_unit},
                {"metric", n.metric},
                {"distance_bandwidth", n.distance_bandwidth},
                {"distance_bands", n.distance_bands},
                {"same_location", n.same_location},
                {"distance_beyond", n.distance_beyond},
                {"time_bandwidth", n.time_bandwidth},
                {"time_bands", n.time_bands},
                {"time_beyond", n.time_beyond},
                {"method", n.method},
                {"permutations", n.permutations},
                {"seed", n.seed},
                {"alpha", n.alpha},
                {"min_ratio", n.min_ratio},
                {"cocoons", n.cocoons},
                {"cocoon_radius", n.cocoon_radius},
                {"cocoon_days", n.cocoon_days},
                {"cocoon_from_knox", n.cocoon_from_knox},
                {"risk", n.risk},
                {"risk_step", n.risk_step},
                {"risk_lookback", n.risk_lookback},
                {"risk_distance", n.risk_distance},
                {"risk_cell", n.risk_cell},
                {"risk_top_percent", n.risk_top_percent},
                {"risk_baseline_bandwidth", n.risk_baseline_bandwidth}};
  if (!n.period.empty()) t.insert("period", n.period);
  if (!n.distance_edges.empty()) t.insert("distance_edges", real_array(n.distance_edges));
  if (!n.time_edges.empty()) t.insert("time_edges", real_array(n.time_edges));
  return t;
}

}  // namespace

std::string to_toml(const RunSpec& spec, const std::string& folder) {
  const RelativeTo path(folder);
  toml::table root;
  if (!spec.working_crs.empty()) root.insert("working_crs", spec.working_crs);
  root.insert("threads", spec.threads);
  toml::table output{{"dir", path(spec.output.dir)},
                     {"geopackage", spec.output.geopackage},
                     {"geojson", spec.output.geojson},
                     {"csv", spec.output.csv},
                     {"incidents", spec.output.incidents}};
  if (!spec.output.postgis.connection.empty()) {
    // Never the password: credentials belong in ~/.pgpass or PGPASSWORD.
    output.insert("postgis", io::redact_connection(spec.output.postgis.connection));
    output.insert("postgis_schema", spec.output.postgis.schema);
    if (!spec.output.postgis.run_id.empty()) output.insert("run_id", spec.output.postgis.run_id);
  }
  root.insert("output", std::move(output));
  toml::array incidents, areas;
  for (const IncidentSource& s : spec.incidents) incidents.push_back(incident_table(s, path));
  for (const AreaSource& a : spec.areas) areas.push_back(area_table(a, path));
  root.insert("incidents", std::move(incidents));
  root.insert("areas", std::move(areas));
  root.insert("stats", stats_table(spec.stats));
  root.insert("kde", kde_table(spec.kde));
  root.insert("report", report_table(spec.report));
  toml::array context;
  for (const ContextSpec& c : spec.report.context) {
    toml::table t{{"name", c.name},
                  {"path", path(c.path)},
                  {"kind", c.kind == ContextKind::kPoints     ? "points"
                           : c.kind == ContextKind::kPolygons ? "polygons"
                                                              : "lines"}};
    for (const auto& [k, v] : {std::pair{"layer", c.layer}, {"crs", c.crs}, {"label_field", c.label_field}})
      if (!v.empty()) t.insert(k, v);
    context.push_back(std::move(t));
  }
  if (!context.empty()) root.insert("context", std::move(context));
  // Change over time and near repeats: a rerun makes the same analyses.
  toml::array cubes, change_surfaces, near;
  for (const EmergingSpec& e : spec.emerging) cubes.push_back(cube_table(e));
  for (const ChangeSurfaceSpec& c : spec.change_surfaces) change_surfaces.push_back(change_surface_table(c));
  for (const NearRepeatSpec& n : spec.near_repeat) near.push_back(near_repeat_table(n));
  toml::table change;
  if (!cubes.empty()) change.insert("cubes", std::move(cubes));
  if (!change_surfaces.empty()) change.insert("surfaces", std::move(change_surfaces));
  if (!change.empty()) root.insert("change", std::move(change));
  if (!near.empty()) root.insert("near_repeat", std::move(near));
  std::ostringstream out;
  out << "# Written by hotspot " HOTSPOT_VERSION ": rerun with `hotspot run -c run.toml`.\n" << root << "\n";
  return out.str();
}

}  // namespace hotspot::cli
