// Kernels and KDE: normalisation, analytic values, symmetry, threads,
// fast mode against exact.
#include "hotspot/kde.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numbers>
#include <random>

#include "hotspot/bandwidth.h"
#include "hotspot/kernels.h"

namespace hotspot::kde {
namespace {

// A grid centred on the origin, cells of `cell` m, `half` cells each way.
Grid centred_grid(double cell, int half) {
  Grid g;
  g.cell = cell;
  g.nx = g.ny = 2 * half + 1;
  g.x0 = g.y0 = -(half + 0.5) * cell;  // the origin is the centre of the middle cell
  return g;
}

double sum(const Grid& g) {
  double s = 0;
  for (double v : g.values) s += v;
  return s;
}

class EveryKernel : public ::testing::TestWithParam<Kernel> {};

TEST_P(EveryKernel, NormalisedKernelIntegratesToOne) {
  // Expected count per cell summed over a fine grid = the point's weight.
  KdeOptions o;
  o.kernel = GetParam();
  o.bandwidth = GetParam() == Kernel::kGaussian ? 25 : 100;
  o.units = Units::kPerCell;
  Grid g = centred_grid(0.5, 220);
  estimate({{0, 0, 1}}, o, g);
  EXPECT_NEAR(sum(g), 1.0, 1e-3) << to_string(GetParam());
  // ...and per km^2 x cell area (km^2) is the same integral.
  o.units = Units::kPerKm2;
  estimate({{0, 0, 1}}, o, g);
  EXPECT_NEAR(sum(g) * 0.5 * 0.5 / 1e6, 1.0, 1e-3);
}

TEST_P(EveryKernel, SinglePointIsSymmetricWithTheAnalyticPeak) {
  KdeOptions o;
  o.kernel = GetParam();
  o.bandwidth = 50;
  Grid g = centred_grid(5, 30);
  estimate({{0, 0, 1}}, o, g);
  const KernelFunction k(o.kernel, o.bandwidth);
  EXPECT_DOUBLE_EQ(g.at(30, 30), k.norm() * k.shape(0) * 1e6);  // peak at the point
  for (int r = 0; r < g.ny; ++r)
    for (int c = 0; c < g.nx; ++c) {
      EXPECT_DOUBLE_EQ(g.at(c, r), g.at(g.nx - 1 - c, r));
      EXPECT_DOUBLE_EQ(g.at(c, r), g.at(c, g.ny - 1 - r));
      EXPECT_DOUBLE_EQ(g.at(c, r), g.at(r, c));
    }
}

INSTANTIATE_TEST_SUITE_P(Kernels, EveryKernel,
                         ::testing::Values(Kernel::kQuartic, Kernel::kTriweight, Kernel::kEpanechnikov,
                                           Kernel::kUniform, Kernel::kTriangular, Kernel::kGaussian));

TEST(Kde, RawQuarticAtKnownDistances) {
  KdeOptions o;
  o.bandwidth = 100;
  o.units = Units::kRaw;
  Grid g = centred_grid(10, 12);
  estimate({{0, 0, 1}}, o, g);
  for (int c = 12; c < g.nx; ++c) {
    const double d = (c - 12) * 10.0;
    const double expected = d < 100 ? std::pow(1 - d * d / 1e4, 2) : 0.0;
    EXPECT_NEAR(g.at(c, 12), expected, 1e-12) << "d = " << d;
  }
  // A diagonal cell: d^2 = 30^2 + 40^2 = 2500.
  EXPECT_NEAR(g.at(15, 8), std::pow(1 - 2500.0 / 1e4, 2), 1e-12);
}

TEST(Kde, QgisScaledConstantWouldFail) {
  // QGIS's old "Scaled" quartic, 116/(5 pi R^2) x 15/16 (1 - d^2/R^2)^2,
  // integrates to 7.25 per point; ours integrates to 1. The same sum over
  // the raw surface tells them apart.
  KdeOptions o;
  o.bandwidth = 100;
  o.units = Units::kRaw;
  Grid g = centred_grid(0.5, 220);
  estimate({{0, 0, 1}}, o, g);
  const double raw_integral = sum(g) * 0.5 * 0.5;  // = pi R^2 / 3
  const double r2 = 100.0 * 100.0;
  EXPECT_NEAR(raw_integral * 116 / (5 * std::numbers::pi * r2) * 15 / 16, 7.25, 0.01);
  EXPECT_NEAR(raw_integral * KernelFunction(Kernel::kQuartic, 100).norm(), 1.0, 1e-3);
}

TEST(Kde, WeightsScaleTheSurface) {
  KdeOptions o;
  o.bandwidth = 40;
  Grid a = centred_grid(5, 20), b = a;
  estimate({{3, -7, 1}, {3, -7, 1}}, o, a);
  estimate({{3, -7, 2}}, o, b);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a.values[i], b.values[i], 1e-9);
}

std::vector<WeightedPoint> random_points(int n, double spread, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> d(0, spread);
  std::vector<WeightedPoint> p;
  for (int i = 0; i < n; ++i) p.push_back({d(rng), d(rng), 1.0});
  return p;
}

TEST(Kde, OneThreadEqualsManyThreads) {
  const auto pts = random_points(5000, 300, 7);
  for (Mode mode : {Mode::kExact, Mode::kFast}) {
    KdeOptions o;
    o.bandwidth = 120;
    o.mode = mode;
    Grid one = centred_grid(10, 90), many = one;
    o.threads = 1;
    estimate(pts, o, one);
    o.threads = 5;
    estimate(pts, o, many);
    EXPECT_EQ(one.values, many.values) << to_string(mode);  // bit for bit
  }
}

// The exact KDE's row bands are balanced by work (kernels reaching each
// row), so with most points in the grid's south the bands are of unequal
// rows, one may be nearly empty, and points lie outside the grid: the
// surface is the same bit for bit on 1, 2, 3 and 7 threads.
TEST(Kde, ExactBandsBalancedByWorkGiveTheSameBitsOnAnyThreads) {
  std::mt19937 rng(17);
  std::normal_distribution<double> south(-600, 80), x(0, 300);
  std::vector<WeightedPoint> pts;
  for (int i = 0; i < 4000; ++i) pts.push_back({x(rng), south(rng), 1.0 + (i % 3)});
  for (int i = 0; i < 40; ++i) pts.push_back({x(rng), 500.0 + i, 1.0});  // a few in the north
  pts.push_back({5000, 5000, 1.0});                                      // far outside
  KdeOptions o;
  o.bandwidth = 150;
  o.mode = Mode::kExact;
  Grid one = centred_grid(10, 90);
  o.threads = 1;
  estimate(pts, o, one);
  double total = 0;
  for (double v : one.values) total += v;
  EXPECT_GT(total, 0);
  for (int threads : {2, 3, 7}) {
    Grid many = centred_grid(10, 90);
    o.threads = threads;
    estimate(pts, o, many);
    EXPECT_EQ(std::memcmp(one.values.data(), many.values.data(), one.values.size() * sizeof(double)), 0) << threads;
  }
}

TEST(Kde, FastModeWithinOnePercentOfExactPeak) {
  // R = 12 cells, linear binning: the stated accuracy of fast mode.
  auto pts = random_points(20000, 400, 11);
  for (size_t i = 0; i < pts.size(); i += 3) pts[i] = pts[i / 2];  // shared snapped points, as police.uk
  KdeOptions o;
  o.bandwidth = 120;
  Grid exact = centred_grid(10, 120), fast = exact;
  estimate(pts, o, exact);
  o.mode = Mode::kFast;
  estimate(pts, o, fast);
  double peak = 0, worst = 0;
  for (size_t i = 0; i < exact.size(); ++i) {
    peak = std::max(peak, exact.values[i]);
    worst = std::max(worst, std::fabs(exact.values[i] - fast.values[i]));
  }
  EXPECT_LT(worst / peak, 0.01) << "max |fast - exact| / peak = " << worst / peak;
  EXPECT_NEAR(sum(fast), sum(exact), 1e-3 * sum(exact));
}

TEST(Kde, MergingIdenticalPointsIsExact) {
  const std::vector<WeightedPoint> merged = merge_identical({{1, 2, 1}, {0, 0, 1}, {1, 2, 1}, {1, 2, 0.5}});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_DOUBLE_EQ(merged[1].w, 2.5);
}

TEST(Bandwidth, RulesOnAKnownSample) {
  // 5 points: x = 0,1,2,3,4 and y = 0.
  std::vector<Point> p = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}};
  // Silverman: mean centre (2,0); SD = sqrt((4+1+0+1+4)/5) = sqrt 2; distances 2,1,0,1,2 -> Dm = 1.
  const double sil = 0.9 * std::min(std::sqrt(2.0), std::sqrt(1 / std::log(2.0)) * 1.0) * std::pow(5.0, -0.2);
  EXPECT_NEAR(bandwidth_by_rule(BandwidthRule::kSilverman, Kernel::kQuartic, p), sil, 1e-12);
  // NRD x: sd = sqrt(2.5), IQR = 2 (type 7 quartiles 1 and 3) -> min(1.5811, 1.4925); y: sd 0 -> 0.
  const double nrd_x = 4 * 1.06 * std::min(std::sqrt(2.5), 2 / 1.34) * std::pow(5.0, -0.2);
  EXPECT_NEAR(bandwidth_by_rule(BandwidthRule::kNrd, Kernel::kQuartic, p), nrd_x / 2, 1e-12);
  // Scott: sigma = mean(sd x, sd y) n^(-1/6); quartic R = sqrt(8) sigma.
  const double scott = std::sqrt(8.0) * (std::sqrt(2.5) / 2) * std::pow(5.0, -1.0 / 6);
  EXPECT_NEAR(bandwidth_by_rule(BandwidthRule::kScott, Kernel::kQuartic, p), scott, 1e-12);
}

