// Literal reference values were computed in plain Python floats from the
// docs/methods.md formula (each shown with its inputs where it is used); the
// other checks compare with a straightforward dense-matrix evaluation in
// this file that shares no code with gistar.cpp.
#include "hotspot/gistar.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

namespace hotspot::gistar {
namespace {

constexpr double kTol = 1e-9;  // literals are printed to 9 decimals
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using List = std::vector<uint32_t>;

List list_of(const Neighbours& w, size_t i) {
  return List(w.index.begin() + w.offsets[i], w.index.begin() + w.offsets[i + 1]);
}

// Dense binary queen weights, self included, built from row/column
// distances rather than CSR.
std::vector<std::vector<int>> dense_queen(int nx, int ny, const std::vector<bool>& valid) {
  const auto n = static_cast<size_t>(nx * ny);
  std::vector<std::vector<int>> w(n, std::vector<int>(n, 0));
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const int ri = static_cast<int>(i) / nx, ci = static_cast<int>(i) % nx;
      const int rj = static_cast<int>(j) / nx, cj = static_cast<int>(j) % nx;
      const bool both = valid.empty() || (valid[i] && valid[j]);
      w[i][j] = both && std::abs(ri - rj) <= 1 && std::abs(ci - cj) <= 1 ? 1 : 0;
    }
  }
  return w;
}

// G*_i exactly as docs/methods.md writes it, over the rows with any weight.
std::vector<double> dense_gi(const std::vector<double>& x, const std::vector<std::vector<int>>& w) {
  const size_t size = x.size();
  std::vector<bool> unit(size, false);
  double n = 0, sum = 0;
  for (size_t i = 0; i < size; ++i) {
    for (size_t j = 0; j < size; ++j) unit[i] = unit[i] || w[i][j] != 0;
    if (unit[i]) {
      n += 1;
      sum += x[i];
    }
  }
  const double mean = sum / n;
  double ss = 0;
  for (size_t i = 0; i < size; ++i) ss += unit[i] ? (x[i] - mean) * (x[i] - mean) : 0.0;
  const double s = std::sqrt(ss / n);
  std::vector<double> z(size, kNaN);
  for (size_t i = 0; i < size; ++i) {
    if (!unit[i]) continue;
    double wx = 0, sw = 0, sw2 = 0;
    for (size_t j = 0; j < size; ++j) {
      wx += w[i][j] * x[j];
      sw += w[i][j];
      sw2 += w[i][j] * w[i][j];
    }
    z[i] = (wx - mean * sw) / (s * std::sqrt((n * sw2 - sw * sw) / (n - 1)));
  }
  return z;
}

// A high cluster in the bottom-right corner; symmetric about the main
// diagonal (x[r][c] == x[c][r]). n = 16, mean 2.9375, population SD
// 3.418127228.
const std::vector<double> kCluster = {1, 2, 1, 0,  //
                                      2, 1, 1, 1,  //
                                      1, 1, 9, 8,  //
                                      0, 1, 8, 10};

TEST(GridQueen, ThreeByThreeCounts) {
  const Neighbours w = grid_queen(3, 3, {});
  ASSERT_EQ(w.size(), 9u);
  EXPECT_EQ(list_of(w, 4), (List{0, 1, 2, 3, 4, 5, 6, 7, 8}));  // centre
  EXPECT_EQ(list_of(w, 0), (List{0, 1, 3, 4}));                 // corner
  EXPECT_EQ(list_of(w, 8), (List{4, 5, 7, 8}));                 // corner
  EXPECT_EQ(list_of(w, 1), (List{0, 1, 2, 3, 4, 5}));           // edge
  EXPECT_EQ(list_of(w, 3), (List{0, 1, 3, 4, 6, 7}));           // edge
}

TEST(GridQueen, InvalidCellIsNoUnit) {
  std::vector<bool> valid(9, true);
  valid[4] = false;  // the centre: no list and in no other list
  const Neighbours w = grid_queen(3, 3, valid);
  ASSERT_EQ(w.size(), 9u);
  EXPECT_TRUE(list_of(w, 4).empty());
  EXPECT_EQ(list_of(w, 0), (List{0, 1, 3}));
  EXPECT_EQ(list_of(w, 1), (List{0, 1, 2, 3, 5}));
  EXPECT_EQ(w.index.size(), 4u * 3 + 4u * 5);  // corners 3 each, edges 5 each
}

