#include "hotspot/pipeline.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <optional>

#include <gdal_priv.h>

#include "geo/crs.h"
#include "geo/geos_util.h"
#include "geo/point_locator.h"
#include "io/area_reader.h"
#include "io/delimited_reader.h"
#include "io/ogr_point_reader.h"
#include "pipeline/change_run.h"
#include "pipeline/emerging_run.h"
#include "pipeline/near_repeat_run.h"
#include "pipeline/gates.h"
#include "pipeline/join.h"
#include "pipeline/memory_check.h"
#include "pipeline/outputs.h"
#include "pipeline/postgis_outputs.h"
#include "pipeline/stream.h"
#include "pipeline/surfaces.h"
#include "report/front_page.h"
#include "pipeline/map_context.h"
#include "stats/area_stats.h"
#include "stats/categories.h"
#include "stats/disclosure.h"
#include "stats/counts.h"

namespace hotspot {
namespace {

// A dry run (spec.dry_run) goes on after a failing step, recording the
// problem with its exit code, so `hotspot validate` lists every problem;
// a real run stops at the first.
class Attempt {
 public:
  explicit Attempt(std::vector<std::pair<int, std::string>>* problems) : problems_(problems) {}
  template <class F>
  bool operator()(const std::string& what, F step) {
    if (!problems_) {
      step();
      return true;
    }
    try {
      step();
      return true;
    } catch (const ConfigError& e) {
      add(2, what, e.what());
    } catch (const InputError& e) {
      add(3, what, e.what());
    } catch (const OutputError& e) {
      add(4, what, e.what());
    } catch (const std::exception& e) {
      add(1, what, e.what());
    }
    return false;
  }

