// Kernels for density estimation (docs/methods.md, "Kernels").
//
// Every kernel is written as shape(d) on a support radius R (zero beyond),
// plus the constant that makes it integrate to 1 over the plane:
//   quartic      3/(pi R^2) (1 - d^2/R^2)^2     (QGIS, ArcGIS, CrimeStat default)
//   triweight    4/(pi R^2) (1 - d^2/R^2)^3
//   epanechnikov 2/(pi R^2) (1 - d^2/R^2)
//   uniform      1/(pi R^2)
//   triangular   3/(pi R^2) (1 - d/R)
//   gaussian     1/(2 pi s^2) exp(-d^2/(2 s^2)), cut at R = cutoff x s
// "Raw" output is the sum of shape(d) without the constant (QGIS "Raw").
// QGIS's "Scaled" quartic used 116/(5 pi R^2) until 2025, which integrates
// to 7.25; tests/hotspot/kernels_test.cpp guards against that.
#pragma once

#include <string>
#include <string_view>

#include "hotspot/kde_options.h"

namespace hotspot::kde {

class KernelFunction {
 public:
  // bandwidth: R for the finite kernels, sigma for the Gaussian (then R =
  // cutoff x sigma). Units: metres.
  KernelFunction(Kernel kernel, double bandwidth, double gaussian_cutoff = 4.0);

  double radius() const { return radius_; }  // support radius R, metres
  // shape as a function of u2 = d^2 / R^2, for 0 <= u2 < 1 (0 beyond).
  double shape(double u2) const;
  // The normalising constant: shape(u2) * norm() integrates to 1 (per m^2).
  double norm() const { return norm_; }
  Kernel kernel() const { return kernel_; }
  // sigma of one coordinate (the kernel's standard deviation along an axis).
  double sigma() const;

 private:
  Kernel kernel_;
  double radius_, norm_, gauss_k_ = 0;
};

// The radius R that gives a kernel the per-axis standard deviation sigma
// (variance matching: quartic R = sqrt 8 sigma, Epanechnikov sqrt 6 sigma,
// triweight sqrt 10 sigma, uniform 2 sigma, triangular sigma / sqrt 0.15).
// For the Gaussian this is sigma itself (its bandwidth).
double bandwidth_for_sigma(Kernel kernel, double sigma);

}  // namespace hotspot::kde
