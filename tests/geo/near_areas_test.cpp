// areas_within (near_areas.h) against GEOS's DistanceWithin on every pair of
// real LSOAs at several distances, and on the cases GEOS decides by
// containment rather than by segments.
#include "geo/near_areas.h"

#include <gdal_priv.h>
#include <geos_c.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "geo/geos_util.h"
#include "hotspot/ledger.h"
#include "hotspot/run_spec.h"
#include "io/area_reader.h"
#include "common/real_areas.h"
#include "test_paths.h"

namespace hotspot::geo {
namespace {

using testing::to_geos;

// Every pair, both ways round, against GEOS; returns how many were within.
size_t check_all_pairs(const std::vector<MultiPolygon>& areas, double tolerance) {
  GEOSContextHandle_t c = GEOS_init_r();
  std::vector<GEOSGeometry*> g;
  std::vector<Box> boxes;
  for (const MultiPolygon& mp : areas) {
    g.push_back(to_geos(c, mp));
    boxes.push_back(bounds(mp));
  }
  size_t within = 0;
  for (size_t i = 0; i < g.size(); ++i)
    for (size_t j = i + 1; j < g.size(); ++j) {
      const bool geos = GEOSDistanceWithin_r(c, g[i], g[j], tolerance) == 1;
      EXPECT_EQ(areas_within(areas[i], boxes[i], areas[j], boxes[j], tolerance), geos)
          << "areas " << i << " and " << j << " at " << tolerance;
      EXPECT_EQ(areas_within(areas[j], boxes[j], areas[i], boxes[i], tolerance), geos)
          << "areas " << j << " and " << i << " at " << tolerance;
      within += geos;
    }
  for (GEOSGeometry* x : g) GEOSGeom_destroy_r(c, x);
  GEOS_finish_r(c);
  return within;
}

TEST(NearAreas, EveryPairOfRealLsoasAsGeosAtSeveralDistances) {
  const AreaLayer layer = testing::charnwood_lsoas();
  ASSERT_EQ(layer.size(), 99u);
  size_t previous = 0;
  for (double t : {0.0, 1.0, 25.0, 400.0, 2500.0}) {
    const size_t n = check_all_pairs(layer.geometry, t);
    EXPECT_GE(n, previous);
    previous = n;
  }
  EXPECT_GT(previous, 1000u);  // the widest distance reaches well past the neighbours
  // Moved 0.6 m apart, the shared boundaries are no longer shared vertices:
  // the 1 m test decides every neighbour by segment distance alone.
  std::vector<MultiPolygon> shifted = layer.geometry;
  for (size_t a = 0; a < shifted.size(); a += 2)
    for (Polygon& poly : shifted[a])
      for (Ring& ring : poly)
        for (Point& p : ring) p.x += 0.6;
  EXPECT_GT(check_all_pairs(shifted, 1.0), 200u);
}

TEST(NearAreas, ContainedAreasAndAreasInHolesAsGeos) {
  auto square = [](double x0, double y0, double size) {
    return Ring{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}};
  };
  const MultiPolygon big{{square(0, 0, 100)}};
  const MultiPolygon inner{{square(40, 40, 10)}};             // inside, far from the boundary
  const MultiPolygon holed{{square(0, 0, 100), square(30, 30, 40)}};
  const MultiPolygon in_hole{{square(45, 45, 10)}};           // in the hole: 15 away
  const MultiPolygon two_parts{{square(200, 0, 10)}, {square(45, 45, 2)}};  // second part inside big
  const MultiPolygon crossing{{square(90, 90, 30)}};
  const MultiPolygon far{{square(300, 300, 5)}};
  const std::vector<MultiPolygon> all{big, inner, holed, in_hole, two_parts, crossing, far};
  for (double t : {0.0, 1.0, 15.0, 16.0, 200.0}) check_all_pairs(all, t);
  EXPECT_TRUE(areas_within(big, bounds(big), inner, bounds(inner), 0.0));
  EXPECT_FALSE(areas_within(holed, bounds(holed), in_hole, bounds(in_hole), 14.9));
  EXPECT_TRUE(areas_within(holed, bounds(holed), in_hole, bounds(in_hole), 15.0));
  EXPECT_TRUE(areas_within(big, bounds(big), two_parts, bounds(two_parts), 0.0));
}

}  // namespace
}  // namespace hotspot::geo
