#include "hotspot/change.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "geo/crs.h"

namespace hotspot::change {
namespace {

// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator written out here,
// not <random>, because std::uniform_int_distribution and std::shuffle are
// implementation-defined, and the p grid must be the same on any standard
// library, machine and thread count for a given seed.
struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // 0..n-1 by Lemire's multiply-shift (bias below n / 2^64: nil for any
  // incident count).
  uint64_t below(uint64_t n) { return uint64_t((static_cast<unsigned __int128>(next()) * n) >> 64); }
};

// The random stream of relabeling k: its own seed, so which thread draws it
// does not matter.
SplitMix64 stream(uint64_t seed, uint64_t k) {
  SplitMix64 s{seed ^ (0xD1B54A32D192ED03ULL * (k + 1))};
  s.next();
  return s;
}

// The k-subset number j (lexicographic order) of 0..n-1, as flags.
void unrank(uint64_t j, size_t n, size_t k, std::vector<char>& chosen) {
  chosen.assign(n, 0);
  size_t left = k;
  for (size_t i = 0; i < n && left > 0; ++i) {
    const uint64_t with_i = binomial(n - i - 1, left - 1);  // subsets choosing i here
    if (j < with_i) {
      chosen[i] = 1;
      --left;
    } else {
      j -= with_i;
    }
  }
}

// Incidents grouped by location (police.uk snaps many to one map point):
// the kernel of a location is the same for all of them, so each relabeling
// needs one kernel per location, with the signed sum of its incidents.
struct Locations {
  std::vector<kde::WeightedPoint> point;  // sorted by (y, x), as kde::merge_identical
  std::vector<uint32_t> of;               // per incident
};

Locations group(const std::vector<LabelledPoint>& pts) {
  std::vector<uint32_t> order(pts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = uint32_t(i);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return pts[a].y != pts[b].y ? pts[a].y < pts[b].y : pts[a].x < pts[b].x;
  });
  Locations l;
  l.of.resize(pts.size());
  for (uint32_t i : order) {
    if (l.point.empty() || l.point.back().x != pts[i].x || l.point.back().y != pts[i].y)
      l.point.push_back({pts[i].x, pts[i].y, 0});
    l.of[i] = uint32_t(l.point.size() - 1);
  }
  return l;
}

// after_i w_i / months_after - (1 - after_i) w_i / months_before, summed per
// location; locations summing to 0 are left out (they add nothing).
std::vector<kde::WeightedPoint> signed_points(const Locations& l, const std::vector<LabelledPoint>& pts,
                                              const std::vector<char>& after, double inv_before, double inv_after) {
  std::vector<double> w(l.point.size(), 0.0);
  for (size_t i = 0; i < pts.size(); ++i) w[l.of[i]] += after[i] ? pts[i].w * inv_after : -pts[i].w * inv_before;
  std::vector<kde::WeightedPoint> out;
  out.reserve(w.size());
  for (size_t k = 0; k < w.size(); ++k)
    if (w[k] != 0) out.push_back({l.point[k].x, l.point[k].y, w[k]});
  return out;
}

Grid blank(const Grid& shape, double fill) {
  Grid g{shape.x0, shape.y0, shape.cell, shape.nx, shape.ny, {}};
  g.values.assign(size_t(shape.nx) * size_t(shape.ny), fill);
  return g;
}

Grid density(const std::vector<LabelledPoint>& pts, bool after, double months, const kde::KdeOptions& o,
             const Grid& shape) {
  std::vector<kde::WeightedPoint> sel;
  for (const LabelledPoint& p : pts)
    if (p.after == after) sel.push_back({p.x, p.y, p.w});
  Grid g = blank(shape, 0.0);
  kde::estimate(sel, o, g);
  for (double& v : g.values) v /= months;
  return g;
}

