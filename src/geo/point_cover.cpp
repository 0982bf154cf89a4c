#include "geo/point_cover.h"

#include <algorithm>
#include <cmath>

namespace hotspot::geo {
namespace {
constexpr int kMaxCells = 256;  // per side: a county's points mark ~1/10 of its box
}  // namespace

PointCover::PointCover(const std::vector<double>& x, const std::vector<double>& y) {
  Box all{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) continue;
    all = {std::min(all.min_x, x[i]), std::min(all.min_y, y[i]), std::max(all.max_x, x[i]), std::max(all.max_y, y[i])};
  }
  if (!(all.min_x <= all.max_x)) return;  // no point
  all_ = all;
  // Square cells over the longer side (a point's box of zero width is one cell).
  const double side = std::max({all.max_x - all.min_x, all.max_y - all.min_y, 1e-9});
  inv_ = kMaxCells / side;
  x0_ = all.min_x;
  y0_ = all.min_y;
  nx_ = std::clamp(int(std::ceil((all.max_x - all.min_x) * inv_)), 1, kMaxCells);
  ny_ = std::clamp(int(std::ceil((all.max_y - all.min_y) * inv_)), 1, kMaxCells);
  const size_t w = size_t(nx_) + 1;
  sums_.assign(w * (size_t(ny_) + 1), 0);
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) continue;
    sums_[size_t(cell(y[i], y0_, ny_) + 1) * w + size_t(cell(x[i], x0_, nx_) + 1)] = 1;
  }
  for (size_t r = 1; r <= size_t(ny_); ++r)
    for (size_t c = 1; c <= size_t(nx_); ++c)
      sums_[r * w + c] += sums_[(r - 1) * w + c] + sums_[r * w + c - 1] - sums_[(r - 1) * w + c - 1];
}

// Monotone in v (a subtraction, a multiplication by a positive number, a
// floor and a clamp), so a < b never gives cell(a) > cell(b).
int PointCover::cell(double v, double origin, int n) const {
  const double c = std::floor((v - origin) * inv_);
  return c < 0 ? 0 : c >= n ? n - 1 : int(c);
}

bool PointCover::may_hold_a_point(const Box& b) const {
  if (nx_ == 0 || !(b.min_x <= b.max_x && b.min_y <= b.max_y)) return false;
  // Wholly outside the points' bounds: no point there (the clamped cells below would say otherwise).
  if (b.max_x < all_.min_x || b.max_y < all_.min_y || b.min_x > all_.max_x || b.min_y > all_.max_y) return false;
  const size_t w = size_t(nx_) + 1;
  const size_t c0 = size_t(cell(b.min_x, x0_, nx_)), c1 = size_t(cell(b.max_x, x0_, nx_)) + 1;
  const size_t r0 = size_t(cell(b.min_y, y0_, ny_)), r1 = size_t(cell(b.max_y, y0_, ny_)) + 1;
  return sums_[r1 * w + c1] - sums_[r0 * w + c1] - sums_[r1 * w + c0] + sums_[r0 * w + c0] > 0;
}

}  // namespace hotspot::geo
