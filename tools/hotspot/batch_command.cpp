#include "batch_command.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "config.h"
#include "hotspot/pipeline.h"
#include "pipeline/outputs.h"
#include "pipeline/surfaces.h"
#include "progress.h"
#include "report/briefing.h"
#include "report/manifest.h"

namespace hotspot::cli {
namespace {

namespace fs = std::filesystem;

struct BatchFlags {
  std::string config, layer, out, maps_dir;
  std::vector<std::string> areas;
  int jobs = 2;
  bool public_mode = false, quiet = false, verbose = false;
};

struct PackStatus {
  std::string code, name, folder, error;
  bool ok = false;
  double seconds = 0;
};

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw OutputError(path + ": write failed");
}

// The files a pack adds around the pipeline's outputs: manifest, rerunnable
// config, QGIS styles and project, briefing page.
void add_pack_files(const io::StagedOutput& staged, std::vector<std::string>& written, const RunSpec& spec,
                    const RunResult& r, const std::string& manifest, const std::string& toml,
                    const std::string& layer, const std::string& code,
                    const std::string& title) {
  write_text(staged.path("manifest.json"), manifest);
  write_text(staged.path("run.toml"), toml);
  written.insert(written.end(), {"manifest.json", "run.toml"});
  report::BriefingInput in;
  in.title = title;
  in.result = &r;
  in.spec = &spec;
  in.area_layer = layer;
  in.area_code = code;
  in.manifest_file = "manifest.json";
  in.files = written;
  report::write_briefing(staged.path("briefing.html"), in);
}

PackStatus make_pack(const RunSpec& base_spec, const RunResult& base, const BatchFlags& f, size_t l, int32_t area) {
  const AreaLayer& layer = base.layers[l];
  PackStatus st;
  st.code = layer.code[size_t(area)];
  st.name = layer.label[size_t(area)];
  st.folder = layer.name + "_" + st.code;
  const auto start = std::chrono::steady_clock::now();
  try {
    RunSpec spec = base_spec;
    spec.kde.enabled = true;
    spec.kde.study_layer = layer.name;
    spec.kde.study_area = st.code;
    spec.output.dir = (fs::path(f.out) / st.folder).string();
    spec.output.maps_dir = f.maps_dir;
    spec.quiet = true;
    RunResult r = base;  // the shared read, join and statistics
    r.surfaces = pipeline::build_surfaces(spec, base);
    const std::string toml = to_toml(spec);
    const std::string manifest = report::manifest_json(spec, r, toml);
    const std::string title = layer.name + " " + st.code + (st.name.empty() ? "" : " - " + st.name);
    pipeline::PackOptions pack;
    pack.layer = layer.name;
    pack.area = area;
    pack.gpkg_manifest = manifest;
    pack.extra = [&](const io::StagedOutput& staged, std::vector<std::string>& written) {
      add_pack_files(staged, written, spec, r, manifest, toml, layer.name, st.code, title);
    };
    pipeline::write_outputs(spec, r, &pack);
    st.ok = true;
  } catch (const std::exception& e) {
    st.error = e.what();
  }
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return st;
}

std::string html_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

void write_index(const std::string& root, const std::vector<PackStatus>& packs, const std::string& layer) {
  std::ostringstream csv, html;
  csv << "area_code,area_name,status,folder,briefing,seconds,error\n";
  html << "<!doctype html><html><head><meta charset=\"utf-8\"><title>hotspot packs</title><style>"
          "body{font-family:sans-serif;margin:2em}td,th{padding:4px 10px;border-bottom:1px solid #ddd}"
          ".failed{color:#b00}</style></head><body><h1>Packs by "
       << html_escape(layer) << "</h1><table><tr><th>" << html_escape(layer) << "</th><th>name</th><th>status</th></tr>";
  for (const PackStatus& p : packs) {
    auto quote = [](std::string s) {
      std::string o = "\"";
      for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
      return o + "\"";
    };
    csv << quote(p.code) << "," << quote(p.name) << "," << (p.ok ? "ok" : "failed") << "," << quote(p.folder) << ","
        << (p.ok ? quote(p.folder + "/briefing.html") : "") << "," << p.seconds << "," << quote(p.error) << "\n";
    html << "<tr><td>" << html_escape(p.code) << "</td><td>" << html_escape(p.name) << "</td><td>";
    if (p.ok) html << "<a href=\"" << html_escape(p.folder) << "/briefing.html\">briefing</a>";
    else html << "<span class=\"failed\">failed: " << html_escape(p.error) << "</span>";
    html << "</td></tr>";
  }
  html << "</table></body></html>\n";
  write_text(root + "/index.csv.tmp", csv.str());
  write_text(root + "/index.html.tmp", html.str());
  fs::rename(root + "/index.csv.tmp", root + "/index.csv");
  fs::rename(root + "/index.html.tmp", root + "/index.html");
}

int execute(BatchFlags f) {
  RunSpec spec = load_config(f.config);
  if (f.public_mode) spec.stats.public_mode = true;
  if (f.out.empty()) f.out = spec.output.dir.empty() ? "packs" : spec.output.dir + "_packs";
  if (f.maps_dir.empty()) f.maps_dir = (fs::path(HOTSPOT_SOURCE_DIR) / "maps").string();
  const auto start = std::chrono::steady_clock::now();
  RunSpec base_spec = spec;
  base_spec.output.dir.clear();
  base_spec.kde.enabled = false;
  const RunResult base = run_pipeline(base_spec);
  size_t l = 0;
  while (l < base.layers.size() && base.layers[l].name != f.layer) ++l;
  if (l == base.layers.size()) throw ConfigError("--layer: no area layer named '" + f.layer + "'");
  std::vector<int32_t> areas;
  for (size_t a = 0; a < base.layers[l].size(); ++a)
    if (f.areas.empty() || std::find(f.areas.begin(), f.areas.end(), base.layers[l].code[a]) != f.areas.end())
      areas.push_back(int32_t(a));
  if (areas.empty()) throw ConfigError("--areas: none of them is an area of layer " + f.layer);
  fs::create_directories(f.out);

  std::vector<PackStatus> status(areas.size());
  Progress progress(int(areas.size()), !f.quiet);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < areas.size();) {
      status[i] = make_pack(spec, base, f, l, areas[i]);
      if (f.verbose)
        std::cerr << (status[i].ok ? "ok     " : "FAILED ") << status[i].folder << " (" << status[i].seconds << " s)"
                  << (status[i].ok ? "" : ": " + status[i].error) << "\n";
      progress.step(status[i].folder);
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < std::max(1, f.jobs); ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  write_index(f.out, status, f.layer);

  int failed = 0;
  for (const PackStatus& p : status) failed += !p.ok;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "hotspot batch: " << status.size() - size_t(failed) << " of " << status.size() << " " << f.layer
            << " packs written to " << f.out << " in " << seconds << " s (index: " << f.out << "/index.html)\n";
  for (const PackStatus& p : status)
    if (!p.ok) std::cout << "  failed: " << f.layer << " " << p.code << ": " << p.error << "\n";
  return failed ? 6 : 0;
}

}  // namespace

