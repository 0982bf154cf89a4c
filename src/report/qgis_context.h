// What a pack's QGIS project shows around the run's own layers (issue 9):
// the user's context layers (stored in the pack's GeoPackage as
// context_<name>) at the top of the layer tree, and an OpenStreetMap XYZ
// basemap at the bottom, so streets and places show when the QGIS user is
// online ([report] basemap = false leaves it out for secure networks).
#pragma once

#include <string>
#include <vector>

#include "hotspot/context.h"

namespace hotspot::report {

struct ProjectContextLayer {
  std::string name;  // the config's name; table context_<name> in ./hotspot.gpkg
  ContextKind kind = ContextKind::kLines;
};

// A raster of the run's own beside the template's layers: the change
// surfaces (change/<name>_difference.tif, ...), styled by its .qml sidecar.
struct ProjectRaster {
  std::string source;  // relative to the project, e.g. "./change/burglary_difference.tif"
  std::string name;    // as the layer tree shows it
  std::string qml;     // the sidecar's text (its renderer goes into the project)
  bool checked = false;
};

struct ProjectExtras {
  bool basemap = true;
  std::vector<ProjectContextLayer> context;
  std::vector<ProjectRaster> change;  // in a "Change over time" group under the context layers
};

// The OpenStreetMap tile source as QGIS writes it in a project (the braces
// of {z}/{x}/{y} percent-encoded, as QGIS itself saves them).
extern const char* const kOsmDatasource;

// The project text (QGIS 3 .qgs, one element per line as QGIS writes it)
// with the extras added: each context layer a <maplayer> styled from
// maps_dir/context_<kind>.qml, in a "Context" group at the top of the layer
// tree; the change rasters, styled by their sidecars, in a "Change over
// time" group below it; the basemap a <maplayer> last in the tree and in
// the custom order.
// Throws OutputError when the text lacks <projectlayers> or the layer tree.
std::string with_project_extras(const std::string& project, const ProjectExtras& extras, const std::string& maps_dir);

}  // namespace hotspot::report
