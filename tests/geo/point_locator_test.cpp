// Tests for geo/point_locator: the documented boundary rule (a point on a
// shared boundary is in exactly one area: east, then north), holes,
// multipolygons, overlaps, degenerate layers, and point-by-point agreement
// with Boost.Geometry on the real Leicestershire LSOAs.
#include "geo/point_locator.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include "geo/crs.h"
#include "geo/geos_util.h"
#include "test_paths.h"

namespace hotspot::geo {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// An axis-aligned rectangle as a one-polygon area (counter-clockwise).
Polygon rect(double x0, double y0, double x1, double y1) { return {{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}}; }
MultiPolygon rect_area(double x0, double y0, double x1, double y1) { return {rect(x0, y0, x1, y1)}; }

int contains_count(const PointLocator& loc, size_t n, double x, double y) {
  int c = 0;
  for (size_t a = 0; a < n; ++a) c += loc.contains(int32_t(a), x, y);
  return c;
}

// The reference answer: the lowest-index area whose exact test holds.
int32_t brute_force(const PointLocator& loc, size_t n, double x, double y) {
  for (size_t a = 0; a < n; ++a)
    if (loc.contains(int32_t(a), x, y)) return int32_t(a);
  return -1;
}

// 2x2 unit squares: 0 = SW, 1 = SE, 2 = NW, 3 = NE.
class GridOfFour : public ::testing::Test {
 protected:
  std::vector<MultiPolygon> areas_ = {rect_area(0, 0, 1, 1), rect_area(1, 0, 2, 1), rect_area(0, 1, 1, 2),
                                      rect_area(1, 1, 2, 2)};
  PointLocator loc_{areas_};
};

TEST_F(GridOfFour, InteriorPoints) {
  EXPECT_EQ(loc_.locate(0.5, 0.5), 0);
  EXPECT_EQ(loc_.locate(1.5, 0.5), 1);
  EXPECT_EQ(loc_.locate(0.5, 1.5), 2);
  EXPECT_EQ(loc_.locate(1.5, 1.5), 3);
  EXPECT_EQ(loc_.locate(-0.5, 0.5), -1);
  EXPECT_EQ(loc_.locate(2.5, 1.5), -1);
}

TEST_F(GridOfFour, SharedNorthSouthEdgeGoesEast) {
  EXPECT_EQ(loc_.locate(1.0, 0.5), 1);
  EXPECT_EQ(loc_.locate(1.0, 1.5), 3);
  EXPECT_EQ(loc_.locate(1.0, 0.0), 1);  // also on the outer south edge
}

TEST_F(GridOfFour, SharedEastWestEdgeGoesNorth) {
  EXPECT_EQ(loc_.locate(0.5, 1.0), 2);
  EXPECT_EQ(loc_.locate(1.5, 1.0), 3);
  EXPECT_EQ(loc_.locate(0.0, 1.0), 2);  // also on the outer west edge
}

TEST_F(GridOfFour, CentreVertexGoesNorthEast) {
  int hits = -1;
  EXPECT_EQ(loc_.locate(1.0, 1.0, &hits), 3);
  EXPECT_EQ(hits, 1);
  EXPECT_TRUE(loc_.contains(3, 1.0, 1.0));
  EXPECT_FALSE(loc_.contains(0, 1.0, 1.0));
  EXPECT_FALSE(loc_.contains(1, 1.0, 1.0));
  EXPECT_FALSE(loc_.contains(2, 1.0, 1.0));
}

TEST_F(GridOfFour, OuterWestAndSouthEdgesMatchEastAndNorthDoNot) {
  EXPECT_EQ(loc_.locate(0.0, 0.5), 0);
  EXPECT_EQ(loc_.locate(0.5, 0.0), 0);
  EXPECT_EQ(loc_.locate(0.0, 0.0), 0);
  EXPECT_EQ(loc_.locate(2.0, 0.5), -1);
  EXPECT_EQ(loc_.locate(0.5, 2.0), -1);
  EXPECT_EQ(loc_.locate(2.0, 2.0), -1);
  EXPECT_EQ(loc_.locate(2.0, 0.0), -1);  // SE corner: on the east edge
  EXPECT_EQ(loc_.locate(0.0, 2.0), -1);  // NW corner: on the north edge
}

// Every lattice point of [0, 2]^2 (boundaries and vertices included, in
// binary-exact and in decimal steps) is in exactly one square, unless it is
// on the outer east or north edge, where it is in none.
TEST_F(GridOfFour, EveryLatticePointIsInExactlyOneSquare) {
  for (int steps : {64, 10, 6}) {
    for (int i = 0; i <= 2 * steps; ++i)
      for (int j = 0; j <= 2 * steps; ++j) {
        const double x = i / double(steps), y = j / double(steps);
        SCOPED_TRACE("x=" + std::to_string(x) + " y=" + std::to_string(y));
        const bool outer_east_north = (i == 2 * steps || j == 2 * steps);
        const int expected_count = outer_east_north ? 0 : 1;
        ASSERT_EQ(contains_count(loc_, areas_.size(), x, y), expected_count);
        int hits = -1;
        const int32_t a = loc_.locate(x, y, &hits);
        ASSERT_EQ(hits, expected_count);
        ASSERT_EQ(a, brute_force(loc_, areas_.size(), x, y));
        ASSERT_EQ(a, loc_.locate(x, y));
        if (!outer_east_north) {
          // Half-open columns [0, 1), [1, 2) and rows likewise.
          const int col = x < 1.0 ? 0 : 1, row = y < 1.0 ? 0 : 1;
          ASSERT_EQ(a, row * 2 + col);
        }
      }
  }
}

// A tessellation of a box into quads with shared, jittered interior vertices
// (so shared edges have irregular slopes). Points exactly on the shared edges
// (computed with the same formula a consistent locator must use), at shared
// vertices, an ulp off them, and at random are in exactly one quad.
// BUG: the probes one ulp west of the outer east edge (x = 119.99999999999999)
// fail: locate() returns -1 although contains() holds for exactly one quad.
// See PointJustInsideTheLayersEastOrNorthEdgeIsFound.
TEST(PointLocatorTest, JitteredTessellationBoundariesBelongToExactlyOneArea) {
  const int n = 12;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> jitter(-0.3, 0.3), unit(0.0, 1.0);
  std::vector<std::vector<Point>> v(n + 1, std::vector<Point>(n + 1));
  for (int i = 0; i <= n; ++i)
    for (int j = 0; j <= n; ++j) {
      const bool border_x = i == 0 || i == n, border_y = j == 0 || j == n;
      v[size_t(i)][size_t(j)] = {i * 10.0 + (border_x ? 0.0 : jitter(rng) * 10.0),
                                 j * 10.0 + (border_y ? 0.0 : jitter(rng) * 10.0)};
    }
  std::vector<MultiPolygon> areas;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      areas.push_back({{{v[size_t(i)][size_t(j)], v[size_t(i) + 1][size_t(j)], v[size_t(i) + 1][size_t(j) + 1],
                         v[size_t(i)][size_t(j) + 1]}}});
  const PointLocator loc(areas);
  const double extent = n * 10.0;
  auto inside_box = [&](double x, double y) { return x >= 0 && y >= 0 && x < extent && y < extent; };

  std::vector<Point> probes;
  for (int i = 1; i < n; ++i)
    for (int j = 1; j < n; ++j) probes.push_back(v[size_t(i)][size_t(j)]);
  for (const MultiPolygon& mp : areas) {
    const Ring& r = mp[0][0];
    for (size_t k = 0; k < r.size(); ++k) {
      Point p = r[k], q = r[(k + 1) % r.size()];
      if (p.y == q.y) continue;
      if (p.y > q.y) std::swap(p, q);
      for (int s = 0; s < 20; ++s) {
        const double y = p.y + unit(rng) * (q.y - p.y);
        const double x = p.x + (y - p.y) * (q.x - p.x) / (q.y - p.y);
        probes.push_back({x, y});
        probes.push_back({std::nextafter(x, -1e300), y});
        probes.push_back({std::nextafter(x, 1e300), y});
        probes.push_back({x, std::nextafter(y, 1e300)});
      }
    }
  }
  for (int s = 0; s < 20000; ++s) probes.push_back({unit(rng) * extent, unit(rng) * extent});

  int failures = 0;
  for (const Point& p : probes) {
    if (!inside_box(p.x, p.y)) continue;
    int hits = -1;
    const int32_t a = loc.locate(p.x, p.y, &hits);
    const int count = contains_count(loc, areas.size(), p.x, p.y);
    if (count != 1 || hits != 1 || a != brute_force(loc, areas.size(), p.x, p.y)) {
      if (++failures < 10)
        ADD_FAILURE() << "point (" << p.x << ", " << p.y << "): contains in " << count << " areas, hits "
                      << hits << ", locate " << a;
    }
  }
  EXPECT_EQ(failures, 0);
}

// Regression test for points an ulp inside the east or north edge of the
// whole layer's box.
// BUG: src/geo/point_locator.cpp:148-150 (locate) computes the cell as
// floor((x - x0_) * inv_cell_) and returns -1 when it is >= nx_ (or ny_).
// inv_cell_ = 1 / cell is rounded, so for x just below the layer's max_x the
// product can round up to exactly nx_; build_grid's cell_range clamps the
// same value to nx_ - 1, so the area's entries are in the last cell but
// locate never looks there. E.g. one square [0, 52.5]^2: locate(52.49999999999999,
// 26.25) == -1 while contains(0, ...) is true (expected 0); likewise for y.
// About 4% of square extents L = 0.7 k (k = 1..1000) show it. A fix: clamp fx
// to nx_ - 1 (fy to ny_ - 1) instead of rejecting it when it equals nx_.
TEST(PointLocatorTest, PointJustInsideTheLayersEastOrNorthEdgeIsFound) {
  for (double l : {52.5, 62.3, 105.0}) {
    const PointLocator loc({rect_area(0, 0, l, l)});
    const double inside = std::nextafter(l, 0.0);
    ASSERT_TRUE(loc.contains(0, inside, l / 2));
    ASSERT_TRUE(loc.contains(0, l / 2, inside));
    EXPECT_EQ(loc.locate(inside, l / 2), 0) << "east edge of [0, " << l << "]^2";
    EXPECT_EQ(loc.locate(l / 2, inside), 0) << "north edge of [0, " << l << "]^2";
    EXPECT_EQ(loc.locate(l, l / 2), -1);  // on the outer east edge: no area
  }
}

TEST(PointLocatorTest, HoleIsUnmatchedUntilAnotherAreaFillsIt) {
  // 4x4 square with a 2x2 hole (hole ring clockwise, as GeoJSON has it).
  Polygon frame = rect(0, 0, 4, 4);
  frame.push_back({{1, 1}, {1, 3}, {3, 3}, {3, 1}});
  {
    const PointLocator loc({{frame}});
    EXPECT_EQ(loc.locate(2, 2), -1);
    EXPECT_EQ(loc.locate(1.5, 2.5), -1);
    EXPECT_EQ(loc.locate(0.5, 0.5), 0);
    EXPECT_EQ(loc.locate(3.5, 2), 0);
    EXPECT_EQ(loc.locate(2, 3.5), 0);
    // The hole's own boundary follows the same rule: its west and south
    // edges face the hole (unmatched), its east and north edges the frame.
    EXPECT_EQ(loc.locate(1, 2), -1);
    EXPECT_EQ(loc.locate(2, 1), -1);
    EXPECT_EQ(loc.locate(3, 2), 0);
    EXPECT_EQ(loc.locate(2, 3), 0);
  }
  const std::vector<MultiPolygon> areas = {{frame}, rect_area(1, 1, 3, 3)};
  const PointLocator loc(areas);
  EXPECT_EQ(loc.locate(2, 2), 1);
  EXPECT_EQ(loc.locate(1.5, 2.5), 1);
  EXPECT_EQ(loc.locate(0.5, 0.5), 0);
  EXPECT_EQ(loc.locate(1, 2), 1);  // east of the shared edge is the filler
  EXPECT_EQ(loc.locate(3, 2), 0);  // east of it is the frame
  EXPECT_EQ(loc.locate(2, 1), 1);  // north: the filler
  EXPECT_EQ(loc.locate(2, 3), 0);  // north: the frame
  for (int i = 0; i < 4 * 16; ++i)
    for (int j = 0; j < 4 * 16; ++j) {
      const double x = i / 16.0, y = j / 16.0;
      int hits = -1;
      const int32_t a = loc.locate(x, y, &hits);
      ASSERT_EQ(contains_count(loc, areas.size(), x, y), 1) << x << "," << y;
      ASSERT_EQ(hits, 1);
      const bool in_filler = x >= 1 && x < 3 && y >= 1 && y < 3;
      ASSERT_EQ(a, in_filler ? 1 : 0) << x << "," << y;
    }
}

TEST(PointLocatorTest, MultiPolygonPartsAreOneArea) {
  const std::vector<MultiPolygon> areas = {{rect(0, 0, 1, 1), rect(5, 5, 6, 6)}, rect_area(2, 2, 3, 3)};
  const PointLocator loc(areas);
  EXPECT_EQ(loc.locate(0.5, 0.5), 0);
  EXPECT_EQ(loc.locate(5.5, 5.5), 0);
  EXPECT_EQ(loc.locate(2.5, 2.5), 1);
  EXPECT_EQ(loc.locate(4.0, 4.0), -1);
  EXPECT_EQ(loc.locate(0.5, 5.5), -1);  // inside the area's box, in neither part
  EXPECT_TRUE(loc.contains(0, 5.5, 5.5));
  EXPECT_FALSE(loc.contains(0, 3.0, 3.0));
}

TEST(PointLocatorTest, OverlapLowestIndexWinsAndHitsCountsBoth) {
  const std::vector<MultiPolygon> areas = {rect_area(0, 0, 2, 2), rect_area(1, 1, 3, 3)};
  const PointLocator loc(areas);
  int hits = 0;
  EXPECT_EQ(loc.locate(1.5, 1.5, &hits), 0);
  EXPECT_EQ(hits, 2);
  EXPECT_EQ(loc.locate(1.5, 1.5), 0);
  EXPECT_EQ(loc.locate(2.5, 2.5, &hits), 1);
  EXPECT_EQ(hits, 1);
  EXPECT_EQ(loc.locate(0.5, 0.5, &hits), 0);
  EXPECT_EQ(hits, 1);
  EXPECT_EQ(loc.locate(5, 5, &hits), -1);
  EXPECT_EQ(hits, 0);

  // Reversed order, and an area wholly inside another (so the inner one is
  // found in cells that are "full" for the outer one).
  const PointLocator reversed({rect_area(1, 1, 3, 3), rect_area(0, 0, 2, 2)});
  EXPECT_EQ(reversed.locate(1.5, 1.5, &hits), 0);
  EXPECT_EQ(hits, 2);
  const PointLocator nested({rect_area(0, 0, 100, 100), rect_area(40, 40, 60, 60)});
  EXPECT_EQ(nested.locate(50, 50, &hits), 0);
  EXPECT_EQ(hits, 2);
  const PointLocator nested_rev({rect_area(40, 40, 60, 60), rect_area(0, 0, 100, 100)});
  EXPECT_EQ(nested_rev.locate(50, 50, &hits), 0);
  EXPECT_EQ(hits, 2);
  EXPECT_EQ(nested_rev.locate(10, 10, &hits), 1);
  EXPECT_EQ(hits, 1);
}

// The grid's cells list their areas in index order (built by a counting
// sort of one flat list): with many areas stacked over the same cells, in
// an order that is not their extent's order, the lowest index still wins
// every overlap and hits counts every area.
TEST(PointLocatorTest, ManyAreasStackedInOneCellKeepIndexOrder) {
  std::vector<MultiPolygon> areas;
  const int n = 12;
  for (int k = 0; k < n; ++k) {
    const double half = 1.0 + double((k * 5) % n);  // nested squares, sizes shuffled
    areas.push_back(rect_area(50 - half, 50 - half, 50 + half, 50 + half));
  }
  const PointLocator loc(areas);
  for (int k = 0; k < n; ++k) {
    // A point just inside square k's east side lies in k and every bigger square.
    const double half = 1.0 + double((k * 5) % n);
    const double x = 50 + half - 0.25, y = 50.1;
    int want = -1, want_hits = 0;
    for (int j = 0; j < n; ++j)
      if (1.0 + double((j * 5) % n) > half - 0.25) {
        if (want < 0) want = j;
        ++want_hits;
      }
    int hits = 0;
    EXPECT_EQ(loc.locate(x, y, &hits), want) << k;
    EXPECT_EQ(hits, want_hits) << k;
  }
  int hits = 0;
  EXPECT_EQ(loc.locate(50, 50, &hits), 0);  // the centre: in all of them
  EXPECT_EQ(hits, n);
}

// n x n cells of 10 units with jittered inner vertices (v[i][j]), then one
// square over cells of every part of the layer, last.
std::vector<MultiPolygon> jittered_cells_and_a_square(int n, std::mt19937_64& rng, std::vector<std::vector<Point>>& v) {
  std::uniform_real_distribution<double> jitter(-0.3, 0.3);
  v.assign(size_t(n) + 1, std::vector<Point>(size_t(n) + 1));
  for (int i = 0; i <= n; ++i)
    for (int j = 0; j <= n; ++j)
      v[size_t(i)][size_t(j)] = {i * 10.0 + (i == 0 || i == n ? 0.0 : jitter(rng) * 10.0),
                                 j * 10.0 + (j == 0 || j == n ? 0.0 : jitter(rng) * 10.0)};
  std::vector<MultiPolygon> areas;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      areas.push_back({{{v[size_t(i)][size_t(j)], v[size_t(i) + 1][size_t(j)], v[size_t(i) + 1][size_t(j) + 1],
                         v[size_t(i)][size_t(j) + 1]}}});
  areas.push_back(rect_area(55, 55, 545, 545));
  return areas;
}

// The index built on 2 or 3 threads (parts of consecutive areas, appended
// in order) answers every point as the one built on one: 3,600 jittered
// cells (so each part holds over 1,000 areas) and one square over cells of
// every part, last, so overlaps cross the parts and the lowest index wins.
TEST(PointLocatorTest, BuiltOnSeveralThreadsAnswersAsOnOne) {
  const int n = 60;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<std::vector<Point>> v;
  const std::vector<MultiPolygon> areas = jittered_cells_and_a_square(n, rng, v);
  const PointLocator one(areas, 1), two(areas, 2), three(areas, 3);
  EXPECT_EQ(two.cell_count(), one.cell_count());
  EXPECT_EQ(three.cell_count(), one.cell_count());
  int overlaps = 0;
  for (int s = 0; s < 50000; ++s) {
    // Random points and cell corners (on shared boundaries).
    const Point p = s % 2 ? Point{unit(rng) * 610 - 5, unit(rng) * 610 - 5}
                          : v[size_t(1 + s % (n - 1))][size_t(1 + (s / 2) % (n - 1))];
    int h1 = 0, h2 = 0, h3 = 0;
    const int32_t a = one.locate(p.x, p.y, &h1);
    ASSERT_EQ(two.locate(p.x, p.y, &h2), a) << p.x << " " << p.y;
    ASSERT_EQ(three.locate(p.x, p.y, &h3), a) << p.x << " " << p.y;
    ASSERT_EQ(h2, h1);
    ASSERT_EQ(h3, h1);
    ASSERT_EQ(three.contains(int32_t(areas.size() - 1), p.x, p.y), one.contains(int32_t(areas.size() - 1), p.x, p.y));
    overlaps += h1 > 1;
    if (h1 > 1) {
      ASSERT_LT(a, n * n);  // the tessellation's cell, not the square
    }
  }
  EXPECT_GT(overlaps, 10000);  // the square covers ~2/3 of the layer
}

// Regression test for the join's index of only the areas its points may
// fall in (PointLocator's `near`): two clusters of points (on the
// tessellation's shared vertices and edges, and at random) and an outlier
// get the area and hit count of the whole layer's index, on 1 and 2
// threads, also where the overlapping square covers them; an area far from
// every point is left out: never answered, containing nothing.
TEST(PointLocatorTest, IndexOfTheAreasNearThePointsAnswersAsTheWholeLayers) {
  const int n = 60;
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<std::vector<Point>> v;
  const std::vector<MultiPolygon> areas = jittered_cells_and_a_square(n, rng, v);
  std::vector<double> x, y;
  auto add = [&](Point p) { x.push_back(p.x), y.push_back(p.y); };
  for (int i = 10; i <= 20; ++i)  // shared vertices of one cluster, exactly
    for (int j = 30; j <= 40; ++j) add(v[size_t(i)][size_t(j)]);
  for (int s = 0; s < 20000; ++s) add({100 + unit(rng) * 100, 300 + unit(rng) * 100});
  for (int s = 0; s < 20000; ++s) add({400 + unit(rng) * 50, 20 + unit(rng) * 50});
  add({5.0, 595.0});  // an outlier in the far north-west
  const PointCover near(x, y);
  const PointLocator whole(areas, 1), one(areas, 1, &near), two(areas, 2, &near);
  EXPECT_LT(one.cell_count(), whole.cell_count());
  int matched = 0, overlaps = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    int hw = 0, h1 = 0, h2 = 0;
    const int32_t a = whole.locate(x[i], y[i], &hw);
    ASSERT_EQ(one.locate(x[i], y[i], &h1), a) << x[i] << " " << y[i];
    ASSERT_EQ(two.locate(x[i], y[i], &h2), a) << x[i] << " " << y[i];
    ASSERT_EQ(h1, hw);
    ASSERT_EQ(h2, hw);
    matched += a >= 0;
    overlaps += hw > 1;
  }
  EXPECT_EQ(matched, int(x.size()));  // the tessellation covers every point
  EXPECT_GT(overlaps, 20000);         // the square covers the first cluster
  // The far north-east corner's cell holds no point: left out.
  const Point far{595.0, 595.0};
  EXPECT_EQ(whole.locate(far.x, far.y), n * n - 1);
  EXPECT_EQ(one.locate(far.x, far.y), -1);
  EXPECT_FALSE(one.contains(int32_t(n * n - 1), far.x, far.y));
}

