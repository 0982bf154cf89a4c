#include "config.h"

#include <cctype>
#include <filesystem>
#include <limits>
#include <set>

#include <toml++/toml.h>

#include "hotspot/errors.h"
#include "hotspot/names.h"

namespace hotspot::cli {
namespace {

namespace fs = std::filesystem;

class TableReader {
 public:
  TableReader(const toml::table& t, std::string where, const fs::path& base)
      : t_(t), where_(std::move(where)), base_(base) {}

  void mark(const std::string& key) { seen_.insert(key); }
  std::string str(const std::string& key, const std::string& def = "") {
    seen_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return def;
    if (!n->is_string()) fail(key, "must be a string");
    return n->value<std::string>().value();
  }
  bool boolean(const std::string& key, bool def) {
    seen_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return def;
    if (!n->is_boolean()) fail(key, "must be true or false");
    return n->value<bool>().value();
  }
  double real(const std::string& key, double def) {
    seen_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return def;
    if (!n->is_number()) fail(key, "must be a number");
    return n->value<double>().value();
  }
  std::vector<std::string> strings(const std::string& key) {
    seen_.insert(key);
    std::vector<std::string> out;
    const toml::node* n = t_.get(key);
    if (!n) return out;
    const toml::array* a = n->as_array();
    if (!a) fail(key, "must be an array of strings");
    for (const toml::node& e : *a) {
      if (!e.is_string()) fail(key, "must hold strings");
      out.push_back(e.value<std::string>().value());
    }
    return out;
  }
  // An integer meant to be in lo..hi. One too large for an int is refused
  // here (2^40 threads must not wrap round to 0); the range itself is
  // checked with the others in spec_problems, so every problem is listed.
  int integer(const std::string& key, int def, int lo, int hi) {
    seen_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return def;
    if (!n->is_integer()) fail(key, "must be an integer");
    const int64_t v = n->value<int64_t>().value();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
      fail(key, "= " + std::to_string(v) + ": must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
    return static_cast<int>(v);
  }
  // A named choice ("quartic", "fast", ...) parsed by `parse`. A name it
  // refuses is added to `problems` as "label: why", not thrown, so a config
  // with several mistakes lists them all; the default is kept meanwhile.
  template <typename T, typename Parse>
  T choice(const std::string& key, T def, Parse parse, const std::string& label, std::vector<std::string>& problems) {
    const std::string text = str(key);
    if (text.empty() && !t_.get(key)) return def;
    try {
      return parse(text);
    } catch (const ConfigError& e) {
      problems.push_back(label + ": " + e.what());
      return def;
    }
  }
  std::string path(const std::string& key) {
    std::string p = str(key);
    return p.empty() ? p : resolve(p);
  }
  // A string or an array of strings, resolved against the config folder.
  std::vector<std::string> paths(const std::string& key) {
    seen_.insert(key);
    std::vector<std::string> out;
    const toml::node* n = t_.get(key);
    if (!n) fail(key, "is required");
    if (n->is_string()) out.push_back(resolve(n->value<std::string>().value()));
    else if (const toml::array* a = n->as_array())
      for (const toml::node& e : *a) {
        if (!e.is_string()) fail(key, "must hold strings");
        out.push_back(resolve(e.value<std::string>().value()));
      }
    else fail(key, "must be a string or an array of strings");
    if (out.empty()) fail(key, "is empty");
    return out;
  }
  std::optional<TableReader> table(const std::string& key) {
    seen_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return std::nullopt;
    if (!n->is_table()) fail(key, "must be a table");
    return TableReader(*n->as_table(), at(key), base_);
  }
  std::map<std::string, std::string> string_map(const std::string& key) {
    std::map<std::string, std::string> out;
    if (auto t = table(key))
      for (const auto& [k, v] : t->t_) out[std::string(k.str())] = t->str(std::string(k.str()));
    return out;
  }
  // An array of tables ([[section]] in the file, `section` as written there
  // for the message): fn is given a reader for each, named key[i].
  template <typename Fn>
  void tables(const std::string& key, const std::string& section, Fn fn) {
    seen_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return;
    const toml::array* arr = n->as_array();
    if (!arr) fail(key, "must be an array of tables ([[" + section + "]])");
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::table* t = (*arr)[i].as_table();
      if (!t) throw ConfigError(at(key) + "[" + std::to_string(i) + "] must be a table");
      fn(TableReader(*t, at(key) + "[" + std::to_string(i) + "]", base_));
    }
  }
  // Every key must have been asked for.
  void finish() const {
    for (const auto& [k, v] : t_)
      if (!seen_.count(std::string(k.str()))) {
        const std::vector<std::string> valid(seen_.begin(), seen_.end());
        throw ConfigError((where_.back() == ':' ? where_ : where_ + ":") + " unknown key '" + std::string(k.str()) + "'" +
                          did_you_mean(std::string(k.str()), valid) + "; valid keys here: " + quoted_list(valid));
      }
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw ConfigError(at(key) + " " + what);
  }
  // "file: section.key" for messages; where_ is "file:" for the top level.
  std::string at(const std::string& key) const { return where_ + (where_.back() == ':' ? " " : ".") + key; }
  const std::string& where() const { return where_; }
  const toml::table& raw() const { return t_; }

