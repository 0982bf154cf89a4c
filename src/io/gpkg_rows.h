// The rows of a GeoPackage's tables and layers (with point or multipolygon
// geometry), inserted with SQLite directly once GDAL has created the tables
// (gpkg_rows.cpp says why).
// Used by write_ogr for the GPKG driver.
#pragma once

#include <string>
#include <vector>

#include "io/out_table.h"

namespace hotspot::io {

// A table GDAL created (empty) and the names GDAL gave it and its columns.
struct GpkgRows {
  const OutTable* table = nullptr;
  std::string table_name;
  std::vector<std::string> column_names;
  std::string geometry_column;  // a layer's (GDAL's "geom"); "" for a table
};

// True when every value of `t` binds as GDAL would bind it (integers and
// reals in plain decimal, as given when t.numbers_formatted; no date-time
// column) and every geometry is one gpkg_blob.h writes as GDAL would (no
// empty ones); else GDAL writes it.
bool rows_insertable_directly(const OutTable& t);

// `name` as an SQL identifier in double quotes (inner quotes doubled), as
// GDAL quotes its table and column names.
std::string quoted_identifier(const std::string& name);

// Inserts each table's rows into the GeoPackage at `path` in one
// transaction, fills each layer's R-tree, sets gpkg_ogr_contents.feature_count
// and each layer's extent in gpkg_contents. Throws OutputError
// with SQLite's message on any failure.
void insert_gpkg_rows(const std::string& path, const std::vector<GpkgRows>& tables);

}  // namespace hotspot::io
