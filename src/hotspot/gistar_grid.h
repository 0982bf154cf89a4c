// Gi* with queen contiguity computed on a grid directly (docs/METHODS.md,
// "Getis-Ord Gi*"): the same numbers as
//   gi_star(values, grid_queen(nx, ny, valid), fdr)
// bit for bit (the same sums in the same order), without building the
// neighbour lists. On a national grid (37M cells at 100 m) the lists and
// their checks took ~2 GB and a third of the heat-map stage
// (bench/RESULTS.md, "Heat maps and peers").
//
// Thread safety: pure function of its arguments.
#pragma once

#include <vector>

#include "hotspot/gistar.h"

namespace hotspot::gistar {

// Cells are row-major from row 0 (i = row * nx + col); valid[i] == false
// marks a non-unit (NaN z, bin 0); an empty `valid` means all are units.
// Only units' values are read (non-units may hold NaN). Rows are shared
// among `threads` threads (0 = all cores); each cell's z is computed alone,
// so the result does not depend on the thread count. GiStar::p is filled
// only when fdr is true (the bins need it); otherwise it is left empty.
// Throws std::invalid_argument as gi_star and grid_queen do (sizes, a unit
// value that is not finite, a grid beyond 32-bit indices).
GiStar grid_queen_gi_star(int nx, int ny, const std::vector<double>& values, const std::vector<bool>& valid, bool fdr,
                          int threads);

}  // namespace hotspot::gistar
