// The Knox test alone on Chicago's aggravated assaults (bench/knox.sh): 999
// shuffles, same location + 100 m x 8 (to 800 m) + beyond, 7 days x 8 (to
// 56 days) + beyond, Manhattan, on 2019 or on every year. Reading the CSV is
// timed apart from the test.
//   knox_bench 2019|all [threads]
#include <chrono>
#include <cstdio>
#include <limits>
#include <string>

#include "hotspot/pipeline.h"
#include "stats/knox.h"

int main(int argc, char** argv) {
  using namespace hotspot;
  const std::string which = argc > 1 ? argv[1] : "2019";
  const int threads = argc > 2 ? std::stoi(argv[2]) : 2;
  const auto t0 = std::chrono::steady_clock::now();
  RunSpec spec;
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.paths = {std::string(HOTSPOT_SHARED_DATA_DIR) + "/chicago/aggravated_assaults_2010_2019.csv.gz"};
  s.x_field = "longitude", s.y_field = "latitude", s.date_field = "date", s.category_field = "loc_cat";
  spec.incidents = {s};
  spec.stats.enabled = false;
  spec.quiet = true;
  spec.threads = threads;
  const RunResult r = run_pipeline(spec);
  std::vector<double> x, y;
  std::vector<int64_t> day;
  for (size_t i = 0; i < r.incidents.size(); ++i) {
    if (which == "2019" && r.incidents.month[i] < make_month(2019, 1)) continue;
    x.push_back(r.incidents.x[i]), y.push_back(r.incidents.y[i]), day.push_back(r.incidents.minute[i] / 1440);
  }
  const double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  knox::Options o;
  const double inf = std::numeric_limits<double>::infinity();
  o.space.edges = {0, 1, 100, 200, 300, 400, 500, 600, 700, 800, inf};
  o.time.edges = {0, 7, 14, 21, 28, 35, 42, 49, 56, inf};
  o.permutations = 999;
  o.threads = threads;
  const knox::Table k = knox::knox_test(x, y, day, o);
  std::printf("knox %s: %lld incidents, %lld close pairs (of %lld), %d threads, read %.2f s, knox %.2f s\n",
              which.c_str(), (long long)k.events, (long long)k.close_pairs, (long long)k.all_pairs, threads, read_s,
              k.seconds);
  std::printf("  [1,100) m x [0,7) days: observed %lld, expected %.1f, ratio %.2f, p %.3f\n",
              (long long)k.observed[k.at(1, 0)], k.expected[k.at(1, 0)], k.ratio[k.at(1, 0)], k.p[k.at(1, 0)]);
  return 0;
}
