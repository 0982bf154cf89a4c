// The briefing page of a pack: one self-contained HTML file an analyst can
// open offline, print on A4 or attach to a JAG paper. It shows the heat map
// with its hotspot areas, a choropleth of the significance classes, the
// previous-vs-current table of the pack's area, the top increases, the
// hotspot list, the data-quality ledger and every parameter, and links the
// pack's own files.
//
// Self-contained: no external URLs, no scripts, no web fonts; maps are
// inline SVG with the raster as a data: URI. The only links are #fragments
// and the relative file names given in BriefingInput.
//
// Disclosure: in public mode (result->disclosure set) every count comes from
// the protected statistics tables (pipeline::stats_tables) or follows the
// same rule (hotspot incidents 1..k shown as the marker); no incident points
// are drawn in either mode.
// Thread safety: none needed beyond GDAL's (see svg_map.h).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hotspot/pipeline.h"
#include "hotspot/run_spec.h"

namespace hotspot::report {

struct BriefingInput {
  std::string title;                  // page heading, e.g. "Beat 62 - Loughborough Town Centre, ..."
  const RunResult* result = nullptr;  // not owned; required
  const RunSpec* spec = nullptr;      // the spec the result was run with; required
  std::string area_layer;             // the layer of the pack's area ("beat"); "" = the whole run
  std::string area_code;              // the pack's area ("62"); "" = all areas of area_layer
  std::string surface;                // heat-map surface to show ("all"); "" = the first
  std::string manifest_file;          // relative name of the pack's manifest ("manifest.json"); "" = none
  std::vector<std::string> files;     // relative names of the pack's other files, linked as given
  // Each map of the page as a standalone SVG (for slides): when `maps` is
  // given it receives (relative file name without extension, e.g.
  // "maps/heat_all", standalone SVG text of map_width_px pixels wide), and
  // the page links maps/<name>.svg and .png (the caller writes both).
  std::vector<std::pair<std::string, std::string>>* maps = nullptr;
  int map_width_px = 1600;
};

// Writes the page to `path` (UTF-8). Throws OutputError when the file cannot
// be written, when result/spec are missing, when area_layer, area_code or
// surface name nothing in the result, or when a file name is not a relative
// path inside the pack (absolute, "..", or a URL).
void write_briefing(const std::string& path, const BriefingInput& in);

}  // namespace hotspot::report
