// The kernel-density choices of a run ([kde] in a config, RunSpec::kde) as
// typed values. The config loader parses the text once, naming the key of
// any mistake, so the pipeline never sees a string it could misread.
// Formulas: docs/methods.md, "Kernel density heat maps".
#pragma once

#include <string_view>

namespace hotspot::kde {

enum class Kernel { kQuartic, kTriweight, kEpanechnikov, kUniform, kTriangular, kGaussian };

enum class Units {
  kPerKm2,   // incidents per km^2 (normalised kernel x 1e6; the default)
  kPerCell,  // expected incidents per cell (normalised kernel x cell area)
  kRaw,      // the sum of the unnormalised kernel shapes (QGIS "Raw")
};

enum class Mode {
  kExact,  // every point's kernel evaluated at every cell centre within R
           // (identical points merged first: exact, as the kernel is the same)
  kFast,   // identical points merged, linear binning onto the cell centres,
           // then the kernel stencil splatted from each bin; within ~1% of
           // the exact peak when R >= 10 cells (measured in the tests)
};

enum class BandwidthRule {
  kSilverman,  // ArcGIS "spatial Silverman" (default): a radius
  kNrd,        // MASS bandwidth.nrd per axis, averaged (sfhotspot uses x only): a radius
  kScott,      // spatstat bw.scott: sigma per axis, averaged; converted to the kernel's radius
};

enum class CellRule {
  kSfhotspot,  // shorter extent side / 50, floored to a multiple of 100 m (unrounded if that is 0)
  kArcgis,     // shorter extent side / 250
};

// Which cells of a surface make its hotspot areas.
enum class HotspotRule {
  kTopPercent,  // the top X% of the study area's cells by density
  kValue,       // cells with density >= a threshold
  kGistar,      // cells whose Gi* is hot at 95% or more
};

// Each parser takes the config spelling and throws ConfigError listing the
// valid spellings; to_string gives the spelling back.
Kernel parse_kernel(std::string_view name);  // quartic (or biweight) triweight epanechnikov uniform triangular gaussian
Units parse_units(std::string_view name);    // per_km2 per_cell raw
Mode parse_mode(std::string_view name);      // exact fast
BandwidthRule parse_bandwidth_rule(std::string_view name);  // silverman nrd scott
CellRule parse_cell_rule(std::string_view name);            // sfhotspot arcgis
HotspotRule parse_hotspot_rule(std::string_view name);      // top_percent value gistar

std::string_view to_string(Kernel k);
std::string_view to_string(Units u);
std::string_view to_string(Mode m);
std::string_view to_string(BandwidthRule r);
std::string_view to_string(CellRule r);
std::string_view to_string(HotspotRule r);

}  // namespace hotspot::kde
