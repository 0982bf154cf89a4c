#include "pipeline/join.h"

#include <algorithm>
#include <thread>

#include "geo/crs.h"
#include "geo/point_locator.h"
#include "hotspot/fresh_buffer.h"

namespace hotspot::pipeline {
namespace {

// The recorded code of row i disagrees with the area it fell in.
bool disagrees(const InternedColumn& recorded, const AreaLayer& layer, const Assignment& assignment, size_t i) {
  const int32_t area = assignment.area[i];
  return !recorded[i].empty() && (area < 0 || layer.code[size_t(area)] != recorded[i]);
}

void compare_recorded(const InternedColumn& recorded, const AreaLayer& layer,
                      const Assignment& assignment, Agreement& a) {
  // Counted first so the rows vector is sized once: grown by doubling, its
  // 72-byte rows were moved and their pages faulted in again at each step
  // (a run whose layer disagrees with most recorded codes, e.g. a dry run
  // of a national year against one district: ~5.8M rows, a third of that
  // dry run's CPU, perf).
  size_t n = 0;
  for (size_t i = 0; i < recorded.size(); ++i) n += disagrees(recorded, layer, assignment, i);
  reserve_fresh(a.rows, a.rows.size() + n);
  for (size_t i = 0; i < recorded.size(); ++i) {
    if (recorded[i].empty()) {
      ++a.recorded_blank;
      continue;
    }
    ++a.compared;
    const int32_t area = assignment.area[i];
    const std::string& spatial = area >= 0 ? layer.code[size_t(area)] : std::string();
    if (spatial == recorded[i]) {
      ++a.agree;
    } else {
      ++a.disagree;
      a.rows.push_back({int64_t(i), recorded[i], spatial});
    }
  }
}

}  // namespace

Assignment join_layer(const IncidentTable& t, const AreaLayer& layer, int threads, LayerLedger& ledger) {
  // Only the areas the incidents may fall in are indexed (the answers are
  // those of the whole layer's index: PointLocator's `near`). One county's
  // rows against all 32,844 English LSOAs: the grid of 4M cells over
  // England was most of the join and count (bench/RESULTS.md, perf-areasr).
  const geo::PointCover near(t.x, t.y);
  const geo::PointLocator locator(layer.geometry, geo::thread_count(threads), &near);
  return join_layer(t, layer, locator, threads, ledger);
}

Assignment join_layer(const IncidentTable& t, const AreaLayer& layer, const geo::PointLocator& locator, int threads,
                      LayerLedger& ledger) {
  Assignment out;
  out.layer = layer.name;
  out.area.resize(t.size());
  const size_t n = t.size();
  const int parts = static_cast<int>(std::clamp<size_t>((n + 65535) / 65536, 1, size_t(geo::thread_count(threads))));
  std::vector<int64_t> multiple(size_t(parts), 0);
  auto work = [&](int part) {
    const size_t begin = n * size_t(part) / size_t(parts), end = n * size_t(part + 1) / size_t(parts);
    int hits = 0;
    for (size_t i = begin; i < end; ++i) {
      out.area[i] = locator.locate(t.x[i], t.y[i], &hits);
      if (hits > 1) ++multiple[size_t(part)];
    }
  };
  std::vector<std::thread> pool;
  for (int p = 1; p < parts; ++p) pool.emplace_back(work, p);
  work(0);
  for (auto& th : pool) th.join();

  ledger.layer = layer.name;
  ledger.matched = std::count_if(out.area.begin(), out.area.end(), [](int32_t a) { return a >= 0; });
  ledger.unmatched = int64_t(n) - ledger.matched;
  for (int64_t m : multiple) ledger.multiple += m;
  auto rec = t.recorded.find(layer.name);
  if (rec != t.recorded.end()) {
    ledger.has_agreement = true;
    compare_recorded(rec->second, layer, out, ledger.agreement);
  }
  return out;
}

}  // namespace hotspot::pipeline
