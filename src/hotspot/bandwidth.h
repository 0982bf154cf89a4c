// Bandwidth (kernel radius) and cell-size rules, with the values they give
// reported back so every output can state them (docs/methods.md, "Bandwidth
// rules" and "Cell-size rules").
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "hotspot/geometry.h"
#include "hotspot/kde_options.h"
#include "hotspot/kernels.h"

namespace hotspot::kde {

// The kernel bandwidth (R, or sigma for the Gaussian) in metres.
// Silverman: R = 0.9 min(SD, sqrt(1/ln 2) Dm) n^-0.2, SD the standard
// distance, Dm the median distance to the mean centre.
// NRD: 4 x 1.06 min(sd, IQR/1.34) n^-1/5 per axis, the mean of both axes.
// Scott: sigma = sd n^-1/6 per axis (mean of both), R = bandwidth_for_sigma.
// A radius rule used with the Gaussian gives sigma = R / sqrt 8 (the
// quartic's variance). Throws InputError with fewer than 2 distinct points.
double bandwidth_by_rule(BandwidthRule rule, Kernel kernel, const std::vector<Point>& points);

double cell_by_rule(CellRule rule, const Box& extent);

}  // namespace hotspot::kde
