// Join throughput and end-to-end scale: `bench/run_bench.sh` builds and runs
// this and prints the figures recorded in the README.
//
//   BM_Locate/real          our PointLocator, real Leicestershire incidents
//   BM_BoostRtreeWithin     Boost.Geometry R-tree + within(), same points:
//                           the reference the hand-written locator must beat
//   BM_Locate/synthetic10M  10M points jittered around the real ones
//   BM_ReadJoinCount10M     10M-row lon/lat CSV through read + transform +
//                           join + count (no outputs), all threads
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/index/rtree.hpp>

#include "geo/crs.h"
#include "geo/point_locator.h"
#include "hotspot/pipeline.h"

namespace {

using namespace hotspot;
namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

const std::string kLeics = std::string(HOTSPOT_SHARED_DATA_DIR) + "/leicestershire";

RunSpec leics_spec() {
  RunSpec spec;
  IncidentSource s;
  s.format = IncidentFormat::kPoliceUk;
  s.paths = {kLeics + "/police-uk"};
  spec.incidents.push_back(s);
  AreaSource lsoa;
  lsoa.name = "lsoa";
  lsoa.paths = {kLeics + "/boundaries/lsoa2011"};
  lsoa.code_field = "LSOA11CD";
  spec.areas.push_back(lsoa);
  spec.working_crs = "EPSG:27700";
  return spec;
}

const RunResult& leics() {
  static RunResult r = run_pipeline(leics_spec());
  return r;
}

struct Points {
  std::vector<double> x, y;
};

const Points& synthetic(size_t n) {
  static Points p;
  if (p.x.size() == n) return p;
  const IncidentTable& t = leics().incidents;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> jitter(-250.0, 250.0);
  p.x.resize(n);
  p.y.resize(n);
  for (size_t i = 0; i < n; ++i) {
    p.x[i] = t.x[i % t.size()] + jitter(rng);
    p.y[i] = t.y[i % t.size()] + jitter(rng);
  }
  return p;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;
}

void locate_all(benchmark::State& state, const std::vector<double>& x, const std::vector<double>& y) {
  const geo::PointLocator locator(leics().layers[0].geometry);
  int64_t matched = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < x.size(); ++i) matched += locator.locate(x[i], y[i]) >= 0;
    benchmark::DoNotOptimize(matched);
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(x.size()));
  state.counters["areas"] = double(leics().layers[0].size());
  state.counters["grid_cells"] = double(locator.cell_count());
}

void BM_Locate_real(benchmark::State& state) { locate_all(state, leics().incidents.x, leics().incidents.y); }
BENCHMARK(BM_Locate_real)->Unit(benchmark::kMillisecond);

void BM_Locate_synthetic10M(benchmark::State& state) {
  const Points& p = synthetic(10'000'000);
  locate_all(state, p.x, p.y);
}
BENCHMARK(BM_Locate_synthetic10M)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_BoostRtreeWithin(benchmark::State& state) {
  using BPoint = bg::model::d2::point_xy<double>;
  using BPoly = bg::model::polygon<BPoint>;
  using BMulti = bg::model::multi_polygon<BPoly>;
  using BBox = bg::model::box<BPoint>;
  std::vector<BMulti> polys;
  std::vector<std::pair<BBox, size_t>> boxes;
  for (const MultiPolygon& mp : leics().layers[0].geometry) {
    BMulti m;
    for (const Polygon& poly : mp) {
      BPoly bp;
      for (size_t r = 0; r < poly.size(); ++r) {
        auto& ring = r == 0 ? bp.outer() : (bp.inners().emplace_back(), bp.inners().back());
        for (const Point& p : poly[r]) ring.push_back(BPoint(p.x, p.y));
        ring.push_back(BPoint(poly[r][0].x, poly[r][0].y));
      }
      bg::correct(bp);
      m.push_back(bp);
    }
    boxes.emplace_back(bg::return_envelope<BBox>(m), polys.size());
    polys.push_back(std::move(m));
  }
  bgi::rtree<std::pair<BBox, size_t>, bgi::quadratic<16>> tree(boxes.begin(), boxes.end());
  const auto& x = leics().incidents.x;
  const auto& y = leics().incidents.y;
  int64_t matched = 0;
  std::vector<std::pair<BBox, size_t>> hits;
  for (auto _ : state) {
    for (size_t i = 0; i < x.size(); ++i) {
      BPoint p(x[i], y[i]);
      hits.clear();
      tree.query(bgi::intersects(p), std::back_inserter(hits));
      for (const auto& h : hits)
        if (bg::within(p, polys[h.second])) {
          ++matched;
          break;
        }
    }
    benchmark::DoNotOptimize(matched);
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(x.size()));
}
BENCHMARK(BM_BoostRtreeWithin)->Unit(benchmark::kMillisecond);

// Writes a 10M-row lon/lat CSV (police.uk-like columns) once.
std::string synthetic_csv(size_t n) {
  const std::string path = (std::filesystem::temp_directory_path() / "hotspot_bench_10M.csv").string();
  if (std::filesystem::exists(path)) return path;
  const Points& p = synthetic(n);
  std::vector<double> lon = p.x, lat = p.y;
  // Back to lon/lat so the run includes the PROJ transform, as with police.uk.
  geo::transform_points("EPSG:27700", "EPSG:4326", lon, lat, 0);
  const char* cats[] = {"Burglary", "Vehicle crime", "Anti-social behaviour", "Shoplifting", "Robbery"};
  std::ofstream out(path + ".tmp");
  out << "lon,lat,month,category\n";
  char buf[128];
  for (size_t i = 0; i < n; ++i) {
    int len = std::snprintf(buf, sizeof buf, "%.6f,%.6f,2019-%02d,%s\n", lon[i], lat[i], int(i % 12) + 1, cats[i % 5]);
    out.write(buf, len);
  }
  out.close();
  std::filesystem::rename(path + ".tmp", path);
  return path;
}

void BM_ReadJoinCount10M(benchmark::State& state) {
  const std::string csv = synthetic_csv(10'000'000);
  RunSpec spec = leics_spec();
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.paths = {csv};
  s.x_field = "lon";
  s.y_field = "lat";
  s.date_field = "month";
  s.category_field = "category";
  spec.incidents = {s};
  for (auto _ : state) {
    RunResult r = run_pipeline(spec);
    state.counters["rows"] = double(r.ledger.rows_read);
    state.counters["matched"] = double(r.ledger.layers[0].matched);
  }
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
BENCHMARK(BM_ReadJoinCount10M)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