 private:
  std::string resolve(const std::string& p) const {
    if (p.size() >= 3 && (p.compare(0, 3, "PG:") == 0 || p.compare(0, 3, "pg:") == 0)) return p;  // a database
    fs::path path(p);
    return path.is_absolute() ? p : (base_ / path).lexically_normal().string();
  }
  const toml::table& t_;
  std::string where_;
  fs::path base_;
  std::set<std::string> seen_;
};

IncidentSource read_incident_source(TableReader r) {
  IncidentSource s;
  const std::string format = r.str("format", "police_uk");
  if (format == "police_uk") s.format = IncidentFormat::kPoliceUk;
  else if (format == "csv" || format == "delimited") s.format = IncidentFormat::kDelimited;
  else if (format == "ogr" || format == "postgis") s.format = IncidentFormat::kOgr;
  else r.fail("format", "must be police_uk, csv, ogr or postgis (is '" + format + "')");
  if (format == "postgis") {
    // A table or a query of a PostGIS database, read through GDAL's
    // PostgreSQL driver like any OGR layer (docs/config.md "PostGIS").
    s.paths = {r.str("connection")};
    s.sql = r.str("sql");
    if (s.paths[0].size() < 3 || (s.paths[0].compare(0, 3, "PG:") != 0 && s.paths[0].compare(0, 3, "pg:") != 0))
      r.fail("connection", "is required for postgis sources: \"PG:dbname=crime ...\"");
  } else {
    s.paths = r.paths("paths");
  }
  s.crs = r.str("crs");
  const std::string delim = r.str("delimiter");
  if (delim == "\\t" || delim == "tab") s.delimiter = '\t';
  else if (delim.size() == 1) s.delimiter = delim[0];
  else if (!delim.empty()) r.fail("delimiter", "must be one character or \"tab\"");
  s.x_field = r.str("x", s.format == IncidentFormat::kOgr ? "" : "x");
  s.y_field = r.str("y", s.format == IncidentFormat::kOgr ? "" : "y");
  s.date_field = r.str("date");
  s.year_field = r.str("year");    // or the date split over columns
  s.month_field = r.str("month");
  s.day_field = r.str("day");
  s.category_field = r.str("category");
  s.id_field = r.str("id");
  s.location_field = r.str("location");
  s.weight_field = r.str("weight");
  s.layer_name = r.str(format == "postgis" ? "table" : "layer");
  if (format == "postgis" && s.layer_name.empty() == s.sql.empty())
    r.fail("table", "or sql: give one of them for a postgis source");
  s.recorded_fields = r.string_map("recorded");
  if (s.format != IncidentFormat::kPoliceUk && s.date_field.empty() && s.year_field.empty())
    r.fail("date", "is required for csv and ogr sources (a date or YYYY-MM month column, or year and month columns)");
  if (!s.year_field.empty() || !s.month_field.empty() || !s.day_field.empty()) {
    if (!s.date_field.empty()) r.fail("year", "cannot be given with date: name one date column or year/month[/day]");
    if (s.year_field.empty() || s.month_field.empty()) r.fail("month", "and year are needed together (day is optional)");
  }
  r.finish();
  return s;
}

AreaSource read_area_source(TableReader r) {
  AreaSource a;
  a.name = r.str("name");
  if (a.name.empty()) r.fail("name", "is required");
  a.crs = r.str("crs");
  a.code_field = r.str("code");
  a.name_field = r.str("name_field");
  a.population_field = r.str("population_field");
  a.population_from = r.str("population_from");
  if (auto p = r.table("population")) {
    a.population = PopulationSource{p->path("path"), p->str("code"), p->str("value")};
    if (a.population->path.empty() || a.population->code_field.empty() || a.population->value_field.empty())
      p->fail("path", "population needs path, code and value");
    p->finish();
  }
  if (auto d = r.table("dissolve")) {
    a.dissolve = DissolveSpec{d->str("from"), d->path("lookup"), d->str("from_code"), d->str("to_code"),
                              d->str("to_name")};
    if (a.dissolve->from_layer.empty() || a.dissolve->lookup_path.empty() || a.dissolve->from_field.empty() ||
        a.dissolve->to_field.empty())
      d->fail("from", "dissolve needs from, lookup, from_code and to_code");
    d->finish();
  } else {
    a.paths = r.paths("paths");
    if (a.code_field.empty()) r.fail("code", "is required (the field holding the area code)");
  }
  r.finish();
  return a;
}

StatsSpec read_stats(TableReader r) {
  StatsSpec s;
  s.enabled = r.boolean("enabled", true);
  s.current = r.str("current", s.current);
  s.previous = r.str("previous", s.previous);
  s.fy_start_month = r.integer("fy_start_month", s.fy_start_month, 1, 12);
  s.extracted = r.str("extracted");
  s.headline = r.str("headline", s.headline);
  s.rate_per = r.real("rate_per", s.rate_per);
  s.comparator_rate = r.real("comparator_rate", s.comparator_rate);
  s.top_n = r.integer("top_n", s.top_n, 0, 1000000);
  s.public_mode = r.boolean("public", s.public_mode);
  s.suppress_below = r.integer("suppress_below", s.suppress_below, 0, 1000000);
  s.protect_min_values = r.integer("protect_min_values", s.protect_min_values, 1, 1000000);
  s.marker = r.str("marker", s.marker);
  s.table_layer = r.str("table_layer");
  s.gistar_distance = r.real("gistar_distance", s.gistar_distance);
  s.aliases = r.string_map("aliases");
  r.tables("rollups", "stats.rollups", [&](TableReader t) {
    RollupSpec roll{t.str("name"), t.strings("include"), t.strings("exclude")};
    if (roll.name.empty()) t.fail("name", "is required");
    if (!roll.include.empty() && !roll.exclude.empty()) t.fail("include", "and exclude cannot both be given");
    t.finish();
    s.rollups.push_back(std::move(roll));
  });
  r.finish();
  return s;
}

// [report]: the borough front page (docs/config.md). family is a CSV file
// (area,category,rate) or a table of categories, each a table of area = rate.
ReportSpec read_report(TableReader r) {
  ReportSpec s;
  s.area_name = r.str("area_name");
  s.key_categories = r.strings("key_categories");
  s.overview_categories = r.strings("overview_categories");
  r.mark("family");
  if (const toml::node* n = r.raw().get("family")) {
    if (n->is_string()) {
      s.family_path = r.path("family");  // read with the data (io/family_table.h)
    } else if (const toml::table* cats = n->as_table()) {
      for (const auto& [category, areas] : *cats) {
        const std::string where = r.at("family") + "." + std::string(category.str());
        const toml::table* t = areas.as_table();
        if (!t) throw ConfigError(where + " must be a table of area = rate per stats.rate_per people");
        for (const auto& [area, rate] : *t) {
          if (!rate.is_number() || rate.value<double>().value() < 0)
            throw ConfigError(where + "." + std::string(area.str()) + " must be a non-negative number (a rate)");
          s.family[std::string(category.str())][std::string(area.str())] = rate.value<double>().value();
        }
      }
    } else {
      r.fail("family", "must be a CSV file (area,category,rate) or a table of categories");
    }
  }
  // What goes on the maps.
  s.basemap = r.boolean("basemap", s.basemap);
  s.labels = r.boolean("labels", s.labels);
  s.hotspot_place_layer = r.str("hotspot_place_layer");
  s.map_png_width = r.integer("map_png_width", s.map_png_width, 100, 10000);
  r.finish();
  return s;
}

KdeSpec read_kde(TableReader r, std::vector<std::string>& problems) {
  auto choice = [&](const std::string& key, auto def, auto parse) {
    return r.choice(key, def, parse, "kde." + key, problems);
  };
  KdeSpec k;
  k.enabled = r.boolean("enabled", true);
  k.kernel = choice("kernel", k.kernel, kde::parse_kernel);
  k.bandwidth = r.real("bandwidth", k.bandwidth);
  k.bandwidth_rule = choice("bandwidth_rule", k.bandwidth_rule, kde::parse_bandwidth_rule);
  k.gaussian_cutoff = r.real("gaussian_cutoff", k.gaussian_cutoff);
  k.cell = r.real("cell", k.cell);
  k.cell_rule = choice("cell_rule", k.cell_rule, kde::parse_cell_rule);
  k.units = choice("units", k.units, kde::parse_units);
  k.mode = choice("mode", k.mode, kde::parse_mode);
  k.study_layer = r.str("study_layer");
  k.study_area = r.str("study_area");
  r.mark("extent");
  if (const toml::node* n = r.raw().get("extent")) {
    const toml::array* a = n->as_array();
    if (!a || a->size() != 4) r.fail("extent", "must be [xmin, ymin, xmax, ymax]");
    for (const toml::node& e : *a) {
      if (!e.is_number()) r.fail("extent", "must hold numbers");
      k.extent.push_back(e.value<double>().value());
    }
  }
  k.hotspot_top_percent = r.real("hotspot_top_percent", k.hotspot_top_percent);
  k.hotspot_threshold = r.real("hotspot_threshold", k.hotspot_threshold);
  k.hotspot_rule = choice("hotspot_rule", k.hotspot_rule, kde::parse_hotspot_rule);
  k.gistar = r.boolean("gistar", k.gistar);
  k.fdr = r.boolean("fdr", k.fdr);
  k.gistar_distance = r.real("gistar_distance", k.gistar_distance);
  const std::string hood = r.str("gistar_neighbourhood", "band");
  if (hood == "queen") k.gistar_queen = true;
  else if (hood != "band")
    problems.push_back("kde.gistar_neighbourhood: '" + hood + "' is not one of \"band\" (cells within gistar_distance, "
                       "by default the kernel radius) or \"queen\" (the 3 x 3 cells)" +
                       did_you_mean(hood, {"band", "queen"}));
  k.hotspot_min_incidents = r.integer("hotspot_min_incidents", k.hotspot_min_incidents, 0, 1000000);
  k.hotspot_min_cells = r.integer("hotspot_min_cells", k.hotspot_min_cells, 1, 1000000);
  k.hotspot_max_share = r.real("hotspot_max_share", k.hotspot_max_share);
  r.tables("surfaces", "kde.surfaces", [&](TableReader t) {
    SurfaceSpec s{t.str("name"), t.strings("categories"), t.str("period")};
    if (s.name.empty()) t.fail("name", "is required");
    t.finish();
    k.surfaces.push_back(std::move(s));
  });
  r.finish();
  return k;
}

// [[emerging]]: one space-time cube (docs/config.md). Ranges and choices
// are checked with the others in spec_problems.
EmergingSpec read_emerging(TableReader r) {
  EmergingSpec e;
  e.name = r.str("name");
  if (e.name.empty()) r.fail("name", "is required");
  e.layer = r.str("layer");
  e.cell = r.real("cell", e.cell);
  e.categories = r.strings("categories");
  e.step = r.str("step", e.step);
  e.time_steps = r.integer("time_steps", e.time_steps, 0, 1000);
  e.window = r.str("window", e.window);
  e.distance = r.real("distance", e.distance);
  e.fdr = r.boolean("fdr", e.fdr);
  e.alpha = r.real("alpha", e.alpha);
  e.trend_alpha = r.real("trend_alpha", e.trend_alpha);
  e.continuity = r.boolean("continuity", e.continuity);
  e.share = r.real("share", e.share);
  e.recent_share = r.real("recent_share", e.recent_share);
  e.persistent_share = r.real("persistent_share", e.persistent_share);
  e.intermittent_share = r.real("intermittent_share", e.intermittent_share);
  r.finish();
  return e;
}

// [near_repeat] (or [[near_repeat]] for several): the Knox test, cocooning
// zones and the risk surface (docs/config.md). Ranges, bands and choices are
// checked with the others in spec_problems.
NearRepeatSpec read_near_repeat(TableReader r) {
  NearRepeatSpec s;
  auto reals = [&](const std::string& key) {
    r.mark(key);
    std::vector<double> out;
    const toml::node* n = r.raw().get(key);
    if (!n) return out;
    const toml::array* a = n->as_array();
    if (!a || a->empty()) r.fail(key, "must be a non-empty array of numbers (band edges, from 0)");
    for (const toml::node& e : *a) {
      if (!e.is_number()) r.fail(key, "must hold numbers");
      out.push_back(e.value<double>().value());
    }
    return out;
  };
  s.name = r.str("name", s.name);
  s.categories = r.strings("categories");
  s.period = r.str("period");
  s.time_unit = r.str("time_unit", s.time_unit);
  s.metric = r.str("metric", s.metric);
  s.distance_edges = reals("distance_edges");
  s.distance_bandwidth = r.real("distance_bandwidth", s.distance_bandwidth);
  s.distance_bands = r.integer("distance_bands", s.distance_bands, 0, 250);
  s.same_location = r.real("same_location", s.same_location);
  s.distance_beyond = r.boolean("distance_beyond", s.distance_beyond);
  s.time_edges = reals("time_edges");
  s.time_bandwidth = r.real("time_bandwidth", s.time_bandwidth);
  s.time_bands = r.integer("time_bands", s.time_bands, 0, 250);
  s.time_beyond = r.boolean("time_beyond", s.time_beyond);
  s.method = r.str("method", s.method);
  s.permutations = r.integer("permutations", s.permutations, 1, 1000000);
  s.seed = r.integer("seed", int(s.seed), 0, std::numeric_limits<int>::max());
  if (s.seed < 0) r.fail("seed", "must be >= 0");
  s.alpha = r.real("alpha", s.alpha);
  s.min_ratio = r.real("min_ratio", s.min_ratio);
  s.cocoons = r.boolean("cocoons", s.cocoons);
  s.cocoon_radius = r.real("cocoon_radius", s.cocoon_radius);
  s.cocoon_days = r.integer("cocoon_days", s.cocoon_days, 1, 3650);
  s.cocoon_from_knox = r.boolean("cocoon_from_knox", s.cocoon_from_knox);
  s.risk = r.boolean("risk", s.risk);
  s.risk_step = r.str("risk_step", s.risk_step);
  s.risk_lookback = r.integer("risk_lookback", s.risk_lookback, 0, 1000);
  s.risk_distance = r.real("risk_distance", s.risk_distance);
  s.risk_cell = r.real("risk_cell", s.risk_cell);
  s.risk_top_percent = r.real("risk_top_percent", s.risk_top_percent);
  s.risk_baseline_bandwidth = r.real("risk_baseline_bandwidth", s.risk_baseline_bandwidth);
  r.finish();
  return s;
}

// [[change.surfaces]]: one change surface (docs/config.md). Periods and
// ranges are checked with the others in spec_problems.
ChangeSurfaceSpec read_change_surface(TableReader r) {
  ChangeSurfaceSpec c;
  c.name = r.str("name");
  if (c.name.empty()) r.fail("name", "is required");
  c.categories = r.strings("categories");
  c.after = r.str("after");
  if (c.after.empty()) r.fail("after", "is required (a period spec, e.g. \"latest_month\")");
  c.before = r.str("before", c.before);
  c.floor = r.real("floor", c.floor);
  c.permutations = r.integer("permutations", c.permutations, 0, 100000);
  c.seed = r.integer("seed", 1, 0, std::numeric_limits<int>::max());
  c.fdr = r.boolean("fdr", c.fdr);
  r.finish();
  return c;
}

// [[context]]: a layer from the user's own files drawn on the maps.
ContextSpec read_context(TableReader r, std::vector<std::string>& problems) {
  ContextSpec c;
  c.name = r.str("name");
  if (c.name.empty()) r.fail("name", "is required (e.g. \"roads\")");
  c.path = r.path("path");
  if (c.path.empty()) r.fail("path", "is required (any OGR source: GeoPackage, Shapefile, GeoJSON, ...)");
  c.layer = r.str("layer");
  c.crs = r.str("crs");
  c.label_field = r.str("label_field");
  const std::string kind = r.str("kind", "lines");
  if (kind == "points") c.kind = ContextKind::kPoints;
  else if (kind == "polygons") c.kind = ContextKind::kPolygons;
  else if (kind != "lines")
    problems.push_back(r.at("kind") + ": '" + kind + "' is not one of \"points\", \"lines\", \"polygons\"" +
                       did_you_mean(kind, {"points", "lines", "polygons"}));
  r.finish();
  return c;
}

// [change]: change over time. [[change.cubes]] are space-time cubes (the
// same keys as the older [[emerging]], still read), [[change.surfaces]]
// change surfaces between two periods.
void read_change(TableReader r, RunSpec& spec) {
  auto each = [&](const char* key, auto fn) { r.tables(key, std::string("change.") + key, fn); };
  each("cubes", [&](TableReader t) {
    spec.emerging.push_back(read_emerging(std::move(t)));
    spec.emerging.back().section = "change.cubes";
  });
  each("surfaces", [&](TableReader t) { spec.change_surfaces.push_back(read_change_surface(std::move(t))); });
  r.finish();
}

// [checks]: the sanity gates (docs/config.md).
CheckSpec read_checks(TableReader r) {
  CheckSpec c;
  c.min_match_share = r.real("min_match_share", c.min_match_share);
  if (!(c.min_match_share >= 0 && c.min_match_share <= 1)) r.fail("min_match_share", "must be a share in [0, 1]");
  const std::string on_low = r.str("on_low_match", "error");
  if (on_low == "warn") c.on_low_match = GateAction::kWarn;
  else if (on_low != "error") r.fail("on_low_match", "must be \"error\" or \"warn\"");
  r.finish();
  return c;
}

// Input paths that do not exist, each named by its config key and the
// config file (globs are left to the readers).
void missing_paths(const RunSpec& spec, const std::string& config, std::vector<std::string>& problems) {
  auto check = [&](const std::string& key, const std::string& p) {
    if (p.empty() || p.find_first_of("*?[") != std::string::npos) return;
    if (p.size() >= 3 && (p.compare(0, 3, "PG:") == 0 || p.compare(0, 3, "pg:") == 0)) return;  // a database
    std::error_code ec;
    if (!fs::exists(p, ec))
      problems.push_back(key + ": '" + p + "' does not exist (paths are relative to the folder of " +
                         fs::path(config).filename().string() + ")");
  };
  for (size_t i = 0; i < spec.incidents.size(); ++i)
    for (const std::string& p : spec.incidents[i].paths) check("[[incidents]] " + std::to_string(i + 1) + " paths", p);
  for (const AreaSource& a : spec.areas) {
    const std::string at = "[[areas]] '" + a.name + "' ";
    for (const std::string& p : a.paths) check(at + "paths", p);
    if (a.population) check(at + "population.path", a.population->path);
    if (a.dissolve) check(at + "dissolve.lookup", a.dissolve->lookup_path);
  }
  check("[report] family", spec.report.family_path);
  for (const ContextSpec& c : spec.report.context) check("[[context]] '" + c.name + "' path", c.path);
}

}  // namespace

RunSpec load_config(const std::string& path, std::vector<std::string>* problems_out) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  const fs::path base = fs::path(path).parent_path();
  TableReader r(root, path + ":", base);
  RunSpec spec;
  spec.working_crs = r.str("working_crs");
  spec.threads = r.integer("threads", 0, 0, 1024);
  spec.max_memory_gb = r.real("max_memory_gb", 0);
  if (auto out = r.table("output")) {
    // A database or URL is kept as given, not made a path under the
    // config's folder, so spec_problems sees (and refuses) it.
    const std::string raw = out->str("dir");
    std::string l = raw;
    for (char& c : l) c = char(std::tolower(static_cast<unsigned char>(c)));
    const bool folder = l.rfind("pg:", 0) != 0 && l.find("://") == std::string::npos && l.rfind("/vsi", 0) != 0;
    spec.output.dir = folder ? out->path("dir") : raw;
    spec.output.geopackage = out->boolean("geopackage", true);
    spec.output.geojson = out->boolean("geojson", true);
    spec.output.csv = out->boolean("csv", true);
    spec.output.incidents = out->boolean("incidents", true);
    // PostGIS output (docs/config.md "PostGIS"): checked by the pipeline.
    spec.output.postgis.connection = out->str("postgis");
    spec.output.postgis.schema = out->str("postgis_schema", "hotspot");
    spec.output.postgis.run_id = out->str("run_id");
    out->finish();
  }
  if (auto stats = r.table("stats")) spec.stats = read_stats(std::move(*stats));
  if (auto report = r.table("report")) spec.report = read_report(std::move(*report));
  std::vector<std::string> problems;  // the ones that do not stop the reading
  if (auto kde = r.table("kde")) spec.kde = read_kde(std::move(*kde), problems);
  if (auto checks = r.table("checks")) spec.checks = read_checks(std::move(*checks));
  auto each = [&](const char* key, auto fn) { r.tables(key, key, fn); };
  each("incidents", [&](TableReader t) { spec.incidents.push_back(read_incident_source(std::move(t))); });
  each("areas", [&](TableReader t) { spec.areas.push_back(read_area_source(std::move(t))); });
  // [[emerging]]: the name before [change] existed, still read (docs/config.md).
  each("emerging", [&](TableReader t) { spec.emerging.push_back(read_emerging(std::move(t))); });
  if (const toml::node* n = root.get("near_repeat"); n && n->is_table()) {
    r.mark("near_repeat");
    spec.near_repeat.push_back(read_near_repeat(TableReader(*n->as_table(), path + ": near_repeat", base)));
  } else {
    each("near_repeat", [&](TableReader t) { spec.near_repeat.push_back(read_near_repeat(std::move(t))); });
  }
  if (auto change = r.table("change")) read_change(std::move(*change), spec);
  each("context", [&](TableReader t) { spec.report.context.push_back(read_context(std::move(t), problems)); });
  r.finish();
  // Ranges, enumerated names, period specs and names, checked with the
  // pipeline's own parsers, so every such mistake shows before data is read.
  for (std::string& p : spec_problems(spec)) problems.push_back(std::move(p));
  missing_paths(spec, path, problems);
  if (problems_out) {
    for (const std::string& p : problems) problems_out->push_back(path + ": " + p);
  } else if (!problems.empty()) {
    std::string text = path + ": ";
    if (problems.size() > 1) text += std::to_string(problems.size()) + " problems:\n  ";
    for (size_t i = 0; i < problems.size(); ++i) text += (i ? "\n  " : "") + problems[i];
    throw ConfigError(text);
  }
  return spec;
}

AreaSource parse_area_flag(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("--area '" + text + "': expected NAME=PATH:CODE_FIELD[:NAME_FIELD]");
  AreaSource a;
  a.name = text.substr(0, eq);
  std::vector<std::string> parts;
  std::string rest = text.substr(eq + 1);
  for (size_t pos; (pos = rest.rfind(':')) != std::string::npos && parts.size() < 2;) {
    parts.insert(parts.begin(), rest.substr(pos + 1));
    rest = rest.substr(0, pos);
  }
  if (parts.empty() || rest.empty())
    throw ConfigError("--area '" + text + "': expected NAME=PATH:CODE_FIELD[:NAME_FIELD]");
  a.paths = {rest};
  a.code_field = parts[0];
  if (parts.size() > 1) a.name_field = parts[1];
  return a;
}

}  // namespace hotspot::cli