TEST(PointLocatorTest, EmptyLayerMatchesNothing) {
  const PointLocator loc(std::vector<MultiPolygon>{});
  EXPECT_EQ(loc.cell_count(), 0u);
  int hits = -1;
  EXPECT_EQ(loc.locate(0, 0, &hits), -1);
  EXPECT_EQ(hits, 0);
  EXPECT_EQ(loc.locate(1e6, -1e6), -1);
  EXPECT_EQ(loc.locate(kNaN, kNaN), -1);

  const PointLocator only_empty(std::vector<MultiPolygon>{{}, {}, {Polygon{}}});
  EXPECT_EQ(only_empty.locate(0, 0, &hits), -1);
  EXPECT_EQ(hits, 0);
  EXPECT_FALSE(only_empty.contains(0, 0, 0));
  EXPECT_FALSE(only_empty.contains(2, 0, 0));
}

TEST(PointLocatorTest, NonFiniteCoordinatesMatchNothing) {
  const PointLocator loc({rect_area(0, 0, 1, 1)});
  const double inf = std::numeric_limits<double>::infinity();
  int hits = -1;
  EXPECT_EQ(loc.locate(kNaN, 0.5, &hits), -1);
  EXPECT_EQ(hits, 0);
  EXPECT_EQ(loc.locate(0.5, kNaN), -1);
  EXPECT_EQ(loc.locate(kNaN, kNaN), -1);
  EXPECT_EQ(loc.locate(inf, 0.5), -1);
  EXPECT_EQ(loc.locate(-inf, 0.5), -1);
  EXPECT_EQ(loc.locate(0.5, -inf), -1);
  EXPECT_FALSE(loc.contains(0, kNaN, 0.5));
  EXPECT_FALSE(loc.contains(0, 0.5, kNaN));
}

