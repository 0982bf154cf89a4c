#include "hotspot/emerging.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

namespace hotspot::emerging {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Sums over the cube that every bin's statistic reads: per location the
// running count over time, per step the sum and sum of squares (running).
struct Prefix {
  size_t L = 0, T = 0;
  std::vector<double> loc;     // loc[k * (T + 1) + t] = counts of k over steps < t
  std::vector<double> sum, sq; // over steps < t, all locations (T + 1 each)

  explicit Prefix(const Cube& c) : L(c.size()), T(size_t(c.steps)) {
    loc.assign(L * (T + 1), 0.0);
    std::vector<double> step_sum(T, 0.0), step_sq(T, 0.0);
    for (size_t k = 0; k < L; ++k)
      for (size_t t = 0; t < T; ++t) {
        const double x = c.count[k * T + t];
        loc[k * (T + 1) + t + 1] = loc[k * (T + 1) + t] + x;
        step_sum[t] += x, step_sq[t] += x * x;  // locations in order: same bits on any thread count
      }
    sum.assign(T + 1, 0.0), sq.assign(T + 1, 0.0);
    for (size_t t = 0; t < T; ++t) sum[t + 1] = sum[t] + step_sum[t], sq[t + 1] = sq[t] + step_sq[t];
  }
  double window(size_t k, size_t lo, size_t hi) const { return loc[k * (T + 1) + hi] - loc[k * (T + 1) + lo]; }
};

struct Moments {
  double n = 0, mean = 0, sd = 0;
};

// Global window of steps [lo, hi): n bins, mean X, S^2 = sum x^2 / n - X^2.
Moments window_moments(const Prefix& pre, size_t lo, size_t hi) {
  Moments m;
  m.n = double(pre.L * (hi - lo));
  if (m.n <= 0) return m;
  m.mean = (pre.sum[hi] - pre.sum[lo]) / m.n;
  const double var = (pre.sq[hi] - pre.sq[lo]) / m.n - m.mean * m.mean;
  // Equal values leave a rounding residue, not a variance: below this the
  // window is constant (z = 0, p = 1), as gistar.cpp decides it.
  m.sd = var > 1e-12 * std::max(1.0, m.mean * m.mean) ? std::sqrt(var) : 0.0;
  return m;
}

void gi_range(const Cube& cube, const gistar::Neighbours& w, const GiOptions& o, const Prefix& pre,
              size_t k_begin, size_t k_end, CubeGi& out) {
  const size_t T = pre.T, K = size_t(o.time_steps);
  const Moments whole = window_moments(pre, 0, T);
  for (size_t k = k_begin; k < k_end; ++k) {
    const size_t nk = w.offsets[k + 1] - w.offsets[k];
    for (size_t t = 0; t < T; ++t) {
      const size_t lo = t >= K ? t - K : 0;
      double sum = 0;
      for (uint32_t s = w.offsets[k]; s < w.offsets[k + 1]; ++s) sum += pre.window(w.index[s], lo, t + 1);
      const Moments g = o.window == Window::kCube ? whole
                        : o.window == Window::kStep ? window_moments(pre, t, t + 1)
                                                    : window_moments(pre, lo, t + 1);
      const double m = double(nk * (t - lo + 1));
      const size_t bin = k * T + t;
      if (g.sd == 0) {
        out.z[bin] = 0, out.p[bin] = 1;
      } else if (m >= g.n) {
        out.z[bin] = out.p[bin] = kNaN;
      } else {
        out.z[bin] = (sum - g.mean * m) / (g.sd * std::sqrt((g.n * m - m * m) / (g.n - 1)));
        out.p[bin] = gistar::two_sided_p(out.z[bin]);
      }
    }
  }
  (void)cube;
}

int sign_of(double z) { return z > 0 ? 1 : (z < 0 ? -1 : 0); }

}  // namespace

gistar::Neighbours restrict_to_cube(const gistar::Neighbours& all, const Cube& cube) {
  std::vector<int64_t> renumber(all.size(), -1);
  for (size_t k = 0; k < cube.size(); ++k) {
    if (cube.location[k] >= all.size()) throw std::invalid_argument("restrict_to_cube: location out of range");
    renumber[cube.location[k]] = int64_t(k);
  }
  gistar::Neighbours w;
  w.offsets.push_back(0);
  for (size_t k = 0; k < cube.size(); ++k) {
    const uint32_t loc = cube.location[k];
    for (uint32_t s = all.offsets[loc]; s < all.offsets[loc + 1]; ++s)
      if (renumber[all.index[s]] >= 0) w.index.push_back(uint32_t(renumber[all.index[s]]));
    std::sort(w.index.begin() + w.offsets.back(), w.index.end());
    w.offsets.push_back(uint32_t(w.index.size()));
  }
  if (cube.size() == 0) w.offsets.clear();
  return w;
}

CubeGi space_time_gi(const Cube& cube, const gistar::Neighbours& w, const GiOptions& options) {
  if (w.size() != cube.size())
    throw std::invalid_argument("space_time_gi: " + std::to_string(w.size()) + " neighbour lists for " +
                                std::to_string(cube.size()) + " locations");
  if (options.time_steps < 0) throw std::invalid_argument("space_time_gi: time_steps < 0");
  for (uint32_t j : w.index)
    if (j >= cube.size()) throw std::invalid_argument("space_time_gi: neighbour out of range");
  const Prefix pre(cube);
  CubeGi out;
  out.z.assign(cube.count.size(), kNaN);
  out.p.assign(cube.count.size(), kNaN);
  const size_t L = cube.size();
  const size_t threads = std::clamp<size_t>(size_t(std::max(options.threads, 1)), 1, std::max<size_t>(L, 1));
  std::vector<std::thread> pool;
  for (size_t i = 0; i < threads; ++i) {
    const size_t b = L * i / threads, e = L * (i + 1) / threads;
    pool.emplace_back([&, b, e] { gi_range(cube, w, options, pre, b, e, out); });
  }
  for (std::thread& th : pool) th.join();
  out.bin.assign(out.z.size(), 0);
  if (!options.fdr) {
    std::transform(out.z.begin(), out.z.end(), out.bin.begin(), gistar::confidence_bin);
    return out;
  }
  constexpr double kAlpha[] = {0.10, 0.05, 0.01};  // bins 1, 2, 3, as gistar.cpp
  for (int level = 0; level < 3; ++level) {
    const std::vector<bool> sig = gistar::benjamini_hochberg(out.p, kAlpha[level]);
    for (size_t i = 0; i < sig.size(); ++i)
      if (sig[i]) out.bin[i] = sign_of(out.z[i]) * (level + 1);
  }
  return out;
}

std::vector<bool> significant_bins(const CubeGi& gi, double alpha, bool fdr) {
  if (fdr) return gistar::benjamini_hochberg(gi.p, alpha);
  std::vector<bool> sig(gi.p.size());
  for (size_t i = 0; i < sig.size(); ++i) sig[i] = gi.p[i] <= alpha;  // NaN: false
  return sig;
}

Marks marks_of(const CubeGi& gi, const std::vector<bool>& significant, size_t k, int steps) {
  Marks m(size_t(steps), 0);
  for (size_t t = 0; t < m.size(); ++t) {
    const size_t bin = k * size_t(steps) + t;
    if (significant[bin]) m[t] = sign_of(gi.z[bin]);
  }
  return m;
}

}  // namespace hotspot::emerging
