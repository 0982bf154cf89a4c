#include "hotspot/hotspot_areas.h"

#include <gtest/gtest.h>

#include <gdal_priv.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include "geo/geos_util.h"

namespace hotspot::kde {
namespace {

Grid grid(int nx, int ny, std::vector<double> v) {
  Grid g;
  g.cell = 10;
  g.nx = nx;
  g.ny = ny;
  g.values = std::move(v);
  return g;
}

TEST(HotspotAreas, TopPercentThreshold) {
  Grid g = grid(10, 1, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_DOUBLE_EQ(top_percent_threshold(g, 20), 8);
  EXPECT_DOUBLE_EQ(top_percent_threshold(g, 100), 1);  // never zero: the smallest positive value
  g.values[9] = NAN;                                   // nodata is not part of the surface
  EXPECT_DOUBLE_EQ(top_percent_threshold(g, 100.0 / 9 * 2), 7);
}

// The threshold as the earlier code computed it: every non-NaN value copied
// and ranked.
double rank_all(const Grid& g, double percent) {
  std::vector<double> v;
  for (double x : g.values)
    if (!std::isnan(x)) v.push_back(x);
  if (v.empty()) return INFINITY;
  const size_t k = std::min(v.size() - 1, size_t(std::floor(double(v.size()) * (1 - percent / 100.0))));
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  double t = v[k];
  if (t <= 0) {
    t = INFINITY;
    for (double x : v)
      if (x > 0) t = std::min(t, x);
  }
  return t;
}

// The threshold ranks only the positive values; it must equal ranking all
// of them (the earlier code, written out here) on surfaces that are mostly
// zero, all zero, or hold negative values and NaN.
TEST(HotspotAreas, TopPercentThresholdAsRankingEveryValue) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  for (double zero_share : {0.0, 0.5, 0.95, 1.0})
    for (int round = 0; round < 5; ++round) {
      Grid g = grid(40, 30, std::vector<double>(1200));
      for (double& v : g.values) {
        const double x = u(rng);
        v = x < zero_share ? (x < zero_share / 10 ? -x : 0.0) : std::floor(u(rng) * 50) / 7;
        if (u(rng) < 0.05) v = NAN;
      }
      for (double percent : {0.1, 1.0, 5.0, 30.0, 60.0, 100.0})
        EXPECT_EQ(top_percent_threshold(g, percent), rank_all(g, percent)) << zero_share << " " << percent;
    }
  EXPECT_EQ(top_percent_threshold(grid(2, 1, {NAN, NAN}), 5), INFINITY);
}

// The radix select (hotspot/top_percent.cpp) picks a bucket of values by
// their top 16 bits and ranks only that bucket: values crowded into one
// bucket (1 + tiny steps), spread over many powers of two, subnormal,
// +inf and repeated must give the value ranking every value gives.
TEST(HotspotAreas, TopPercentThresholdByRadixSelectEqualsRankingEveryValue) {
  std::mt19937 rng(13);
  std::uniform_real_distribution<double> u(0, 1);
  const std::vector<std::function<double()>> draws = {
      [&] { return 1 + std::floor(u(rng) * 1000) * 1e-12; },                          // one bucket
      [&] { return std::ldexp(u(rng) + 0.5, int(u(rng) * 80) - 40); },                // many buckets
      [&] { return u(rng) < 0.5 ? 4.9e-324 * std::floor(u(rng) * 9 + 1) : u(rng); },  // subnormal
      [&] { return u(rng) < 0.2 ? double(INFINITY) : std::floor(u(rng) * 5); },       // +inf, repeats
  };
  for (const auto& draw : draws)
    for (int round = 0; round < 4; ++round) {
      Grid g = grid(97, 61, std::vector<double>(97 * 61));
      for (double& v : g.values) {
        const double x = u(rng);
        v = x < 0.3 ? 0.0 : x < 0.35 ? -draw() : x < 0.4 ? NAN : draw();
      }
      for (double percent : {0.01, 0.5, 5.0, 50.0, 62.0, 99.0, 100.0})
        EXPECT_EQ(top_percent_threshold(g, percent), rank_all(g, percent)) << round << " " << percent;
    }
  EXPECT_EQ(top_percent_threshold(grid(3, 1, {0, -1, NAN}), 5), INFINITY);
  EXPECT_EQ(top_percent_threshold(grid(3, 1, {INFINITY, 0, 0}), 5), INFINITY);
}

TEST(HotspotAreas, RingWithAHoleAndADiagonalNeighbour) {
  GDALAllRegister();
  // 5x5: a ring of hot cells around a cold centre, plus one cell touching it diagonally.
  std::vector<double> v = {
      0, 0, 0, 0, 9,  //
      0, 5, 5, 5, 0,  //
      0, 5, 0, 5, 0,  //
      0, 5, 5, 5, 0,  //
      0, 0, 0, 0, 0};
  Grid g = grid(5, 5, v);
  IncidentTable t;
  t.categories = {"Burglary", "Robbery"};
  auto add = [&](double x, double y, uint16_t c) {
    t.x.push_back(x);
    t.y.push_back(y);
    t.category.push_back(c);
  };
  add(15, 35, 0);  // in the ring (col 1, row 1)
  add(15, 35, 0);
  add(25, 25, 1);  // in the hole: not counted
  add(45, 45, 1);  // in the diagonal cell
  const std::vector<bool> used = {true, true, true, true};
  const auto areas = hotspot_areas(g, 5, t, used);
  ASSERT_EQ(areas.size(), 1u) << "8-connected: the diagonal cell joins the ring";
  const HotspotArea& a = areas[0];
  EXPECT_EQ(a.rank, 1);
  EXPECT_EQ(a.cells, 9);
  EXPECT_DOUBLE_EQ(a.peak, 9);
  EXPECT_DOUBLE_EQ(a.mean, (8 * 5 + 9) / 9.0);
  EXPECT_DOUBLE_EQ(a.area_km2, 9 * 100 / 1e6);
  EXPECT_EQ(a.incidents, 3);
  EXPECT_EQ(a.top_categories, "Burglary 2; Robbery 1");
  // Polygon area: 9 cells of 100 m^2; the hole stays a hole.
  EXPECT_NEAR(geo::area(a.geometry), 900, 1e-6);
}

TEST(HotspotAreas, RankedByPeak) {
  GDALAllRegister();
  Grid g = grid(5, 1, {3, 0, 7, 0, 5});
  IncidentTable t;
  const auto areas = hotspot_areas(g, 1, t, {});
  ASSERT_EQ(areas.size(), 3u);
  EXPECT_DOUBLE_EQ(areas[0].peak, 7);
  EXPECT_DOUBLE_EQ(areas[1].peak, 5);
  EXPECT_DOUBLE_EQ(areas[2].peak, 3);
}

}  // namespace
}  // namespace hotspot::kde
