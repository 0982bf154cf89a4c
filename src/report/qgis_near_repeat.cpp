#include "report/qgis_near_repeat.h"

#include <filesystem>

#include "hotspot/errors.h"
#include "report/qgis_context.h"
#include "report/qgis_styles.h"

namespace hotspot::report {
namespace {

namespace fs = std::filesystem;

std::string vector_layer(const std::string& id, const std::string& table, const std::string& title,
                         const std::string& srs, const std::string& qml) {
  return "    <maplayer type=\"vector\" geometry=\"Polygon\" wkbType=\"MultiPolygon\" labelsEnabled=\"0\" "
         "styleCategories=\"AllStyleCategories\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" "
         "maxScale=\"0\" readOnly=\"0\" autoRefreshEnabled=\"0\" autoRefreshTime=\"0\" refreshOnNotifyEnabled=\"0\" "
         "refreshOnNotifyMessage=\"\" legendPlaceholderImage=\"\">\n      <id>" +
         id + "</id>\n      <datasource>./hotspot.gpkg|layername=" + table + "</datasource>\n      <layername>" +
         title + "</layername>\n      <srs>" + srs + "</srs>\n      <provider encoding=\"UTF-8\">ogr</provider>\n" +
         qml_body(qml) + "\n    </maplayer>\n";
}

// A GeoPackage raster table: GDAL's "GPKG:<file>:<table>" name, which QGIS
// 3.22 stores relative to the project as it does ./hotspot.gpkg.
std::string raster_source(const std::string& table) { return "GPKG:./hotspot.gpkg:" + table; }

std::string raster_layer(const std::string& id, const std::string& table, const std::string& title,
                         const std::string& srs, const std::string& qml) {
  return "    <maplayer type=\"raster\" styleCategories=\"AllStyleCategories\" hasScaleBasedVisibilityFlag=\"0\" "
         "minScale=\"1e+08\" maxScale=\"0\" autoRefreshEnabled=\"0\" autoRefreshTime=\"0\" "
         "refreshOnNotifyEnabled=\"0\" refreshOnNotifyMessage=\"\" legendPlaceholderImage=\"\">\n      <id>" +
         id + "</id>\n      <datasource>" + raster_source(table) + "</datasource>\n      <layername>" + title +
         "</layername>\n      <srs>" + srs + "</srs>\n      <provider>gdal</provider>\n" + qml_body(qml) +
         "\n    </maplayer>\n";
}

}  // namespace

NearRepeatXml near_repeat_project_xml(const std::vector<ProjectNearRepeat>& layers, const std::string& srs,
                                      const std::string& maps_dir) {
  NearRepeatXml out;
  std::string cocoons_qml, top_qml, heat_qml;
  auto add = [&](const std::string& id, const std::string& title, const std::string& source,
                 const std::string& provider, std::string maplayer) {
    out.maplayers += maplayer;
    out.tree += tree_layer(id, title, source, provider);
    out.ids.push_back(id);
  };
  for (const ProjectNearRepeat& n : layers) {
    if (n.risk) {
      if (top_qml.empty()) top_qml = read_qml(maps_dir, "risk_top");
      const std::string table = "risk_" + n.name + "_top", id = table + "_hotspot";
      add(id, n.name + " top risk cells", "./hotspot.gpkg|layername=" + table, "ogr",
          vector_layer(id, table, n.name + " top risk cells", srs, top_qml));
    }
    if (n.cocoons) {
      if (cocoons_qml.empty()) cocoons_qml = read_qml(maps_dir, "cocoons");
      const std::string table = "cocoons_" + n.name, id = table + "_hotspot";
      add(id, n.name + " cocooning zones", "./hotspot.gpkg|layername=" + table, "ogr",
          vector_layer(id, table, n.name + " cocooning zones", srs, cocoons_qml));
    }
    if (n.risk) {
      if (heat_qml.empty()) heat_qml = read_qml(maps_dir, "heatmap");
      const std::string table = "risk_" + n.name, id = table + "_raster_hotspot";
      const std::string qml = n.risk_ramp_top > 0 ? scale_ramp(heat_qml, n.risk_ramp_top) : heat_qml;
      add(id, n.name + " next-step risk", raster_source(table), "gdal",
          raster_layer(id, table, n.name + " next-step risk", srs, qml));
    }
  }
  return out;
}

std::vector<std::string> write_risk_styles(const std::string& out_dir, const std::string& maps_dir) {
  std::vector<std::string> written;
  const std::vector<fs::path> tifs = tifs_in(fs::path(out_dir) / "risk");
  const std::string heat = tifs.empty() ? "" : read_qml(maps_dir, "heatmap");
  for (const fs::path& tif : tifs) {
    const double top = ramp_top(tif.string());
    fs::path sidecar = tif;
    sidecar.replace_extension(".qml");  // QGIS looks for <basename>.qml
    write_style_file(sidecar, top > 0 ? scale_ramp(heat, top) : heat);
    written.push_back("risk/" + sidecar.filename().string());
  }
  return written;
}

}  // namespace hotspot::report
