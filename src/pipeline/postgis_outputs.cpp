#include "pipeline/postgis_outputs.h"

#include <algorithm>
#include <filesystem>

#include "hotspot/errors.h"
#include "io/pg_conn.h"
#include "io/postgis_writer.h"
#include "pipeline/outputs.h"
#include "report/manifest.h"
#include "report/qgis_styles.h"

namespace hotspot::pipeline {
namespace {

// PostgreSQL cuts identifiers at 63 bytes: two long names could become one.
constexpr size_t kMaxIdentifier = 63;

void check_table_name(const std::string& name) {
  if (name.size() > kMaxIdentifier)
    throw ConfigError("output.postgis: the table name '" + name + "' is longer than PostgreSQL's 63 bytes: "
                      "use a shorter layer or surface name");
  if (name == "runs")
    throw ConfigError("output.postgis: a layer or table may not be called 'runs' (the schema's run register)");
}

}  // namespace

void check_postgis_output(const RunSpec& spec) {
  const PostgisOutputSpec& pg = spec.output.postgis;
  if (pg.connection.empty()) return;
  const std::string shown = io::redact_connection(pg.connection);
  if (!io::is_pg_connection(pg.connection))
    throw ConfigError("output.postgis '" + shown + "': give a GDAL PostgreSQL connection, e.g. \"PG:dbname=crime\"");
  const std::string rest = io::libpq_conninfo(pg.connection);
  if (rest.rfind("postgres", 0) == 0)
    throw ConfigError("output.postgis '" + shown +
                      "': give the key=value form (\"PG:host=db dbname=crime user=analyst\"), not a URI");
  if (pg.schema.empty() || pg.schema.size() > 40)
    throw ConfigError("output.postgis_schema '" + pg.schema + "': give a schema name of 1-40 bytes");
  if (!pg.run_id.empty() && pg.run_id.size() > 100)
    throw ConfigError("output.run_id: at most 100 characters");
  for (const AreaSource& a : spec.areas) {
    check_table_name(a.name);
    check_table_name("comparison_" + a.name);
  }
  for (const SurfaceSpec& s : spec.kde.surfaces) check_table_name("hotspots_" + s.name);
  for (const EmergingSpec& e : spec.emerging) check_table_name("emerging_" + e.name + "_trends");
  if (spec.dry_run) return;
  // Before any work: a wrong host, password or database, or no postgis
  // extension, fails now (exit 4), not after the statistics.
  io::PgConnection probe(pg.connection);
  if (probe.exec("SELECT count(*) FROM pg_extension WHERE extname = 'postgis'")[0][0] == "0")
    throw OutputError("PostgreSQL database '" + probe.database() +
                      "' has no postgis extension: run CREATE EXTENSION postgis; in it (as its owner)");
}

std::string postgis_run_id(const RunSpec& spec, const RunResult& r) {
  if (!spec.output.postgis.run_id.empty()) return spec.output.postgis.run_id;
  if (r.incidents.month.empty()) return "no-data";
  return month_label(*std::max_element(r.incidents.month.begin(), r.incidents.month.end()));
}

std::string write_postgis_outputs(const RunSpec& given, const RunResult& r, const std::vector<std::string>& files) {
  // Input files are named relative to the output folder (shareable_path);
  // with no folder, relative to the folder the run ran in.
  RunSpec spec = given;
  if (spec.output.dir.empty()) spec.output.dir = std::filesystem::current_path().string();
  const PostgisOutputSpec& pg = spec.output.postgis;
  OutputTables o;
  build_output_tables(spec, r, nullptr, o);
  std::vector<const io::OutTable*> all = o.layers;
  all.insert(all.end(), o.tables.begin(), o.tables.end());
  for (const io::OutTable* t : all) check_table_name(t->name);

  io::PostgisTarget target(pg.connection, pg.schema);  // connect, lock, fresh staging schema
  target.write_tables(all, r.working_crs);
  // The GeoPackage's styles, fitted to the same rows (read from the staging schema).
  std::vector<io::PgStyle> styles;
  if (!spec.output.maps_dir.empty()) try {
      for (const report::LayerStyle& s : report::default_styles(target.staging_dataset(), spec.output.maps_dir))
        styles.push_back({s.layer, s.geometry_column, s.name, s.qml, s.use_as_default});
    } catch (const OutputError& e) {  // its messages name the dataset, password and all
      throw OutputError(io::scrub_password(e.what(), pg.connection));
    }

  io::PgRunRecord run;
  run.run_id = postgis_run_id(spec, r);
  run.manifest_json = report::manifest_json(spec, r, pg.config_toml);
  for (const std::string& f : files)
    if (std::filesystem::path(f).extension() == ".tif") run.rasters.push_back(std::filesystem::absolute(f).string());
  if (!given.output.dir.empty()) run.output_folder = std::filesystem::absolute(given.output.dir).string();
  target.commit(run, styles);
  return "PostGIS " + io::redact_connection(pg.connection) + " schema " + pg.schema + ", run " + run.run_id + ": " +
         std::to_string(all.size()) + " tables";
}

}  // namespace hotspot::pipeline
