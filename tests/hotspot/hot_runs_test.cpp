#include "hotspot/hot_runs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace hotspot::kde {
namespace {

// The labels as the earlier code computed them: a label grid filled by a
// flood fill started at each unlabelled hot cell in row-major order.
std::vector<int32_t> flood_fill_labels(const Grid& g, double threshold, int& count) {
  std::vector<int32_t> lab(g.size(), 0);
  count = 0;
  std::vector<size_t> stack;
  const auto hot = [&](size_t i) { return g.values[i] >= threshold && g.values[i] > 0; };
  for (size_t start = 0; start < g.size(); ++start) {
    if (lab[start] || !hot(start)) continue;
    lab[start] = ++count;
    stack.push_back(start);
    while (!stack.empty()) {
      const size_t i = stack.back();
      stack.pop_back();
      const int c = int(i % size_t(g.nx)), r = int(i / size_t(g.nx));
      for (int dr = -1; dr <= 1; ++dr)
        for (int dc = -1; dc <= 1; ++dc) {
          const int cc = c + dc, rr = r + dr;
          if (cc < 0 || rr < 0 || cc >= g.nx || rr >= g.ny) continue;
          const size_t j = size_t(rr) * size_t(g.nx) + size_t(cc);
          if (lab[j] || !hot(j)) continue;
          lab[j] = count;
          stack.push_back(j);
        }
    }
  }
  return lab;
}

Grid random_grid(int nx, int ny, double hot_share, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  Grid g;
  g.cell = 25;
  g.nx = nx;
  g.ny = ny;
  g.values.resize(size_t(nx) * size_t(ny));
  for (double& v : g.values) {
    const double x = u(rng);
    v = x < hot_share ? 5 + x : x < hot_share + 0.05 ? NAN : x < hot_share + 0.1 ? -7.0 : 1.0;
  }
  return g;
}

// Shapes a run-length labelling can get wrong: U shapes whose arms meet
// rows later (the left arm must keep the smaller label), diagonal-only
// contacts, runs touching the grid's edges, single cells, NaN and negative
// cells (not hot), a threshold of 5.5 cutting through the hot values. Each
// cell's label, the count and `at` equal the flood fill's.
TEST(HotRuns, LabelsEqualARowMajorFloodFillCellByCell) {
  std::mt19937 rng(11);
  for (int nx : {1, 2, 7, 64})
    for (int ny : {1, 3, 50})
      for (double share : {0.0, 0.2, 0.45, 0.7, 1.0})
        for (double threshold : {1.5, 5.5}) {
          const Grid g = random_grid(nx, ny, share, rng);
          int count = 0;
          const std::vector<int32_t> want = flood_fill_labels(g, threshold, count);
          const HotRuns runs = hot_runs(g, threshold);
          ASSERT_EQ(runs.count, count);
          ASSERT_EQ(runs.grid(nx, ny), want) << nx << " x " << ny << " " << share << " " << threshold;
          for (int r = 0; r < ny; ++r)
            for (int c = 0; c < nx; ++c) ASSERT_EQ(runs.at(r, c), want[size_t(r) * size_t(nx) + size_t(c)]);
        }
}

TEST(HotRuns, AUShapeAndADiagonalChainAreOneAreaEach) {
  // The U's arms start apart (two runs, two provisional sets) and meet in
  // the last row; the chain touches only at corners.
  const std::vector<double> v = {
      9, 0, 9, 0, 0, 0, 9,  //
      9, 0, 9, 0, 0, 9, 0,  //
      9, 9, 9, 0, 9, 0, 0,  //
  };
  Grid g;
  g.nx = 7;
  g.ny = 3;
  g.values = v;
  const HotRuns runs = hot_runs(g, 1);
  EXPECT_EQ(runs.count, 2);
  EXPECT_EQ(runs.grid(7, 3), (std::vector<int32_t>{1, 0, 1, 0, 0, 0, 2,  //
                                                   1, 0, 1, 0, 0, 2, 0,  //
                                                   1, 1, 1, 0, 2, 0, 0}));
}

}  // namespace
}  // namespace hotspot::kde
