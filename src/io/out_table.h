// OutTable: one output layer or table, built once and written by every
// writer (GeoPackage, GeoJSON, CSV) so the formats cannot disagree.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hotspot/geometry.h"

class GDALDataset;

namespace hotspot::io {

// kDateTime: "YYYY-MM-DDTHH:MM:SS" text, a date-time field where the format has one.
enum class ColumnType { kText, kInteger, kReal, kDateTime };

struct Column {
  std::string name;
  ColumnType type = ColumnType::kText;
};

enum class GeometryKind { kNone, kPoint, kPolygon };

struct OutTable {
  std::string name;                       // layer / file name
  GeometryKind kind = GeometryKind::kNone;  // kPoint: points[], kPolygon: polygons[]
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // values as text ("" = null)
  // Or rows made one at a time as they are written, for a table too big to
  // hold as text (counts_long: 2.3M rows, ~0.6 GB of strings at national
  // scale): `generate(i, row)` fills row i (the same text `rows` would hold)
  // for i < generated_rows. Readers go through row_count / for_each_row.
  size_t generated_rows = 0;
  std::function<void(size_t, std::vector<std::string>&)> generate;
  // Set by a producer that formats every kInteger and kReal value itself
  // (std::to_chars of a number, or empty): the GeoPackage writer then need
  // not read every row to check they bind as numbers (rows_insertable_directly).
  bool numbers_formatted = false;
  // At most one of these is filled, with one geometry per row.
  std::vector<Point> points;
  std::vector<MultiPolygon> polygons;
  // Optional, for a polygon table: per row, its polygon already in EPSG:4326
  // (an area layer's source coordinates, AreaLayer::lonlat), which the
  // GeoJSON writer writes as it is instead of transforming polygons[row];
  // an empty MultiPolygon (or an empty vector) means transform as usual.
  std::vector<MultiPolygon> lonlat_polygons;

  void add_column(std::string n, ColumnType t = ColumnType::kText) { columns.push_back({std::move(n), t}); }

  size_t row_count() const { return generate ? generated_rows : rows.size(); }
  // Calls f(i, row) for every row in order, stored or generated (a
  // generated row is valid only during its call).
  template <typename F>
  void for_each_row(F&& f) const {
    if (!generate) {
      for (size_t i = 0; i < rows.size(); ++i) f(i, rows[i]);
      return;
    }
    std::vector<std::string> row(columns.size());
    for (size_t i = 0; i < generated_rows; ++i) {
      generate(i, row);
      f(i, static_cast<const std::vector<std::string>&>(row));
    }
  }
};

// Writes tables as layers of one OGR dataset at `path` (e.g. a GeoPackage);
// geometries are in `crs`. `layer_options` are passed to CreateLayer.
// Throws OutputError with GDAL's message on any failure.
void write_ogr(const std::string& path, const std::string& driver, const std::vector<const OutTable*>& tables,
               const std::string& crs, const std::vector<std::string>& layer_options = {});

// The same into an open dataset (e.g. GDAL's PostgreSQL driver); errors name
// `display_name` (never a connection string with its password).
void write_ogr_layers(GDALDataset& ds, const std::string& display_name, const std::vector<const OutTable*>& tables,
                      const std::string& crs, const std::vector<std::string>& layer_options = {});

// Writes one table as RFC 7946 GeoJSON (EPSG:4326, 7 decimals), the bytes
// GDAL's GeoJSON driver writes, formatted on `threads` threads
// (geojson_writer.cpp); geometries are in `crs` and are transformed in bulk.
// Throws OutputError, also when the file cannot be written whole.
void write_geojson(const std::string& path, const OutTable& table, const std::string& crs, int threads = 1);

// Writes one table as CSV (RFC 4180, UTF-8, LF). Throws OutputError.
void write_csv(const std::string& path, const OutTable& table);

}  // namespace hotspot::io
