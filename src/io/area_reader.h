// Area layers from OGR polygon sources, or dissolved from another layer.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hotspot/areas.h"
#include "hotspot/ledger.h"
#include "hotspot/run_spec.h"

namespace hotspot::io {

// Reads every path of `source` into one layer in `working_crs`: polygons
// repaired with GEOS MakeValid (reported in ledger.warnings and
// layer.repaired_codes), features sharing a code merged, areas sorted by
// code. Throws InputError naming the file and feature for a missing CRS, a
// blank code, or a feature that is not a polygon. `threads` (0 = all cores)
// transform and check the polygons; the layer does not depend on it.
AreaLayer read_area_layer(const AreaSource& source, const std::string& working_crs, Ledger& ledger,
                          int threads = 0);

// Builds source.name by dissolving `from` through the lookup CSV in
// source.dissolve. Areas of `from` missing from the lookup, and lookup rows
// naming unknown codes, are reported in ledger.warnings.
AreaLayer dissolve_layer(const AreaSource& source, const AreaLayer& from, Ledger& ledger);

// Fills layer.population from the table (NaN where the table has no row).
// Throws InputError for an unparsable population value (file, row, field).
void join_population(AreaLayer& layer, const PopulationSource& table, Ledger& ledger);

}  // namespace hotspot::io
