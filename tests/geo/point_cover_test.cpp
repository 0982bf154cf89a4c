// Tests for geo/point_cover: a box holding a point is never left out (also
// a point on the box's edge, on the cover's outer edges and at cell
// boundaries), a box far from every point is, and NaN points count for none.
#include "geo/point_cover.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace hotspot::geo {
namespace {

TEST(PointCoverTest, BoxHoldingAPointIsNeverLeftOut) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<double> x, y;
  for (int i = 0; i < 2000; ++i) {
    x.push_back(1000 + unit(rng) * 7.3);
    y.push_back(-50 + unit(rng) * 2.1);
  }
  x.push_back(1000 + 7.3 * 255 / 256);  // on an inner cell boundary
  y.push_back(-49.0);
  const PointCover cover(x, y);
  for (size_t i = 0; i < x.size(); ++i) {
    // The point's own degenerate box, and boxes with the point on each edge.
    EXPECT_TRUE(cover.may_hold_a_point({x[i], y[i], x[i], y[i]}));
    EXPECT_TRUE(cover.may_hold_a_point({x[i], y[i], x[i] + 1, y[i] + 1}));
    EXPECT_TRUE(cover.may_hold_a_point({x[i] - 1, y[i] - 1, x[i], y[i]}));
    EXPECT_TRUE(cover.may_hold_a_point({x[i] - 1e-3, y[i] - 1e-3, x[i] + 1e-3, y[i] + 1e-3}));
  }
}

TEST(PointCoverTest, BoxFarFromEveryPointIsLeftOut) {
  // Two clusters: a box between them, and boxes beyond the points' bounds.
  const std::vector<double> x{0, 1, 0.5, 99, 100}, y{0, 1, 0.5, 99, 100};
  const PointCover cover(x, y);
  EXPECT_FALSE(cover.may_hold_a_point({40, 40, 60, 60}));
  EXPECT_FALSE(cover.may_hold_a_point({101, 0, 200, 100}));
  EXPECT_FALSE(cover.may_hold_a_point({-10, -10, -0.001, 100}));
  EXPECT_TRUE(cover.may_hold_a_point({-10, -10, 0, 0}));  // touches the point (0, 0)
  EXPECT_TRUE(cover.may_hold_a_point({50, 50, 150, 150}));
}

TEST(PointCoverTest, NoPointOrOnlyNanPointsHoldNothing) {
  const double nan = std::nan("");
  const PointCover none(std::vector<double>{}, std::vector<double>{});
  EXPECT_FALSE(none.may_hold_a_point({-1e9, -1e9, 1e9, 1e9}));
  const PointCover nans(std::vector<double>{nan, 1.0}, std::vector<double>{1.0, nan});
  EXPECT_FALSE(nans.may_hold_a_point({-1e9, -1e9, 1e9, 1e9}));
  const PointCover one(std::vector<double>{3.0, nan}, std::vector<double>{4.0, 0.0});
  EXPECT_TRUE(one.may_hold_a_point({3, 4, 3, 4}));
  EXPECT_FALSE(one.may_hold_a_point({0, 0, 2.9, 10}));
}

}  // namespace
}  // namespace hotspot::geo
