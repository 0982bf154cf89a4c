// Emerging hot spots: space-time Gi* on a cube, Mann-Kendall on each
// location's z series, Esri's pattern categories and the simpler
// persistent / emerging / former / intermittent / mixed classes
// (docs/METHODS.md, "Change over time"; docs/config.md, [emerging]).
//
// Space-time neighbourhood of bin (k, t): the kept locations j listed as
// spatial neighbours of k (self included) at steps t-K..t (fewer at the
// start). Gi* with binary weights, m = |N(k,t)|, over a global window of n
// bins with mean X and S^2 = sum x^2 / n - X^2:
//   z = (sum_N x - X m) / (S sqrt((n m - m^2) / (n - 1)))   (Ord & Getis 1995)
// A window with S = 0 gives z = 0, p = 1; a neighbourhood covering the whole
// window (m = n) has a 0/0 statistic: z = p = NaN, bin 0.
//
// Thread safety: pure functions; space_time_gi runs on `threads` threads and
// returns the same bits for any thread count (each bin is computed alone).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotspot/gistar.h"
#include "hotspot/space_time_cube.h"
#include "stats/mann_kendall.h"

namespace hotspot::emerging {

enum class Window {
  kCube,           // every bin of the cube (default, as Esri)
  kNeighbourhood,  // the bins of steps t-K..t
  kStep,           // the bins of step t only
};

struct GiOptions {
  int time_steps = 1;          // K: previous steps in the neighbourhood (>= 0)
  Window window = Window::kCube;
  bool fdr = false;            // Benjamini-Hochberg over all bins of the cube
  int threads = 1;             // worker threads (>= 1)
};

// Per bin, location-major like Cube::count (index k * steps + t).
struct CubeGi {
  std::vector<double> z, p;
  std::vector<int> bin;        // +-3/2/1 as gistar::confidence_bin (with fdr: BH at 0.10/0.05/0.01)
};

// `w` lists each kept location's spatial neighbours in the cube's own
// numbering (0..cube.size()-1), self included (gistar::Neighbours
// contract). Throws std::invalid_argument when w.size() != cube.size(), an
// index is out of range, or time_steps < 0.
CubeGi space_time_gi(const Cube& cube, const gistar::Neighbours& w, const GiOptions& options);

// Restricts neighbours over all candidate locations to the cube's kept
// locations, renumbered 0..cube.size()-1.
gistar::Neighbours restrict_to_cube(const gistar::Neighbours& all, const Cube& cube);

enum class Pattern {
  kNone,
  kNewHot, kConsecutiveHot, kIntensifyingHot, kPersistentHot,
  kDiminishingHot, kSporadicHot, kOscillatingHot, kHistoricalHot,
  kNewCold, kConsecutiveCold, kIntensifyingCold, kPersistentCold,
  kDiminishingCold, kSporadicCold, kOscillatingCold, kHistoricalCold,
};
std::string pattern_name(Pattern p);  // "new hot spot", ..., "no pattern"

struct PatternOptions {
  double alpha = 0.05;         // a step is hot / cold when its p <= alpha (with fdr: in the BH set at alpha)
  double trend_alpha = 0.05;   // Mann-Kendall trend significant when p <= trend_alpha
  double share = 0.9;          // ">= 90%": at least ceil(share T) steps
  bool continuity = true;      // Mann-Kendall continuity correction
  // The simpler classes (sfhotspot's documented definitions):
  double recent_share = 0.2;   // r = floor(recent_share T) most recent steps
  double persistent_share = 0.8;
  double intermittent_share = 0.1;  // also the "emerging" / "former" threshold
};

// Per step: +1 hot, -1 cold, 0 neither.
using Marks = std::vector<int>;

struct LocationPattern {
  Pattern pattern = Pattern::kNone;
  std::vector<Pattern> also;   // other patterns the series fits (overlaps), in evaluation order
  stats::MannKendall trend;    // on the z series
  double hot_share = 0, cold_share = 0;
  std::string simple;          // "persistent hot", "emerging cold", "mixed", "no pattern", ...
};

// The categories in one documented order (docs/config.md): the hot
// patterns new, consecutive, intensifying, diminishing, historical,
// persistent, sporadic, oscillating, then the cold ones in the same order;
// the first that fits wins, every other that fits goes to `also`.
LocationPattern classify(const Marks& marks, const std::vector<double>& z, const PatternOptions& options);

// Which bins are significant at alpha: p <= alpha, or with fdr the
// Benjamini-Hochberg set at alpha over every bin with a defined p.
std::vector<bool> significant_bins(const CubeGi& gi, double alpha, bool fdr);

// Hot (+1) / cold (-1) marks of kept location k's steps: significant bins
// signed by z.
Marks marks_of(const CubeGi& gi, const std::vector<bool>& significant, size_t k, int steps);

// The simpler class alone (part of classify).
std::string simple_class(const Marks& marks, const PatternOptions& options);

}  // namespace hotspot::emerging
