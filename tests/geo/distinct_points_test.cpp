// Tests for geo/distinct_points: which points count as the same, first-seen
// order, and when repeats are too rare to use it.
#include "geo/distinct_points.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace hotspot::geo {
namespace {

TEST(DistinctPoints, EachPointOnceInFirstSeenOrderAndEveryRowMapsBack) {
  const std::vector<double> x = {1.5, 2.5, 1.5, 1.5, 3.0, 2.5, 1.5, 3.0};
  const std::vector<double> y = {7.0, 8.0, 7.0, 9.0, 7.0, 8.0, 9.0, 7.0};
  const auto d = distinct_points(x, y);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->x, (std::vector<double>{1.5, 2.5, 1.5, 3.0}));
  EXPECT_EQ(d->y, (std::vector<double>{7.0, 8.0, 9.0, 7.0}));
  EXPECT_EQ(d->of, (std::vector<uint32_t>{0, 1, 0, 2, 3, 1, 2, 3}));
}

TEST(DistinctPoints, SameOnlyWhenTheSameBits) {
  // -0.0 == 0.0 as numbers, but a transform may treat the signs apart;
  // a NaN is kept (once) rather than compared unequal to itself.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> x = {0.0, -0.0, nan, nan, 0.0, -0.0};
  const std::vector<double> y = {1.0, 1.0, 2.0, 2.0, 1.0, 1.0};
  const auto d = distinct_points(x, y);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->x.size(), 3u);
  EXPECT_FALSE(std::signbit(d->x[0]));
  EXPECT_TRUE(std::signbit(d->x[1]));
  EXPECT_TRUE(std::isnan(d->x[2]));
  EXPECT_EQ(d->of, (std::vector<uint32_t>{0, 1, 2, 2, 0, 1}));
}

TEST(DistinctPoints, ManyRepeatsAcrossTableGrowth) {
  // 100,000 distinct points (the table grows from 65,536 slots), each 4 times.
  std::vector<double> x, y;
  for (int r = 0; r < 4; ++r)
    for (int k = 0; k < 100000; ++k) x.push_back(k * 0.001), y.push_back(-k * 0.5);
  const auto d = distinct_points(x, y);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->x.size(), 100000u);
  for (size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(d->x[d->of[i]], x[i]) << i;
    ASSERT_EQ(d->y[d->of[i]], y[i]) << i;
  }
}

TEST(DistinctPoints, RefusedWhenMoreThanHalfThePointsAreDistinct) {
  std::vector<double> x, y;
  for (int k = 0; k < 70000; ++k) x.push_back(k), y.push_back(k % 2 ? 1.0 : 2.0);
  EXPECT_FALSE(distinct_points(x, y));
  EXPECT_FALSE(distinct_points({1.0, 2.0, 3.0}, {3.0, 4.0, 3.0}));
  // Distinct at first (one month's files), repeated later: used.
  for (int k = 0; k < 70000; ++k) x.push_back(k), y.push_back(k % 2 ? 1.0 : 2.0);
  const auto d = distinct_points(x, y);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->x.size(), 70000u);
}

TEST(DistinctPoints, HashSampleRefusesManyDistinctPointsAndKeepsLateRepeats) {
  // 200,000 boundary-like vertices, all distinct: refused (the hash sample
  // judges it before any table of all the points is built).
  std::vector<double> x, y;
  for (int k = 0; k < 200000; ++k) x.push_back(400000 + k * 0.37), y.push_back(100000 + (k % 977) * 1.1);
  EXPECT_FALSE(distinct_points(x, y));
  // The same points twice more, after them (a later month's repeats): one
  // third distinct, so the sample, which holds every copy of a sampled
  // point, sees one third too: used, and every row maps back to its bits.
  for (int r = 0; r < 2; ++r)
    for (int k = 0; k < 200000; ++k) x.push_back(x[size_t(k)]), y.push_back(y[size_t(k)]);
  const auto d = distinct_points(x, y);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->x.size(), 200000u);
  for (size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(d->x[d->of[i]], x[i]) << i;
    ASSERT_EQ(d->y[d->of[i]], y[i]) << i;
  }
  // Just over half distinct (100,001 points, then 99,999 repeats of the
  // first ones): the full table gives up at the half-way point as before.
  x.resize(100001), y.resize(100001);
  for (int k = 0; k < 99999; ++k) x.push_back(x[size_t(k)]), y.push_back(y[size_t(k)]);
  EXPECT_FALSE(distinct_points(x, y));
}

}  // namespace
}  // namespace hotspot::geo
