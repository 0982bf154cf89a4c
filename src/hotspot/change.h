// Change surfaces (docs/methods.md, "Change over time"): two periods on one
// grid with one kernel and one bandwidth, each divided by its number of
// months; their difference, their log ratio where both exceed a floor, and
// an optional permutation test of the period labels giving per-cell p.
#pragma once

#include <cstdint>
#include <vector>

#include "hotspot/grid.h"
#include "hotspot/kde.h"

namespace hotspot::change {

struct LabelledPoint {
  double x = 0, y = 0;  // working CRS, metres
  double w = 1;         // incident weight
  bool after = false;   // false = the "before" period, true = the "after" period
};

struct ChangeOptions {
  kde::KdeOptions kde;          // kernel, bandwidth, units, mode (threads: see `threads`)
  double months_before = 1;     // each period's density is divided by its months (> 0)
  double months_after = 1;
  double floor = 0;             // log ratio only where both per-month densities exceed it
  int permutations = 0;         // 0 = no test
  uint64_t seed = 1;            // random relabelings: the same seed, the same p on any thread count
  int threads = 0;              // 0 = all cores
  bool fdr = false;             // with the test: also the Benjamini-Hochberg adjusted p
};

struct ChangeGrids {
  Grid before, after;   // per month, in the surface's units
  Grid difference;      // after - before
  Grid log_ratio;       // ln(after / before) where both > floor, else NaN
  Grid p;               // two-sided permutation p per cell; empty without the test
  Grid p_fdr;           // p adjusted by Benjamini-Hochberg over the study area's cells; empty without fdr
  int64_t relabelings = 0;  // how many labelings the test compared (the observed one included when exact)
  bool exact = false;       // every distinct labeling enumerated (there were at most `permutations`)
};

// The change surfaces of `points` on the grid `shape` (its values are
// ignored). `inside` (one per cell, or empty = all) marks the study area:
// cells outside are NaN in every output.
//
// Permutation test: the period labels are shuffled among the incidents (the
// numbers before and after kept); a cell's p is the share of labelings whose
// |difference| is at least the observed one, counting the observed:
// (1 + #random >= observed) / (R + 1). When the distinct labelings, C(n,
// n_after), are no more than `permutations`, each is enumerated once instead
// and p is exact (#labelings >= observed / C). Relabeling k uses its own
// random stream seeded from (seed, k), and the counts are integers summed
// over threads: the p grid is the same for any thread count.
ChangeGrids change_surfaces(const std::vector<LabelledPoint>& points, const ChangeOptions& options, const Grid& shape,
                            const std::vector<bool>& inside);

// Benjamini-Hochberg adjusted p-values (as R's p.adjust(p, "BH")): with
// the m defined (non-NaN) p sorted ascending, p_(i) becomes
// min over j >= i of min(1, p_(j) m / j). A cell is in the BH set at FDR q
// exactly when its adjusted p <= q. NaN stays NaN and is not counted in m.
std::vector<double> bh_adjusted(const std::vector<double>& p);

// n choose k, or UINT64_MAX when larger (exposed for tests).
uint64_t binomial(uint64_t n, uint64_t k);

}  // namespace hotspot::change
