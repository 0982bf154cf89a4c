#include "hotspot/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <gdal_priv.h>

#include "geo/crs.h"
#include "io/area_reader.h"
#include "io/delimited_reader.h"
#include "io/ogr_point_reader.h"
#include "pipeline/gates.h"
#include "pipeline/join.h"
#include "pipeline/outputs.h"
#include "pipeline/surfaces.h"
#include "stats/area_stats.h"
#include "stats/disclosure.h"
#include "stats/counts.h"

namespace hotspot {
namespace {

// Reads every incident source; `samples` gets one entry per file (see
// gates.h) for the sanity gates' diagnoses.
std::vector<io::IncidentBatch> read_incidents(const RunSpec& spec, Ledger& ledger,
                                              std::vector<pipeline::SourceSample>& samples) {
  io::ReadContext ctx;
  ctx.ledger = &ledger;
  std::vector<io::IncidentBatch> batches;
  for (const IncidentSource& source : spec.incidents) {
    const size_t before = batches.size();
    if (source.format == IncidentFormat::kOgr) {
      for (const std::string& path : io::incident_files(source, &ledger))
        batches.push_back(io::read_ogr_points(source, path, ctx));
    } else {
      const std::string crs = source.crs.empty() ? "EPSG:4326" : source.crs;
      const bool geographic = geo::is_geographic(crs);
      for (const std::string& path : io::incident_files(source, &ledger))
        batches.push_back(io::read_delimited(source, path, geographic, ctx));
    }
    for (size_t b = before; b < batches.size(); ++b) {
      const IncidentTable& t = batches[b].table;
      pipeline::SourceSample s{t.sources.at(0), &source, batches[b].crs, {}, batches[b].out_of_range};
      for (size_t i = 0; i < std::min(t.size(), pipeline::kSampleSize); ++i) s.accepted.emplace_back(t.x[i], t.y[i]);
      samples.push_back(std::move(s));
    }
  }
  return batches;
}

// Drops the rows whose transformed coordinates are NaN, rejecting them.
void reject_untransformable(io::IncidentBatch& b, Ledger& ledger) {
  IncidentTable& t = b.table;
  size_t kept = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (std::isnan(t.x[i])) {
      --ledger.accepted;
      ledger.add_reject({t.sources[0], t.source_row[i], RejectReason::kTransformFailed, "coordinates",
                         "not transformable from " + geo::crs_label(b.crs)});
      continue;
    }
    // kept == i would be a self-move, which empties a std::string.
    auto move = [&](auto& col) {
      if (kept != i && !col.empty()) col[kept] = std::move(col[i]);
    };
    move(t.x), move(t.y), move(t.month), move(t.minute), move(t.category), move(t.source);
    move(t.source_row), move(t.id), move(t.location), move(t.weight);
    for (auto& [layer, codes] : t.recorded) move(codes);
    ++kept;
  }
  auto shrink = [&](auto& col) {
    if (!col.empty()) col.resize(kept);
  };
  shrink(t.x), shrink(t.y), shrink(t.month), shrink(t.minute), shrink(t.category), shrink(t.source);
  shrink(t.source_row), shrink(t.id), shrink(t.location), shrink(t.weight);
  for (auto& [layer, codes] : t.recorded) shrink(codes);
}

std::vector<AreaLayer> read_areas(const RunSpec& spec, const std::string& working_crs, Ledger& ledger) {
  std::vector<AreaLayer> layers;
  for (const AreaSource& source : spec.areas) {
    if (!source.dissolve) {
      layers.push_back(io::read_area_layer(source, working_crs, ledger));
      continue;
    }
    const AreaLayer* from = nullptr;
    for (const AreaLayer& l : layers)
      if (l.name == source.dissolve->from_layer) from = &l;
    if (!from)
      throw ConfigError("area layer '" + source.name + "' dissolves '" + source.dissolve->from_layer +
                        "', which must be defined before it");
    AreaLayer dissolved = io::dissolve_layer(source, *from, ledger);
    if (source.population) io::join_population(dissolved, *source.population, ledger);
    layers.push_back(std::move(dissolved));
  }
  return layers;
}

}  // namespace

