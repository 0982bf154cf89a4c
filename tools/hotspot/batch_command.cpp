#include "batch_command.h"

#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>

#include "config.h"
#include "huge_pages.h"
#include "hotspot/batch.h"
#include "hotspot/errors.h"
#include "progress.h"

namespace hotspot::cli {
namespace {

struct BatchFlags {
  std::string config;
  BatchSpec batch;
  bool public_mode = false, quiet = false, verbose = false;
};

int execute(BatchFlags f) {
  RunSpec spec = load_config(f.config);
  rerun_on_huge_pages_if_large(spec);
  if (!spec.output.postgis.connection.empty())
    throw ConfigError("output.postgis: batch packs are files; write PostGIS with `hotspot run`");
  if (f.public_mode) spec.stats.public_mode = true;
  BatchSpec& b = f.batch;
  if (b.out.empty()) b.out = spec.output.dir.empty() ? "packs" : spec.output.dir + "_packs";
  if (const std::string problem = output_dir_problem(b.out); !problem.empty()) throw ConfigError("--out: " + problem);
  if (b.maps_dir.empty()) b.maps_dir = (std::filesystem::path(HOTSPOT_SOURCE_DIR) / "maps").string();
  b.config_writer = to_toml;
  std::unique_ptr<Progress> progress;
  std::mutex print;
  const BatchResult r = run_batch(spec, b, [&](const PackStatus& p, size_t total) {
    std::lock_guard<std::mutex> lock(print);
    if (!progress) progress = std::make_unique<Progress>(int(total), !f.quiet && !f.verbose);
    if (f.verbose)
      std::cerr << (p.ok ? "ok     " : "FAILED ") << p.folder << " (" << p.seconds << " s)"
                << (p.ok ? "" : ": " + p.error) << "\n";
    progress->step(p.folder);
  });
  std::cout << "hotspot batch: " << r.packs.size() - size_t(r.failed) << " of " << r.packs.size() << " " << b.layer
            << " packs written to " << b.out << " in " << r.seconds << " s (index: " << b.out << "/index.html)\n";
  for (const PackStatus& p : r.packs)
    if (!p.ok) std::cout << "  failed: " << b.layer << " " << p.code << ": " << p.error << "\n";
  return r.failed ? 6 : 0;
}

}  // namespace

std::function<int()> add_batch_command(CLI::App& app) {
  auto flags = std::make_shared<BatchFlags>();
  CLI::App* b = app.add_subcommand("batch", "One pack per area of a layer (e.g. every beat), in parallel.");
  b->footer(
      "Each pack (<out>/<layer>_<code>/): hotspot.gpkg (styled for QGIS), kde/*.tif (heat maps smoothed with\n"
      "every incident within the radius of the area, clipped to it), csv/*.csv, briefing.html (maps and\n"
      "tables, opens offline), manifest.json (inputs and every file of the pack with SHA-256, versions,\n"
      "every parameter, ledger; no folder of this machine), "
      "run.toml (rerun: hotspot run -c run.toml), project.qgs. Plus <out>/index.html and index.csv.\n"
      "A failing area does not stop the others. Exit codes: as `run`, and 6 if any pack failed.\n"
      "Formulas, defaults and rules behind the numbers: docs/methods.md.");
  b->add_option("-c,--config", flags->config, "TOML run configuration")->required()->check(CLI::ExistingFile);
  b->add_option("-l,--layer", flags->batch.layer, "area layer to split by, e.g. beat")->required();
  b->add_option("--areas", flags->batch.areas, "only these area codes (default: all)")->delimiter(',');
  b->add_option("-o,--out", flags->batch.out, "folder for the packs (default: <output.dir>_packs)");
  b->add_option("-j,--jobs", flags->batch.jobs, "packs built at once (default 2)")->check(CLI::PositiveNumber);
  b->add_option("--maps", flags->batch.maps_dir, "folder with the QGIS styles and project template (default: maps/)");
  b->add_flag("--public", flags->public_mode, "public packs: small counts withheld, no incident points");
  b->add_flag("-q,--quiet", flags->quiet, "no progress bar");
  b->add_flag("-v,--verbose", flags->verbose, "a line per pack");
  return [flags] { return execute(*flags); };
}

}  // namespace hotspot::cli
