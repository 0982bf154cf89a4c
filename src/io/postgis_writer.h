// Writing a run's tables to PostGIS so that it lands whole or not at all.
//
// 1. A libpq session takes an advisory lock on the target schema (a second
//    run into the same schema fails at once with a clear message), drops the
//    staging schema a killed run left, and creates a fresh one.
// 2. GDAL's PostgreSQL driver writes every table into the staging schema
//    (COPY, PG_USE_COPY=YES), on its own connection.
// 3. One transaction on the libpq session moves the rows into the target
//    schema (each row tagged with the run id; the run id's earlier rows
//    deleted first), records the run in <schema>.runs, stores the QGIS styles
//    in public.layer_styles and drops the staging schema. Readers see the
//    old state or the new one, never a mix; a run killed before COMMIT leaves
//    the old state (the server rolls back a dead session's transaction).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "io/out_table.h"

namespace hotspot::io {

class PgConnection;

// One row of QGIS's public.layer_styles.
struct PgStyle {
  std::string table;                 // in the target schema
  std::string geometry_column = "geom";
  std::string name;                  // styleName
  std::string qml;
  bool use_as_default = true;
};

// What <schema>.runs records about the run (besides its tables).
struct PgRunRecord {
  std::string run_id;
  std::string manifest_json;         // engine, parameters, inputs (SHA-256), ledger: split into columns
  std::vector<std::string> rasters;  // the run's raster files (they stay files)
  std::string output_folder;         // the run's file outputs ("" = none)
};

class PostgisTarget {
 public:
  // Connects, locks and prepares the staging schema. Throws OutputError.
  PostgisTarget(const std::string& connection, const std::string& schema);
  ~PostgisTarget();  // drops the staging schema unless committed (best effort)
  PostgisTarget(const PostgisTarget&) = delete;
  PostgisTarget& operator=(const PostgisTarget&) = delete;

  // Writes the tables into the staging schema through GDAL: geometry column
  // "geom" in `crs`, primary key "fid" (the GeoPackage's fid: 1.. in row order).
  void write_tables(const std::vector<const OutTable*>& tables, const std::string& crs);
  // The staging schema as a GDAL dataset name (for reading back, e.g. to fit styles).
  std::string staging_dataset() const;
  // The one transaction of step 3.
  void commit(const PgRunRecord& run, const std::vector<PgStyle>& styles);

  const std::string& schema() const { return schema_; }

 private:
  std::string connection_, schema_, staging_;
  std::unique_ptr<PgConnection> db_;
  std::vector<std::string> tables_;
  bool committed_ = false;
};

// The staging schema's name for a target schema.
std::string staging_schema(const std::string& schema);

}  // namespace hotspot::io