TEST(GridQueen, RectangularRowMajor) {
  const Neighbours w = grid_queen(4, 2, {});  // 4 columns, 2 rows
  EXPECT_EQ(list_of(w, 0), (List{0, 1, 4, 5}));
  EXPECT_EQ(list_of(w, 6), (List{1, 2, 3, 5, 6, 7}));
  EXPECT_THROW(grid_queen(3, 3, std::vector<bool>(8, true)), std::invalid_argument);
  EXPECT_THROW(grid_queen(-1, 3, {}), std::invalid_argument);
  EXPECT_EQ(grid_queen(0, 5, {}).size(), 0u);
}

TEST(GiStar, ClusterLiterals) {
  const GiStar g = gi_star(kCluster, grid_queen(4, 4, {}));
  // cell 15: neighbours 10, 11, 14, 15 sum 35, k 4:
  //   (35 - 2.9375 * 4) / (3.418127228 * sqrt((16 * 4 - 16) / 15))
  EXPECT_NEAR(g.z[15], 3.802417011, kTol);
  // cell 10: neighbours 5, 6, 7, 9, 10, 11, 13, 14, 15, k 9
  EXPECT_NEAR(g.z[10], 1.936095975, kTol);
  // cell 0: neighbours 0, 1, 4, 5, k 4
  EXPECT_NEAR(g.z[0], -0.940382702, kTol);
  EXPECT_NEAR(g.z[2], -1.700492583, kTol);  // neighbours 1, 2, 3, 5, 6, 7
  EXPECT_NEAR(g.p[15], 0.000143291273, 1e-12);
  EXPECT_FALSE(g.fdr);
}

// The worked example of docs/methods.md ("Getis-Ord Gi*"): five cells in a
// row, counts 0 1 6 2 0, each cell's neighbours itself and the cells either
// side (a distance band of one cell). xbar = 1.8, S = sqrt(41/5 - 1.8^2) =
// 2.2271; cell 0: (0 + 1 - 1.8 x 2) / (2.2271 sqrt((5 x 2 - 4) / 4)).
TEST(GiStar, FiveCellsInARow) {
  const std::vector<double> counts = {0, 1, 6, 2, 0};
  const std::vector<double> x = {0, 1, 2, 3, 4}, y(5, 0.0);
  const GiStar g = gi_star(counts, distance_band(x, y, 1.0));
  const double expected[] = {-0.9532, 0.5866, 1.3198, 0.9532, -0.5866};
  for (size_t i = 0; i < 5; ++i) EXPECT_NEAR(g.z[i], expected[i], 5e-5) << "cell " << i;
  EXPECT_NEAR(g.z[0], -2.6 / (std::sqrt(4.96) * std::sqrt(1.5)), 1e-12);
  for (int bin : g.bin) EXPECT_EQ(bin, 0);  // |z| < 1.645 everywhere: nothing significant
}

TEST(GiStar, MatchesDenseFormula) {
  const std::vector<double> expected = dense_gi(kCluster, dense_queen(4, 4, {}));
  const GiStar g = gi_star(kCluster, grid_queen(4, 4, {}));
  ASSERT_EQ(g.z.size(), 16u);
  for (size_t i = 0; i < 16; ++i) EXPECT_NEAR(g.z[i], expected[i], 1e-12) << "cell " << i;
}

TEST(GiStar, SymmetricPatternSymmetricZ) {
  const GiStar g = gi_star(kCluster, grid_queen(4, 4, {}));
  for (size_t r = 0; r < 4; ++r) {
    for (size_t c = 0; c < 4; ++c) {
      EXPECT_NEAR(g.z[r * 4 + c], g.z[c * 4 + r], 1e-12) << r << "," << c;
    }
  }
  EXPECT_NEAR(g.z[11], 2.834154305, kTol);
  EXPECT_NEAR(g.z[14], 2.834154305, kTol);
}

TEST(GiStar, NonUnitsExcludedFromN) {
  std::vector<bool> valid(16, true);
  valid[3] = false;  // its value (0) must not enter the mean, SD or n = 15
  const GiStar g = gi_star(kCluster, grid_queen(4, 4, valid));
  EXPECT_TRUE(std::isnan(g.z[3]));
  EXPECT_TRUE(std::isnan(g.p[3]));
  EXPECT_EQ(g.bin[3], 0);
  EXPECT_NEAR(g.z[15], 3.681607685, kTol);
  EXPECT_NEAR(g.z[2], -1.485993622, kTol);  // lost neighbour 3
  EXPECT_NEAR(g.z[7], 0.666135072, kTol);
  const std::vector<double> expected = dense_gi(kCluster, dense_queen(4, 4, valid));
  for (size_t i = 0; i < 16; ++i) {
    if (i != 3) {
      EXPECT_NEAR(g.z[i], expected[i], 1e-12) << "cell " << i;
    }
  }
}

