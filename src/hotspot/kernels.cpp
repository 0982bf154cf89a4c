#include "hotspot/kernels.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "hotspot/errors.h"

namespace hotspot::kde {

KernelFunction::KernelFunction(Kernel kernel, double bandwidth, double cutoff) : kernel_(kernel) {
  if (!(bandwidth > 0)) throw ConfigError("kernel bandwidth must be positive");
  const double pi = std::numbers::pi;
  radius_ = kernel == Kernel::kGaussian ? bandwidth * cutoff : bandwidth;
  const double r2 = radius_ * radius_;
  switch (kernel) {
    case Kernel::kQuartic: norm_ = 3 / (pi * r2); break;
    case Kernel::kTriweight: norm_ = 4 / (pi * r2); break;
    case Kernel::kEpanechnikov: norm_ = 2 / (pi * r2); break;
    case Kernel::kUniform: norm_ = 1 / (pi * r2); break;
    case Kernel::kTriangular: norm_ = 3 / (pi * r2); break;
    case Kernel::kGaussian:
      norm_ = 1 / (2 * pi * bandwidth * bandwidth);
      // exp(-d^2 / (2 s^2)) = exp(-u2 * R^2 / (2 s^2)) = exp(-u2 * cutoff^2 / 2)
      gauss_k_ = cutoff * cutoff / 2;
      break;
  }
}

double KernelFunction::shape(double u2) const {
  if (!(u2 < 1)) return 0;
  const double t = 1 - u2;
  switch (kernel_) {
    case Kernel::kQuartic: return t * t;
    case Kernel::kTriweight: return t * t * t;
    case Kernel::kEpanechnikov: return t;
    case Kernel::kUniform: return 1;
    case Kernel::kTriangular: return 1 - std::sqrt(u2);
    case Kernel::kGaussian: return std::exp(-u2 * gauss_k_);
  }
  return 0;
}

double bandwidth_for_sigma(Kernel kernel, double sigma) {
  switch (kernel) {
    case Kernel::kQuartic: return std::sqrt(8.0) * sigma;
    case Kernel::kTriweight: return std::sqrt(10.0) * sigma;
    case Kernel::kEpanechnikov: return std::sqrt(6.0) * sigma;
    case Kernel::kUniform: return 2 * sigma;
    case Kernel::kTriangular: return sigma / std::sqrt(0.15);
    case Kernel::kGaussian: return sigma;
  }
  return sigma;
}

double KernelFunction::sigma() const {
  return kernel_ == Kernel::kGaussian ? std::sqrt(1.0 / (2 * std::numbers::pi * norm_))
                                      : radius_ / bandwidth_for_sigma(kernel_, 1.0);
}

}  // namespace hotspot::kde