TEST(PointLocatorTest, EmptyAreasMixedInKeepTheirIndices) {
  const std::vector<MultiPolygon> areas = {{}, rect_area(0, 0, 1, 1), {}, rect_area(1, 0, 2, 1), {}};
  const PointLocator loc(areas);
  EXPECT_EQ(loc.locate(0.5, 0.5), 1);
  EXPECT_EQ(loc.locate(1.5, 0.5), 3);
  EXPECT_EQ(loc.locate(1.0, 0.5), 3);
  EXPECT_EQ(loc.locate(3, 3), -1);
  for (int32_t a : {0, 2, 4}) EXPECT_FALSE(loc.contains(a, 0.5, 0.5));
}

// A single triangle and points along its slanted edge: the boundary rule
// (east of a north-south-ish edge) applies to sloping edges too.
TEST(PointLocatorTest, SlopingSharedEdgeGoesToTheEasternArea) {
  // The unit square cut along its diagonal: 0 = upper-left, 1 = lower-right.
  const std::vector<MultiPolygon> areas = {{{{{0, 0}, {1, 1}, {0, 1}}}}, {{{{0, 0}, {1, 0}, {1, 1}}}}};
  const PointLocator loc(areas);
  for (int k = 0; k < 64; ++k) {
    const double t = k / 64.0;
    EXPECT_EQ(loc.locate(t, t), 1) << t;
  }
  EXPECT_EQ(loc.locate(0.25, 0.75), 0);
  EXPECT_EQ(loc.locate(0.75, 0.25), 1);
}

