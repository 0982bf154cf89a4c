// PointCover: which parts of the plane hold any of a set of points, for
// skipping the areas no point can fall in.
//
// A coarse grid (up to 256 x 256 cells over the points' bounds) marks the
// cells holding a point; summed-area counts answer "does this box meet a
// marked cell?" in O(1). A box holding a point always meets its cell (the
// same monotone cell arithmetic for both), so the test never leaves out a
// box that holds a point; it may keep a box that holds none.
#pragma once

#include <cstdint>
#include <vector>

#include "hotspot/geometry.h"

namespace hotspot::geo {

class PointCover {
 public:
  // Points with a NaN coordinate are skipped (they fall in no area).
  PointCover(const std::vector<double>& x, const std::vector<double>& y);

  // False only when no point lies in `b` (edges included).
  bool may_hold_a_point(const Box& b) const;

 private:
  int cell(double v, double origin, int n) const;

  Box all_;  // the points' bounds
  double x0_ = 0, y0_ = 0, inv_ = 0;
  int nx_ = 0, ny_ = 0;         // 0: no point at all
  std::vector<uint32_t> sums_;  // (nx_ + 1) x (ny_ + 1) summed-area table of marked cells
};

}  // namespace hotspot::geo