TEST(GiStar, ConstantValuesGiveZero) {
  // 0.1 summed 9 times and divided by 9 is not exactly 0.1: the S == 0 case
  // must be recognised from the values, not from a rounded SD.
  std::vector<bool> valid(9, true);
  valid[8] = false;
  std::vector<double> x(9, 0.1);
  x[8] = 100;  // a non-unit's value is ignored
  const GiStar g = gi_star(x, grid_queen(3, 3, valid));
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(g.z[i], 0.0);
    EXPECT_EQ(g.p[i], 1.0);
    EXPECT_EQ(g.bin[i], 0);
  }
  EXPECT_TRUE(std::isnan(g.z[8]));
}

TEST(GiStar, UnitNeighbouringAllIsUndefined) {
  // 3 x 3: the centre's list holds all 9 units, so G* is 0/0.
  const GiStar g = gi_star({1, 2, 3, 4, 5, 6, 7, 8, 9}, grid_queen(3, 3, {}));
  EXPECT_TRUE(std::isnan(g.z[4]));
  EXPECT_TRUE(std::isnan(g.p[4]));
  EXPECT_EQ(g.bin[4], 0);
  EXPECT_NEAR(g.z[0], -1.959591794, kTol);  // neighbours 1, 2, 4, 5: sum 12
  EXPECT_NEAR(g.z[1], -2.323790008, kTol);
  EXPECT_EQ(g.bin[0], -1);  // p = 0.0500... > 0.05
  EXPECT_EQ(g.bin[1], -2);
  EXPECT_EQ(g.bin[8], 1);
}

TEST(GiStar, PValuesAreTwoSidedNormal) {
  const GiStar g = gi_star(kCluster, grid_queen(4, 4, {}));
  for (size_t i = 0; i < 16; ++i) {
    EXPECT_DOUBLE_EQ(g.p[i], std::erfc(std::fabs(g.z[i]) / std::sqrt(2.0)));
    EXPECT_EQ(g.bin[i], confidence_bin(g.z[i]));
  }
  EXPECT_NEAR(two_sided_p(1.959963984540054), 0.05, 1e-12);
  EXPECT_NEAR(two_sided_p(-1.7), 0.089130926, kTol);
  EXPECT_TRUE(std::isnan(two_sided_p(kNaN)));
}

TEST(ConfidenceBin, ArcGisThresholds) {
  // p: 1.7 -> 0.0891, 2.0 -> 0.0455, 2.6 -> 0.00932, 1.5 -> 0.1336
  EXPECT_EQ(confidence_bin(1.7), 1);
  EXPECT_EQ(confidence_bin(2.0), 2);
  EXPECT_EQ(confidence_bin(2.6), 3);
  EXPECT_EQ(confidence_bin(-2.0), -2);
  EXPECT_EQ(confidence_bin(-1.7), -1);
  EXPECT_EQ(confidence_bin(-2.6), -3);
  EXPECT_EQ(confidence_bin(1.5), 0);
  EXPECT_EQ(confidence_bin(0.0), 0);
  EXPECT_EQ(confidence_bin(kNaN), 0);
}

TEST(GiStar, BinsUncorrectedAndFdr) {
  // p (row-major): .347 .159 .0890 .152 / .159 .288 .728 .728 /
  //   .0890 .728 .0529 .00459 / .152 .728 .00459 .000143
  const Neighbours w = grid_queen(4, 4, {});
  const GiStar raw = gi_star(kCluster, w);
  EXPECT_EQ(raw.bin, (std::vector<int>{0, 0, -1, 0, 0, 0, 0, 0, -1, 0, 1, 3, 0, 0, 3, 3}));
  // BH, m = 16: at 0.10 the 3 smallest pass (0.00459 <= 3/16 * 0.10 =
  // 0.01875; the 4th, 0.0529 > 0.025), at 0.05 the same 3 (<= 0.009375), at
  // 0.01 only 0.000143 (<= 0.000625; 0.00459 > 0.00125 and > 0.001875).
  const GiStar fdr = gi_star(kCluster, w, true);
  EXPECT_TRUE(fdr.fdr);
  EXPECT_EQ(fdr.bin, (std::vector<int>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2, 3}));
  EXPECT_EQ(fdr.z, raw.z);
}

