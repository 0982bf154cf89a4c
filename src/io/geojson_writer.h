// The GeoJSON writer's parts, for its tests: the formatting rules it shares
// with GDAL's GeoJSON driver, and GDAL's own writer (the fallback and the
// tests' oracle). io::write_geojson (out_table.h) is the entry point.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "io/out_table.h"

namespace hotspot::io {

// A coordinate as GDAL writes it with COORDINATE_PRECISION=7 (RFC 7946):
// "%.7f" without trailing zeros, at least one decimal ("52.0"), and GDAL's
// OGRFormatDouble rounding of long strings. Appended to `out`.
void append_geojson_coordinate(std::string& out, double v);

// A real property value as GDAL 3.6 writes it: "%.17g", retried with 16,
// 15 and 14 digits when the decimals show a 999999 / 000000 run, ".0"
// added to whole numbers. Appended to `out`.
void append_geojson_real(std::string& out, double v);

// A string as json-c 0.16 escapes it in GDAL's writer ('"', '\\', \b \f
// \n \r \t, other control characters as \u00xx, '/' left as is), in quotes.
void append_geojson_string(std::string& out, std::string_view s);

// GDAL's GeoJSON driver writing `table`'s rows with `points` / `polygons`
// (its geometries in EPSG:4326) with RFC7946=YES and WRITE_NAME=NO, then
// reading the file back to check it is whole. What write_geojson falls back
// on, and what the tests compare it with.
void write_geojson_gdal(const std::string& path, const OutTable& table, const std::vector<Point>& points,
                        const std::vector<MultiPolygon>& polygons);

}  // namespace hotspot::io
