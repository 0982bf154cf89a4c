#include "hotspot/batch.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "hotspot/pipeline.h"
#include "io/output_dir.h"
#include "io/safe_name.h"
#include "pipeline/change_run.h"
#include "pipeline/outputs.h"
#include "pipeline/surfaces.h"
#include "report/briefing.h"
#include "report/front_page.h"
#include "report/front_tables.h"
#include "report/manifest.h"
#include "report/svg_map.h"
#include "report/svg_png.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw OutputError(path + ": write failed");
}

std::string csv_quote(const std::string& s) {
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

// Each briefing map as a standalone SVG and a PNG for slides (maps/); the
// files written, relative to the pack.
std::vector<std::string> write_maps(const io::StagedOutput& staged,
                                    const std::vector<std::pair<std::string, std::string>>& maps, int width_px) {
  std::vector<std::string> files;
  if (maps.empty()) return files;
  std::error_code ec;
  fs::create_directories(staged.path("maps"), ec);
  if (ec) throw OutputError(staged.path("maps") + ": cannot create: " + ec.message());
  for (const auto& [name, svg] : maps) {
    write_text(staged.path(name + ".svg"), svg);
    report::write_svg_png(svg, width_px, staged.path(name + ".png"));
    files.push_back(name + ".svg");
    files.push_back(name + ".png");
  }
  return files;
}

// What a pack's file covers, for its manifest: the pack's own area, areas
// near it, or the whole run (tables that rank or compare every area).
std::string pack_scope(const std::string& file, const RunResult& r, const std::string& pack_layer) {
  const fs::path p(file);
  const std::string folder = p.parent_path().string(), stem = p.stem().string();
  if (folder.empty()) return "the pack";  // briefing, project, run.toml, GeoPackage (layers as below)
  if (folder == "kde" || folder == "change" || folder == "maps" || stem == "change_parameters" || stem == "incidents" || stem.rfind("hotspots_", 0) == 0 ||
      stem == "repeat_locations" || stem == "surface_parameters")
    return "the pack's area";
  if (stem.rfind("emerging_", 0) == 0 && stem != "emerging_parameters")
    return "the areas of the cube whose bounding boxes meet the pack's area";
  for (const AreaLayer& l : r.layers)
    if (stem == l.name || stem == l.name + "_counts" || stem == l.name + "_statistics")
      return l.name == pack_layer ? "the pack's area"
                                  : "the " + l.name + " areas whose bounding boxes meet the pack's area";
  return "run-wide: every area and incident of the run, not only this pack's";
}

// One pack: the shared result plus the area's heat maps, written with the
// pack's own files (manifest, run.toml, briefing) before it is put in place.
PackStatus make_pack(const RunSpec& base_spec, const RunResult& base, const BatchSpec& b, size_t l, int32_t area,
                     const std::string& folder) {
  const AreaLayer& layer = base.layers[l];
  PackStatus st;
  st.code = layer.code[size_t(area)];
  st.name = layer.label[size_t(area)];
  st.folder = folder;
  const auto start = std::chrono::steady_clock::now();
  try {
    RunSpec spec = base_spec;
    spec.kde.enabled = true;
    spec.kde.study_layer = layer.name;
    spec.kde.study_area = st.code;
    spec.output.dir = (fs::path(b.out) / st.folder).string();
    spec.output.maps_dir = b.maps_dir;
    spec.progress = nullptr;
    RunResult r = base;  // the shared read, join and statistics
    r.surfaces = pipeline::build_surfaces(spec, base);
    // The change surfaces on the pack's area, as its heat maps: smoothed
    // with every incident, clipped to the area (none in public mode: the
    // run made none, see pipeline.cpp).
    if (!base.change.empty()) r.change = pipeline::build_change_surfaces(spec, base);
    // run.toml lives in the pack and names every path relative to it; its
    // own rerun writes beside it (rerun/), never over the pack.
    RunSpec rerun = spec;
    rerun.output.dir = (fs::path(spec.output.dir) / "rerun").string();
    std::string toml = b.config_writer ? b.config_writer(rerun, spec.output.dir) : "";
    if (spec.stats.public_mode && !toml.empty()) toml = report::without_folders(toml);
    const std::string manifest = report::manifest_json(spec, r, toml);
    pipeline::PackOptions pack;
    pack.layer = layer.name;
    pack.area = area;
    pack.gpkg_manifest = manifest;
    pack.extra = [&](const io::StagedOutput& staged, std::vector<std::string>& written) {
      if (!toml.empty()) {
        write_text(staged.path("run.toml"), toml);
        written.push_back("run.toml");
      }
      std::vector<std::string> outputs = written;  // every file but the manifest itself
      written.push_back("manifest.json");
      report::BriefingInput in;
      in.title = layer.name + " " + st.code + (st.name.empty() ? "" : " - " + st.name);
      in.result = &r;
      in.spec = &spec;
      in.area_layer = layer.name;
      in.area_code = st.code;
      in.manifest_file = "manifest.json";
      in.files = written;
      std::vector<std::pair<std::string, std::string>> maps;
      in.maps = &maps;
      in.map_width_px = spec.report.map_png_width;
      report::write_briefing(staged.path("briefing.html"), in);
      outputs.push_back("briefing.html");
      for (std::string& f : write_maps(staged, maps, spec.report.map_png_width)) {
        written.push_back(f);
        outputs.push_back(std::move(f));
      }
      std::vector<report::OutputFile> listed;
      for (const std::string& f : outputs) listed.push_back({f, staged.path(f), pack_scope(f, r, layer.name)});
      write_text(staged.path("manifest.json"), report::with_outputs(manifest, listed));
    };
    pipeline::write_outputs(spec, r, &pack);
    st.ok = true;
  } catch (const std::exception& e) {
    st.error = e.what();
  }
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return st;
}

// index.csv lists the packs; index.html is the borough front page
// (report/front_page.h) with every pack linked and its status.
void write_index(const std::string& root, const std::vector<PackStatus>& packs, const report::FrontPageInput& front) {
  std::ostringstream csv;
  csv << "area_code,area_name,status,folder,briefing,seconds,error\n";
  for (const PackStatus& p : packs)
    csv << csv_quote(p.code) << "," << csv_quote(p.name) << "," << (p.ok ? "ok" : "failed") << ","
        << csv_quote(p.folder) << "," << (p.ok ? csv_quote(p.folder + "/briefing.html") : "") << "," << p.seconds
        << "," << csv_quote(p.error) << "\n";
  // Written aside and renamed, so a reader never sees half an index.
  write_text(root + "/index.csv.tmp", csv.str());
  report::write_front_page(root + "/index.html.tmp", front);
  fs::rename(root + "/index.csv.tmp", root + "/index.csv");
  fs::rename(root + "/index.html.tmp", root + "/index.html");
}

// The front page's heat map: the config's first surface over the whole
// study layer (what `hotspot run` of the same config draws first, with the
// same public protection). A failure is told on the page, not fatal.
std::vector<Surface> borough_surface(const RunSpec& spec, const RunResult& base, std::string& problem) {
  RunSpec s = spec;
  s.kde.enabled = true;
  s.kde.study_area.clear();
  if (s.kde.surfaces.size() > 1) s.kde.surfaces.resize(1);
  try {
    return pipeline::build_surfaces(s, base);
  } catch (const std::exception& e) {
    problem = e.what();
    return {};
  }
}

// The packs folder holds the packs and the index. Like a run's output
// folder it must be new, empty or hotspot's own (marked); it is not replaced
// as a whole, only each pack in it.
void prepare_packs_folder(const std::string& out, const RunSpec& spec) {
  RunSpec probe = spec;
  probe.output.dir = out;
  pipeline::check_outputs(probe);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw OutputError(out + ": cannot create the packs folder: " + ec.message());
  const fs::path marker = fs::path(out) / io::kOutputMarker;
  if (!fs::exists(marker, ec))
    write_text(marker.string(), "This folder was written by hotspot batch. hotspot replaces a folder only when it "
                                "holds this file.\n");
}

}  // namespace