TEST(GiStar, FdrIgnoresNonUnits) {
  std::vector<bool> valid(16, true);
  valid[0] = false;
  const GiStar g = gi_star(kCluster, grid_queen(4, 4, valid), true);
  EXPECT_EQ(g.bin[0], 0);
  EXPECT_EQ(g.bin[15], 3);
}

TEST(GiStar, RejectsMalformedInput) {
  const Neighbours w = grid_queen(2, 2, {});
  EXPECT_THROW(gi_star({1, 2, 3}, w), std::invalid_argument);
  EXPECT_THROW(gi_star({1, 2, kNaN, 4}, w), std::invalid_argument);
  Neighbours no_self{{0, 1, 2}, {1, 0}};
  EXPECT_THROW(gi_star({1, 2}, no_self), std::invalid_argument);
  Neighbours repeated{{0, 3, 5}, {0, 1, 1, 0, 1}};
  EXPECT_THROW(gi_star({1, 2}, repeated), std::invalid_argument);
  Neighbours to_non_unit{{0, 2, 2}, {0, 1}};
  EXPECT_THROW(gi_star({1, 2}, to_non_unit), std::invalid_argument);
  Neighbours out_of_range{{0, 2}, {0, 7}};
  EXPECT_THROW(gi_star({1}, out_of_range), std::invalid_argument);
  EXPECT_TRUE(gi_star({}, Neighbours{}).z.empty());
}

TEST(BenjaminiHochberg, KnownVector) {
  // sorted 0.005, 0.01, 0.03, 0.04, 0.20; thresholds 0.01 .. 0.05 -> k = 4
  const std::vector<bool> sig = benjamini_hochberg({0.01, 0.04, 0.03, 0.005, 0.20}, 0.05);
  EXPECT_EQ(sig, (std::vector<bool>{true, true, true, true, false}));
}

TEST(BenjaminiHochberg, StepUpNotStepDown) {
  // m = 4, thresholds 0.0125, 0.025, 0.0375, 0.05: ranks 1-3 (0.02, 0.03,
  // 0.04) each fail their own threshold, rank 4 (0.045) passes -> all four.
  EXPECT_EQ(benjamini_hochberg({0.03, 0.02, 0.045, 0.04}, 0.05),
            (std::vector<bool>{true, true, true, true}));
  // 0.02 fails rank 2 (0.0167 at m = 6, alpha 0.05) but 0.024 passes rank 3
  // (0.025); 0.2 etc. fail.
  EXPECT_EQ(benjamini_hochberg({0.2, 0.024, 0.5, 0.02, 0.9, 0.001}, 0.05),
            (std::vector<bool>{false, true, false, true, false, true}));
  EXPECT_EQ(benjamini_hochberg({0.3, 0.2}, 0.05), (std::vector<bool>{false, false}));
}

TEST(BenjaminiHochberg, NaNIsNotATest) {
  // m = 3 (not 5): thresholds 0.0167, 0.0333, 0.05 -> all three pass. With
  // m = 5 only 0.01 would.
  EXPECT_EQ(benjamini_hochberg({kNaN, 0.01, 0.04, kNaN, 0.03}, 0.05),
            (std::vector<bool>{false, true, true, false, true}));
  EXPECT_EQ(benjamini_hochberg({kNaN, kNaN}, 0.05), (std::vector<bool>{false, false}));
  EXPECT_TRUE(benjamini_hochberg({}, 0.05).empty());
  EXPECT_THROW(benjamini_hochberg({0.1}, 0.0), std::invalid_argument);
}

TEST(BenjaminiHochberg, TiesAtTheCutAllIncluded) {
  // m = 4, alpha 0.1: 0.05 at ranks 2 and 3; rank 3 threshold 0.075 passes.
  EXPECT_EQ(benjamini_hochberg({0.05, 0.01, 0.05, 0.9}, 0.1),
            (std::vector<bool>{true, true, true, false}));
}

std::vector<List> brute_band(const std::vector<double>& x, const std::vector<double>& y,
                             double band) {
  std::vector<List> lists(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    for (size_t j = 0; j < x.size(); ++j) {
      const double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx * dx + dy * dy <= band * band) lists[i].push_back(static_cast<uint32_t>(j));
    }
  }
  return lists;
}

