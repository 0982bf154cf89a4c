// GeoTIFF output for grids: float32, tiled, DEFLATE-compressed, NaN nodata,
// internal overviews (so QGIS pans smoothly), parameters as metadata.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hotspot/grid.h"

namespace hotspot::io {

// Bands whose float32 size together fits in this many bytes get their
// overviews computed by GDAL from the grids in memory (read as float32 on
// demand, no copies; fastest: the overview tiles are compressed on all
// cores); larger ones get them built from the written file, on one thread
// (GDAL 3.6's deadlock, geotiff_writer.cpp). 256 MB had been the limit when
// the in-memory way copied the bands (the England 100 m Gi* file's copies
// were 452 MB); without copies that file (3 bands x 37.7M cells) goes the
// in-memory way: write 5.1 -> 3.7 s, the same peak (1.98 GB), the same
// cells in every band and level (bench/RESULTS.md, "England under 20 s").
// The full-resolution tiles are converted a tile or a strip at a time
// either way.
constexpr size_t kGeoTiffInMemoryLimit = size_t(1024) << 20;

// Writes one band per grid (all the same shape); band descriptions from
// `band_names`. `metadata` goes into the dataset's default domain (e.g.
// KERNEL=quartic, RADIUS_M=500). Throws OutputError with GDAL's message.
// The file's values are the same whichever way `in_memory_limit` sends it.
void write_geotiff(const std::string& path, const std::vector<const Grid*>& bands,
                   const std::vector<std::string>& band_names, const std::string& crs,
                   const std::map<std::string, std::string>& metadata,
                   size_t in_memory_limit = kGeoTiffInMemoryLimit);

}  // namespace hotspot::io
