#include "report/qgis_context.h"

#include <cctype>

#include "hotspot/errors.h"
#include "report/qgis_styles.h"

namespace hotspot::report {

const char* const kOsmDatasource =
    "type=xyz&amp;url=https://tile.openstreetmap.org/%7Bz%7D/%7Bx%7D/%7By%7D.png&amp;zmax=19&amp;zmin=0";

namespace {

constexpr const char* kBasemapId = "openstreetmap_basemap_hotspot";

// Web Mercator, as QGIS reads it back from its authority id.
constexpr const char* kWebMercator =
    "<srs><spatialrefsys><proj4>+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m "
    "+nadgrids=@null +wktext +no_defs</proj4><srsid>3857</srsid><srid>3857</srid><authid>EPSG:3857</authid>"
    "<description>WGS 84 / Pseudo-Mercator</description><projectionacronym>merc</projectionacronym>"
    "<ellipsoidacronym>EPSG:7030</ellipsoidacronym><geographicflag>false</geographicflag></spatialrefsys></srs>";

std::string basemap_layer() {
  return std::string(
             "    <maplayer type=\"raster\" styleCategories=\"AllStyleCategories\" hasScaleBasedVisibilityFlag=\"0\" "
             "minScale=\"1e+08\" maxScale=\"0\" autoRefreshEnabled=\"0\" autoRefreshTime=\"0\" "
             "refreshOnNotifyEnabled=\"0\" refreshOnNotifyMessage=\"\" legendPlaceholderImage=\"\">\n"
             "      <id>") +
         kBasemapId + "</id>\n      <datasource>" + kOsmDatasource +
         "</datasource>\n      <layername>OpenStreetMap</layername>\n      " + kWebMercator +
         "\n      <provider>wms</provider>\n"
         "      <noData><noDataList bandNo=\"1\" useSrcNoData=\"0\"/></noData>\n"
         "      <map-layer-style-manager current=\"default\"><map-layer-style name=\"default\"/></map-layer-style-manager>\n"
         "      <pipe><rasterrenderer type=\"singlebandcolordata\" opacity=\"0.6\" alphaBand=\"-1\" band=\"1\" "
         "nodataColor=\"\"><rasterTransparency/></rasterrenderer><brightnesscontrast brightness=\"0\" contrast=\"0\" "
         "gamma=\"1\"/><huesaturation saturation=\"-60\" colorizeOn=\"0\" grayscaleMode=\"0\" colorizeStrength=\"100\" "
         "colorizeRed=\"255\" colorizeGreen=\"128\" colorizeBlue=\"128\"/><rasterresampler maxOversampling=\"2\"/>"
         "<resamplingStage>resamplingFilter</resamplingStage></pipe>\n"
         "      <blendMode>0</blendMode>\n"
         "      <attribution><title>© OpenStreetMap contributors</title>"
         "<url>https://www.openstreetmap.org/copyright</url></attribution>\n"
         "    </maplayer>\n";
}

std::string tree_layer(const std::string& id, const std::string& name, const std::string& source,
                       const std::string& provider) {
  return "      <layer-tree-layer source=\"" + source + "\" legend_split_behavior=\"0\" checked=\"Qt::Checked\" id=\"" +
         id + "\" name=\"" + name + "\" legend_exp=\"\" expanded=\"0\" providerKey=\"" + provider +
         "\" patch_size=\"-1,-1\">\n        <customproperties>\n          <Option/>\n        </customproperties>\n"
         "      </layer-tree-layer>\n";
}

const char* qml_name(ContextKind k) {
  return k == ContextKind::kPoints ? "context_points" : k == ContextKind::kLines ? "context_lines" : "context_polygons";
}

// The children of a QML's <qgis> element (renderer, labeling, ...): what a
// <maplayer> holds for its style.
std::string qml_body(const std::string& qml) {
  const size_t open = qml.find("<qgis");
  const size_t start = qml.find('>', open) + 1, end = qml.rfind("</qgis>");
  if (open == std::string::npos || end == std::string::npos || start > end)
    throw OutputError("context style: not a QGIS style document");
  return qml.substr(start, end - start);
}

std::string context_layer(const ProjectContextLayer& c, const std::string& srs, const std::string& maps_dir) {
  const char* geometry = c.kind == ContextKind::kPoints ? "Point" : c.kind == ContextKind::kLines ? "Line" : "Polygon";
  const char* wkb = c.kind == ContextKind::kPoints  ? "Point"
                    : c.kind == ContextKind::kLines ? "MultiLineString"
                                                    : "MultiPolygon";
  return std::string("    <maplayer type=\"vector\" geometry=\"") + geometry + "\" wkbType=\"" + wkb +
         "\" labelsEnabled=\"1\" styleCategories=\"AllStyleCategories\" hasScaleBasedVisibilityFlag=\"0\" "
         "minScale=\"100000000\" maxScale=\"0\" readOnly=\"0\" autoRefreshEnabled=\"0\" autoRefreshTime=\"0\" "
         "refreshOnNotifyEnabled=\"0\" refreshOnNotifyMessage=\"\" legendPlaceholderImage=\"\">\n      <id>context_" +
         c.name + "_hotspot</id>\n      <datasource>./hotspot.gpkg|layername=context_" + c.name +
         "</datasource>\n      <layername>" + c.name + "</layername>\n      <srs>" + srs +
         "</srs>\n      <provider encoding=\"UTF-8\">ogr</provider>\n" +
         qml_body(read_qml(maps_dir, qml_name(c.kind))) + "\n    </maplayer>\n";
}

std::string raster_layer(const ProjectRaster& r, const std::string& id, const std::string& srs) {
  return "    <maplayer type=\"raster\" styleCategories=\"AllStyleCategories\" hasScaleBasedVisibilityFlag=\"0\" "
         "minScale=\"1e+08\" maxScale=\"0\" autoRefreshEnabled=\"0\" autoRefreshTime=\"0\" "
         "refreshOnNotifyEnabled=\"0\" refreshOnNotifyMessage=\"\" legendPlaceholderImage=\"\">\n      <id>" +
         id + "</id>\n      <datasource>" + r.source + "</datasource>\n      <layername>" + r.name +
         "</layername>\n      <srs>" + srs + "</srs>\n      <provider>gdal</provider>\n" + qml_body(r.qml) +
         "\n    </maplayer>\n";
}

// A layer id from the raster's file: unique in the project, the same every run.
std::string raster_id(const ProjectRaster& r) {
  std::string id = "change_";
  for (char c : r.source.substr(r.source.rfind('/') + 1)) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return id + "_hotspot";
}

std::string tree_group(const std::string& name, const std::string& layers) {
  return "    <layer-tree-group checked=\"Qt::Checked\" name=\"" + name + "\" expanded=\"1\">\n"
         "      <customproperties>\n        <Option/>\n      </customproperties>\n" + layers +
         "    </layer-tree-group>\n";
}

size_t after_line(const std::string& text, size_t at) {
  const size_t nl = text.find('\n', at);
  return nl == std::string::npos ? text.size() : nl + 1;
}

}  // namespace

std::string with_project_extras(const std::string& project, const ProjectExtras& extras, const std::string& maps_dir) {
  if (!extras.basemap && extras.context.empty() && extras.change.empty()) return project;
  std::string text = project;
  const size_t layers_end = text.find("  </projectlayers>");
  const size_t root = text.find("<layer-tree-group>");
  const size_t order_end = text.find("</custom-order>");
  const size_t tree_end = text.find("    <custom-order");
  if (layers_end == std::string::npos || root == std::string::npos || tree_end == std::string::npos ||
      order_end == std::string::npos)
    throw OutputError("QGIS project: no <projectlayers>, layer tree or custom order to add layers to");
  // The project's CRS for the context layers: they are in the working CRS.
  const size_t crs0 = text.find("<spatialrefsys>"), crs1 = text.find("</spatialrefsys>");
  const std::string srs = crs0 < crs1 && crs1 != std::string::npos ? text.substr(crs0, crs1 + 16 - crs0) : "";
  std::string maplayers, tree, order_top;
  for (const ProjectContextLayer& c : extras.context) {
    maplayers += context_layer(c, srs, maps_dir);
    tree += tree_layer("context_" + c.name + "_hotspot", c.name, "./hotspot.gpkg|layername=context_" + c.name, "ogr");
    order_top += "      <item>context_" + c.name + "_hotspot</item>\n";
  }
  std::string change_tree;
  for (const ProjectRaster& r : extras.change) {
    const std::string id = raster_id(r);
    maplayers += raster_layer(r, id, srs);
    std::string leaf = tree_layer(id, r.name, r.source, "gdal");
    if (!r.checked) leaf.replace(leaf.find("Qt::Checked"), 11, "Qt::Unchecked");
    change_tree += leaf;
    order_top += "      <item>" + id + "</item>\n";
  }
  if (extras.basemap) maplayers += basemap_layer();
  // From the end backwards, so earlier offsets stay valid.
  text.insert(layers_end, maplayers);
  if (extras.basemap) text.insert(text.rfind("\n", order_end) + 1, std::string("      <item>") + kBasemapId + "</item>\n");
  if (extras.basemap)
    text.insert(tree_end, "    " + tree_layer(kBasemapId, "OpenStreetMap (online)", kOsmDatasource, "wms").substr(4));
  if (!order_top.empty()) text.insert(after_line(text, text.find("<custom-order")), order_top);
  // A "Context" group first in the tree: drawn above everything else; the
  // change surfaces next, above the heat maps.
  std::string groups;
  if (!tree.empty()) groups += tree_group("Context", tree);
  if (!change_tree.empty()) groups += tree_group("Change over time", change_tree);
  if (!groups.empty()) text.insert(after_line(text, text.find("</customproperties>", root)), groups);
  return text;
}

}  // namespace hotspot::report
