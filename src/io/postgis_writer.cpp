#include "io/postgis_writer.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cctype>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "hotspot/errors.h"
#include "io/gdal_error_scope.h"
#include "io/pg_conn.h"

namespace hotspot::io {
namespace {

// Both keys of the advisory lock: a constant ("HS") and the schema's hash.
constexpr const char* kLockSql = "SELECT pg_try_advisory_lock(18515, hashtext($1))";
// The staging schema says what it is, so a cleanup never drops a schema
// hotspot did not create.
constexpr const char* kStagingComment = "hotspot staging schema: a run in progress or killed; safe to drop";

// Sets a GDAL config option on this thread for the writer's lifetime.
struct ThreadConfig {
  std::string key;
  ThreadConfig(const char* k, const char* v) : key(k) { CPLSetThreadLocalConfigOption(k, v); }
  ~ThreadConfig() { CPLSetThreadLocalConfigOption(key.c_str(), nullptr); }
};

}  // namespace

std::string staging_schema(const std::string& schema) {
  // A plain name (GDAL's schemas= option cannot quote one), the same for the
  // same target every time (so the next run finds what a killed one left):
  // the target's letters and digits and a hash (FNV-1a) of its whole name.
  std::string plain;
  for (char ch : schema)
    if (std::isalnum(static_cast<unsigned char>(ch)) && plain.size() < 24)
      plain += char(std::tolower(static_cast<unsigned char>(ch)));
  uint64_t h = 1469598103934665603ull;
  for (char ch : schema) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return plain + "_hotspot_staging_" + std::string(hex, 8);
}

PostgisTarget::PostgisTarget(const std::string& connection, const std::string& schema)
    : connection_(connection), schema_(schema), staging_(staging_schema(schema)) {
  db_ = std::make_unique<PgConnection>(connection);
  if (db_->exec("SELECT count(*) FROM pg_extension WHERE extname = 'postgis'")[0][0] == "0")
    throw OutputError("PostgreSQL database '" + db_->database() +
                      "' has no postgis extension: run CREATE EXTENSION postgis; in it (as its owner)");
  if (db_->exec(kLockSql, {schema_}, "advisory lock")[0][0] != "t")
    throw OutputError("another hotspot run is writing to PostgreSQL schema '" + schema_ +
                      "' (it holds the advisory lock); run again when it has finished");
  // Anything staged here was left by a killed run: the lock says none is running.
  const auto found = db_->exec(
      "SELECT coalesce(obj_description(oid, 'pg_namespace'), '') FROM pg_namespace WHERE nspname = $1", {staging_});
  if (!found.empty()) {
    if (found[0][0] != kStagingComment)
      throw OutputError("PostgreSQL schema '" + staging_ + "' exists and was not made by hotspot: rename it or "
                        "choose another output schema");
    db_->exec("DROP SCHEMA " + db_->ident(staging_) + " CASCADE", {}, "dropping a killed run's staging schema");
  }
  db_->exec("CREATE SCHEMA " + db_->ident(staging_), {}, "creating the staging schema");
  db_->exec("COMMENT ON SCHEMA " + db_->ident(staging_) + " IS " + db_->literal(kStagingComment));
}

PostgisTarget::~PostgisTarget() {
  if (committed_ || !db_) return;
  try {
    db_->exec("DROP SCHEMA IF EXISTS " + db_->ident(staging_) + " CASCADE");
  } catch (const std::exception&) {
    // The next run drops it.
  }
}

std::string PostgisTarget::staging_dataset() const {
  return "PG:" + libpq_conninfo(connection_) + " schemas=" + staging_;
}

void PostgisTarget::write_tables(const std::vector<const OutTable*>& tables, const std::string& crs) {
  // COPY, not one INSERT per row.
  ThreadConfig copy("PG_USE_COPY", "YES");
  GdalErrorScope errors;
  const std::string shown = "PostgreSQL '" + redact_connection(connection_) + "' schema " + staging_;
  try {
    GDALDatasetUniquePtr ds(GDALDataset::Open(staging_dataset().c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    if (!ds) throw OutputError(shown + ": GDAL cannot open it: " + CPLGetLastErrorMsg());
    // Table names as the GeoPackage has them (LAUNDER=NO; GDAL quotes them);
    // indexes are built on the target tables, not here.
    write_ogr_layers(*ds, shown, tables, crs,
                     {"SCHEMA=" + staging_, "GEOMETRY_NAME=geom", "FID=fid", "LAUNDER=NO", "SPATIAL_INDEX=NONE",
                      "OVERWRITE=NO"});
    ds.reset();
  } catch (const OutputError& e) {
    throw OutputError(scrub_password(e.what(), connection_));
  }
  if (errors.failed()) throw OutputError(scrub_password(shown + ": write failed: " + errors.first_failure(), connection_));
  for (const OutTable* t : tables) tables_.push_back(t->name);
}

void PostgisTarget::commit(const PgRunRecord& run, const std::vector<PgStyle>& styles) {
  PgConnection& db = *db_;
  const std::string S = db.ident(schema_), G = db.ident(staging_);
  const std::string runs = S + ".runs";
  db.exec("BEGIN");
  try {
    db.exec("CREATE SCHEMA IF NOT EXISTS " + S, {}, "creating schema " + schema_);
    db.exec("CREATE TABLE IF NOT EXISTS " + runs +
                " (run_id text PRIMARY KEY, finished_at timestamptz NOT NULL DEFAULT now(), engine text, "
                "working_crs text, parameters jsonb, inputs jsonb, ledger jsonb, manifest jsonb, tables text[], "
                "rasters jsonb, output_folder text)",
            {}, "creating " + schema_ + ".runs");
    // The run id's earlier rows go, from the tables that run wrote.
    const auto old = db.exec("SELECT unnest(tables) FROM " + runs + " WHERE run_id = $1", {run.run_id});
    for (const auto& row : old)
      if (!db.exec("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2", {schema_, row[0]}).empty())
        db.exec("DELETE FROM " + S + "." + db.ident(row[0]) + " WHERE run_id = $1", {run.run_id},
                "replacing run " + run.run_id + " in " + row[0]);
    db.exec("DELETE FROM " + runs + " WHERE run_id = $1", {run.run_id});
    for (const std::string& name : tables_) {
      const std::string T = S + "." + db.ident(name), from = G + "." + db.ident(name);
      const std::string cols_sql =
          "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a JOIN pg_class c ON c.oid = "
          "a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND "
          "a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
      const auto staged = db.exec(cols_sql, {staging_, name});
      auto existing = db.exec(cols_sql, {schema_, name});
      bool has_geom = false;
      for (const auto& c : staged) has_geom = has_geom || c[0] == "geom";
      if (existing.empty()) {
        // A one-column key for QGIS and GDAL (neither handles a two-column
        // key well); (run_id, fid) is unique too: the GeoPackage's fid per run.
        db.exec("CREATE TABLE " + T + " (pk bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, run_id text NOT NULL, LIKE " +
                    from + ", UNIQUE (run_id, fid))",
                {}, "creating " + name);
        if (has_geom) db.exec("CREATE INDEX ON " + T + " USING GIST (geom)", {}, "spatial index of " + name);
        db.exec("COMMENT ON TABLE " + T + " IS " + db.literal("written by hotspot; one set of rows per run_id (see runs)"));
      } else {
        bool ours = false;
        for (const auto& c : existing) ours = ours || c[0] == "run_id";
        if (!ours)
          throw OutputError("PostgreSQL table " + schema_ + "." + name +
                            " exists and was not made by hotspot (no run_id column): choose another schema");
        // A later month adds columns (n_2019_03 ...): earlier runs get nulls there.
        for (const auto& c : staged) {
          bool have = false;
          for (const auto& e : existing) have = have || e[0] == c[0];
          if (!have) db.exec("ALTER TABLE " + T + " ADD COLUMN " + db.ident(c[0]) + " " + c[1], {}, "adding a column to " + name);
        }
      }
      std::string cols;
      for (const auto& c : staged) cols += ", " + db.ident(c[0]);
      db.exec("INSERT INTO " + T + " (run_id" + cols + ") SELECT $1" + cols + " FROM " + from, {run.run_id},
              "moving the run's rows into " + name);
    }
    const nlohmann::json m = nlohmann::json::parse(run.manifest_json);
    nlohmann::json parameters = m;
    for (const char* k : {"inputs", "ledger", "engine", "libraries", "working_crs"}) parameters.erase(k);
    std::string table_list = "{";
    for (size_t i = 0; i < tables_.size(); ++i) {
      std::string quoted = "\"";
      for (char ch : tables_[i]) quoted += (ch == '"' || ch == '\\') ? std::string("\\") + ch : std::string(1, ch);
      table_list += (i ? "," : "") + quoted + "\"";
    }
    table_list += "}";
    db.exec("INSERT INTO " + runs +
                " (run_id, engine, working_crs, parameters, inputs, ledger, manifest, tables, rasters, output_folder)"
                " VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7::jsonb, $8::text[], $9::jsonb, nullif($10, ''))",
            {run.run_id, m.value("engine", ""), m.value("working_crs", ""), parameters.dump(),
             m.contains("inputs") ? m["inputs"].dump() : "[]", m.contains("ledger") ? m["ledger"].dump() : "{}",
             run.manifest_json, table_list, nlohmann::json(run.rasters).dump(), run.output_folder},
            "recording the run in " + schema_ + ".runs");
    if (!styles.empty()) {
      // QGIS's own schema for the table (QgsPostgresProvider); QGIS reads the
      // default style of a layer from here when it opens the layer. Runs into
      // other schemas share it: one at a time (a lock until COMMIT).
      db.exec("SELECT pg_advisory_xact_lock(18515, 0)");
      // (Created only when missing: CREATE ... IF NOT EXISTS needs CREATE on
      // public even when the table is there.)
      if (db.exec("SELECT to_regclass('public.layer_styles') IS NULL")[0][0] == "t")
      db.exec(
          "CREATE TABLE public.layer_styles (id serial PRIMARY KEY, f_table_catalog varchar, "
          "f_table_schema varchar, f_table_name varchar, f_geometry_column varchar, stylename text, styleqml xml, "
          "stylesld xml, useasdefault boolean, description text, owner varchar(63) DEFAULT CURRENT_USER, ui xml, "
          "update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar)",
          {}, "creating public.layer_styles");
      // type NULL: QGIS matches a style whose type is the layer's geometry
      // type ("Polygon") or NULL, so NULL fits every layer.
      const std::string catalog = db.database();
      for (const PgStyle& s : styles) {
        const std::vector<std::string> key = {catalog, schema_, s.table, s.geometry_column, s.name};
        db.exec("DELETE FROM public.layer_styles WHERE f_table_catalog = $1 AND f_table_schema = $2 AND "
                "f_table_name = $3 AND f_geometry_column = $4 AND stylename = $5",
                key, "replacing a style in public.layer_styles");
        if (s.use_as_default)
          db.exec("UPDATE public.layer_styles SET useasdefault = false WHERE f_table_catalog = $1 AND "
                  "f_table_schema = $2 AND f_table_name = $3 AND f_geometry_column = $4",
                  {catalog, schema_, s.table, s.geometry_column});
        db.exec("INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                "stylename, styleqml, stylesld, useasdefault, description, type) VALUES ($1, $2, $3, $4, $5, "
                "XMLPARSE(DOCUMENT $6), NULL, $7::boolean, $8, NULL)",
                {catalog, schema_, s.table, s.geometry_column, s.name, s.qml, s.use_as_default ? "true" : "false",
                 "hotspot default style, run " + run.run_id},
                "storing a style in public.layer_styles");
      }
    }
    db.exec("DROP SCHEMA " + G + " CASCADE", {}, "dropping the staging schema");
    db.exec("COMMIT", {}, "committing the run");
  } catch (...) {
    try {
      db.exec("ROLLBACK");
    } catch (const std::exception&) {
    }
    throw;
  }
  committed_ = true;
}

}  // namespace hotspot::io
