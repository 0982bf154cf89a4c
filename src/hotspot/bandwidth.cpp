#include "hotspot/bandwidth.h"

#include <algorithm>
#include <cmath>

#include "hotspot/errors.h"

namespace hotspot::kde {
namespace {

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / double(v.size());
}

// Sample standard deviation (n - 1), as R's sd() used by MASS and spatstat.
double sd(const std::vector<double>& v) {
  const double m = mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / double(v.size() - 1));
}

// R's default quantile (type 7): linear between order statistics.
double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double h = (double(v.size()) - 1) * q;
  const size_t lo = size_t(std::floor(h));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - double(lo)) * (v[hi] - v[lo]);
}

double nrd(const std::vector<double>& v) {
  const double iqr = quantile(v, 0.75) - quantile(v, 0.25);
  const double s = sd(v);
  const double spread = iqr > 0 ? std::min(s, iqr / 1.34) : s;
  return 4 * 1.06 * spread * std::pow(double(v.size()), -0.2);
}

double silverman(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = mean(x), my = mean(y);
  std::vector<double> d(x.size());
  double ss = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - mx, dy = y[i] - my;
    ss += dx * dx + dy * dy;
    d[i] = std::sqrt(dx * dx + dy * dy);
  }
  const double standard_distance = std::sqrt(ss / double(x.size()));
  std::nth_element(d.begin(), d.begin() + long(d.size() / 2), d.end());
  double median = d[d.size() / 2];
  if (d.size() % 2 == 0) median = (median + *std::max_element(d.begin(), d.begin() + long(d.size() / 2))) / 2;
  return 0.9 * std::min(standard_distance, std::sqrt(1 / std::log(2.0)) * median) * std::pow(double(x.size()), -0.2);
}

}  // namespace

double bandwidth_by_rule(BandwidthRule rule, Kernel kernel, const std::vector<Point>& points) {
  std::vector<double> x, y;
  for (const Point& p : points) {
    x.push_back(p.x);
    y.push_back(p.y);
  }
  if (points.size() < 2 || (sd(x) == 0 && sd(y) == 0))
    throw InputError("a bandwidth rule needs at least 2 distinct incident locations; give a bandwidth");
  if (rule == BandwidthRule::kScott) {
    const double sigma = (sd(x) + sd(y)) / 2 * std::pow(double(x.size()), -1.0 / 6);
    return bandwidth_for_sigma(kernel, sigma);
  }
  const double r = rule == BandwidthRule::kNrd ? (nrd(x) + nrd(y)) / 2 : silverman(x, y);
  return kernel == Kernel::kGaussian ? r / std::sqrt(8.0) : r;
}

double cell_by_rule(CellRule rule, const Box& e) {
  const double shorter = std::min(e.max_x - e.min_x, e.max_y - e.min_y);
  if (rule == CellRule::kArcgis) return shorter / 250;
  const double floored = std::floor(shorter / 50 / 100) * 100;
  return floored > 0 ? floored : shorter / 50;
}

}  // namespace hotspot::kde
