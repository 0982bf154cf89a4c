// Getis-Ord Gi* hot-spot statistic on grid cells or areas (docs/methods.md,
// "Getis-Ord Gi*"):
//   Getis, A. & Ord, J.K. (1992) The analysis of spatial association by use
//     of distance statistics. Geographical Analysis 24(3), 189-206.
//   Ord, J.K. & Getis, A. (1995) Local spatial autocorrelation statistics:
//     distributional issues and an application. Geographical Analysis 27(4),
//     286-306 (the standardised z form used here).
//   Benjamini, Y. & Hochberg, Y. (1995) Controlling the false discovery rate.
//     J. Royal Statistical Society B 57(1), 289-300.
//
// Weights are binary and always include the unit itself (the "star" in G*).
// A "unit" is an index whose neighbour list is non-empty (it holds at least
// itself); indices with an empty list (nodata cells, points without finite
// coordinates) take no part in the statistic and get NaN results.
//
// Thread safety: pure functions on their arguments, no shared state; safe to
// call from any number of threads at once.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hotspot::gistar {

// Spatial weights in CSR form. Every builder below returns each list sorted
// ascending, without duplicates, containing i itself when i is a unit.
struct Neighbours {
  std::vector<uint32_t> offsets;  // n + 1 entries (empty for n = 0)
  std::vector<uint32_t> index;    // neighbours of i: index[offsets[i] .. offsets[i+1])
  size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
};

// Queen contiguity on an nx (columns) x ny (rows) grid, row-major with row 0
// first (cell i = row * nx + col): each valid cell lists its up-to-8 valid
// neighbours and itself. Cells with valid[i] == false (outside the study
// area, nodata) are not units: they have no neighbours and appear in no
// list. An empty `valid` means every cell is valid. O(nx ny).
// Throws std::invalid_argument if nx or ny < 0, valid.size() is neither 0
// nor nx * ny, or the grid does not fit uint32_t indices.
Neighbours grid_queen(int nx, int ny, const std::vector<bool>& valid);

// Fixed distance band: j is a neighbour of i when dx^2 + dy^2 <= band^2
// (so i is its own neighbour), in the units of x and y (a projected CRS).
// Points with a non-finite coordinate are not units. Points are bucketed on
// a uniform grid of cell side >= band, so the cost is O(n k log k) for k
// neighbours per point when density is roughly even; heavy clustering far
// below the band's scale degrades towards O(n^2). Memory O(n + total k).
// Throws std::invalid_argument if x.size() != y.size(), band is negative
// or not finite, or the lists do not fit uint32_t indices.
Neighbours distance_band(const std::vector<double>& x, const std::vector<double>& y,
                         double band);

// From polygon adjacency computed elsewhere (e.g. GEOS touches/intersects):
// pairs (i, j) in either order; adds j to i's list and i to j's, and every
// area to its own list, so all n areas are units (an island lists only
// itself). Duplicate pairs and (i, i) are harmless. O((n + m) log(n + m)).
// Throws std::invalid_argument if an index >= n or n does not fit uint32_t.
Neighbours from_pairs(size_t n, const std::vector<std::pair<uint32_t, uint32_t>>& pairs);

struct GiStar {
  std::vector<double> z;  // G*_i z-score; NaN for non-units and where undefined
  std::vector<double> p;  // two-sided normal p-value; NaN where z is NaN
  std::vector<int> bin;   // +3/+2/+1 hot at 99/95/90% confidence, -1/-2/-3
                          // cold, 0 not significant or NaN (ArcGIS Gi_Bin)
  bool fdr = false;       // bins corrected with Benjamini-Hochberg
};

// G*_i = (sum_j w_ij x_j - xbar sum_j w_ij)
//        / (S sqrt((n sum_j w_ij^2 - (sum_j w_ij)^2) / (n - 1)))
// (Ord & Getis 1995, eq. 14), with binary w, and xbar, S the mean and
// population standard deviation over the n units only. S == 0 (all unit
// values equal, including n == 1) gives z = 0, p = 1 for every unit. A unit
// whose list holds all n units has a 0/0 statistic: z = p = NaN, bin 0.
// fdr == false: bin from the unit's own p (confidence_bin). fdr == true:
// for alpha = 0.10, 0.05, 0.01 the Benjamini-Hochberg set is computed over
// all units with a defined p; a unit's bin is the highest level at which it
// is in that set, signed by z (as ArcGIS's FDR correction). O(n + total k),
// plus O(n log n) with fdr.
// Throws std::invalid_argument if values.size() != w.size(), a unit's
// value is not finite, or w is malformed (index out of range, a unit
// missing from its own list, a duplicate, or a listed index that is not a
// unit).
GiStar gi_star(const std::vector<double>& values, const Neighbours& w, bool fdr = false);

// The bins of an FDR-corrected Gi*: for alpha = 0.10, 0.05, 0.01 the
// Benjamini-Hochberg set over the defined p; a unit's bin is the highest
// level whose set holds it, signed by z (as gi_star with fdr). Shared by the
// grid versions (gistar_grid.h, gistar_band.h) so all three bin alike.
std::vector<int> fdr_bins(const std::vector<double>& z, const std::vector<double>& p);

// The units' count, mean and population SD (divisor n), in two passes, the
// way every Gi* here computes them. `constant` compares the values
// themselves, not sd == 0: the rounded mean of equal values need not equal
// them, which would leave a spurious sd ~ 1e-17 and meaningless z-scores.
// is_unit(i) says whether index i is a unit. Throws std::invalid_argument
// if a unit's value is not finite.
struct UnitMoments {
  size_t n = 0;
  double mean = 0;
  double sd = 0;
  bool constant = true;
};
template <typename IsUnit>
UnitMoments unit_moments(const std::vector<double>& values, IsUnit is_unit) {
  UnitMoments m;
  double sum = 0, first = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!is_unit(i)) continue;
    if (!std::isfinite(values[i]))
      throw std::invalid_argument("gi_star: value of unit " + std::to_string(i) + " is not finite");
    if (m.n == 0) first = values[i];
    if (values[i] != first) m.constant = false;
    ++m.n;
    sum += values[i];
  }
  if (m.n == 0) return m;
  m.mean = sum / static_cast<double>(m.n);
  double ss = 0;
  for (size_t i = 0; i < values.size(); ++i)
    if (is_unit(i)) ss += (values[i] - m.mean) * (values[i] - m.mean);
  m.sd = std::sqrt(ss / static_cast<double>(m.n));
  return m;
}

// Two-sided normal p-value, erfc(|z| / sqrt 2); NaN for NaN z.
double two_sided_p(double z);

// ArcGIS Gi_Bin for an uncorrected z: +-3 when p <= 0.01, +-2 when
// p <= 0.05, +-1 when p <= 0.10 (|z| >= about 2.576 / 1.960 / 1.645),
// 0 otherwise or for NaN; the sign is that of z.
int confidence_bin(double z);

// The same bin from z and its p = two_sided_p(z) already computed (NaN p
// gives 0), so that a caller holding p does not compute erfc again.
int confidence_bin_of_p(double z, double p);

// Benjamini-Hochberg step-up at false discovery rate alpha: sort the m
// non-NaN p ascending, find the largest rank k (1-based) with
// p_(k) <= k / m * alpha; the k smallest are significant (tied values at
// rank k are all included). NaN p-values are not tests: they are excluded
// from m and never significant. O(m log m).
// Throws std::invalid_argument unless 0 < alpha <= 1.
std::vector<bool> benjamini_hochberg(const std::vector<double>& p, double alpha);

}  // namespace hotspot::gistar
