// KDE speed: `bench/run_bench.sh` runs this with join_bench.
//   BM_KdeExact_1M      1M random points, 1000 x 1000 grid, quartic R = 10 cells, exact
//   BM_KdeFast_1M       the same in fast (binned) mode
//   BM_KdeLeicestershire 41.5k real incidents, R = 500 m, 25 m cells, the force's extent, exact
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <random>

#include "geo/geos_util.h"
#include "hotspot/kde.h"
#include "hotspot/pipeline.h"

namespace {

using namespace hotspot;

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;
}

std::vector<kde::WeightedPoint> random_points(size_t n, double size) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> u(0, size);
  std::vector<kde::WeightedPoint> p(n);
  for (auto& q : p) q = {u(rng), u(rng), 1.0};
  return p;
}

void kde_1m(benchmark::State& state, kde::Mode mode) {
  const auto pts = random_points(1'000'000, 1000.0);
  Grid g;
  g.cell = 1;
  g.nx = g.ny = 1000;
  kde::KdeOptions o;
  o.bandwidth = 10;  // 10 cells
  o.mode = mode;
  o.threads = int(state.range(0));
  for (auto _ : state) {
    kde::estimate(pts, o, g);
    benchmark::DoNotOptimize(g.values.data());
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(pts.size()));
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
void BM_KdeExact_1M(benchmark::State& s) { kde_1m(s, kde::Mode::kExact); }
void BM_KdeFast_1M(benchmark::State& s) { kde_1m(s, kde::Mode::kFast); }
BENCHMARK(BM_KdeExact_1M)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_KdeFast_1M)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_KdeLeicestershire(benchmark::State& state) {
  const std::string leics = std::string(HOTSPOT_SHARED_DATA_DIR) + "/leicestershire";
  RunSpec spec;
  IncidentSource s;
  s.paths = {leics + "/police-uk"};
  spec.incidents = {s};
  AreaSource lsoa;
  lsoa.name = "lsoa";
  lsoa.paths = {leics + "/boundaries/lsoa2011"};
  lsoa.code_field = "LSOA11CD";
  spec.areas = {lsoa};
  spec.stats.enabled = false;
  static const RunResult r = run_pipeline(spec);
  Box box{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (const auto& mp : r.layers[0].geometry) {
    const Box b = geo::bounds(mp);
    box = {std::min(box.min_x, b.min_x), std::min(box.min_y, b.min_y), std::max(box.max_x, b.max_x),
           std::max(box.max_y, b.max_y)};
  }
  std::vector<kde::WeightedPoint> pts;
  for (size_t i = 0; i < r.incidents.size(); ++i) pts.push_back({r.incidents.x[i], r.incidents.y[i], 1.0});
  Grid g;
  g.cell = 25;
  g.x0 = box.min_x - 500;
  g.y0 = box.min_y - 500;
  g.nx = int((box.max_x - box.min_x + 1000) / 25) + 1;
  g.ny = int((box.max_y - box.min_y + 1000) / 25) + 1;
  kde::KdeOptions o;
  o.bandwidth = 500;
  o.units = kde::Units::kRaw;
  for (auto _ : state) {
    kde::estimate(pts, o, g);
    benchmark::DoNotOptimize(g.values.data());
  }
  state.counters["points"] = double(pts.size());
  state.counters["cells"] = double(g.nx) * g.ny;
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
BENCHMARK(BM_KdeLeicestershire)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
