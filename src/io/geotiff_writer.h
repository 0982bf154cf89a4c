// GeoTIFF output for grids: float32, tiled, DEFLATE-compressed, NaN nodata,
// internal overviews (so QGIS pans smoothly), parameters as metadata.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hotspot/grid.h"

namespace hotspot::io {

// Writes one band per grid (all the same shape); band descriptions from
// `band_names`. `metadata` goes into the dataset's default domain (e.g.
// KERNEL=quartic, RADIUS_M=500). Throws OutputError with GDAL's message.
void write_geotiff(const std::string& path, const std::vector<const Grid*>& bands,
                   const std::vector<std::string>& band_names, const std::string& crs,
                   const std::map<std::string, std::string>& metadata);

}  // namespace hotspot::io