// ---- Agreement with Boost.Geometry on the real LSOA boundaries ----

namespace bg = boost::geometry;
using BPoint = bg::model::d2::point_xy<double>;
using BPolygon = bg::model::polygon<BPoint>;
using BMulti = bg::model::multi_polygon<BPolygon>;
using BBox = bg::model::box<BPoint>;

Ring to_ring(const OGRLinearRing* ring) {
  Ring out;
  for (int i = 0; i < ring->getNumPoints(); ++i) out.push_back({ring->getX(i), ring->getY(i)});
  if (out.size() > 1 && out.front().x == out.back().x && out.front().y == out.back().y) out.pop_back();
  return out;
}

void append(const OGRPolygon* p, MultiPolygon& out) {
  if (p->IsEmpty()) return;
  Polygon poly{to_ring(p->getExteriorRing())};
  for (int i = 0; i < p->getNumInteriorRings(); ++i) poly.push_back(to_ring(p->getInteriorRing(i)));
  out.push_back(std::move(poly));
}

// Reads every LSOA in the shared data, in EPSG:27700, repaired.
std::vector<MultiPolygon> read_lsoas() {
  GDALAllRegister();
  std::vector<std::filesystem::path> files;
  const std::string dir = std::string(HOTSPOT_SHARED_DATA_DIR) + "/leicestershire/boundaries/lsoa2011";
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<MultiPolygon> areas;
  for (const auto& f : files) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(f.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) throw std::runtime_error("cannot open " + f.string());
    OGRLayer* layer = ds->GetLayer(0);
    // The files say CRS84 (longitude, latitude), which is also what
    // make_transform's traditional axis order expects from EPSG:4326.
    TransformPtr t = make_transform("OGC:CRS84", "EPSG:27700");
    for (auto& feature : *layer) {
      OGRGeometry* g = feature->GetGeometryRef();
      if (!g || g->transform(t.get()) != OGRERR_NONE) throw std::runtime_error("bad feature in " + f.string());
      MultiPolygon mp;
      if (wkbFlatten(g->getGeometryType()) == wkbPolygon)
        append(g->toPolygon(), mp);
      else
        for (const OGRPolygon* p : *g->toMultiPolygon()) append(p, mp);
      areas.push_back(repair(mp).geometry);
    }
  }
  return areas;
}

