// Kernel density estimation on a grid (docs/methods.md, "Kernel density heat maps").
#pragma once

#include <string_view>
#include <vector>

#include "hotspot/grid.h"
#include "hotspot/kde_options.h"
#include "hotspot/kernels.h"

namespace hotspot::kde {

struct WeightedPoint {
  double x = 0, y = 0;  // working CRS, metres
  double w = 1;         // incident weight
};

struct KdeOptions {
  Kernel kernel = Kernel::kQuartic;
  double bandwidth = 0;        // metres: R, or sigma for the Gaussian
  double gaussian_cutoff = 4;  // Gaussian support, in sigmas
  Units units = Units::kPerKm2;
  Mode mode = Mode::kExact;
  int threads = 0;             // 0 = all cores; the result does not depend on it
};

// Points with identical coordinates merged into one with the summed weight
// (police.uk snaps incidents to shared points); sorted by (y, x).
std::vector<WeightedPoint> merge_identical(std::vector<WeightedPoint> points);

// Fills grid.values (sized nx * ny) with the density of `points`. Points
// outside the grid contribute to the cells within R of them. Thread-safe
// for distinct grids. Deterministic for any thread count: every cell is
// summed by one thread, in the points' order.
void estimate(const std::vector<WeightedPoint>& points, const KdeOptions& options, Grid& grid);

}  // namespace hotspot::kde