 private:
  void add(int code, const std::string& what, const std::string& message) {
    problems_->push_back({code, what.empty() ? message : what + ": " + message});
  }
  std::vector<std::pair<int, std::string>>* problems_;
};

// Reads every incident source; `samples` gets one entry per file (see
// gates.h) for the sanity gates' diagnoses. Delimited sources come back as
// one batch each (their files read in parallel, merged in file order).
// With a stream (aggregate mode), each file's batch goes through it as it
// settles, after its sample is taken.
std::vector<io::IncidentBatch> read_incidents(const RunSpec& spec, Ledger& ledger, Attempt& attempt,
                                              std::vector<pipeline::SourceSample>& samples,
                                              pipeline::IncidentStream* stream) {
  io::ReadContext ctx;
  ctx.ledger = &ledger;
  std::vector<io::IncidentBatch> batches;
  for (size_t i = 0; i < spec.incidents.size(); ++i) {
    const IncidentSource& source = spec.incidents[i];
    auto sample = [&](io::IncidentBatch& b) {
      const IncidentTable& t = b.table;
      pipeline::SourceSample s{t.sources.at(0), &source, b.crs, {}, b.out_of_range};
      for (size_t k = 0; k < std::min(t.size(), pipeline::kSampleSize); ++k) s.accepted.emplace_back(t.x[k], t.y[k]);
      samples.push_back(std::move(s));
      if (stream) stream->take(b);
    };
    attempt(spec.incidents.size() > 1 ? "incidents " + std::to_string(i + 1) : "", [&] {
      if (source.format == IncidentFormat::kOgr) {
        for (const std::string& path : io::incident_files(source, &ledger)) {
          batches.push_back(io::read_ogr_points(source, path, ctx));
          sample(batches.back());
        }
      } else {
        const std::string crs = source.crs.empty() ? "EPSG:4326" : source.crs;
        const bool geographic = geo::is_geographic(crs);
        const std::vector<std::string> files = io::incident_files(source, &ledger);
        batches.emplace_back();
        io::read_delimited_files(source, files, geographic, geo::thread_count(spec.threads), ctx, batches.back(),
                                 sample);
      }
    });
  }
  return batches;
}

// Category spellings that differ only in case or punctuation ("Anti-social
// behaviour" / "Anti-social Behaviour") are one category: they would share
// the output column n_anti_social_behaviour, and an analyst means one thing
// by them. They are counted together under the first spelling seen, and a
// warning names every spelling merged (docs/config.md, "Categories").
void merge_category_spellings(IncidentTable& t, Ledger& ledger) {
  std::map<std::string, uint16_t> by_slug;
  std::vector<uint16_t> to(t.categories.size());
  std::vector<std::string> kept;
  std::map<uint16_t, std::vector<size_t>> merged;  // kept index -> source indices
  // Only ASCII case and punctuation are ignored: names that differ in other
  // characters (slug() drops them) are different categories.
  // A no-break space (U+00A0, common in Windows-1252 exports) counts as
  // punctuation too.
  auto letters = [](const std::string& name) {
    std::string key;
    for (size_t i = 0; i < name.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(name[i]);
      if (c == 0xC2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0xA0) {
        ++i;
        continue;
      }
      if (c >= 0x80 || std::isalnum(c)) key.push_back(char(std::tolower(c)));
    }
    return key;
  };
  for (size_t c = 0; c < t.categories.size(); ++c) {
    auto [it, fresh] = by_slug.emplace(pipeline::slug(t.categories[c]), uint16_t(kept.size()));
    if (fresh) kept.push_back(t.categories[c]);
    else if (letters(kept[it->second]) != letters(t.categories[c]))
      throw InputError("categories '" + kept[it->second] + "' and '" + t.categories[c] +
                       "' would share the output column n_" + it->first +
                       " (only letters and digits A-Z, 0-9 make column names); rename one in the data");
    to[c] = it->second;
    merged[it->second].push_back(c);
  }
  if (kept.size() == t.categories.size()) return;
  std::vector<int64_t> n(t.categories.size(), 0);
  for (uint16_t& c : t.category) ++n[c], c = to[c];
  for (const auto& [k, sources] : merged) {
    if (sources.size() < 2) continue;
    std::string spellings;
    for (size_t c : sources)
      spellings += (spellings.empty() ? "'" : ", '") + t.categories[c] + "' (" + std::to_string(n[c]) + ")";
    ledger.warnings.push_back("categories " + spellings + " differ only in case or punctuation: counted together as '" +
                              kept[k] + "' (use [stats.aliases] to name it otherwise)");
  }
  t.categories = std::move(kept);
}

// merge_category_spellings, then a warning when the categories are too
// many to be columns of the area layers.
void merge_category_spellings_and_warn(IncidentTable& t, Ledger& ledger) {
  merge_category_spellings(t, ledger);
  if (t.categories.size() > pipeline::kMaxCategoryColumns)
    ledger.warnings.push_back(
        std::to_string(t.categories.size()) + " categories are more than the " +
        std::to_string(pipeline::kMaxCategoryColumns) +
        " an area layer holds as columns: the layers carry totals and roll-ups only; every category is in "
        "counts_long and the comparison tables (map categories together with [stats.aliases] to get columns)");
}

// Statistics categories and roll-ups become columns (cur_<slug>, ...): two
// names with one slug, e.g. a roll-up "All-crime" beside "All crime", or an
// alias onto a near-copy of a category, cannot both be written.
void check_stat_column_names(const stats::StatsResult& s) {
  std::map<std::string, std::string> seen;
  for (const stats::StatCategory& c : s.categories) {
    auto [it, fresh] = seen.emplace(pipeline::slug(c.name), c.name);
    if (!fresh)
      throw ConfigError("categories or roll-ups '" + it->second + "' and '" + c.name + "' would share the columns *_" +
                        it->first + ": rename the roll-up, or map one onto the other in [stats.aliases]");
  }
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

// population_from: the finer layer's populations summed into the areas that
// hold their interior points (the ONS "best fit"). A finer area straddling
// two coarse ones goes whole to one of them: an approximation, said in a
// warning with how many finer areas fell outside every area.
void population_by_best_fit(const AreaSource& source, std::vector<AreaLayer>& layers, Ledger& ledger) {
  AreaLayer& to = layers.back();
  const AreaLayer* from = nullptr;
  for (const AreaLayer& l : layers)
    if (l.name == source.population_from) from = &l;
  if (!from || from == &to)
    throw ConfigError("areas '" + source.name + "' population_from '" + source.population_from +
                      "': must name an area layer defined before it");
  if (!from->has_population())
    throw ConfigError("areas '" + source.name + "' population_from '" + source.population_from + "': layer '" +
                      from->name + "' has no population (give it population_field or population)");
  const geo::PointLocator locator(to.geometry);
  const std::vector<Point> inside = geo::interior_points(from->geometry);
  to.population.assign(to.size(), 0.0);
  std::vector<int> parts(to.size(), 0);
  int outside = 0, unknown = 0;
  for (size_t i = 0; i < inside.size(); ++i) {
    const int32_t a = std::isnan(inside[i].x) ? -1 : locator.locate(inside[i].x, inside[i].y);
    if (a < 0) ++outside;
    else if (std::isnan(from->population[i])) ++unknown, to.population[size_t(a)] = NAN;
    else to.population[size_t(a)] += from->population[i], ++parts[size_t(a)];
  }
  int empty = 0;
  for (size_t a = 0; a < to.size(); ++a)
    if (parts[size_t(a)] == 0) to.population[a] = NAN, ++empty;
  std::string w = "layer " + to.name + ": population from " + from->name + " by best fit (each " + from->name +
                  " counted whole in the " + to.name + " holding its interior point), an approximation";
  if (outside) w += "; " + std::to_string(outside) + " " + from->name + " areas fell outside every " + to.name;
  if (unknown) w += "; " + std::to_string(unknown) + " had no population";
  if (empty) w += "; " + std::to_string(empty) + " " + to.name + " areas got none (no population, no rate)";
  ledger.warnings.push_back(w);
}

std::vector<AreaLayer> read_areas(const RunSpec& spec, const std::string& working_crs, Ledger& ledger,
                                  Attempt& attempt) {
  std::vector<AreaLayer> layers;
  for (const AreaSource& source : spec.areas) {
    attempt("area layer '" + source.name + "'", [&] {
      if (!source.dissolve) {
        layers.push_back(io::read_area_layer(source, working_crs, ledger, spec.threads));
        return;
      }
      const AreaLayer* from = nullptr;
      for (const AreaLayer& l : layers)
        if (l.name == source.dissolve->from_layer) from = &l;
      if (!from)
        throw ConfigError("dissolves '" + source.dissolve->from_layer +
                          "', which must be defined (and readable) before it");
      AreaLayer dissolved = io::dissolve_layer(source, *from, ledger);
      if (source.population) io::join_population(dissolved, *source.population, ledger);
      layers.push_back(std::move(dissolved));
    });
    if (!source.population_from.empty() && !layers.empty() && layers.back().name == source.name)
      attempt("population of '" + source.name + "'", [&] { population_by_best_fit(source, layers, ledger); });
  }
  return layers;
}

// True when the areas can be read before the incidents are: the working CRS
// is given (and usable, so choose_working_crs returns it unchanged) and the
// run is not a dry run.
bool areas_readable_early(const RunSpec& spec) {
  if (spec.dry_run || spec.areas.empty() || spec.working_crs.empty()) return false;
  try {
    return geo::is_projected(spec.working_crs) && geo::is_metres(spec.working_crs);
  } catch (const std::exception&) {
    return false;  // (an unknown CRS: the run in turn reports it)
  }
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

}  // namespace

RunResult run_pipeline(const RunSpec& spec) {
  GDALAllRegister();
  // hotspot hands GDAL whole rows of tiles from its own grids, so GDAL's
  // raster block cache (by default 5% of the RAM) needs little; bounded, it
  // no longer keeps a second copy of every GeoTIFF being written (600 MB on
  // a national grid). A GDAL_CACHEMAX the user sets still wins.
  constexpr int64_t kGdalCache = int64_t(256) << 20;
  if (!CPLGetConfigOption("GDAL_CACHEMAX", nullptr) && GDALGetCacheMax64() > kGdalCache) GDALSetCacheMax64(kGdalCache);
  Stopwatch clock;
  if (spec.incidents.empty()) throw ConfigError("no incident source given");
  RunResult result;
  Attempt attempt(spec.dry_run ? &result.problems : nullptr);
  // Every value, before any data is read. A dry run still opens the inputs
  // after a config problem, but computes nothing that uses the bad values.
  if (spec.dry_run)
    for (const std::string& p : spec_problems(spec)) result.problems.push_back({2, p});
  else
    check_spec(spec);
  // (Statistics and heat maps are computed only when their own values are good.)
  auto no_problem_in = [&](const std::string& section) {
    return std::none_of(result.problems.begin(), result.problems.end(),
                        [&](const auto& p) { return p.second.rfind(section, 0) == 0; });
  };
  const bool stats_ok = no_problem_in("stats."), kde_ok = stats_ok && no_problem_in("kde.");
  attempt("output", [&] { pipeline::check_outputs(spec); });  // refuse an unsafe folder before any work
  attempt("output", [&] { pipeline::check_postgis_output(spec); });  // and a database we cannot write
  attempt("memory", [&] { pipeline::check_memory(spec); });    // and a run too big for the machine
  Ledger& ledger = result.ledger;
  std::vector<pipeline::SourceSample> samples;
  // Aggregate mode: the areas are read when the first file with rows
  // settles, and each file is joined and reduced as it settles.
  // With the working CRS given, the areas need nothing from the incidents:
  // they are read on a second thread while the incidents are, into a ledger
  // of their own whose warnings join the run's where a run reading them in
  // turn puts them. (A dry run reads them in turn: its problems are one list.
  // Aggregate mode reads them as its first file settles, as before: read
  // earlier, they held up the stream while the parsed files queued, +110 MB
  // on the 6M national job for no gain in time; bench/RESULTS.md.)
  Ledger early_area_ledger;
  std::future<std::vector<AreaLayer>> early_areas;
  if (areas_readable_early(spec) && !pipeline::aggregate_mode(spec))
    early_areas = std::async(std::launch::async, [&spec, &early_area_ledger] {
      Attempt throw_on_error(nullptr);
      return read_areas(spec, spec.working_crs, early_area_ledger, throw_on_error);
    });
  auto take_early_areas = [&](Ledger& area_ledger) {
    std::vector<AreaLayer> layers = early_areas.get();  // (rethrows what the area thread threw)
    for (std::string& w : early_area_ledger.warnings) area_ledger.warnings.push_back(std::move(w));
    return layers;
  };
  std::optional<pipeline::IncidentStream> stream;
  if (pipeline::aggregate_mode(spec))
    stream.emplace(spec, result, [&](const std::string& crs, Ledger& area_ledger) {
      if (early_areas.valid()) return take_early_areas(area_ledger);  // (crs is the given one)
      return read_areas(spec, crs, area_ledger, attempt);
    });
  std::vector<io::IncidentBatch> batches =
      read_incidents(spec, ledger, attempt, samples, stream ? &*stream : nullptr);
  // Gate: nothing accepted is an input error, not an empty result.
  attempt("", [&] { pipeline::require_incidents(ledger, samples); });
  if (stream && !stream->started()) stream.reset();  // no row came: as the whole-table run from here

  // The first source with rows decides the working CRS (unless the user did).
  static const io::IncidentBatch kNone{IncidentTable{}, "EPSG:4326", {}};
  const io::IncidentBatch* first = &kNone;
  for (const auto& b : batches)
    if (first == &kNone && b.table.size()) first = &b;
  const bool crs_ok = attempt("working CRS", [&] {
    if (stream) {  // chosen, transformed and joined file by file
      for (io::IncidentBatch& b : batches) io::append_table(result.incidents, std::move(b.table));
      stream->finish_reading(ledger);
      merge_category_spellings_and_warn(result.incidents, ledger);
      return;
    }
    // From the first file with rows, as when each file was a batch: a
    // source's batch holds its files in order, so that file's rows lead.
    const IncidentTable& ft = first->table;
    size_t n = 0;
    while (n < ft.size() && ft.source[n] == ft.source[0]) ++n;
    const std::vector<double> fx(ft.x.begin(), ft.x.begin() + long(n)), fy(ft.y.begin(), ft.y.begin() + long(n));
    result.working_crs = geo::choose_working_crs(spec.working_crs, first->crs, fx, fy, &result.working_crs_reason);
    result.working_crs_label = geo::crs_label(result.working_crs);
    for (io::IncidentBatch& b : batches) {
      geo::transform_points(b.crs, result.working_crs, b.table.x, b.table.y, spec.threads);
      pipeline::reject_untransformable(b, ledger);
      io::append_table(result.incidents, std::move(b.table));
    }
    merge_category_spellings_and_warn(result.incidents, ledger);
  });
  batches.clear();
  if (!crs_ok) return result;  // dry run: nothing more can be checked
  if (result.incidents.size() > 0 || !spec.dry_run)
    attempt("", [&] { pipeline::require_incidents(ledger, samples); });  // all may have failed to transform
  warn_on_sources(samples, spec, result, ledger);
  pipeline::check_area_of_use(result.incidents, result.working_crs, ledger);
  const double area_seconds = stream ? stream->area_seconds() : 0;  // (read while the incidents were)
  result.timings.push_back({"read and transform incidents", clock.lap() - area_seconds});
  if (spec.progress) spec.progress("read and transform incidents", 1, 6);

  if (stream) {
    stream->add_area_warnings(ledger);
  } else if (early_areas.valid()) {
    result.layers = take_early_areas(ledger);
  } else {
    result.layers = read_areas(spec, result.working_crs, ledger, attempt);
  }
  if (!spec.report.context.empty())
    attempt("", [&] { result.context = pipeline::read_context(spec, result.layers, result.working_crs); });
  result.timings.push_back({"read and repair areas", clock.lap() + area_seconds});
  if (spec.progress) spec.progress("read and repair areas", 2, 6);
  for (size_t l = 0; l < result.layers.size(); ++l) {
    const AreaLayer& layer = result.layers[l];
    LayerLedger entry;
    if (stream) {  // joined file by file
      result.assignments.push_back(stream->take_assignment(l));
      entry = stream->take_entry(l);
    } else {
      result.assignments.push_back(pipeline::join_layer(result.incidents, layer, spec.threads, entry));
    }
    // (A dry run may have fewer layers than the spec: find the source by name.)
    const auto source = std::find_if(spec.areas.begin(), spec.areas.end(),
                                     [&](const AreaSource& a) { return a.name == layer.name; });
    if (source != spec.areas.end()) attempt("", [&] {
      pipeline::check_match_share(result.incidents, layer, *source, entry, result.working_crs, samples, spec.checks,
                                  ledger);
    });
    ledger.layers.push_back(std::move(entry));
    result.counts.push_back(stats::count_by_area(result.incidents, layer, result.assignments.back()));
  }
  result.timings.push_back({"join and count", clock.lap()});
  if (spec.progress) spec.progress("join and count", 3, 6);
  // A dry run with no incident (reading failed, or every row rejected)
  // cannot check categories, periods or grids; say so once.
  const bool have_incidents = result.incidents.size() > 0;
  if (spec.dry_run && !have_incidents && (spec.stats.enabled || spec.kde.enabled))
    result.problems.push_back({3, "no incident was accepted, so statistics and heat maps were not checked"});
  if (spec.stats.enabled && stats_ok && (have_incidents || !spec.dry_run)) {
    attempt("statistics", [&] {
      result.stats = std::make_shared<const stats::StatsResult>(
          stats::compute_stats(result.incidents, result.layers, result.assignments, spec.stats, spec.threads));
      check_stat_column_names(*result.stats);
      // Period coverage is a warning: printed before the tables, kept in run_summary.
      for (const std::string& w : result.stats->warnings) ledger.warnings.push_back(w);
      if (spec.stats.public_mode)
        result.disclosure = std::make_shared<const stats::Disclosure>(
            stats::protect(*result.stats, result.layers, spec.stats.suppress_below,
                           stats::AuditRule{spec.stats.protect_min_values, spec.stats.suppress_below}));
    });
  } else if (spec.stats.public_mode && !spec.dry_run) {
    throw ConfigError("stats.public needs the statistics (stats.enabled = true)");
  }
  result.timings.push_back({"statistics", clock.lap()});
  if (spec.progress) spec.progress("statistics", 4, 6);
  if (spec.kde.enabled && kde_ok && (have_incidents || !spec.dry_run) && (!spec.dry_run || !spec.stats.enabled || result.stats))
    attempt("heat maps", [&] {
      result.surfaces = pipeline::build_surfaces(spec, result, pipeline::hotspot_shapes_shown(spec));
    });
  result.timings.push_back({"heat maps", clock.lap()});
  if (spec.progress) spec.progress("heat maps", 5, 6);
  for (const Surface& s : result.surfaces) result.timings.push_back({"kde " + s.name, s.kde_seconds});
  // [[emerging]] cubes (not in public mode: a cube's cells locate single incidents).
  if (!spec.emerging.empty() && spec.stats.public_mode)
    ledger.warnings.push_back("[[emerging]] cubes are not made in public mode (their counts per cell and step are "
                              "not protected)");
  else if (!spec.emerging.empty() && (have_incidents || !spec.dry_run) && no_problem_in("emerging"))
    attempt("emerging", [&] {
      result.emerging = pipeline::build_emerging(spec, result);
      for (const auto& e : result.emerging) {
        for (const std::string& w : e->warnings) ledger.warnings.push_back(w);
        result.timings.push_back({"emerging " + e->spec.name + " cube", e->cube_seconds});
        result.timings.push_back({"emerging " + e->spec.name + " neighbours", e->neighbour_seconds});
        result.timings.push_back({"emerging " + e->spec.name + " Gi*", e->gi_seconds});
        result.timings.push_back({"emerging " + e->spec.name + " Mann-Kendall + patterns", e->trend_seconds});
      }
    });
  // [near_repeat] (not in public mode: pairs and zones locate single incidents).
  if (!spec.near_repeat.empty() && spec.stats.public_mode)
    ledger.warnings.push_back("[near_repeat] is not run in public mode (its pairs, zones and risk cells locate "
                              "single incidents)");
  else if (!spec.near_repeat.empty() && (have_incidents || !spec.dry_run) && no_problem_in("near_repeat"))
    attempt("near_repeat", [&] {
      result.near_repeat = pipeline::build_near_repeat(spec, result);
      for (const auto& n : result.near_repeat) {
        for (const std::string& w : n->warnings) ledger.warnings.push_back(w);
        result.timings.push_back({"knox " + n->spec.name, n->knox_seconds});
        if (n->has_cocoons) result.timings.push_back({"cocoons " + n->spec.name, n->cocoon_seconds});
        if (n->has_risk) result.timings.push_back({"risk " + n->spec.name, n->risk_seconds});
      }
    });
  // [[change.surfaces]] (not in public mode: a difference of two heat maps
  // is not protected as the public heat map is).
  if (!spec.change_surfaces.empty() && spec.stats.public_mode)
    ledger.warnings.push_back("[[change.surfaces]] are not made in public mode (their densities are not protected "
                              "as the public heat map is)");
  else if (!spec.change_surfaces.empty() && have_incidents && no_problem_in("change.") && no_problem_in("kde."))
    attempt("change", [&] {
      result.change = pipeline::build_change_surfaces(spec, result);
      for (const auto& c : result.change) {
        for (const std::string& w : c->warnings) ledger.warnings.push_back(w);
        result.timings.push_back({"change " + c->spec.name, c->seconds});
      }
    });
  if (result.disclosure)  // inside "statistics": every round's audit together
    result.timings.push_back({"disclosure audit, last round", result.disclosure->audit.seconds});
  if (!spec.output.dir.empty() && !spec.dry_run) {
    // The run's own briefing.html is the borough front page (issue 9).
    pipeline::PackOptions front_page;
    report::FrontPageInput in;
    in.result = &result;
    in.spec = &spec;
    // Drawn while the GeoPackage is still being written (its thread is the
    // write stage's longest: bench/RESULTS.md); only the file list waits.
    std::optional<report::FrontPageDraft> draft;
    // With the statistics tables the outputs write, not a second copy
    // (all English LSOAs: ~250 MB and ~1 CPU-s).
    front_page.early = [&](const std::vector<io::OutTable>& stat_tables) {
      in.stat_tables = &stat_tables;
      draft = report::draft_front_page(in);
      in.stat_tables = nullptr;
    };
    front_page.extra = [&](const io::StagedOutput& staged, std::vector<std::string>& written) {
      in.files = written;
      report::write_front_page(staged.path("briefing.html"), in, draft ? &*draft : nullptr);
      written.push_back("briefing.html");
    };
    // output.briefing = false: a run that asked only for files (a GeoTIFF, a
    // GeoPackage) does not draw the page's maps, which cost more CPU than
    // the heat map itself (bench/RESULTS.md, round 2).
    result.outputs = pipeline::write_outputs(spec, result, spec.output.briefing ? &front_page : nullptr);
    result.timings.push_back({"write outputs", clock.lap()});
  }
  if (!spec.output.postgis.connection.empty() && !spec.dry_run) {
    result.outputs.push_back(pipeline::write_postgis_outputs(spec, result, result.outputs));
    result.timings.push_back({"write PostGIS", clock.lap()});
  }
  if (spec.progress) spec.progress("write outputs", 6, 6);
  return result;
}

}  // namespace hotspot
