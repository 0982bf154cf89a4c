#include "run_command.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "config.h"
#include "huge_pages.h"
#include "progress.h"
#include "hotspot/pipeline.h"

namespace hotspot::cli {
namespace {

struct RunFlags {
  std::string config;
  std::vector<std::string> police_uk;
  std::vector<std::string> areas;
  std::string out;
  std::string postgis, postgis_schema, run_id;
  std::string working_crs;
  int threads = -1;
  double max_memory_gb = -1;
  bool quiet = false;
  bool no_geojson = false, no_csv = false, no_incidents = false, no_files = false, no_briefing = false;
  bool public_mode = false;
  bool verbose = false;
  bool dry_run = false;
  int suppress_below = -1;
};

// problems: for a dry run, where config problems are collected, not thrown.
RunSpec make_spec(const RunFlags& f, std::vector<std::string>* problems = nullptr) {
  RunSpec spec = f.config.empty() ? RunSpec{} : load_config(f.config, problems);
  if (!f.police_uk.empty()) {
    IncidentSource s;
    s.format = IncidentFormat::kPoliceUk;
    s.paths = f.police_uk;
    spec.incidents.push_back(s);
  }
  for (const std::string& a : f.areas) spec.areas.push_back(parse_area_flag(a));
  if (!f.out.empty()) spec.output.dir = f.out;
  if (f.no_files) spec.output.dir.clear();
  if (!f.postgis.empty()) spec.output.postgis.connection = f.postgis;
  if (!f.postgis_schema.empty()) spec.output.postgis.schema = f.postgis_schema;
  if (!f.run_id.empty()) spec.output.postgis.run_id = f.run_id;
  if (!f.working_crs.empty()) spec.working_crs = f.working_crs;
  if (f.threads >= 0) spec.threads = f.threads;
  if (f.max_memory_gb >= 0) spec.max_memory_gb = f.max_memory_gb;
  if (f.no_geojson) spec.output.geojson = false;
  if (f.no_csv) spec.output.csv = false;
  if (f.no_incidents) spec.output.incidents = false;
  if (f.no_briefing) spec.output.briefing = false;
  // Styles for QGIS from the source tree's maps/ (HOTSPOT_MAPS overrides).
  const char* maps = std::getenv("HOTSPOT_MAPS");
  spec.output.maps_dir = maps ? maps : HOTSPOT_SOURCE_DIR "/maps";
  rerun_on_huge_pages_if_large(spec);  // before anything is printed
  spec.quiet = f.quiet;
  if (!std::filesystem::exists(spec.output.maps_dir + "/pack.qgs")) {
    // Said, not silent: the GIS team would otherwise get grey layers and
    // no project with nothing to tell them why (a binary copied away from
    // its source tree, or a source tree since moved).
    if (!f.quiet && spec.output.geopackage && !spec.output.dir.empty())
      std::cerr << "warning: no QGIS styles: " << spec.output.maps_dir
                << "/pack.qgs not found, so hotspot.gpkg's layers are unstyled and no project.qgs is written "
                   "(set HOTSPOT_MAPS to the maps/ folder of hotspot's source)\n";
    spec.output.maps_dir.clear();
  }
  if (f.public_mode) spec.stats.public_mode = true;
  if (f.suppress_below >= 0) spec.stats.suppress_below = f.suppress_below;
  if (spec.incidents.empty()) throw ConfigError("no incidents: give --config or --police-uk");
  // The run's configuration as PostGIS's runs table records it (password redacted).
  if (!spec.output.postgis.connection.empty())
    spec.output.postgis.config_toml = to_toml(spec, std::filesystem::current_path().string());
  return spec;
}

// `hotspot validate` / `run --dry-run`: everything read and checked, nothing
// written; every problem listed. Exit 0, or 2 if any problem is in the
// configuration, else the code of the first problem (3 for input).
int dry_run(const RunFlags& flags) {
  std::vector<std::string> config_problems;
  RunSpec spec = make_spec(flags, &config_problems);
  spec.dry_run = true;
  spec.quiet = true;
  const RunResult result = run_pipeline(spec);
  std::cout << "hotspot validate: " << (flags.config.empty() ? std::string("flags") : flags.config)
            << " (dry run: nothing written)\n"
            << dry_run_report(spec, result);
  std::vector<std::pair<int, std::string>> problems;
  for (const std::string& p : config_problems) problems.push_back({2, p});
  for (const auto& [code, text] : result.problems) {
    // The config's own problems come back from the pipeline's check too.
    const bool seen = std::any_of(config_problems.begin(), config_problems.end(), [&](const std::string& c) {
      return c.size() >= text.size() && c.compare(c.size() - text.size(), text.size(), text) == 0;
    });
    if (!seen) problems.push_back({code, text});
  }
  if (problems.empty()) {
    std::cout << "ok: no problems found\n";
    return 0;
  }
  std::cout << problems.size() << (problems.size() == 1 ? " problem:\n" : " problems:\n");
  int exit_code = problems.front().first;
  for (const auto& [code, text] : problems) {
    std::cout << "  - " << text << "\n";
    if (code == 2) exit_code = 2;
  }
  return exit_code;
}

int execute(const RunFlags& flags) {
  if (flags.dry_run) return dry_run(flags);
  RunSpec spec = make_spec(flags);
  // A progress bar on a terminal; nothing when stderr is not one.
  Progress progress(6, !spec.quiet);
  spec.progress = [&progress](const std::string& stage, int, int) { progress.step(stage); };
  const auto start = std::chrono::steady_clock::now();
  const RunResult result = run_pipeline(spec);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const bool ok = result.ledger.reconciles();
  if (!spec.quiet || !ok) {
    std::cout << "hotspot run: " << result.incidents.size() << " incidents, " << result.layers.size()
              << " area layers, working CRS " << result.working_crs_label << ", " << seconds << " s\n";
    std::cout << result.ledger.to_text(spec.stats.public_mode ? spec.stats.suppress_below : 0, spec.stats.marker);
    std::cout << headline_table(result, spec.stats);
    for (const Surface& s : result.surfaces) {
      const auto& p = s.parameters;
      const std::string r = p.count("radius_m") ? "radius " + p.at("radius_m") : "sigma " + p.at("sigma_m");
      std::cout << "heat map " << s.name << ": " << p.at("incidents") << " incidents, " << p.at("kernel") << " "
                << r << " m (" << p.at("bandwidth_from") << "), cell " << p.at("cell_m") << " m ("
                << p.at("cell_from") << "), " << p.at("grid") << " cells, " << p.at("units") << ", "
                << s.hotspots.size() << " hotspot areas\n";
      for (const std::string& w : s.warnings) std::cout << "warning: " << w << "\n";
    }
    for (const std::string& o : result.outputs) std::cout << "wrote " << o << "\n";
    if (flags.verbose) {
      for (const auto& [stage, s] : result.timings) std::cout << "time: " << stage << ": " << s << " s\n";
      if (on_huge_pages()) std::cout << "memory: malloc on transparent huge pages (glibc.malloc.hugetlb=1)\n";
    }
  }
  if (!ok) {
    std::cerr << "hotspot: internal error: the ledger does not reconcile\n";
    return 5;
  }
  return 0;
}

}  // namespace

std::function<int()> add_run_command(CLI::App& app) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* run = app.add_subcommand("run", "Read incidents, join them to area layers, count, write outputs.");
  run->footer(
      "Examples:\n"
      "  hotspot run --config data/demo.toml\n"
      "  hotspot run --police-uk data/police-uk --area lsoa=data/boundaries/lsoa2011_charnwood.geojson:LSOA11CD:LSOA11NM"
      " --out out/quick\n\n"
      "Outputs (in --out): hotspot.gpkg (incidents, one layer per area set with counts, rejects,\n"
      "recorded_disagreements, counts_long, run_summary), geojson/<layer>.geojson (EPSG:4326), csv/*.csv.\n"
      "Config file format: docs/config.md. Formulas, defaults and rules behind the numbers: docs/methods.md.\n"
      "PostGIS: --postgis \"PG:dbname=crime\" writes every table to schema hotspot (atomic; docs/config.md).\n"
      "Exit codes: 0 ok; 2 bad flags or config; 3 bad input; 4 output could not be written;\n"
      "5 ledger does not reconcile (a bug); 1 anything else.");
  run->add_option("-c,--config", flags->config, "TOML file describing inputs, area layers and outputs")
      ->check(CLI::ExistingFile);
  run->add_option("--police-uk", flags->police_uk, "police.uk street CSV: file, folder or glob (repeatable)");
  run->add_option("--area", flags->areas, "area layer NAME=PATH:CODE_FIELD[:NAME_FIELD] (repeatable)");
  run->add_option("-o,--out", flags->out, "output folder (replaced only when the run completes)");
  run->add_option("--postgis", flags->postgis,
                  "also (or only) write the run's tables to PostGIS: a GDAL connection \"PG:dbname=crime host=...\" "
                  "(password from ~/.pgpass or PGPASSWORD)");
  run->add_option("--postgis-schema", flags->postgis_schema, "PostGIS schema to write (default hotspot)");
  run->add_option("--run-id", flags->run_id,
                  "PostGIS run id (default: the latest month of the data); a run id written again is replaced");
  run->add_option("--working-crs", flags->working_crs, "projected CRS in metres (default EPSG:27700 for GB, else UTM)");
  run->add_option("-j,--threads", flags->threads, "worker threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  run->add_option("--max-memory-gb", flags->max_memory_gb,
                  "refuse before reading a run estimated to need more memory (0 = what is available)")
      ->check(CLI::NonNegativeNumber);
  run->add_flag("-q,--quiet", flags->quiet, "print nothing but errors");
  run->add_flag("-v,--verbose", flags->verbose, "also print the time each stage took");
  run->add_flag("--dry-run", flags->dry_run,
                "read and check every input, print what the run would do, write nothing (as `hotspot validate`)");
  run->add_flag("--no-files", flags->no_files, "write no output folder (with --postgis: the database only)");
  run->add_flag("--no-geojson", flags->no_geojson, "skip the GeoJSON files");
  run->add_flag("--no-csv", flags->no_csv, "skip the CSV tables");
  run->add_flag("--no-incidents", flags->no_incidents, "do not write incident points");
  run->add_flag("--no-briefing", flags->no_briefing, "skip briefing.html (the front page and its maps)");
  run->add_flag("--public", flags->public_mode,
                "public pack: counts 1..k withheld (with secondary suppression), no incident points or rows");
  run->add_option("--suppress-below", flags->suppress_below, "k for --public: counts 1..k are withheld (default 5)")
      ->check(CLI::NonNegativeNumber);
  return [flags] { return execute(*flags); };
}

std::function<int()> add_validate_command(CLI::App& app) {
  auto flags = std::make_shared<RunFlags>();
  flags->dry_run = true;
  CLI::App* v = app.add_subcommand("validate", "Check a config and every input it names; write nothing.");
  v->footer(
      "Reads the config, opens every input (incident files, area layers, population and lookup tables),\n"
      "checks columns, CRS, periods, categories and joins, compares the data's extent with each layer's,\n"
      "and prints what `hotspot run` would do: rows, working CRS, layers, periods, heat-map grids, outputs.\n"
      "Every problem found is listed. Exit codes: 0 all checks pass; 2 a problem in the configuration;\n"
      "3 a problem in the input data.\n"
      "Example: hotspot validate -c data/demo.toml");
  v->add_option("-c,--config", flags->config, "TOML run configuration")->required()->check(CLI::ExistingFile);
  v->add_option("-o,--out", flags->out, "output folder the run would write (checked, not written)");
  return [flags] { return execute(*flags); };
}

}  // namespace hotspot::cli
