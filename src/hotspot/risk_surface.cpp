#include "hotspot/risk_surface.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

namespace hotspot::risk {
namespace {

struct Events {
  const std::vector<double>& x;
  const std::vector<double>& y;
  const std::vector<int32_t>& step;
  std::vector<std::vector<uint32_t>> by_step;  // event indices per step
  std::vector<int64_t> cell;                   // per event: its cell index, -1 outside
};

// Adds w(d) to every cell whose centre is within `radius` of (px, py).
template <typename Weight>
void splat(const Grid& g, std::vector<double>& v, double px, double py, double radius, Weight w) {
  const int c0 = std::max(0, int(std::floor((px - radius - g.x0) / g.cell)));
  const int c1 = std::min(g.nx - 1, int(std::floor((px + radius - g.x0) / g.cell)));
  const int r0 = std::max(0, int(std::floor((g.y_top() - py - radius) / g.cell)));
  const int r1 = std::min(g.ny - 1, int(std::floor((g.y_top() - py + radius) / g.cell)));
  for (int r = r0; r <= r1; ++r)
    for (int c = c0; c <= c1; ++c) {
      const double d = std::hypot(g.centre_x(c) - px, g.centre_y(r) - py);
      if (d <= radius) v[size_t(r) * size_t(g.nx) + size_t(c)] += w(d);
    }
}

// The risk surface for step s from steps s-L..s-1.
std::vector<double> risk_for(const Grid& g, const Events& e, int s, const Options& o) {
  std::vector<double> v(size_t(g.nx) * size_t(g.ny), 0.0);
  for (int k = std::max(0, s - o.lookback); k < s; ++k) {
    const double age = double(s - 1 - k);
    for (uint32_t i : e.by_step[size_t(k)])
      splat(g, v, e.x[i], e.y[i], o.distance, [&](double d) { return 1.0 / (1.0 + d / g.cell) / (1.0 + age); });
  }
  return v;
}

std::vector<double> kde_for(const Grid& g, const Events& e, int s, const Options& o) {
  std::vector<double> v(size_t(g.nx) * size_t(g.ny), 0.0);
  const double h = o.baseline_bandwidth;
  if (s >= 1)
    for (uint32_t i : e.by_step[size_t(s - 1)])
      splat(g, v, e.x[i], e.y[i], h, [&](double d) {
        const double u = 1 - d * d / (h * h);
        return u * u;  // quartic, unnormalised: only the ranking matters
      });
  return v;
}

std::vector<double> counts_for(const Grid& g, const Events& e, int s) {
  std::vector<double> v(size_t(g.nx) * size_t(g.ny), 0.0);
  if (s >= 1)
    for (uint32_t i : e.by_step[size_t(s - 1)]) v[size_t(e.cell[i])] += 1;
  return v;
}

// The top k study cells by value (ties: lower index first).
std::vector<char> top_cells(const std::vector<double>& v, const std::vector<int64_t>& study, int64_t k) {
  std::vector<int64_t> order = study;
  auto better = [&](int64_t a, int64_t b) { return v[size_t(a)] != v[size_t(b)] ? v[size_t(a)] > v[size_t(b)] : a < b; };
  std::nth_element(order.begin(), order.begin() + std::ptrdiff_t(k - 1), order.end(), better);
  std::vector<char> top(v.size(), 0);
  for (int64_t i = 0; i < k; ++i) top[size_t(order[size_t(i)])] = 1;
  return top;
}

}  // namespace

Result build(const std::vector<double>& x, const std::vector<double>& y, const std::vector<int32_t>& step, int steps,
             const Options& o) {
  if (x.size() != y.size() || x.size() != step.size()) throw std::invalid_argument("risk: x, y and step differ in size");
  if (!(o.cell > 0) || !(o.distance > 0) || o.lookback < 1 || !(o.top_percent > 0 && o.top_percent <= 100) ||
      !(o.baseline_bandwidth > 0) || steps < 1)
    throw std::invalid_argument("risk: cell, distance, baseline bandwidth must be > 0, lookback >= 1, top percent in (0, 100]");
  Events e{x, y, step, std::vector<std::vector<uint32_t>>(size_t(steps)), std::vector<int64_t>(x.size(), -1)};
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
  for (size_t i = 0; i < x.size(); ++i) {
    if (step[i] < 0) continue;
    if (step[i] >= steps) throw std::invalid_argument("risk: step out of range");
    x0 = std::min(x0, x[i]), y0 = std::min(y0, y[i]), x1 = std::max(x1, x[i]), y1 = std::max(y1, y[i]);
    e.by_step[size_t(step[i])].push_back(uint32_t(i));
  }
  if (!(x0 <= x1)) throw std::invalid_argument("risk: no event");
  Result out;
  Grid& g = out.grid;
  g.cell = o.cell;
  g.x0 = std::floor(x0 / o.cell) * o.cell;
  g.y0 = std::floor(y0 / o.cell) * o.cell;
  g.nx = int(std::floor((x1 - g.x0) / o.cell)) + 1;
  g.ny = int(std::floor((y1 - g.y0) / o.cell)) + 1;
  if (double(g.nx) * double(g.ny) > 2e7) throw std::invalid_argument("risk: over 2*10^7 cells: give a larger cell");
  const size_t cells = size_t(g.nx) * size_t(g.ny);
  out.study.assign(cells, 0);
  for (size_t i = 0; i < x.size(); ++i) {
    if (step[i] < 0) continue;
    const int c = std::min(g.nx - 1, int(std::floor((x[i] - g.x0) / o.cell)));
    const int r = std::min(g.ny - 1, std::max(0, int(std::floor((g.y_top() - y[i]) / o.cell))));
    e.cell[i] = int64_t(r) * g.nx + c;
    out.study[size_t(e.cell[i])] = 1;
  }
  std::vector<int64_t> study;
  for (size_t c = 0; c < cells; ++c)
    if (out.study[c]) study.push_back(int64_t(c));
  out.study_cells = int64_t(study.size());
  out.top_cells = std::max<int64_t>(1, int64_t(std::ceil(o.top_percent / 100.0 * double(study.size()) - 1e-9)));
  const double area_share = double(out.top_cells) / double(out.study_cells);

  // Backtest: step s predicted from the steps before it, for s = L..T-1.
  std::vector<StepScore> scores(size_t(std::max(0, steps - o.lookback)));
  auto score = [&](int s) {
    StepScore sc;
    sc.step = s;
    sc.events = int64_t(e.by_step[size_t(s)].size());
    if (sc.events == 0) return sc;
    auto hit_rate = [&](const std::vector<double>& v) {
      const std::vector<char> top = top_cells(v, study, out.top_cells);
      int64_t hits = 0;
      for (uint32_t i : e.by_step[size_t(s)]) hits += top[size_t(e.cell[i])];
      return double(hits) / double(sc.events);
    };
    sc.hit = hit_rate(risk_for(g, e, s, o));
    sc.hit_kde = hit_rate(kde_for(g, e, s, o));
    sc.hit_counts = hit_rate(counts_for(g, e, s));
    sc.pai = sc.hit / area_share, sc.pai_kde = sc.hit_kde / area_share, sc.pai_counts = sc.hit_counts / area_share;
    return sc;
  };
  const int jobs = int(scores.size());
  const int workers = std::clamp(o.threads, 1, std::max(1, jobs));
  std::vector<std::thread> pool;
  auto work = [&](int w) {
    for (int j = jobs * w / workers; j < jobs * (w + 1) / workers; ++j) scores[size_t(j)] = score(o.lookback + j);
  };
  for (int w = 1; w < workers; ++w) pool.emplace_back(work, w);
  work(0);
  for (std::thread& t : pool) t.join();
  for (const StepScore& sc : scores)
    if (sc.events > 0) out.backtest.push_back(sc);
  if (!out.backtest.empty()) {
    for (const StepScore& sc : out.backtest) {
      out.mean_hit += sc.hit, out.mean_pai += sc.pai, out.mean_hit_kde += sc.hit_kde, out.mean_pai_kde += sc.pai_kde;
      out.mean_hit_counts += sc.hit_counts, out.mean_pai_counts += sc.pai_counts;
    }
    const double n = double(out.backtest.size());
    out.mean_hit /= n, out.mean_pai /= n, out.mean_hit_kde /= n, out.mean_pai_kde /= n;
    out.mean_hit_counts /= n, out.mean_pai_counts /= n;
  }
  // The surface for the step after the last, and its ranks.
  g.values = risk_for(g, e, steps, o);
  out.rank.assign(cells, 0);
  std::vector<int64_t> order = study;
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return g.values[size_t(a)] != g.values[size_t(b)] ? g.values[size_t(a)] > g.values[size_t(b)] : a < b;
  });
  for (size_t k = 0; k < order.size(); ++k) out.rank[size_t(order[k])] = int64_t(k) + 1;
  return out;
}

}  // namespace hotspot::risk