std::function<int()> add_batch_command(CLI::App& app) {
  auto flags = std::make_shared<BatchFlags>();
  CLI::App* b = app.add_subcommand("batch", "One pack per area of a layer (e.g. every beat), in parallel.");
  b->footer(
      "Each pack (<out>/<layer>_<code>/): hotspot.gpkg (styled for QGIS), kde/*.tif (heat maps smoothed with\n"
      "every incident within the radius of the area, clipped to it), csv/*.csv, briefing.html (maps and\n"
      "tables, opens offline), manifest.json (inputs with SHA-256, versions, every parameter, ledger),\n"
      "run.toml (rerun: hotspot run -c run.toml), project.qgs. Plus <out>/index.html and index.csv.\n"
      "A failing area does not stop the others. Exit codes: as `run`, and 6 if any pack failed.");
  b->add_option("-c,--config", flags->config, "TOML run configuration")->required()->check(CLI::ExistingFile);
  b->add_option("-l,--layer", flags->layer, "area layer to split by, e.g. beat")->required();
  b->add_option("--areas", flags->areas, "only these area codes (default: all)")->delimiter(',');
  b->add_option("-o,--out", flags->out, "folder for the packs (default: <output.dir>_packs)");
  b->add_option("-j,--jobs", flags->jobs, "packs built at once (default 2)")->check(CLI::PositiveNumber);
  b->add_option("--maps", flags->maps_dir, "folder with the QGIS styles and project template (default: maps/)");
  b->add_flag("--public", flags->public_mode, "public packs: small counts withheld, no incident points");
  b->add_flag("-q,--quiet", flags->quiet, "no progress bar");
  b->add_flag("-v,--verbose", flags->verbose, "a line per pack");
  return [flags] { return execute(*flags); };
}

}  // namespace hotspot::cli
