#include "pipeline/stream.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>

#include <ogr_spatialref.h>

#include "pipeline/join.h"

namespace hotspot::pipeline {

bool incidents_layer_written(const RunSpec& spec) {
  const bool layer_writer = spec.output.geopackage || spec.output.geojson || !spec.output.postgis.connection.empty();
  return spec.output.incidents && !spec.stats.public_mode && layer_writer;
}

bool aggregate_mode(const RunSpec& spec) {
  const char* whole = std::getenv("HOTSPOT_WHOLE_TABLE");
  return !spec.dry_run && !incidents_layer_written(spec) && !(whole && *whole && std::string(whole) != "0");
}

void reject_untransformable(io::IncidentBatch& b, Ledger& ledger) {
  IncidentTable& t = b.table;
  std::vector<bool> kept;
  std::string from;  // crs_label asks PROJ: once per batch
  for (size_t i = 0; i < t.size(); ++i) {
    if (!std::isnan(t.x[i])) continue;
    if (from.empty()) from = geo::crs_label(b.crs);
    if (kept.empty()) kept.assign(t.size(), true);
    kept[i] = false;
    --ledger.accepted;
    ledger.add_reject({t.sources[t.source[i]], t.source_row[i], RejectReason::kTransformFailed, "coordinates",
                       "not transformable from " + from});
  }
  if (!kept.empty()) io::keep_rows(t, kept);
}

IncidentStream::IncidentStream(const RunSpec& spec, RunResult& result, AreaReader read_areas)
    : spec_(spec), result_(result), read_areas_(std::move(read_areas)) {}

IncidentStream::~IncidentStream() = default;

void IncidentStream::start(const io::IncidentBatch& b) {
  // As the whole-table run chooses it: from the first file with rows.
  const IncidentTable& t = b.table;
  result_.working_crs = geo::choose_working_crs(spec_.working_crs, b.crs, t.x, t.y, &result_.working_crs_reason);
  result_.working_crs_label = geo::crs_label(result_.working_crs);
  const auto t0 = std::chrono::steady_clock::now();
  result_.layers = read_areas_(result_.working_crs, area_ledger_);
  for (const AreaLayer& layer : result_.layers) {
    locators_.push_back(std::make_unique<geo::PointLocator>(layer.geometry, geo::thread_count(spec_.threads)));
    assignments_.push_back({});
    assignments_.back().layer = layer.name;
    entries_.push_back({});
    entries_.back().layer = layer.name;
  }
  rows_without_recorded_.assign(result_.layers.size(), 0);
  area_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  started_ = true;
}

void IncidentStream::take(io::IncidentBatch& b) {
  IncidentTable& t = b.table;
  for (const auto& [layer, codes] : t.recorded)
    if (std::find(recorded_seen_.begin(), recorded_seen_.end(), layer) == recorded_seen_.end())
      recorded_seen_.push_back(layer);
  if (t.size() == 0) return;
  if (!started_) start(b);
  transform(b);
  reject_untransformable(b, held_);
  join(t);
  rows_ += int64_t(t.size());
}

// geo::transform_points with one transform object per source CRS for the
// whole run rather than one per file (4,680 files a decade): making one sets
// up a PROJ pipeline from its database.
void IncidentStream::transform(io::IncidentBatch& b) {
  geo::TransformPtr& made = transforms_[b.crs];
  if (!made) made = geo::make_transform(b.crs, result_.working_crs);
  geo::transform_points(*made, b.table.x, b.table.y);
}

void IncidentStream::join(IncidentTable& t) {
  std::vector<bool> disagrees(t.size(), false);
  for (size_t l = 0; l < result_.layers.size(); ++l) {
    LayerLedger file;
    Assignment a = join_layer(t, result_.layers[l], *locators_[l], spec_.threads, file);
    std::vector<int32_t>& area = assignments_[l].area;
    area.insert(area.end(), a.area.begin(), a.area.end());
    LayerLedger& e = entries_[l];
    e.matched += file.matched, e.unmatched += file.unmatched, e.multiple += file.multiple;
    if (!file.has_agreement) rows_without_recorded_[l] += int64_t(t.size());
    Agreement& g = e.agreement;
    g.compared += file.agreement.compared, g.agree += file.agreement.agree;
    g.disagree += file.agreement.disagree, g.recorded_blank += file.agreement.recorded_blank;
    for (Agreement::Row& row : file.agreement.rows) {
      disagrees[size_t(row.incident)] = true;
      row.incident += rows_;  // an index into the whole run's table
      g.rows.push_back(std::move(row));
    }
  }
  keep_disagreeing_ids(t, disagrees);
  t.recorded.clear();  // compared: nothing else reads the recorded codes
}

void IncidentStream::keep_disagreeing_ids(IncidentTable& t, const std::vector<bool>& disagrees) {
  if (t.id.empty()) return;
  TextColumn kept;
  bool any = false;
  for (size_t i = 0; i < t.size(); ++i) {
    kept.push_back(disagrees[i] ? t.id[i] : std::string_view());
    any = any || (disagrees[i] && !t.id[i].empty());
  }
  // No id to keep: no column (id_at() reads blank either way).
  t.id = any ? std::move(kept) : TextColumn();
}

void IncidentStream::finish_reading(Ledger& ledger) {
  ledger.accepted += held_.accepted;
  for (Reject& r : held_.rejects) ledger.add_reject(std::move(r));
  held_ = Ledger();
}

void IncidentStream::add_area_warnings(Ledger& ledger) {
  for (std::string& w : area_ledger_.warnings) ledger.warnings.push_back(std::move(w));
  area_ledger_.warnings.clear();
}

LayerLedger IncidentStream::take_entry(size_t l) {
  LayerLedger e = std::move(entries_[l]);
  // The whole table has the layer's recorded column if any file had it;
  // the rows of files without it are blanks there.
  e.has_agreement = std::find(recorded_seen_.begin(), recorded_seen_.end(), e.layer) != recorded_seen_.end();
  if (e.has_agreement) e.agreement.recorded_blank += rows_without_recorded_[l];
  return e;
}

}  // namespace hotspot::pipeline