namespace {

// Wall-clock seconds since the last lap.
class Stopwatch {
 public:
  double lap() {
    const auto now = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return s;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

// A table_layer that names no layer would silently print another one.
void check_table_layer(const RunSpec& spec) {
  if (spec.stats.table_layer.empty()) return;
  std::string names;
  for (const AreaSource& a : spec.areas) {
    if (a.name == spec.stats.table_layer) return;
    names += (names.empty() ? "'" : ", '") + a.name + "'";
  }
  throw ConfigError("stats.table_layer: no area layer named '" + spec.stats.table_layer + "' (the layers are " +
                    (names.empty() ? std::string("none") : names) + ")");
}

// Warnings on what was read, before anything is counted: coordinates that
// were half meant otherwise, an auto-chosen zone in the southern hemisphere.
void warn_on_sources(const std::vector<pipeline::SourceSample>& samples, const RunSpec& spec,
                     const RunResult& result, Ledger& ledger) {
  for (const pipeline::SourceSample& s : samples) {
    if (std::string h = pipeline::out_of_range_hint(s); !h.empty()) {
      const auto n = std::count_if(ledger.rejects.begin(), ledger.rejects.end(), [&](const Reject& r) {
        return r.reason == RejectReason::kOutOfRange && r.file == s.path;
      });
      ledger.warnings.push_back(std::to_string(n) + " rows rejected as out_of_range. " + h);
    }
    if (std::string h = pipeline::swapped_hint(s); !h.empty()) ledger.warnings.push_back(h);
  }
  if (spec.working_crs.empty() && result.working_crs.rfind("EPSG:327", 0) == 0)
    ledger.warnings.push_back("the working CRS " + result.working_crs + " (a UTM zone in the southern hemisphere) was "
                              "chosen because " + result.working_crs_reason +
                              ". If the incidents are not in the southern hemisphere, their x and y are probably "
                              "swapped or their crs is wrong");
}

}  // namespace

RunResult run_pipeline(const RunSpec& spec) {
  GDALAllRegister();
  Stopwatch clock;
  if (spec.incidents.empty()) throw ConfigError("no incident source given");
  check_spec(spec);  // every value, before any data is read
  pipeline::check_outputs(spec);  // refuse an unsafe output folder before any work
  check_table_layer(spec);
  RunResult result;
  Ledger& ledger = result.ledger;
  std::vector<pipeline::SourceSample> samples;
  std::vector<io::IncidentBatch> batches = read_incidents(spec, ledger, samples);
  // Gate: nothing accepted is an input error, not an empty result.
  pipeline::require_incidents(ledger, samples);

  // The first source with rows decides the working CRS (unless the user did).
  static const io::IncidentBatch kNone{IncidentTable{}, "EPSG:4326", {}};
  const io::IncidentBatch* first = &kNone;
  for (const auto& b : batches)
    if (first == &kNone && b.table.size()) first = &b;
  result.working_crs = geo::choose_working_crs(spec.working_crs, first->crs, first->table.x, first->table.y,
                                               &result.working_crs_reason);
  result.working_crs_label = geo::crs_label(result.working_crs);
  for (io::IncidentBatch& b : batches) {
    geo::transform_points(b.crs, result.working_crs, b.table.x, b.table.y, spec.threads);
    reject_untransformable(b, ledger);
    io::append_table(result.incidents, std::move(b.table));
  }
  batches.clear();
  pipeline::require_incidents(ledger, samples);  // all may have failed to transform
  warn_on_sources(samples, spec, result, ledger);
  pipeline::check_area_of_use(result.incidents, result.working_crs, ledger);
  result.timings.push_back({"read and transform incidents", clock.lap()});
  if (spec.progress) spec.progress("read and transform incidents", 1, 6);

  result.layers = read_areas(spec, result.working_crs, ledger);
  result.timings.push_back({"read and repair areas", clock.lap()});
  if (spec.progress) spec.progress("read and repair areas", 2, 6);
  for (size_t l = 0; l < result.layers.size(); ++l) {
    const AreaLayer& layer = result.layers[l];
    LayerLedger entry;
    result.assignments.push_back(pipeline::join_layer(result.incidents, layer, spec.threads, entry));
    pipeline::check_match_share(result.incidents, layer, spec.areas[l], entry, result.working_crs, samples,
                                spec.checks, ledger);
    ledger.layers.push_back(std::move(entry));
    result.counts.push_back(stats::count_by_area(result.incidents, layer, result.assignments.back()));
  }
  result.timings.push_back({"join and count", clock.lap()});
  if (spec.progress) spec.progress("join and count", 3, 6);
  if (spec.stats.enabled) {
    result.stats = std::make_shared<const stats::StatsResult>(
        stats::compute_stats(result.incidents, result.layers, result.assignments, spec.stats));
    // Period coverage is a warning: printed before the tables, kept in run_summary.
    for (const std::string& w : result.stats->warnings) ledger.warnings.push_back(w);
    if (spec.stats.public_mode)
      result.disclosure = std::make_shared<const stats::Disclosure>(
          stats::protect(*result.stats, result.layers, spec.stats.suppress_below));
  } else if (spec.stats.public_mode) {
    throw ConfigError("stats.public needs the statistics (stats.enabled = true)");
  }
  result.timings.push_back({"statistics", clock.lap()});
  if (spec.progress) spec.progress("statistics", 4, 6);
  if (spec.kde.enabled) result.surfaces = pipeline::build_surfaces(spec, result);
  result.timings.push_back({"heat maps", clock.lap()});
  if (spec.progress) spec.progress("heat maps", 5, 6);
  for (const Surface& s : result.surfaces) result.timings.push_back({"kde " + s.name, s.kde_seconds});
  if (!spec.output.dir.empty()) {
    result.outputs = pipeline::write_outputs(spec, result);
    result.timings.push_back({"write outputs", clock.lap()});
  }
  if (spec.progress) spec.progress("write outputs", 6, 6);
  return result;
}

}  // namespace hotspot
