// Tests for geo/geos_util: repair (validity check + MakeValid), dissolve
// (unary union), planar area and bounds.
#include "geo/geos_util.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "geo/point_locator.h"

namespace hotspot::geo {
namespace {

Polygon rect(double x0, double y0, double x1, double y1) { return {{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}}; }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

size_t hole_count(const MultiPolygon& mp) {
  size_t n = 0;
  for (const Polygon& p : mp) n += p.size() - 1;
  return n;
}

TEST(RepairTest, BowTieIsSplitIntoItsTwoTriangles) {
  // (0,0) -> (2,2) -> (2,0) -> (0,2) crosses itself at (1,1); the lobes are
  // two triangles of area 1 each. The signed shoelace of the raw ring is 0.
  const MultiPolygon bow_tie = {{{{0, 0}, {2, 2}, {2, 0}, {0, 2}}}};
  const RepairResult r = repair(bow_tie);
  EXPECT_TRUE(r.repaired);
  EXPECT_NE(lower(r.reason).find("self-intersection"), std::string::npos) << r.reason;
  EXPECT_NEAR(area(r.geometry), 2.0, 1e-12);
  ASSERT_EQ(r.geometry.size(), 2u);
  for (const Polygon& p : r.geometry) {
    EXPECT_EQ(p.size(), 1u);
    EXPECT_NEAR(area({p}), 1.0, 1e-12);
  }
  // The repaired geometry is itself valid.
  EXPECT_FALSE(repair(r.geometry).repaired);
  // And a locator finds both lobes (west lobe around (0.5, 1), east (1.5, 1)).
  const PointLocator loc({r.geometry});
  EXPECT_EQ(loc.locate(0.5, 1.0), 0);
  EXPECT_EQ(loc.locate(1.5, 1.0), 0);
  EXPECT_EQ(loc.locate(1.0, 0.5), -1);
}

// Regression test for the area reader's copy of every valid area: a valid
// area moved in comes back in the same buffers (moved, not copied), equal
// point for point to what went in.
TEST(RepairTest, ValidAreaMovedInIsReturnedWithoutACopy) {
  MultiPolygon area_in = {rect(0, 0, 3, 2), rect(5, 0, 6, 1)};
  const MultiPolygon expected = area_in;
  const Point* first_ring = area_in[0][0].data();
  const Point* second_ring = area_in[1][0].data();
  const RepairResult r = repair(std::move(area_in));
  EXPECT_FALSE(r.repaired);
  ASSERT_EQ(r.geometry.size(), 2u);
  EXPECT_EQ(r.geometry[0][0].data(), first_ring);
  EXPECT_EQ(r.geometry[1][0].data(), second_ring);
  for (size_t p = 0; p < 2; ++p)
    for (size_t i = 0; i < expected[p][0].size(); ++i) {
      EXPECT_EQ(r.geometry[p][0][i].x, expected[p][0][i].x);
      EXPECT_EQ(r.geometry[p][0][i].y, expected[p][0][i].y);
    }
}

TEST(RepairTest, ValidPolygonIsReturnedUnchanged) {
  const MultiPolygon square = {rect(0, 0, 3, 2)};
  const RepairResult r = repair(square);
  EXPECT_FALSE(r.repaired);
  EXPECT_TRUE(r.reason.empty());
  ASSERT_EQ(r.geometry.size(), 1u);
  ASSERT_EQ(r.geometry[0].size(), 1u);
  ASSERT_EQ(r.geometry[0][0].size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(r.geometry[0][0][i].x, square[0][0][i].x);
    EXPECT_EQ(r.geometry[0][0][i].y, square[0][0][i].y);
  }
  EXPECT_DOUBLE_EQ(area(r.geometry), 6.0);
}

TEST(RepairTest, PolygonWithHoleIsValidAndKeepsItsHole) {
  Polygon frame = rect(0, 0, 4, 4);
  frame.push_back({{1, 1}, {1, 3}, {3, 3}, {3, 1}});
  const RepairResult r = repair({frame});
  EXPECT_FALSE(r.repaired);
  EXPECT_EQ(hole_count(r.geometry), 1u);
  EXPECT_DOUBLE_EQ(area(r.geometry), 12.0);
}

TEST(RepairTest, HoleOutsideItsShellIsRepaired) {
  Polygon p = rect(0, 0, 2, 2);
  p.push_back({{5, 5}, {5, 6}, {6, 6}, {6, 5}});
  const RepairResult r = repair({p});
  EXPECT_TRUE(r.repaired);
  EXPECT_NE(lower(r.reason).find("hole"), std::string::npos) << r.reason;
  EXPECT_FALSE(repair(r.geometry).repaired);
}

// An area assembled from several features (io/area_reader.cpp appends every
// feature with the same code to one MultiPolygon) covers the union of its
// parts; repairing it must not drop the parts' overlap.
// BUG: src/geo/geos_util.cpp:116 repairs with GEOSMakeValid_r, whose default
// "linework" method rebuilds polygons by ring parity, so overlapping parts
// cancel: {[0,2]^2, [1,3]^2} comes back as two L-shapes of area 6 (expected
// the union, area 7) and locate(1.5, 1.5) == -1 (expected 0); a part nested
// in another ({[0,4]^2, [1,2]^2}) becomes a hole (area 15, expected 16).
// Incidents in such overlaps are silently unmatched. A fix:
// GEOSMakeValidWithParams_r with GEOS_MAKE_VALID_STRUCTURE (GEOS >= 3.10,
// checked here: areas 7 and 16; the bow-tie still gives 2).
TEST(RepairTest, OverlappingPartsOfOneAreaKeepTheirUnion) {
  const RepairResult overlap = repair({rect(0, 0, 2, 2), rect(1, 1, 3, 3)});
  EXPECT_TRUE(overlap.repaired);
  EXPECT_DOUBLE_EQ(area(overlap.geometry), 7.0);
  EXPECT_EQ(PointLocator({overlap.geometry}).locate(1.5, 1.5), 0);
  const RepairResult nested = repair({rect(0, 0, 4, 4), rect(1, 1, 2, 2)});
  EXPECT_TRUE(nested.repaired);
  EXPECT_DOUBLE_EQ(area(nested.geometry), 16.0);
  EXPECT_EQ(PointLocator({nested.geometry}).locate(1.5, 1.5), 0);
}

TEST(RepairTest, AdjacentPartsOfOneAreaMerge) {
  // Two parts sharing an edge make an invalid MultiPolygon; the repair is
  // their union.
  const RepairResult r = repair({rect(0, 0, 1, 1), rect(1, 0, 2, 1)});
  EXPECT_TRUE(r.repaired);
  EXPECT_DOUBLE_EQ(area(r.geometry), 2.0);
  EXPECT_EQ(PointLocator({r.geometry}).locate(1.0, 0.5), 0);
  EXPECT_FALSE(repair(r.geometry).repaired);
}

TEST(RepairTest, EmptyInputIsValidAndEmpty) {
  const RepairResult r = repair({});
  EXPECT_FALSE(r.repaired);
  EXPECT_TRUE(r.geometry.empty());
}

TEST(AreaTest, ShoelaceIsOrientationFreeAndSubtractsHoles) {
  EXPECT_DOUBLE_EQ(area({rect(0, 0, 3, 2)}), 6.0);
  const MultiPolygon clockwise = {{{{0, 0}, {0, 2}, {3, 2}, {3, 0}}}};
  EXPECT_DOUBLE_EQ(area(clockwise), 6.0);
  Polygon frame = rect(0, 0, 4, 4);
  frame.push_back({{1, 1}, {3, 1}, {3, 3}, {1, 3}});  // hole in the same orientation
  EXPECT_DOUBLE_EQ(area({frame}), 12.0);
  EXPECT_DOUBLE_EQ(area({rect(0, 0, 1, 1), rect(5, 5, 7, 7)}), 5.0);
  EXPECT_DOUBLE_EQ(area({}), 0.0);
}

// True if (x, y) lies on the boundary of the rectangle [x0, x1] x [y0, y1].
bool on_rect_boundary(double x, double y, double x0, double y0, double x1, double y1) {
  const bool in = x >= x0 && x <= x1 && y >= y0 && y <= y1;
  return in && (x == x0 || x == x1 || y == y0 || y == y1);
}

TEST(DissolveTest, AdjacentSquaresBecomeOnePolygonWithoutTheSharedEdge) {
  const MultiPolygon west = {rect(0, 0, 1, 1)}, east = {rect(1, 0, 2, 1)};
  const MultiPolygon d = dissolve({&west, &east});
  ASSERT_EQ(d.size(), 1u);
  ASSERT_EQ(d[0].size(), 1u);  // no holes
  EXPECT_GE(d[0][0].size(), 4u);
  EXPECT_DOUBLE_EQ(area(d), 2.0);
  // Every edge of the result (checked at its midpoint) lies on the outline
  // of [0, 2] x [0, 1]: the shared edge x = 1 is gone.
  const Ring& r = d[0][0];
  for (size_t i = 0; i < r.size(); ++i) {
    const Point& a = r[i];
    const Point& b = r[(i + 1) % r.size()];
    EXPECT_TRUE(on_rect_boundary((a.x + b.x) / 2, (a.y + b.y) / 2, 0, 0, 2, 1))
        << "edge (" << a.x << "," << a.y << ")-(" << b.x << "," << b.y << ")";
  }
  const PointLocator loc({d});
  EXPECT_EQ(loc.locate(1.0, 0.5), 0);  // on the former shared edge
  EXPECT_EQ(loc.locate(0.5, 0.5), 0);
  EXPECT_EQ(loc.locate(1.5, 0.5), 0);
  EXPECT_EQ(loc.locate(2.5, 0.5), -1);
  EXPECT_FALSE(repair(d).repaired);
}

TEST(DissolveTest, OverlappingSquaresUnion) {
  const MultiPolygon a = {rect(0, 0, 2, 2)}, b = {rect(1, 1, 3, 3)};
  const MultiPolygon d = dissolve({&a, &b});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_DOUBLE_EQ(area(d), 7.0);  // 4 + 4 - 1
  const PointLocator loc({d});
  EXPECT_EQ(loc.locate(1.5, 1.5), 0);  // the overlap is inside once, not cancelled
}

TEST(DissolveTest, DisjointPartsStaySeparate) {
  const MultiPolygon a = {rect(0, 0, 1, 1)}, b = {rect(3, 3, 4, 5)};
  const MultiPolygon d = dissolve({&a, &b});
  EXPECT_EQ(d.size(), 2u);
  EXPECT_DOUBLE_EQ(area(d), 3.0);
}

TEST(DissolveTest, FillingAHoleRemovesIt) {
  Polygon frame = rect(0, 0, 4, 4);
  frame.push_back({{1, 1}, {1, 3}, {3, 3}, {3, 1}});
  const MultiPolygon a = {frame}, b = {rect(1, 1, 3, 3)};
  const MultiPolygon d = dissolve({&a, &b});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(hole_count(d), 0u);
  EXPECT_DOUBLE_EQ(area(d), 16.0);
}

TEST(DissolveTest, NothingToDissolve) {
  EXPECT_TRUE(dissolve({}).empty());
  const MultiPolygon empty;
  EXPECT_TRUE(dissolve({&empty}).empty());
}

TEST(BoundsTest, CoversEveryRingOfEveryPart) {
  Polygon frame = rect(0, 0, 4, 4);
  frame.push_back({{1, 1}, {1, 3}, {3, 3}, {3, 1}});
  const Box b = bounds({frame, rect(-2, 5, -1, 7)});
  EXPECT_EQ(b.min_x, -2);
  EXPECT_EQ(b.min_y, 0);
  EXPECT_EQ(b.max_x, 4);
  EXPECT_EQ(b.max_y, 7);
}

TEST(BoundsTest, EmptyGeometryHasAnInvertedBox) {
  // PointLocator relies on min > max to recognise an empty area.
  const Box b = bounds({});
  EXPECT_GT(b.min_x, b.max_x);
  EXPECT_GT(b.min_y, b.max_y);
  const Box c = bounds({Polygon{}});
  EXPECT_GT(c.min_x, c.max_x);
}

TEST(AdjacentPairsTest, QueenContiguityOnATwoByTwoGridAndASliver) {
  auto sq = [](double x, double y) { return MultiPolygon{{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}}}}; };
  // 2x2 squares: every pair touches (the diagonals at the centre vertex).
  const std::vector<MultiPolygon> grid = {sq(0, 0), sq(1, 0), sq(0, 1), sq(1, 1), sq(5, 5)};
  const auto pairs = adjacent_pairs(grid, 1e-9);
  const std::vector<std::pair<uint32_t, uint32_t>> expected = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}};
  EXPECT_EQ(pairs, expected);
  // A 0.5 m sliver between neighbours is bridged by a 1 m tolerance only.
  const std::vector<MultiPolygon> gap = {sq(0, 0), sq(1.5, 0)};
  EXPECT_TRUE(adjacent_pairs(gap, 0.1).empty());
  EXPECT_EQ(adjacent_pairs(gap, 1.0).size(), 1u);
}

}  // namespace
}  // namespace hotspot::geo
