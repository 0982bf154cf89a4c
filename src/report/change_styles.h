// QGIS styles beside the change surfaces' GeoTIFFs (change/<name>_*.tif):
// a diverging ramp (maps/change_raster.qml: blues for falls, transparent at
// 0, reds for rises) made symmetric about 0 and scaled to each raster's
// 99th percentile of |value|, and the permutation p classes
// (maps/change_p.qml) as they are.
#pragma once

#include <string>
#include <vector>

namespace hotspot::report {

// Writes out_dir/change/<stem>.qml beside every change/<stem>.tif; returns
// "change/<stem>.qml" for each. No change folder: nothing. Throws
// OutputError when a template or raster cannot be read.
std::vector<std::string> write_change_styles(const std::string& out_dir, const std::string& maps_dir);

// maps/change_raster.qml made to run from -top to +top (exposed for tests).
std::string diverging_ramp(const std::string& qml, double top);

// The 99th percentile of |v| over a raster's band 1 (NaN left out), rounded
// to two significant digits; 0 when every value is 0 or NaN.
double symmetric_top(const std::string& tif_path);
// The same over the given |values| (finite, non-zero; float as the GeoTIFF
// holds them, so the briefing's map and the QGIS style share the top).
double symmetric_top(std::vector<float> abs_values);

}  // namespace hotspot::report
