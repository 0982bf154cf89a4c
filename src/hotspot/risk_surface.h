// Next-step risk surface (prospective hot spots, ProMap-style; docs/methods.md,
// "Near repeats"): each cell's risk for the next step is
//   risk(c) = sum over events of the last L steps within D of the cell centre
//             of 1 / (1 + d_cells) * 1 / (1 + age_steps)
// (d_cells = distance / cell side; age 0 = the latest step). A backtest over
// the data's own history predicts each step from the steps before it and
// reports the hit rate (share of the step's events in the top X% of cells)
// and PAI (hit rate / X%) against two baselines from the previous step
// only: a quartic KDE (radius = the baseline bandwidth) and the cell counts.
//
// Cells ranked: the "study cells", those holding at least one event of the
// whole selection (the data's own footprint, so open water or land with no
// incident ever does not dilute the area). Ties in rank go to the lower cell
// index (north-west first), so the top X% is the same on any machine.
//
//   Bowers, K.J., Johnson, S.D. and Pease, K. (2004) Prospective hot-spotting:
//     the future of crime mapping? British Journal of Criminology 44, 641-658.
//   Chainey, S., Tompson, L. and Uhlig, S. (2008) The utility of hotspot
//     mapping for predicting spatial patterns of crime. Security Journal 21.
//
// Thread safety: pure functions (build starts its own threads, one result
// slot per step, so any thread count gives the same figures).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotspot/grid.h"

namespace hotspot::risk {

struct Options {
  double cell = 100;              // metres
  double distance = 400;          // D, metres
  int lookback = 8;               // L, steps
  double top_percent = 5;         // X
  double baseline_bandwidth = 400;  // quartic KDE baseline radius, metres
  int threads = 1;
};

struct StepScore {
  int step = 0;                   // the step predicted (0-based)
  int64_t events = 0;             // events in it (in study cells: all are, by construction)
  double hit = 0, pai = 0;        // the risk surface
  double hit_kde = 0, pai_kde = 0;      // baseline: KDE of the previous step
  double hit_counts = 0, pai_counts = 0;  // baseline: the previous step's counts
};

struct Result {
  Grid grid;                      // values: risk for the step after the last
  std::vector<char> study;        // per cell: 1 = a study cell
  int64_t study_cells = 0;
  int64_t top_cells = 0;          // ceil(X% of the study cells)
  std::vector<int64_t> rank;      // per cell: 1-based rank of the next-step risk among study cells; 0 = not a study cell
  std::vector<StepScore> backtest;  // steps L..T-1 with at least one event
  // Means over the backtest steps (unweighted).
  double mean_hit = 0, mean_pai = 0, mean_hit_kde = 0, mean_pai_kde = 0, mean_hit_counts = 0, mean_pai_counts = 0;
};

// x, y in metres; step per event (0..steps-1; -1 = left out). Throws
// std::invalid_argument on mismatched sizes, a bad option, no event, or a
// grid over 2*10^7 cells.
Result build(const std::vector<double>& x, const std::vector<double>& y, const std::vector<int32_t>& step, int steps,
             const Options& o);

}  // namespace hotspot::risk
