// The pieces the analyses' outputs are built from, so the emerging cubes
// (emerging_outputs.cpp), change surfaces (change_outputs.cpp) and near
// repeats (near_repeat_outputs.cpp) build their tables one way: a table
// from its column list, numbers as text, a grid cell as a square, the
// <kind>_parameters rows and the GeoTIFF metadata.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "hotspot/geometry.h"
#include "hotspot/grid.h"
#include "io/out_table.h"

namespace hotspot::pipeline {

// A table (or a layer, with `kind`) named `name` with `columns` in order.
io::OutTable new_table(std::string name, std::initializer_list<io::Column> columns,
                       io::GeometryKind kind = io::GeometryKind::kNone);

// `v` with `digits` significant digits (io::format_number, general);
// "" (null) for NaN or an infinity.
std::string number_text(double v, int digits);

// Grid cell `cell` (row-major from the north row, as Grid stores it) as a
// closed square ring, counter-clockwise from its south-west corner.
MultiPolygon cell_square(const Grid& g, size_t cell);

// Keeps the rows of a polygon layer whose polygon's bounding box meets
// `box` (a pack's area), in order; the others are dropped with their
// polygons.
void keep_rows_near(io::OutTable& layer, const Box& box);

// A <kind>_parameters table: columns (key_column, "key", "value").
io::OutTable parameters_table(std::string name, const std::string& key_column);
// One analysis's rows of it: every parameter, then a "note" row per note
// and a "warning" row per warning.
void add_parameter_rows(io::OutTable& table, const std::string& analysis,
                        const std::map<std::string, std::string>& parameters, const std::vector<std::string>& notes,
                        const std::vector<std::string>& warnings);

// A GeoTIFF's metadata: `parameters` with the engine's version ("engine")
// and the working CRS's label ("crs").
std::map<std::string, std::string> raster_metadata(std::map<std::string, std::string> parameters,
                                                   const std::string& working_crs);

}  // namespace hotspot::pipeline