BMulti to_boost(const MultiPolygon& mp) {
  BMulti out;
  for (const Polygon& poly : mp) {
    BPolygon bp;
    for (const Point& p : poly[0]) bp.outer().push_back(BPoint(p.x, p.y));
    for (size_t r = 1; r < poly.size(); ++r) {
      bp.inners().emplace_back();
      for (const Point& p : poly[r]) bp.inners().back().push_back(BPoint(p.x, p.y));
    }
    out.push_back(std::move(bp));
  }
  bg::correct(out);  // closes the rings and orients them as Boost expects
  return out;
}

class LsoaAgreement : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    areas_ = new std::vector<MultiPolygon>(read_lsoas());
    for (const MultiPolygon& mp : *areas_) {
      boost_.push_back(to_boost(mp));
      const Box b = bounds(mp);
      boxes_.push_back(BBox(BPoint(b.min_x, b.min_y), BPoint(b.max_x, b.max_y)));
    }
  }
  static void TearDownTestSuite() { delete areas_; }
  static std::vector<MultiPolygon>* areas_;
  static std::vector<BMulti> boost_;
  static std::vector<BBox> boxes_;
};
std::vector<MultiPolygon>* LsoaAgreement::areas_ = nullptr;
std::vector<BMulti> LsoaAgreement::boost_;
std::vector<BBox> LsoaAgreement::boxes_;