BatchResult run_batch(const RunSpec& spec, const BatchSpec& b,
                      const std::function<void(const PackStatus&, size_t total)>& on_pack) {
  const auto start = std::chrono::steady_clock::now();
  prepare_packs_folder(b.out, spec);  // refuse an unsafe folder before any work
  RunSpec base_spec = spec;
  base_spec.output.dir.clear();
  base_spec.kde.enabled = false;
  const RunResult base = run_pipeline(base_spec);
  size_t l = 0;
  while (l < base.layers.size() && base.layers[l].name != b.layer) ++l;
  if (l == base.layers.size()) throw ConfigError("batch layer: no area layer named '" + b.layer + "'");
  std::vector<int32_t> areas;
  for (size_t a = 0; a < base.layers[l].size(); ++a)
    if (b.areas.empty() || std::find(b.areas.begin(), b.areas.end(), base.layers[l].code[a]) != b.areas.end())
      areas.push_back(int32_t(a));
  if (areas.empty()) throw ConfigError("batch areas: none of them is an area of layer " + b.layer);
  report::check_report_categories(base, spec);  // a wrong [report] category stops the batch before any pack
  // Pack folders are named from area codes in the data: each is made one
  // safe path component, and two codes that would share a folder are an error.
  io::ComponentSet folder_names;
  std::vector<std::string> folders;
  for (int32_t a : areas)
    folders.push_back(folder_names.add(b.layer + "_" + base.layers[l].code[size_t(a)], "pack folder of area code"));

  BatchResult result;
  result.packs.resize(areas.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < areas.size();) {
      result.packs[i] = make_pack(spec, base, b, l, areas[i], folders[i]);
      if (on_pack) on_pack(result.packs[i], areas.size());
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < std::max(1, b.jobs); ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  report::FrontPageInput front;
  front.result = &base;
  front.spec = &spec;
  const std::vector<Surface> borough = borough_surface(spec, base, front.surface_problem);
  if (!borough.empty()) front.surface = &borough.front();
  front.packs = &result.packs;
  write_index(b.out, result.packs, front);
  for (const PackStatus& p : result.packs) result.failed += !p.ok;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace hotspot
