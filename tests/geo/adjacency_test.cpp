// adjacent_pairs (queen contiguity for area Gi*) and the area reader on real
// boundaries: the same neighbour lists and the same layer on 1 and many
// threads, and the neighbours the same as GEOS's plain distance test of
// every pair (the shared-vertex shortcut must not add or lose any).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <geos_c.h>
#include <gtest/gtest.h>

#include "geo/geos_util.h"
#include "hotspot/ledger.h"
#include "hotspot/run_spec.h"
#include "io/area_reader.h"
#include "common/real_areas.h"
#include "test_paths.h"

namespace hotspot::geo {
namespace {

AreaLayer charnwood_lsoas(int threads) { return testing::charnwood_lsoas("EPSG:27700", threads); }
using testing::to_geos;

TEST(AdjacencyTest, RealLsoasSameOnOneAndManyThreadsAndAsEveryPairTestedByGeos) {
  const AreaLayer one = charnwood_lsoas(1), many = charnwood_lsoas(3);
  ASSERT_EQ(one.size(), 99u);
  EXPECT_EQ(one.code, many.code);
  ASSERT_EQ(one.geometry.size(), many.geometry.size());
  for (size_t a = 0; a < one.size(); ++a) {
    ASSERT_EQ(one.geometry[a].size(), many.geometry[a].size());
    for (size_t p = 0; p < one.geometry[a].size(); ++p)
      for (size_t r = 0; r < one.geometry[a][p].size(); ++r)
        for (size_t i = 0; i < one.geometry[a][p][r].size(); ++i) {
          EXPECT_EQ(one.geometry[a][p][r][i].x, many.geometry[a][p][r][i].x);
          EXPECT_EQ(one.geometry[a][p][r][i].y, many.geometry[a][p][r][i].y);
        }
  }
  const auto pairs = adjacent_pairs(one.geometry, 1.0, 1);
  EXPECT_EQ(adjacent_pairs(one.geometry, 1.0, 2), pairs);
  EXPECT_EQ(adjacent_pairs(one.geometry, 1.0, 5), pairs);

  GEOSContextHandle_t c = GEOS_init_r();
  std::vector<GEOSGeometry*> g;
  for (const MultiPolygon& mp : one.geometry) g.push_back(to_geos(c, mp));
  std::vector<std::pair<uint32_t, uint32_t>> expected;
  for (uint32_t i = 0; i < g.size(); ++i)
    for (uint32_t j = i + 1; j < g.size(); ++j)
      if (GEOSDistanceWithin_r(c, g[i], g[j], 1.0) == 1) expected.push_back({i, j});
  for (GEOSGeometry* x : g) GEOSGeom_destroy_r(c, x);
  GEOS_finish_r(c);
  EXPECT_EQ(pairs, expected);
  // Every LSOA of a district has a neighbour; 99 areas have a few hundred pairs.
  EXPECT_GT(pairs.size(), 200u);
}

}  // namespace
}  // namespace hotspot::geo
