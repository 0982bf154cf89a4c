// The spatial join: every incident against every area layer.
#pragma once

#include "geo/point_locator.h"
#include "hotspot/areas.h"
#include "hotspot/incidents.h"
#include "hotspot/ledger.h"

namespace hotspot::pipeline {

// Assigns each incident to the area containing it (see PointLocator for the
// boundary rule) on `threads` threads; fills the layer's ledger entry,
// including recorded-vs-spatial agreement where incidents.recorded has a
// column named like the layer. Deterministic for any thread count.
Assignment join_layer(const IncidentTable& incidents, const AreaLayer& layer, int threads,
                      LayerLedger& ledger);
// The same with the layer's locator built once by the caller (aggregate
// mode joins file by file: indexing 32,844 LSOAs per file would cost more
// than the join).
Assignment join_layer(const IncidentTable& incidents, const AreaLayer& layer, const geo::PointLocator& locator,
                      int threads, LayerLedger& ledger);

}  // namespace hotspot::pipeline