void permutation_test(const std::vector<LabelledPoint>& pts, const ChangeOptions& o, const std::vector<bool>& inside,
                      ChangeGrids& out) {
  const size_t n = pts.size();
  std::vector<char> observed(n);
  size_t n_after = 0;
  for (size_t i = 0; i < n; ++i) n_after += (observed[i] = pts[i].after ? 1 : 0);
  const double inv_b = 1 / o.months_before, inv_a = 1 / o.months_after;
  const Locations loc = group(pts);
  kde::KdeOptions k = o.kde;
  k.threads = o.threads;
  Grid obs = blank(out.difference, 0.0);
  kde::estimate(signed_points(loc, pts, observed, inv_b, inv_a), k, obs);
  // |d| >= |d_obs| up to rounding: a relabeling that gives the same
  // difference in another summation order must count.
  double largest = 0;
  for (size_t c = 0; c < obs.size(); ++c)
    if (inside.empty() || inside[c]) largest = std::max(largest, std::fabs(obs.values[c]));
  std::vector<double> bar(obs.size());
  for (size_t c = 0; c < obs.size(); ++c)
    bar[c] = std::fabs(obs.values[c]) * (1 - 1e-9) - 1e-12 * largest;

  const uint64_t distinct = binomial(n, n_after);
  out.exact = distinct <= uint64_t(o.permutations);
  out.relabelings = out.exact ? int64_t(distinct) : o.permutations;
  const size_t jobs = size_t(out.relabelings);
  const size_t workers = std::clamp<size_t>(size_t(geo::thread_count(o.threads)), 1, std::max<size_t>(jobs, 1));
  std::vector<std::vector<uint32_t>> counts(workers, std::vector<uint32_t>(obs.size(), 0));
  k.threads = 1;  // the relabelings are spread over the threads instead
  auto work = [&](size_t worker) {
    std::vector<char> labels;
    Grid d = blank(obs, 0.0);
    std::vector<uint32_t>& count = counts[worker];
    for (size_t j = worker; j < jobs; j += workers) {
      if (out.exact) {
        unrank(j, n, n_after, labels);
      } else {
        labels = observed;  // Fisher-Yates from the same start every time
        SplitMix64 rng = stream(o.seed, j);
        for (size_t i = n; i > 1; --i) std::swap(labels[i - 1], labels[rng.below(i)]);
      }
      kde::estimate(signed_points(loc, pts, labels, inv_b, inv_a), k, d);
      for (size_t c = 0; c < d.size(); ++c) count[c] += std::fabs(d.values[c]) >= bar[c];
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work, w);
  work(0);
  for (std::thread& t : pool) t.join();
  out.p = blank(obs, NAN);
  for (size_t c = 0; c < obs.size(); ++c) {
    if (!inside.empty() && !inside[c]) continue;
    uint64_t total = 0;
    for (const auto& cw : counts) total += cw[c];
    out.p.values[c] = out.exact ? double(total) / double(jobs) : double(total + 1) / double(jobs + 1);
  }
}

}  // namespace

std::vector<double> bh_adjusted(const std::vector<double>& p) {
  std::vector<size_t> order;
  for (size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) order.push_back(i);
  // Stable: equal p keep their cell order, so the result never depends on the sort.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  std::vector<double> out(p.size(), NAN);
  const double m = double(order.size());
  double running = 1;  // the minimum over the larger p, from the largest down
  for (size_t r = order.size(); r-- > 0;) {
    running = std::min(running, p[order[r]] * m / double(r + 1));
    out[order[r]] = running;
  }
  return out;
}

uint64_t binomial(uint64_t n, uint64_t k) {
  if (k > n) return 0;
  k = std::min(k, n - k);
  unsigned __int128 r = 1;
  for (uint64_t i = 1; i <= k; ++i) {
    r = r * (n - k + i) / i;  // C(n - k + i, i): exact at every step
    if (r > std::numeric_limits<uint64_t>::max()) return std::numeric_limits<uint64_t>::max();
  }
  return uint64_t(r);
}

ChangeGrids change_surfaces(const std::vector<LabelledPoint>& pts, const ChangeOptions& o, const Grid& shape,
                            const std::vector<bool>& inside) {
  ChangeGrids out;
  kde::KdeOptions k = o.kde;
  k.threads = o.threads;
  out.before = density(pts, false, o.months_before, k, shape);
  out.after = density(pts, true, o.months_after, k, shape);
  out.difference = blank(shape, NAN);
  out.log_ratio = blank(shape, NAN);
  for (size_t c = 0; c < out.before.size(); ++c) {
    if (!inside.empty() && !inside[c]) {
      out.before.values[c] = out.after.values[c] = NAN;
      continue;
    }
    const double b = out.before.values[c], a = out.after.values[c];
    out.difference.values[c] = a - b;
    if (a > o.floor && b > o.floor) out.log_ratio.values[c] = std::log(a / b);
  }
  if (o.permutations > 0) permutation_test(pts, o, inside, out);
  if (o.permutations > 0 && o.fdr) {
    out.p_fdr = blank(shape, NAN);
    out.p_fdr.values = bh_adjusted(out.p.values);  // NaN outside the study area: not tested, not counted
  }
  return out;
}

}  // namespace hotspot::change
