// The near-repeat layers of a run's QGIS project (issue 11): per
// [near_repeat] analysis, the cocooning zones (cocoons_<name>, playing in
// the temporal controller), the top X% risk cells (risk_<name>_top) and the
// next-step risk surface (the GeoPackage raster table risk_<name>), in a
// "Near repeats" group under the context layers. The vector layers carry
// their styles in the GeoPackage's layer_styles as well; QGIS 3.22 reads no
// raster style from a GeoPackage, so the raster's lives in the project (and
// beside risk/<name>.tif as risk/<name>.qml).
#pragma once

#include <string>
#include <vector>

namespace hotspot::report {

struct ProjectNearRepeat {
  std::string name;          // the [near_repeat] name
  bool cocoons = false;      // cocoons_<name> exists
  bool risk = false;         // risk_<name>_top and the raster risk_<name> exist
  double risk_ramp_top = 0;  // the raster's ramp maximum (ramp_top); 0 keeps the template's
};

// The <maplayer> elements (each ending in a newline) and <layer-tree-layer>
// elements of `layers`, in the project's CRS `srs` (a <spatialrefsys>
// element), styles from maps_dir (cocoons.qml, risk_top.qml, heatmap.qml).
// The ids, top first, go to `ids` for the layer order. Throws OutputError.
struct NearRepeatXml {
  std::string maplayers, tree;
  std::vector<std::string> ids;
};
NearRepeatXml near_repeat_project_xml(const std::vector<ProjectNearRepeat>& layers, const std::string& srs,
                                      const std::string& maps_dir);

// Writes out_dir/risk/<stem>.qml beside every risk/<stem>.tif: heatmap.qml
// scaled to the raster's ramp_top. Returns "risk/<stem>.qml" for each; no
// risk folder: nothing. Throws OutputError.
std::vector<std::string> write_risk_styles(const std::string& out_dir, const std::string& maps_dir);

}  // namespace hotspot::report
