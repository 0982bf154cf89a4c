// GeoPackage geometry blobs, byte for byte as GDAL 3.6's GPKG driver writes
// them (gpkg_rows.cpp inserts them without an OGRFeature per row).
#pragma once

#include <cstdint>
#include <string>

#include "hotspot/geometry.h"

namespace hotspot::io {

// True when GDAL would write `mp` as gpkg_multipolygon_blob does: at least
// one polygon, no empty polygon or ring, every coordinate finite. (GDAL marks
// empty geometries with a flag and NaN envelopes; those tables stay with GDAL.)
bool gpkg_blob_writable(const MultiPolygon& mp);
bool gpkg_blob_writable(const Point& p);

// Replaces `out` with the blob of a point: "GP", version 0, flags 0x01
// (little-endian, no envelope: GDAL writes none for points), srs_id, then
// the point's WKB.
void gpkg_point_blob(const Point& p, int32_t srs_id, std::string& out);

// Replaces `out` with the blob of a 2D multipolygon (flags 0x03: an x/y
// envelope), each ring closed by repeating its first point, and returns the
// envelope, which is also the R-tree entry and the layer extent's part.
Box gpkg_multipolygon_blob(const MultiPolygon& mp, int32_t srs_id, std::string& out);

}  // namespace hotspot::io
