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

TEST(AdjacencyTest, SharedVertexSortOnTwoThreadsFindsTheSamePairs) {
  // 200 x 200 squares of side 10 sharing their corners: 160,000 vertices,
  // enough for the vertices to be sorted in two halves on two threads.
  // Queen contiguity of a grid: 2 * 199 * 200 edge neighbours and
  // 2 * 199 * 199 corner neighbours, each found through a shared vertex.
  const int n = 200;
  std::vector<MultiPolygon> squares;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double x = 10.0 * i, y = 10.0 * j;
      squares.push_back({{{{x, y}, {x + 10, y}, {x + 10, y + 10}, {x, y + 10}}}});
    }
  const auto one = adjacent_pairs(squares, 1.0, 1);
  EXPECT_EQ(one.size(), size_t(2 * 199 * 200 + 2 * 199 * 199));
  EXPECT_EQ(adjacent_pairs(squares, 1.0, 2), one);
  // Square (i, j) is index i * n + j: its east, north and north-east neighbours.
  const auto has = [&](uint32_t a, uint32_t b) { return std::binary_search(one.begin(), one.end(), std::pair{a, b}); };
  EXPECT_TRUE(has(0, 1));
  EXPECT_TRUE(has(0, n));
  EXPECT_TRUE(has(0, n + 1));
  EXPECT_TRUE(has(1, n));  // corner neighbours both ways
  EXPECT_FALSE(has(0, 2));
}

}  // namespace
}  // namespace hotspot::geo
