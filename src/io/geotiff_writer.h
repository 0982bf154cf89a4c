// GeoTIFF output for grids: float32, tiled, DEFLATE-compressed, NaN nodata,
// internal overviews (so QGIS pans smoothly), parameters as metadata.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hotspot/grid.h"

namespace hotspot::io {

// Bands whose float32 copies together fit in this many bytes are copied
// whole, and their overviews computed from the copies (fastest); larger ones
// are converted a strip at a time and their overviews built from the file
// (no full copies: the England 100 m Gi* file's would be 452 MB).
constexpr size_t kGeoTiffInMemoryLimit = size_t(256) << 20;

// Writes one band per grid (all the same shape); band descriptions from
// `band_names`. `metadata` goes into the dataset's default domain (e.g.
// KERNEL=quartic, RADIUS_M=500). Throws OutputError with GDAL's message.
// The file's values are the same whichever way `in_memory_limit` sends it.
void write_geotiff(const std::string& path, const std::vector<const Grid*>& bands,
                   const std::vector<std::string>& band_names, const std::string& crs,
                   const std::map<std::string, std::string>& metadata,
                   size_t in_memory_limit = kGeoTiffInMemoryLimit);

}  // namespace hotspot::io
