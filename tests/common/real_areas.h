// Charnwood's 99 real LSOAs (data/boundaries), read as the engine reads
// them, and a plain GEOS copy of an area for tests that check our geometry
// code against GEOS itself. One place, so the tests read the same layer.
#pragma once

#include <string>
#include <vector>

#include <gdal_priv.h>
#include <geos_c.h>

#include "hotspot/ledger.h"
#include "hotspot/run_spec.h"
#include "io/area_reader.h"
#include "test_paths.h"

namespace hotspot::testing {

inline AreaLayer charnwood_lsoas(const std::string& crs = "EPSG:27700", int threads = 1) {
  GDALAllRegister();
  AreaSource s;
  s.name = "lsoa";
  s.paths = {std::string(HOTSPOT_DATA_DIR) + "/boundaries/lsoa2011_charnwood.geojson"};
  s.code_field = "LSOA11CD";
  Ledger ledger;
  return io::read_area_layer(s, crs, ledger, threads);
}

// Written here, not taken from geo/geos_util, so the reference does not
// share the code it checks. The caller owns the result.
inline GEOSGeometry* to_geos(GEOSContextHandle_t c, const MultiPolygon& mp) {
  std::vector<GEOSGeometry*> polys;
  for (const Polygon& poly : mp) {
    std::vector<GEOSGeometry*> rings;
    for (const Ring& ring : poly) {
      GEOSCoordSequence* seq = GEOSCoordSeq_create_r(c, unsigned(ring.size() + 1), 2);
      for (size_t i = 0; i <= ring.size(); ++i)
        GEOSCoordSeq_setXY_r(c, seq, unsigned(i), ring[i % ring.size()].x, ring[i % ring.size()].y);
      rings.push_back(GEOSGeom_createLinearRing_r(c, seq));
    }
    polys.push_back(GEOSGeom_createPolygon_r(c, rings[0], rings.data() + 1, unsigned(rings.size() - 1)));
  }
  return GEOSGeom_createCollection_r(c, GEOS_MULTIPOLYGON, polys.data(), unsigned(polys.size()));
}

}  // namespace hotspot::testing
