// spec_problems: every value of a RunSpec checked before any data is read,
// with the parsers the pipeline itself uses, so `hotspot validate` and a
// library caller see a typo or an impossible number at once, named by its
// config key, instead of an obscure failure (or a wrong number) later.
#include "pipeline/spec_check.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "hotspot/errors.h"
#include "hotspot/names.h"
#include "hotspot/run_spec.h"
#include "hotspot/bandwidth.h"
#include "hotspot/kde.h"
#include "hotspot/kernels.h"
#include "io/format.h"
#include "pipeline/change_run.h"
#include "pipeline/emerging_run.h"
#include "pipeline/near_repeat_run.h"
#include "stats/periods.h"

namespace hotspot {
namespace pipeline {
namespace {

double cells_for(double width, double height, double cell) {
  return std::ceil(width / cell) * std::ceil(height / cell);
}

std::string num(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return io::format_number(v, std::chars_format::general, 10);
}

}  // namespace

std::string grid_size_problem(const std::string& what, double width, double height, double cell, bool gistar) {
  const double cells = cells_for(width, height, cell);
  if (cells <= kMaxGridCells) return "";
  // Density, counts, Gi* z and bin (8 bytes each), Gi* neighbour lists, and
  // the GeoTIFF copies: about 120 bytes a cell with Gi*, 50 without. (The
  // demo's study area in 6 m cells, 1.4e7 cells: 1.2 GB peak and 17 s for
  // one surface in a dry run, before any GeoTIFF is written.)
  const double gb = cells * (gistar ? 120 : 50) / 1e9;
  double fits = std::ceil(std::sqrt(width) * std::sqrt(height) / std::sqrt(kMaxGridCells));  // no overflow
  while (cells_for(width, height, fits) > kMaxGridCells) fits = std::ceil(fits * 1.01);
  return what + ": a grid of " + num(std::ceil(width / cell)) + " x " + num(std::ceil(height / cell)) + " = " +
         num(cells) + " cells of " + num(cell) + " m would need about " + num(std::round(gb * 10) / 10) +
         " GB and minutes to compute; the limit is " + num(kMaxGridCells) + " cells. Give kde.cell = " + num(fits) +
         " (the smallest cell that fits) or more, or a smaller extent or study area";
}

}  // namespace pipeline

namespace {

std::string num(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return io::format_number(v, std::chars_format::general, 10);
}

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Collects problems, each "key = value: what is wrong".
class Problems {
 public:
  void add(const std::string& text) { list_.push_back(text); }
  void finite(const std::string& key, double v, double lo, double hi, const std::string& range) {
    if (!(std::isfinite(v) && v >= lo && v <= hi)) add(key + " = " + num(v) + ": must be " + range);
  }
  void integer(const std::string& key, int v, int lo, int hi) {
    if (v < lo || v > hi)
      add(key + " = " + std::to_string(v) + ": must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  // Runs a parser that throws ConfigError / std::invalid_argument.
  template <class F>
  void parses(const std::string& key, F parse) {
    try {
      parse();
    } catch (const std::exception& e) {
      add(key + ": " + e.what());
    }
  }
  std::vector<std::string> take() { return std::move(list_); }

 private:
  std::vector<std::string> list_;
};

// A period spec checked for syntax with the pipeline's parser (the month the
// "latest" forms refer to is only known from the data; any month will do).
void check_period(Problems& p, const std::string& key, const std::string& spec, int fy_start_month) {
  if (fy_start_month < 1 || fy_start_month > 12) return;  // reported on its own
  p.parses(key, [&] { stats::parse_period(spec, make_month(2020, 1), fy_start_month); });
}

// Names that become file names or are looked up must be unique; two that
// differ only in case would overwrite each other on some file systems.
void unique_names(Problems& p, const std::string& what, const std::vector<std::string>& names) {
  std::map<std::string, std::string> seen;
  for (const std::string& n : names) {
    if (n.empty()) continue;
    auto [it, fresh] = seen.emplace(lower(n), n);
    if (!fresh)
      p.add(what + " '" + n + "' is given twice" + (it->second == n ? "" : " (as '" + it->second + "')") +
            ": names must be unique");
  }
}

void check_stats(Problems& p, const StatsSpec& s) {
  p.integer("stats.fy_start_month", s.fy_start_month, 1, 12);
  check_period(p, "stats.current", s.current, s.fy_start_month);
  if (s.previous != "previous_year" && s.previous != "previous_period")
    check_period(p, "stats.previous (previous_year, previous_period or a period)", s.previous, s.fy_start_month);
  if (!s.extracted.empty())
    p.parses("stats.extracted (YYYY-MM-DD)", [&] {
      stats::parse_period("range:" + s.extracted + ".." + s.extracted, make_month(2020, 1), 4);
    });
  p.finite("stats.rate_per", s.rate_per, 1e-300, 1e12, "a finite number > 0, e.g. 1000");
  if (!std::isfinite(s.comparator_rate)) p.add("stats.comparator_rate = " + num(s.comparator_rate) + ": must be finite (< 0 = the study area's rate)");
  p.integer("stats.top_n", s.top_n, 0, 1000000);
  p.integer("stats.suppress_below", s.suppress_below, 0, 1000000);
  p.integer("stats.protect_min_values", s.protect_min_values, 1, 1000);
  p.finite("stats.gistar_distance", s.gistar_distance, 0, 1e7, "a finite number of metres >= 0 (0 = contiguity)");
  if (s.headline.empty()) p.add("stats.headline: must name a category or roll-up");
  std::vector<std::string> rollups;
  for (const RollupSpec& r : s.rollups) rollups.push_back(r.name);
  unique_names(p, "stats.rollups name", rollups);
}

void check_kde(Problems& p, const KdeSpec& k) {
  if (k.hotspot_rule == kde::HotspotRule::kGistar && !k.gistar) p.add("kde.hotspot_rule = \"gistar\" needs kde.gistar = true");
  p.finite("kde.bandwidth", k.bandwidth, 0, 1e6, "a finite number of metres >= 0 (0 = by rule)");
  p.finite("kde.gaussian_cutoff", k.gaussian_cutoff, 0.5, 20, "in 0.5..20 (sigmas)");
  p.finite("kde.cell", k.cell, 0, 1e6, "a finite number of metres >= 0 (0 = by rule)");
  if (k.cell > 0 && k.cell < 0.01) p.add("kde.cell = " + num(k.cell) + ": must be 0 (by rule) or at least 0.01 m");
  p.finite("kde.hotspot_top_percent", k.hotspot_top_percent, 1e-9, 100, "in (0, 100]");
  if (!std::isfinite(k.hotspot_threshold)) p.add("kde.hotspot_threshold = " + num(k.hotspot_threshold) + ": must be finite");
  p.finite("kde.gistar_distance", k.gistar_distance, 0, 1e6,
           "a finite number of metres >= 0 (0 = by rule: the kernel radius)");
  if (k.gistar_queen && k.gistar_distance > 0)
    p.add("kde.gistar_distance: give it or kde.gistar_neighbourhood = \"queen\", not both");
  p.integer("kde.hotspot_min_incidents", k.hotspot_min_incidents, 0, 1000000);
  p.integer("kde.hotspot_min_cells", k.hotspot_min_cells, 1, 1000000);
  p.finite("kde.hotspot_max_share", k.hotspot_max_share, 1e-9, 1, "a share in (0, 1], e.g. 0.25");
  if (!k.extent.empty()) {
    const auto& e = k.extent;
    const bool finite = e.size() == 4 && std::all_of(e.begin(), e.end(), [](double v) { return std::isfinite(v); });
    std::string given;
    for (double v : e) given += (given.empty() ? "" : ", ") + num(v);
    if (!finite) p.add("kde.extent = [" + given + "]: must be four finite numbers [xmin, ymin, xmax, ymax] in metres");
    else if (!(e[0] < e[2] && e[1] < e[3])) p.add("kde.extent = [" + given + "]: needs xmin < xmax and ymin < ymax");
    else if (e[2] - e[0] > 1e7 || e[3] - e[1] > 1e7)
      p.add("kde.extent = [" + given + "]: spans more than 10,000 km; give it in the working CRS, in metres");
    else if (k.cell >= 0.01 && std::isfinite(k.cell)) {
      const std::string g = pipeline::grid_size_problem("kde.extent with kde.cell", e[2] - e[0], e[3] - e[1], k.cell, k.gistar);
      if (!g.empty()) p.add(g);
    }
  }
  if (k.study_area.size() && k.study_layer.empty()) p.add("kde.study_area needs kde.study_layer");
  std::vector<std::string> names;
  for (const SurfaceSpec& s : k.surfaces) {
    if (s.name.empty()) p.add("kde.surfaces: every surface needs a name");
    names.push_back(s.name);
  }
  unique_names(p, "kde.surfaces name", names);
}

// Outputs go to a local folder; a database or remote location would be
// created as a folder of that name (refuse until such outputs exist).
void check_output(Problems& p, const std::string& dir) {
  const std::string problem = output_dir_problem(dir);
  if (!problem.empty()) p.add(problem);
}

}  // namespace

std::string output_dir_problem(const std::string& dir) {
  const std::string l = lower(dir);
  if (l.rfind("pg:", 0) == 0) return "output dir 'PG:...' (not repeated: it may hold a password): --out is a folder; for PostGIS give --postgis \"PG:...\" (or [output] postgis), else give a local folder";
  if (l.find("://") != std::string::npos) return "output dir '" + dir + "': URLs are not supported; give a local folder";
  if (l.rfind("/vsi", 0) == 0)
    return "output dir '" + dir + "': GDAL virtual file systems (/vsi...) are not supported; give a local folder";
  return "";
}

std::vector<std::string> spec_problems(const RunSpec& spec) {
  Problems p;
  p.integer("threads", spec.threads, 0, 1024);
  p.finite("max_memory_gb", spec.max_memory_gb, 0, 1e6, "0 (the available memory) or a size in GB");
  check_output(p, spec.output.dir);
  std::vector<std::string> layers;
  for (const AreaSource& a : spec.areas) {
    if (a.name.empty()) p.add("areas: every area layer needs a name");
    if (a.dissolve && std::find(layers.begin(), layers.end(), a.dissolve->from_layer) == layers.end())
      p.add("areas '" + a.name + "' dissolves '" + a.dissolve->from_layer + "'" +
            (std::find_if(spec.areas.begin(), spec.areas.end(),
                          [&](const AreaSource& o) { return o.name == a.dissolve->from_layer; }) != spec.areas.end()
                 ? ", which must be defined before it"
                 : ": " + unknown_name("area layer", a.dissolve->from_layer, layers)));
    if (!a.population_from.empty()) {
      if (std::find(layers.begin(), layers.end(), a.population_from) == layers.end())
        p.add("areas '" + a.name + "' population_from '" + a.population_from +
              "': must name an area layer defined before it" +
              (layers.empty() ? "" : ": " + unknown_name("area layer", a.population_from, layers)));
      if (!a.population_field.empty() || a.population)
        p.add("areas '" + a.name + "': give one of population_field, population and population_from");
    }
    layers.push_back(a.name);
  }
  unique_names(p, "areas name", layers);
  if (spec.stats.enabled) check_stats(p, spec.stats);
  else if (spec.stats.public_mode) p.add("stats.public needs the statistics (stats.enabled = true)");
  if (!spec.stats.table_layer.empty() && std::find(layers.begin(), layers.end(), spec.stats.table_layer) == layers.end())
    p.add("stats.table_layer: " + unknown_name("area layer", spec.stats.table_layer, layers));
  if (spec.kde.enabled) {
    check_kde(p, spec.kde);
    if (!spec.kde.study_layer.empty() &&
        std::find(layers.begin(), layers.end(), spec.kde.study_layer) == layers.end())
      p.add("kde.study_layer: " + unknown_name("area layer", spec.kde.study_layer, layers));
    for (const SurfaceSpec& s : spec.kde.surfaces)
      if (!s.period.empty()) check_period(p, "kde.surfaces '" + s.name + "' period", s.period, spec.stats.fy_start_month);
  }
  const std::string& place = spec.report.hotspot_place_layer;
  if (!place.empty() && std::find(layers.begin(), layers.end(), place) == layers.end())
    p.add("report.hotspot_place_layer: " + unknown_name("area layer", place, layers));
  std::vector<std::string> context;
  for (const ContextSpec& c : spec.report.context) context.push_back(c.name);
  unique_names(p, "context name", context);
  for (const IncidentSource& s : spec.incidents)
    for (const auto& [layer, field] : s.recorded_fields)
      if (std::find(layers.begin(), layers.end(), layer) == layers.end() &&
          !(layer == "lsoa" && s.format == IncidentFormat::kPoliceUk))
        p.add("incidents recorded: " + unknown_name("area layer", layer, layers));
  for (const std::string& e : pipeline::emerging_problems(spec)) p.add(e);
  for (const std::string& e : pipeline::near_repeat_problems(spec)) p.add(e);
  for (const std::string& e : pipeline::change_problems(spec)) p.add(e);
  if (!spec.change_surfaces.empty() && !spec.kde.enabled) check_kde(p, spec.kde);  // their kernel, bandwidth, cell
  return p.take();
}

void check_spec(const RunSpec& spec) {
  const std::vector<std::string> problems = spec_problems(spec);
  if (problems.empty()) return;
  std::string text;
  for (const std::string& s : problems) text += (text.empty() ? "" : "\n  ") + s;
  throw ConfigError(problems.size() == 1 ? text : std::to_string(problems.size()) + " problems:\n  " + text);
}

}  // namespace hotspot
