// OutTable: one output layer or table, built once and written by every
// writer (GeoPackage, GeoJSON, CSV) so the formats cannot disagree.
#pragma once

#include <string>
#include <vector>

#include "hotspot/geometry.h"

namespace hotspot::io {

enum class ColumnType { kText, kInteger, kReal };

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
  // At most one of these is filled, with one geometry per row.
  std::vector<Point> points;
  std::vector<MultiPolygon> polygons;

  void add_column(std::string n, ColumnType t = ColumnType::kText) { columns.push_back({std::move(n), t}); }
};

// Writes tables as layers of one OGR dataset at `path` (e.g. a GeoPackage);
// geometries are in `crs`. `layer_options` are passed to CreateLayer.
// Throws OutputError with GDAL's message on any failure.
void write_ogr(const std::string& path, const std::string& driver, const std::vector<const OutTable*>& tables,
               const std::string& crs, const std::vector<std::string>& layer_options = {});

// Writes one table as RFC 7946 GeoJSON (EPSG:4326, 7 decimals), the bytes
// GDAL's GeoJSON driver writes, formatted on `threads` threads
// (geojson_writer.cpp); geometries are in `crs` and are transformed in bulk.
// Throws OutputError, also when the file cannot be written whole.
void write_geojson(const std::string& path, const OutTable& table, const std::string& crs, int threads = 1);

// Writes one table as CSV (RFC 4180, UTF-8, LF). Throws OutputError.
void write_csv(const std::string& path, const OutTable& table);

}  // namespace hotspot::io
