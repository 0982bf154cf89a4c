// The hot cells of a surface as runs along its rows, labelled 8-connected,
// for the hotspot areas (hotspot/hotspot_areas.cpp).
//
// Why runs and not a label grid: the grid was a fresh int32 per cell (31 MB
// on the Leicestershire heat map, 150 MB on a national one) whose page faults
// and full scans were ~8% of that run's CPU (bench/RESULTS.md, "Heat maps and
// peers, round 5"), for the ~5% of cells that are hot. Runs hold only those.
// The labels are the ones a flood fill in row-major order gives (areas
// numbered by their first cell in row-major order), so every area's cells,
// sums and number are the same (tests/hotspot/hot_runs_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "hotspot/grid.h"

namespace hotspot::kde {

struct HotRun {
  int row = 0;
  int begin = 0, end = 0;  // columns [begin, end)
  int32_t label = 0;       // 1-based
};

struct HotRuns {
  std::vector<HotRun> runs;       // row-major order
  std::vector<size_t> row_first;  // runs of row r: [row_first[r], row_first[r + 1])
  int count = 0;                  // number of labels (areas)

  // The label of cell (row, col), 0 when it is not hot.
  int32_t at(int row, int col) const;
  // The labels as a full row-major grid (for polygonising).
  std::vector<int32_t> grid(int nx, int ny) const;
};

// Cells with value >= threshold and > 0, joined 8-connected.
HotRuns hot_runs(const Grid& g, double threshold);

}  // namespace hotspot::kde