TEST_F(LsoaAgreement, LayerLooksLikeLeicestershire) {
  ASSERT_GT(areas_->size(), 500u);  // 2011: 477 county + 192 city LSOAs
  Box all = bounds((*areas_)[0]);
  for (const MultiPolygon& mp : *areas_) {
    Box b = bounds(mp);
    all = {std::min(all.min_x, b.min_x), std::min(all.min_y, b.min_y), std::max(all.max_x, b.max_x),
           std::max(all.max_y, b.max_y)};
  }
  // Leicestershire and Rutland span roughly E 430-500 km, N 280-340 km.
  EXPECT_GT(all.min_x, 400000);
  EXPECT_LT(all.max_x, 520000);
  EXPECT_GT(all.min_y, 260000);
  EXPECT_LT(all.max_y, 360000);
}

TEST_F(LsoaAgreement, LocateAgreesWithBoostGeometryAndBruteForce) {
  const std::vector<MultiPolygon>& areas = *areas_;
  const PointLocator loc(areas);
  Box all{1e300, 1e300, -1e300, -1e300};
  for (const MultiPolygon& mp : areas) {
    Box b = bounds(mp);
    all = {std::min(all.min_x, b.min_x), std::min(all.min_y, b.min_y), std::max(all.max_x, b.max_x),
           std::max(all.max_y, b.max_y)};
  }
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> ux(all.min_x, all.max_x), uy(all.min_y, all.max_y), near(-1.0, 1.0);
  std::vector<Point> probes;
  for (int i = 0; i < 200000; ++i) probes.push_back({ux(rng), uy(rng)});
  // Plus points within a metre of vertices, where the grid cells are
  // partial and the edge tests decide.
  std::uniform_int_distribution<size_t> pick(0, areas.size() - 1);
  for (int i = 0; i < 50000; ++i) {
    const MultiPolygon& mp = areas[pick(rng)];
    if (mp.empty()) continue;
    const Ring& r = mp[0][0];
    const Point& v = r[std::uniform_int_distribution<size_t>(0, r.size() - 1)(rng)];
    probes.push_back({v.x + near(rng), v.y + near(rng)});
  }

  size_t mismatches = 0, matched = 0, brute_mismatches = 0;
  for (const Point& p : probes) {
    const BPoint bp(p.x, p.y);
    std::vector<int32_t> covered, within;
    for (size_t a = 0; a < areas.size(); ++a) {
      if (!bg::covered_by(bp, boxes_[a])) continue;
      if (bg::covered_by(bp, boost_[a])) covered.push_back(int32_t(a));
      if (bg::within(bp, boost_[a])) within.push_back(int32_t(a));
    }
    int hits = -1;
    const int32_t got = loc.locate(p.x, p.y, &hits);
    bool ok = true;
    if (got >= 0) {
      ++matched;
      ok = std::find(covered.begin(), covered.end(), got) != covered.end();
    } else {
      ok = within.empty();
    }
    // Strictly inside some area (and on no boundary): the lowest such area,
    // and hits counts them all.
    if (!within.empty() && within.size() == covered.size())
      ok = ok && got == within.front() && hits == int(within.size());
    if (!ok && ++mismatches <= 10)
      ADD_FAILURE() << "point (" << p.x << ", " << p.y << "): locate " << got << " hits " << hits << ", boost within "
                    << within.size() << " (first " << (within.empty() ? -1 : within.front()) << "), covered_by "
                    << covered.size();
    if (got != brute_force(loc, areas.size(), p.x, p.y)) ++brute_mismatches;
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_EQ(brute_mismatches, 0u);
  EXPECT_GT(matched, probes.size() / 4);  // the county fills a good part of its box
}

}  // namespace
}  // namespace hotspot::geo
