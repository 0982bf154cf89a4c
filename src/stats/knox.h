// The Knox test for near repeats (docs/methods.md, "Near repeats"; as
// Ratcliffe's Near Repeat Calculator): pairs of events counted by distance
// band x time-gap band, against the same table with the times permuted
// among the events.
//
//   Knox, E.G. (1964) The detection of space-time interactions. Applied
//     Statistics 13, 25-30.
//   Ratcliffe, J.H. (2009) Near Repeat Calculator (version 1.3), Temple
//     University and the National Institute of Justice.
//
// O[a][b] = pairs in distance band a and time band b. E = the mean of the
// table over R random orderings of the times (Monte Carlo), or over every
// ordering (exact, small sets). Knox ratio = O / E (NaN where E = 0);
// p = (1 + #orderings with count >= O) / (R + 1) for Monte Carlo (the
// observed ordering counted once, as the calculator), #orderings with
// count >= O / n! for exact enumeration (the observed ordering is one of
// them). Flagged: p <= alpha and ratio >= min_ratio.
//
// Only pairs closer than the largest finite distance edge are enumerated
// (stats/close_pairs.h). With an open-ended distance band ("beyond"), its
// row is each time band's count over all pairs (which permuting the times
// does not change, so it is computed once from the sorted times) minus the
// enumerated rows.
//
// Deterministic: permutation r is shuffled by its own generator seeded from
// (seed, r), so any thread count gives the same table bit for bit.
// Thread safety: knox_test is a pure function (it starts its own threads).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stats/close_pairs.h"

namespace hotspot::knox {

enum class Method { kAuto, kMonteCarlo, kExact };

struct Options {
  Bands space;                 // metres
  Bands time;                  // time units (whole days, hours or months)
  Metric metric = Metric::kManhattan;
  Method method = Method::kAuto;  // auto: exact when n! <= permutations + 1
  int permutations = 999;      // R (Monte Carlo)
  uint64_t seed = 20240611;
  int threads = 1;
  double alpha = 0.05;         // flag: p <= alpha ...
  double min_ratio = 1.2;      // ... and ratio >= min_ratio
};

// Largest set exact enumeration accepts (10! = 3,628,800 orderings).
constexpr size_t kMaxExact = 10;

struct Table {
  size_t rows = 0, cols = 0;       // distance bands x time bands
  std::vector<int64_t> observed;   // row-major, rows x cols
  std::vector<double> expected;
  std::vector<double> ratio;       // NaN where expected = 0
  std::vector<double> p;
  std::vector<int64_t> at_least;   // orderings with count >= observed (observed one excluded for Monte Carlo)
  std::vector<bool> flagged;
  bool exact = false;
  int64_t orderings = 0;           // R, or n! when exact
  int64_t events = 0;
  int64_t all_pairs = 0;           // n (n - 1) / 2
  int64_t close_pairs = 0;         // pairs enumerated (closer than the largest finite distance edge)
  double seconds = 0;              // wall clock
  size_t at(size_t a, size_t b) const { return a * cols + b; }
};

// x, y in metres; t in whole time units. Throws std::invalid_argument on
// mismatched sizes, bad bands (fewer than 2 edges, not increasing, negative,
// an infinite edge other than the last), permutations < 1, exact asked for
// more than kMaxExact events, fewer than 2 events.
Table knox_test(const std::vector<double>& x, const std::vector<double>& y, const std::vector<int64_t>& t,
                const Options& o);

// Checks bands as knox_test does; "" when fine, else the problem.
std::string band_problem(const Bands& b);

// Seed of permutation r: SplitMix64 of the base seed and r (exposed for tests).
uint64_t permutation_seed(uint64_t seed, int64_t r);

}  // namespace hotspot::knox