TEST(DistanceBand, MatchesBruteForce) {
  std::mt19937_64 rng(20240601);
  std::uniform_real_distribution<double> ux(450000.0, 460000.0), uy(300000.0, 306000.0);
  std::vector<double> x(2000), y(2000);
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = ux(rng);
    y[i] = uy(rng);
  }
  x[7] = x[3];  // a coincident pair
  y[7] = y[3];
  x[11] = kNaN;  // not a unit
  y[12] = std::numeric_limits<double>::infinity();
  for (const double band : {0.0, 1.0, 150.0, 400.0, 2500.0, 20000.0}) {
    SCOPED_TRACE(testing::Message() << "band " << band);
    const Neighbours w = distance_band(x, y, band);
    const std::vector<List> expected = brute_band(x, y, band);
    ASSERT_EQ(w.size(), x.size());
    size_t total = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      ASSERT_EQ(list_of(w, i), expected[i]) << "point " << i;
      total += expected[i].size();
    }
    EXPECT_EQ(w.index.size(), total);
    EXPECT_TRUE(list_of(w, 11).empty());
    if (band == 0.0) {
      EXPECT_EQ(list_of(w, 3), (List{3, 7}));
    }
    if (band == 20000.0) {
      EXPECT_EQ(total, 1998u * 1998u);  // everyone, bar the 2 non-units
    }
  }
}

TEST(DistanceBand, ExactBandIsIncluded) {
  const Neighbours w = distance_band({0, 3, 6, 10}, {0, 4, 8, 0}, 5.0);
  EXPECT_EQ(list_of(w, 0), (List{0, 1}));  // (3, 4) at exactly 5
  EXPECT_EQ(list_of(w, 1), (List{0, 1, 2}));
  EXPECT_EQ(list_of(w, 3), (List{3}));
  EXPECT_THROW(distance_band({0}, {0, 1}, 1.0), std::invalid_argument);
  EXPECT_THROW(distance_band({0}, {0}, -1.0), std::invalid_argument);
  EXPECT_THROW(distance_band({0}, {0}, kNaN), std::invalid_argument);
  EXPECT_EQ(distance_band({}, {}, 1.0).size(), 0u);
}

TEST(DistanceBand, TinyBandOnWideExtent) {
  // A grid of side = band would need 1e30 buckets here; the bucket side is
  // widened so the grid stays O(n).
  const Neighbours w = distance_band({0, 1e6, 1e6, 5e5}, {0, 1e6, 1e6 + 1e-10, 5e5}, 1e-9);
  EXPECT_EQ(list_of(w, 0), (List{0}));
  EXPECT_EQ(list_of(w, 1), (List{1, 2}));
  EXPECT_EQ(list_of(w, 3), (List{3}));
}

TEST(FromPairs, SymmetricWithSelf) {
  // (0,1) twice, (3,1) given high-low, (2,2) a harmless self pair; 4 is an island.
  const Neighbours w = from_pairs(5, {{0, 1}, {1, 2}, {0, 1}, {3, 1}, {2, 2}});
  ASSERT_EQ(w.size(), 5u);
  EXPECT_EQ(list_of(w, 0), (List{0, 1}));
  EXPECT_EQ(list_of(w, 1), (List{0, 1, 2, 3}));
  EXPECT_EQ(list_of(w, 2), (List{1, 2}));
  EXPECT_EQ(list_of(w, 3), (List{1, 3}));
  EXPECT_EQ(list_of(w, 4), (List{4}));
  EXPECT_THROW(from_pairs(3, {{0, 3}}), std::invalid_argument);
  EXPECT_EQ(from_pairs(0, {}).size(), 0u);
}

TEST(FromPairs, GiStarOnAreasMatchesDense) {
  // A chain 0-1-2-3-4-5 with an island 6.
  const std::vector<std::pair<uint32_t, uint32_t>> pairs = {{0, 1}, {1, 2}, {2, 3}, {3, 4},
                                                            {4, 5}};
  std::vector<std::vector<int>> dense(7, std::vector<int>(7, 0));
  for (size_t i = 0; i < 7; ++i) dense[i][i] = 1;
  for (const auto& [a, b] : pairs) dense[a][b] = dense[b][a] = 1;
  const std::vector<double> x = {5, 7, 6, 1, 0, 2, 9};
  const std::vector<double> expected = dense_gi(x, dense);
  const GiStar g = gi_star(x, from_pairs(7, pairs));
  for (size_t i = 0; i < 7; ++i) EXPECT_NEAR(g.z[i], expected[i], 1e-12) << "area " << i;
  // island: (x - xbar) / S = (9 - 30/7) / 3.103651569 (population SD)
  EXPECT_NEAR(g.z[6], 1.518948120, kTol);
}

}  // namespace
}  // namespace hotspot::gistar
