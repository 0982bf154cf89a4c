// Strict readings of a text value as GDAL's OGRFeature::SetField(const char*)
// reads it into an integer or real field: the writers that bypass GDAL for
// speed (geojson_writer.cpp, gpkg_rows.cpp) take a value only when it reads
// here, so what they write is what GDAL would; anything else sends the
// table through GDAL.
#pragma once

#include <string>

namespace hotspot::io {

// A plain decimal integer in range (GDAL: CPLAtoGIntBig).
bool gdal_integer(const std::string& s, long long& v);

// Plain decimal or exponent notation, finite, wholly consumed (GDAL:
// CPLStrtod, '.' as the separator).
bool gdal_real(const std::string& s, double& v);

}  // namespace hotspot::io
