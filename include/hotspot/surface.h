// Surfaces: kernel density heat maps, cell counts, Gi* and hotspot areas.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hotspot/geometry.h"
#include "hotspot/grid.h"

namespace hotspot {

// One hotspot area ("area of concern"): contiguous cells above a threshold.
struct HotspotArea {
  int rank = 0;                 // 1 = highest peak
  MultiPolygon geometry;        // working CRS, valid; empty when no output of the run shows it
                                // (pipeline::hotspot_shapes_shown: e.g. a GeoTIFF-only run)
  double area_km2 = 0;
  int cells = 0;
  double peak = 0, mean = 0;    // surface values over the area's cells
  int64_t incidents = 0;        // incidents of the surface inside it
  std::string top_categories;   // "Shoplifting 40; Violence and sexual offences 22; ..."
  // "On or near Market Street, Loughborough Southfields": the commonest
  // location text of its incidents and the area (of the place layer) most of
  // them lie in; pipeline/hotspot_rules.h.
  std::string name;
  double study_share = 0;       // its cells / the study area's cells
  bool large = false;           // study_share over kde.hotspot_max_share (flagged, kept)
};

struct Surface {
  std::string name;                 // e.g. "all", "burglary_month"
  Grid density;                     // KDE in the chosen units; NaN outside the study area
  Grid counts;                      // incidents per cell (the Gi* input); empty if Gi* is off
  Grid gi_z, gi_bin;                // Gi* z-score and bin (+-3/2/1, 0); empty if off
  std::vector<HotspotArea> hotspots;
  // Every parameter used, as text: kernel, bandwidth_m (and the rule that
  // chose it), cell_m, units, mode, extent, incidents, threshold, ...
  std::map<std::string, std::string> parameters;
  std::vector<std::string> warnings;
  double kde_seconds = 0;           // wall clock of the density estimate alone (not an output)
};

}  // namespace hotspot