TEST(Bandwidth, CellRules) {
  EXPECT_DOUBLE_EQ(cell_by_rule(CellRule::kSfhotspot, {0, 0, 30000, 12345}), 200);  // 12345/50 = 246.9 -> 200
  EXPECT_DOUBLE_EQ(cell_by_rule(CellRule::kSfhotspot, {0, 0, 3000, 4000}), 60);     // floors to 0 -> unrounded
  EXPECT_DOUBLE_EQ(cell_by_rule(CellRule::kArcgis, {0, 0, 30000, 12500}), 50);
}

TEST(Kernel, SigmaMatchesTheVarianceOfTheShape) {
  // Numerically: per-axis variance of the normalised kernel on a fine grid.
  for (Kernel kn : {Kernel::kQuartic, Kernel::kTriweight, Kernel::kEpanechnikov, Kernel::kUniform,
                    Kernel::kTriangular}) {
    KdeOptions o;
    o.kernel = kn;
    o.bandwidth = 100;
    o.units = Units::kPerCell;
    Grid g = centred_grid(0.5, 210);
    estimate({{0, 0, 1}}, o, g);
    double var = 0;
    for (int r = 0; r < g.ny; ++r)
      for (int c = 0; c < g.nx; ++c) var += g.at(c, r) * g.centre_x(c) * g.centre_x(c);
    const double sigma = KernelFunction(kn, 100).sigma();
    EXPECT_NEAR(std::sqrt(var), sigma, 0.01 * sigma) << to_string(kn);
  }
}

}  // namespace
}  // namespace hotspot::kde
