// Names for OGR error messages: a layer's fields, a dataset's layers, why a
// file did not open. Listing them lets the message say how to fix a typo.
#pragma once

#include <string>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

namespace hotspot::io {

// "a, b, c" (or "none").
inline std::string ogr_field_names(OGRFeatureDefn* defn) {
  std::string out;
  for (int i = 0; i < defn->GetFieldCount(); ++i)
    out += (out.empty() ? "" : ", ") + std::string(defn->GetFieldDefn(i)->GetNameRef());
  return out.empty() ? "none" : out;
}

inline std::string ogr_layer_names(GDALDataset& ds) {
  std::string out;
  for (OGRLayer* layer : ds.GetLayers()) out += (out.empty() ? "" : ", ") + std::string(layer->GetName());
  return out.empty() ? "none" : out;
}

// GDAL's reason for a failed open, or a plain one when GDAL gave none.
inline std::string ogr_open_failure() {
  const std::string gdal = CPLGetLastErrorMsg();
  return gdal.empty() ? "not a vector format GDAL can read (GeoPackage, Shapefile, GeoJSON, ...)" : gdal;
}

}  // namespace hotspot::io
