// Reader for any OGR point layer (GeoPackage, Shapefile, GeoJSON, ...).
#pragma once

#include <string>

#include "io/incident_batch.h"

namespace hotspot::io {

// Reads the source's layer in its own CRS (batch.crs is its WKT, or the
// user's crs which then overrides). Throws InputError when the file cannot
// be opened, the layer or a named field is missing, or the layer has no CRS
// and the user named none.
IncidentBatch read_ogr_points(const IncidentSource& source, const std::string& path,
                              ReadContext& ctx);

}  // namespace hotspot::io
