// RunSpec: everything a run needs, built by the CLI from flags and a TOML
// config file, or by a library user directly.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hotspot/change_spec.h"
#include "hotspot/context.h"
#include "hotspot/emerging_spec.h"
#include "hotspot/near_repeat_spec.h"
#include "hotspot/kde_options.h"

namespace hotspot {

enum class IncidentFormat {
  kPoliceUk,    // data.police.uk street CSV, exact 12-column header
  kDelimited,   // any comma/tab/semicolon text with named columns
  kOgr,         // any OGR point layer (GeoPackage, Shapefile, GeoJSON, ...)
};

struct IncidentSource {
  IncidentFormat format = IncidentFormat::kPoliceUk;
  std::vector<std::string> paths;   // files, directories or globs
  std::string crs;                  // "" = the source's own (CSV: EPSG:4326)
  // kDelimited / kOgr column names ("" = absent).
  char delimiter = 0;               // 0 = guess from the header (',' '\t' ';')
  std::string x_field = "x";        // or longitude
  std::string y_field = "y";        // or latitude
                                    // kOgr: fields to take coordinates from instead of the
                                    // point geometry; "" (both) = the geometry
  std::string date_field;           // YYYY-MM-DD[ HH:MM[:SS]], YYYY-MM, YYYY/MM/DD, DD/MM/YYYY
  // Or the date split over columns (instead of date_field): year and month
  // (1-12) are needed together, day (1-31) is optional.
  std::string year_field;
  std::string month_field;
  std::string day_field;
  std::string category_field;       // blank category = reject
  std::string id_field;             // duplicate non-blank ids are rejected
  std::string location_field;
  std::string weight_field;         // optional per-incident weight for heat maps and Gi*
                                    // (a non-negative number; blank or bad = reject)
  std::string layer_name;           // kOgr: which layer ("" = first); from PostGIS: the table
  std::string sql;                  // kOgr from PostGIS (format = "postgis"): a query instead
                                    // of a table; paths = {the "PG:..." connection}
  // Recorded area codes: area layer name -> source column.
  std::map<std::string, std::string> recorded_fields;
};

struct PopulationSource {
  std::string path;                 // CSV with a code and a population column
  std::string code_field;
  std::string value_field;
};

struct DissolveSpec {
  std::string from_layer;           // an earlier area layer, e.g. "ward"
  std::string lookup_path;          // CSV: from code -> to code (+ name)
  std::string from_field;           // e.g. WD13CD
  std::string to_field;             // e.g. beat
  std::string to_name_field;        // optional, e.g. beat_name
};

struct AreaSource {
  std::string name;                 // layer name: "beat", "ward", "lsoa", ...
  std::vector<std::string> paths;   // OGR sources, all read into one layer
  std::string crs;                  // "" = the source's own
  std::string code_field;           // required unless dissolved
  std::string name_field;           // optional
  std::string population_field;     // optional attribute with population
  std::optional<PopulationSource> population;  // or a separate table
  std::string population_from;      // or: an earlier, finer layer with population (e.g. "lsoa"),
                                    // summed by best fit: each of its areas counted in the area
                                    // holding its interior point (ONS best-fit; beats from wards)
  std::optional<DissolveSpec> dissolve;        // build by dissolving a layer
};

// [output] postgis: the run's tables into a PostGIS schema, beside or
// instead of the folder (docs/config.md, "PostGIS").
struct PostgisOutputSpec {
  std::string connection;           // "PG:dbname=crime host=..." ("" = none); printed only redacted
  std::string schema = "hotspot";   // one schema per configured name
  std::string run_id;               // "" = the latest month of the data ("2019-02")
  std::string config_toml;          // the run's configuration, for runs.parameters (set by the CLI)
};

struct OutputSpec {
  std::string dir;                  // output folder; "" = no outputs written
  bool geopackage = true;           // <dir>/hotspot.gpkg
  bool geojson = true;              // <dir>/geojson/<layer>.geojson (EPSG:4326)
  bool csv = true;                  // <dir>/csv/*.csv
  bool incidents = true;            // write the incident points
  bool briefing = true;             // <dir>/briefing.html, the front page (maps drawn for it)
  std::string maps_dir;             // QGIS styles + project template (maps/); "" = unstyled
  PostgisOutputSpec postgis;
};

// A category roll-up: the sum of some categories, e.g. "All crime" = every
// category except "Anti-social behaviour", or "Serious acquisitive crime" =
// "Burglary" + "Vehicle crime" (+ "Robbery", as some CSPs define it).
struct RollupSpec {
  std::string name;
  std::vector<std::string> include;   // these categories (after aliases)...
  std::vector<std::string> exclude;   // ...or, when include is empty, all but these
};

// Area statistics for JAG and scrutiny packs (docs/methods.md).
struct StatsSpec {
  bool enabled = true;
  std::string current = "latest_month";    // period spec, see stats/periods.h
  std::string previous = "previous_year";  // "previous_year", "previous_period" or a spec
  int fy_start_month = 4;                  // performance year starts 1 April
  std::string extracted;                   // data extraction / as-at date, YYYY-MM-DD
  std::map<std::string, std::string> aliases;  // source name -> canonical name
  std::vector<RollupSpec> rollups;         // default: "All crime" = all but ASB
  std::string headline = "All crime";      // category for rates and flags
  double rate_per = 1000;                  // rates per this many people
  double comparator_rate = -1;             // per rate_per; < 0 = the study area's
  int top_n = 10;
  bool public_mode = false;                // suppress small counts, no points
  int suppress_below = 5;                  // counts 1..k are withheld in public mode
  int protect_min_values = 3;              // public: the audit leaves each withheld count 1..k at
                                           // least this many possible values (docs/disclosure.md)
  std::string marker = "x";                // what a withheld count shows
  std::string table_layer;                 // layer for the printed table ("" = last)
  double gistar_distance = 0;              // area Gi* neighbours: 0 = queen contiguity,
                                           // else areas whose centroids are within this many metres
};

// A context layer from the user's own files ([[context]]): roads, place
// names, patrol areas... drawn on the briefing maps and added to the packs'
// GeoPackage and QGIS project, reprojected to the working CRS and clipped
// to the map extent.
struct ContextSpec {
  std::string name;                    // layer name ("roads"); the GeoPackage table is context_<name>
  std::string path;                    // any OGR source
  std::string layer;                   // its layer ("" = first)
  std::string crs;                     // "" = the source's own
  std::string label_field;             // field drawn as a label ("" = none)
  ContextKind kind = ContextKind::kLines;
};

// The borough front page and the maps (docs/config.md [report], [[context]]).
struct ReportSpec {
  std::string area_name;                      // the study area's name ("Charnwood"); "" = "the study area"
  // Categories of the JAG table, by block: table categories after
  // [stats.aliases] and roll-ups. [] = All crime, Burglary, Vehicle crime,
  // Anti-social behaviour (those of them the run has).
  std::vector<std::string> key_categories;
  std::vector<std::string> overview_categories;  // overview rows; [] = every category, roll-ups first
  // The family of comparator areas: category -> area name -> its rate per
  // stats.rate_per people over the current period, given by the user. The
  // overview ranks the study area among them ("family group position").
  std::map<std::string, std::map<std::string, double>> family;
  std::string family_path;  // or a CSV file of them: area,category,rate (both may be given)
  bool basemap = true;                 // OpenStreetMap XYZ tiles at the bottom of project.qgs
                                       // (false on networks that must not fetch tiles)
  bool labels = true;                  // area labels (codes / names) on the briefing maps
  std::string hotspot_place_layer;     // hotspot names take the area of this layer holding most of their
                                       // incidents; "" = the layer another is built from (wards under
                                       // beats), else the study layer, else the last layer
  int map_png_width = 1600;            // pixels of each map's standalone PNG (maps/*.png)
  std::vector<ContextSpec> context;    // [[context]] layers
};

// One heat map: incidents of some categories in some period.
struct SurfaceSpec {
  std::string name;                    // output name ("all")
  std::vector<std::string> categories; // category or roll-up names ([] = all)
  std::string period;                  // period spec ("" = all the data)
};

// Kernel density heat maps, Gi* and hotspot areas (docs/methods.md). The
// choices are typed (hotspot/kde_options.h): the config loader parses them.
struct KdeSpec {
  bool enabled = false;
  kde::Kernel kernel = kde::Kernel::kQuartic;
  double bandwidth = 0;                // metres (R; sigma for gaussian); 0 = by rule
  kde::BandwidthRule bandwidth_rule = kde::BandwidthRule::kSilverman;
  double gaussian_cutoff = 4;          // Gaussian support in sigmas
  double cell = 0;                     // metres; 0 = by rule
  kde::CellRule cell_rule = kde::CellRule::kSfhotspot;
  kde::Units units = kde::Units::kPerKm2;
  kde::Mode mode = kde::Mode::kExact;
  std::string study_layer;             // extent and clip ("" = data extent + R)
  std::string study_area;              // one area code of study_layer ("" = all)
  std::vector<double> extent;          // [xmin, ymin, xmax, ymax] in the working CRS:
                                       // the grid starts exactly at xmin, ymax (no snapping)
  kde::HotspotRule hotspot_rule = kde::HotspotRule::kTopPercent;
  double hotspot_top_percent = 5;      // top_percent: the top X% of the study area's cells
  double hotspot_threshold = 0;        // value: cells with density >= this
  int hotspot_min_incidents = 5;       // smaller hotspot areas are dropped (and counted in the parameters)
  int hotspot_min_cells = 4;           // ... as are areas of fewer cells than this
  double hotspot_max_share = 0.25;     // an area over this share of the study area's cells is flagged "large"
  bool gistar = true;                  // Gi* on the cell counts (incl. self)
  double gistar_distance = 0;          // neighbours: cells whose centres are within this many metres;
                                       // 0 = by rule: the kernel radius R (issue 9)
  bool gistar_queen = false;           // neighbours: the 3 x 3 cells instead (gistar_neighbourhood = "queen")
  bool fdr = false;                    // Benjamini-Hochberg for the Gi* bins
  std::vector<SurfaceSpec> surfaces;   // default: one "all" surface
};

// Sanity gates (docs/config.md, [checks]): what a run does when its inputs
// look wrong rather than merely untidy.
enum class GateAction { kError, kWarn };
struct CheckSpec {
  double min_match_share = 0.5;     // each area layer read from a file must hold at least this
                                    // share of the accepted incidents (0..1; 0 = no check)
  GateAction on_low_match = GateAction::kError;  // kWarn: a warning instead of exit 3
};

struct RunSpec {
  std::vector<IncidentSource> incidents;
  std::vector<AreaSource> areas;
  OutputSpec output;
  StatsSpec stats;
  KdeSpec kde;
  ReportSpec report;
  std::vector<EmergingSpec> emerging;  // [[change.cubes]] (or [[emerging]]): space-time cubes (docs/config.md)
  std::vector<ChangeSurfaceSpec> change_surfaces;  // [[change.surfaces]]: change between two periods
  std::vector<NearRepeatSpec> near_repeat;  // [near_repeat]: Knox test, cocoons, risk (docs/config.md)
  CheckSpec checks;
  std::string working_crs;          // "" = EPSG:27700 for GB data, else UTM
  int threads = 0;                  // 0 = all cores
  // Memory the run may use, in GB (decimal); 0 = the machine's available
  // memory. A run estimated to need more is refused before reading.
  double max_memory_gb = 0;
  bool quiet = false;
  // Read and check everything, write nothing (`hotspot validate`,
  // `hotspot run --dry-run`); problems are collected, not thrown.
  bool dry_run = false;
  // Called as each stage finishes (stage name, stages done, stages in all);
  // may be empty. Not part of the configuration.
  std::function<void(const std::string&, int, int)> progress;
};

// Every problem with the spec that shows without reading any data: numbers
// out of range, unknown kernel / units / mode / rules, period specs that do
// not parse, duplicate layer or surface names, unknown layer names, output
// locations that are not local folders. Each names its config key and says
// what is allowed. Empty when there is none.
std::vector<std::string> spec_problems(const RunSpec& spec);

// "" for a local folder; else why an output location is refused (a PG:
// connection string, a URL, a GDAL /vsi path would become a folder of that name).
std::string output_dir_problem(const std::string& dir);

// Throws ConfigError listing every problem spec_problems finds.
void check_spec(const RunSpec& spec);

}  // namespace hotspot
