// Gi* on grid cells with a distance band, computed from box sums instead of
// neighbour lists. A heat map's Gi* needs a neighbourhood near the kernel
// radius R (issue 9: 3 x 3 cells of 25 m mark every police.uk map point, not
// areas); at R = 300 m and 25 m cells a disc holds ~450 cells, so CSR lists
// (gistar::distance_band) would take ~450 entries per cell. Here the disc is
// cut into one run of cells per row offset, and each run is summed from a
// per-row prefix sum: O(cells x rows of the disc), no lists.
//
// The statistic is exactly gistar::gi_star's (Ord & Getis 1995, eq. 14,
// binary weights incl. self, docs/METHODS.md "Getis-Ord Gi*"): with the same
// units and the same band the neighbourhoods are the same sets; results
// agree to rounding (tested against gi_star + distance_band).
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "hotspot/gistar.h"

namespace hotspot::gistar {

// Half-widths of the disc, in cells: entry d (d = 0 .. size - 1) is the
// largest k with (k cell)^2 + (d cell)^2 <= band^2, i.e. the cells whose
// centres lie within `band` of a cell's centre, row offset d. Empty when
// band < 0. Throws std::invalid_argument unless cell > 0 and band finite.
std::vector<int> disc_half_widths(double band, double cell);

// Gi* of `values` (nx columns x ny rows, row-major) where the units are the
// cells with valid[i] (empty = all) and j is a neighbour of i when their
// centres are within `band` metres (cells of side `cell`). Non-units get
// NaN z and p and bin 0; their values are ignored (may be NaN). Bins and
// FDR as gi_star. Throws std::invalid_argument on size mismatches, a
// non-finite unit value, or a bad band / cell. `threads` as geo::thread_count
// (0 = all cores); the result is the same on any number.
GiStar gi_star_grid_band(const std::vector<double>& values, int nx, int ny, const std::vector<bool>& valid, double band,
                         double cell, bool fdr, int threads = 1);

}  // namespace hotspot::gistar
