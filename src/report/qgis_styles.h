// QGIS styles for a pack, so it opens styled: default styles in the
// GeoPackage's layer_styles table (QGIS applies a layer's default when it
// opens the layer), <name>.qml sidecars beside the heat-map rasters (QGIS
// loads those by name) and a project.qgs. The templates live in maps/ (see
// maps/README.md). Each function opens its own GDAL handles: packs can be
// styled on several threads at once, one pack per thread.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hotspot/geometry.h"
#include "report/qgis_context.h"
#include "report/qgis_layouts.h"

namespace hotspot::report {

struct LayerStyle {
  std::string layer;                     // table name in the GeoPackage
  std::string geometry_column = "geom";  // that table's geometry column (QGIS matches on it)
  std::string name;                      // styleName: at most 30 bytes (QGIS's column width)
  std::string qml;                       // QGIS 3 QML document
  bool use_as_default = true;            // applied on opening; at most one per layer
};

// Stores `styles` in gpkg_path's layer_styles table, creating the table with
// QGIS's schema if absent (as QGIS's OGR provider does: FID "id", registered
// in gpkg_contents as attributes). Replaces a row with the same layer and
// name; a new default clears useAsDefault on the layer's other rows. One
// transaction. Throws OutputError with the path and GDAL's message, also
// when a style names a layer the GeoPackage does not have.
void write_layer_styles(const std::string& gpkg_path, const std::vector<LayerStyle>& styles);

// The text of maps_dir/<name>.qml. Throws OutputError if unreadable.
std::string read_qml(const std::string& maps_dir, const std::string& name);

// The styles for every spatial layer of gpkg_path: point layers -> points;
// hotspots_* -> hotspots; other polygon (area) layers -> significance when
// the "significance" field has at least one class other than "not
// applicable" / "withheld (small count)", else counts (quintiles of
// cur_all_crime, or n_all without statistics, recomputed for the layer).
// Area layers also get the non-default alternatives counts, change (with a
// pctv_all_crime field, if maps_dir has change.qml), gistar (with a gi_bin
// field) and boundaries, listed by QGIS under Style > Load Style >
// From Database. Non-spatial tables get none. Throws OutputError.
std::vector<LayerStyle> default_styles(const std::string& gpkg_path, const std::string& maps_dir);

// Writes out_dir/kde/<surface>.qml beside each <surface>.tif: heatmap.qml with
// its stops rescaled so the darkest red is the raster's 99th percentile (the
// top 1% of cells, the engine's default hotspot rule); beside each
// <surface>_gistar.tif, gistar_raster.qml as it is (skipped if maps_dir has
// none). No kde directory: nothing to do. Returns the files written, as
// "kde/<name>.qml". Throws OutputError.
std::vector<std::string> write_raster_styles(const std::string& out_dir, const std::string& maps_dir);

// The GeoTIFFs (*.tif) directly in `dir`, sorted; none when `dir` is not a
// folder. Throws OutputError when it cannot be listed.
std::vector<std::filesystem::path> tifs_in(const std::filesystem::path& dir);
// Writes a style (QML) file beside a raster. Throws OutputError.
void write_style_file(const std::filesystem::path& path, const std::string& text);

// The value at the top 1% of a raster's valid cells (NaN and nodata
// excluded), rounded to two significant digits; its maximum if that is 0;
// 0 for an empty or all-zero raster. `path`: anything GDAL opens
// ("GPKG:<file>:<table>" too). Throws OutputError.
double ramp_top(const std::string& path);

// Writes out_dir/project.qgs from maps_dir/pack.qgs (relative paths, so
// the pack folder can be moved), fitted to the pack in out_dir: layers
// whose file or GeoPackage table the pack lacks are left out (public packs
// have no incidents; other configs other names), so QGIS opens it without
// its "unavailable layers" dialog; heat-map ramps and count classes are
// fitted to the pack's data as write_raster_styles and default_styles fit
// them. Throws OutputError.
// `view`, when given, is the extent the project opens on (QGIS's default
// view extent, in the template's project CRS): a pack's own area.
// `layouts`, when given, adds the print layouts (qgis_layouts.h): its legend
// lists the layers the project shows (ticked), and its atlas, when
// layouts->atlas_table names a table the project has, pages through that layer.
// `extras`: context layers and the OpenStreetMap basemap (qgis_context.h).
void write_project(const std::string& maps_dir, const std::string& out_dir, const Box* view = nullptr,
                   const LayoutInfo* layouts = nullptr, const ProjectExtras& extras = {});

// Exposed for tests. A graduated QML with its classification field set to
// `field` and its <range> elements set to consecutive `bounds` (one more
// bound than ranges; labels "lo - hi", rounded as QGIS rounds them).
std::string with_classes(const std::string& qml, const std::string& field, const std::vector<double>& bounds);
// Class bounds as QgsClassificationQuantile computes them: min, the i/n
// quantiles by linear interpolation between order statistics (type 7), max.
// Empty for no values.
std::vector<double> quantile_bounds(std::vector<double> values, int classes);
// A singleband pseudocolor QML with every colour stop scaled by
// max / (its classificationMax); classificationMax becomes `max`.
std::string scale_ramp(const std::string& qml, double max);

}  // namespace hotspot::report
