// Print layouts in a pack's QGIS project (issue 9): an A4 landscape page
// per pack (map, legend, scale bar, north arrow, title, period, protective
// marking, OS / police.uk attribution) and, in the borough project, an atlas
// over the area layer (one page per area: Project > Layouts > "... atlas" >
// Atlas > Export Atlas as PDF).
//
// Written as QGIS 3.22 writes them (<Layouts><Layout ...>, item types from
// QgsLayoutItemRegistry), with only the attributes whose defaults do not
// suit; QGIS fills in the rest when it reads the project. Checked in real
// QGIS by tests/qgis/check_layouts.py (every layout loads, the atlas
// exports one PDF page per area).
#pragma once

#include <string>
#include <vector>

#include "hotspot/geometry.h"

namespace hotspot::report {

// A layer of the project, as its layer tree names it.
struct ProjectLayer {
  std::string id, name, source, provider;  // provider: "ogr" or "gdal"
};

struct LayoutInfo {
  std::string title;        // "beat 62 - Loughborough Town Centre"
  std::string period;       // "Heat map 'all' (All crime), 2019-02. Compared with 2019-01."
  std::string marking;      // "RESTRICTED" / "PUBLIC" (print.h)
  int year = 0;             // for the attribution: the year of the data
  Box extent{};             // the map's extent in the project CRS (the view)
  std::vector<ProjectLayer> legend;  // the layers the legend lists, top first (write_project fills it in)
  // The area layer the maps outline (a pack's layer, the atlas's layer):
  // shown in the project even when the template does not name it.
  std::string area_table;
  // The heat map the maps show (the run's first surface): shown in the
  // project when the template does not name it.
  std::string surface;
  // The atlas (borough project only): the GeoPackage table it pages
  // through ("" = no atlas), the expression naming each page, and the
  // project's layer for that table (write_project finds it).
  std::string atlas_table;
  std::string atlas_page_name = "\"code\" || coalesce(' - ' || \"name\", '')";
  ProjectLayer atlas;
};

// "Contains OS data © Crown copyright and database right <year>; police.uk
// data under the Open Government Licence v3.0".
std::string attribution(int year);

// The <Layouts> element: the A4 pack layout, plus the atlas layout when
// info.atlas.id is set. Text is XML-escaped here.
std::string layouts_xml(const LayoutInfo& info);

// Exposed for tests: `box` grown about its centre to the width:height
// ratio of a map item (QGIS draws a layout map's stored extent stretched
// to the item otherwise).
Box fit_aspect(const Box& box, double width, double height);

}  // namespace hotspot::report
