// A float32 raster as a table of an existing GeoPackage (a "2d-gridded-
// coverage", the GeoPackage extension GDAL's GPKG driver writes for
// non-byte data), beside the vector layers, so a GeoPackage carries its
// surfaces too and QGIS opens them as "GPKG:<file>:<table>".
#pragma once

#include <string>

#include "hotspot/grid.h"

namespace hotspot::io {

// Appends `g` (row 0 north, cell side g.cell, in `crs`) to gpkg_path as the
// raster table `table` (GDAL's RASTER_TABLE with APPEND_SUBDATASET=YES, so
// the file's other tables are kept), described as `description`. NaN cells
// are nodata. The GeoPackage must exist and must not have a table of that
// name. Throws OutputError with the path and GDAL's message.
void append_gpkg_raster(const std::string& gpkg_path, const std::string& table, const Grid& g, const std::string& crs,
                        const std::string& description);

}  // namespace hotspot::io
