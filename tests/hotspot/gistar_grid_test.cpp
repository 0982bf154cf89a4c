// grid_queen_gi_star must give gi_star(values, grid_queen(...)) bit for bit:
// the surfaces use it in place of the neighbour lists, and outputs must not
// change. Compared on random grids with study-area holes, with and without
// the FDR correction, on 1 and 3 threads, and on the edge cases gi_star
// defines (constant values, one unit, every unit a neighbour of every other).
#include "hotspot/gistar_grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace hotspot::gistar {
namespace {

// Same bits: NaN equals NaN, everything else exactly equal.
void expect_same(const GiStar& want, const GiStar& got, bool fdr) {
  ASSERT_EQ(want.z.size(), got.z.size());
  ASSERT_EQ(want.bin, got.bin);
  for (size_t i = 0; i < want.z.size(); ++i) {
    if (std::isnan(want.z[i])) {
      EXPECT_TRUE(std::isnan(got.z[i])) << "cell " << i;
    } else {
      EXPECT_EQ(want.z[i], got.z[i]) << "cell " << i;
    }
  }
  if (fdr) {
    ASSERT_EQ(want.p.size(), got.p.size());
    for (size_t i = 0; i < want.p.size(); ++i)
      if (!std::isnan(want.p[i])) {
        EXPECT_EQ(want.p[i], got.p[i]) << "cell " << i;
      }
  } else {
    EXPECT_TRUE(got.p.empty());
  }
}

struct Case {
  int nx, ny;
  std::vector<double> values;
  std::vector<bool> valid;
};

// Poisson-like counts (mostly 0, a few clusters) with a ragged study area:
// cells outside it hold NaN, as the surfaces' counts do.
Case random_case(int nx, int ny, unsigned seed, double outside_share) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  Case c{nx, ny, std::vector<double>(size_t(nx) * size_t(ny)), std::vector<bool>(size_t(nx) * size_t(ny))};
  for (size_t i = 0; i < c.values.size(); ++i) {
    c.valid[i] = u(rng) >= outside_share;
    const double x = u(rng);
    c.values[i] = !c.valid[i] ? NAN : x < 0.7 ? 0 : x < 0.97 ? std::floor(x * 10) : std::floor(x * 300);
  }
  return c;
}

GiStar reference(const Case& c, bool fdr) {
  std::vector<double> finite = c.values;  // gi_star requires finite values everywhere
  for (double& v : finite)
    if (std::isnan(v)) v = 0;
  return gi_star(finite, grid_queen(c.nx, c.ny, c.valid), fdr);
}

TEST(GridQueenGiStar, SameBitsAsNeighbourListsOnRandomGrids) {
  for (unsigned seed : {1u, 2u, 3u})
    for (bool fdr : {false, true})
      for (int threads : {1, 3}) {
        const Case c = random_case(97, 61 + int(seed), seed, seed == 3 ? 0.0 : 0.3);
        expect_same(reference(c, fdr), grid_queen_gi_star(c.nx, c.ny, c.values, c.valid, fdr, threads), fdr);
      }
}

TEST(GridQueenGiStar, SignificantCellsExistSoTheBinsAreTested) {
  const Case c = random_case(97, 62, 1, 0.3);
  const GiStar g = grid_queen_gi_star(c.nx, c.ny, c.values, c.valid, false, 2);
  int hot = 0, cold = 0;
  for (int b : g.bin) hot += b >= 2, cold += b <= -1;
  EXPECT_GT(hot, 10);
  EXPECT_GT(cold + hot, 10);
}

TEST(GridQueenGiStar, EmptyValidMeansEveryCell) {
  Case c = random_case(20, 15, 4, 0.0);
  const GiStar want = gi_star(c.values, grid_queen(c.nx, c.ny, {}), false);
  expect_same(want, grid_queen_gi_star(c.nx, c.ny, c.values, {}, false, 2), false);
}

TEST(GridQueenGiStar, EdgeCasesAsGiStar) {
  // Constant values: z = 0, bin 0 for every unit.
  Case flat{4, 3, std::vector<double>(12, 5.0), std::vector<bool>(12, true)};
  flat.valid[5] = false;
  flat.values[5] = NAN;
  expect_same(reference(flat, true), grid_queen_gi_star(4, 3, flat.values, flat.valid, true, 2), true);
  // 2 x 2 grid: every unit neighbours all n units, so z is 0/0 = NaN.
  Case all{2, 2, {1, 2, 3, 4}, std::vector<bool>(4, true)};
  expect_same(reference(all, false), grid_queen_gi_star(2, 2, all.values, all.valid, false, 1), false);
  const GiStar g = grid_queen_gi_star(2, 2, all.values, all.valid, false, 1);
  EXPECT_TRUE(std::isnan(g.z[0]));
  // One unit.
  Case one{3, 1, {NAN, 7, NAN}, {false, true, false}};
  expect_same(reference(one, false), grid_queen_gi_star(3, 1, one.values, one.valid, false, 1), false);
  // No cells at all.
  EXPECT_TRUE(grid_queen_gi_star(0, 0, {}, {}, false, 2).z.empty());
}

TEST(GridQueenGiStar, RejectsWhatGiStarRejects) {
  EXPECT_THROW(grid_queen_gi_star(-1, 2, {}, {}, false, 1), std::invalid_argument);
  EXPECT_THROW(grid_queen_gi_star(2, 2, {1, 2, 3}, {}, false, 1), std::invalid_argument);
  EXPECT_THROW(grid_queen_gi_star(2, 2, {1, 2, 3, 4}, {true, true}, false, 1), std::invalid_argument);
  EXPECT_THROW(grid_queen_gi_star(2, 1, {1, INFINITY}, {}, false, 1), std::invalid_argument);
  // A non-unit may hold anything: it is never read.
  EXPECT_NO_THROW(grid_queen_gi_star(2, 1, {1, INFINITY}, {true, false}, false, 1));
}

}  // namespace
}  // namespace hotspot::gistar
