#include "pipeline/memory_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "hotspot/errors.h"
#include "io/format.h"
#include "io/incident_batch.h"
#include "pipeline/stream.h"

namespace hotspot::pipeline {
namespace {

// Measured on the synthetic national years (bench/RESULTS.md, "Reading"):
// the run's peak grows by about this much per accepted row (table, ids,
// interned text, join, counts), over a base for the program and its areas.
constexpr double kBytesPerRow = 200;
constexpr double kBaseBytes = 300e6;
constexpr double kAreaBytesPerFileByte = 20;  // decoded polygons, index and outputs per byte of area file
// The incidents layer is built whole before it is written, a text value per
// cell: measured 650 bytes a row (1M synthetic rows to Charnwood's LSOAs,
// GeoPackage only: peak 1,345 MB with the layer, 719 MB without). A decade
// of national police.uk with it would need ~40 GB; without it, ~13 GB.
constexpr double kIncidentLayerBytesPerRow = 650;
// Aggregate mode (no incidents layer: pipeline/stream.h) keeps no ids or
// recorded codes per row and joins file by file: ~54 bytes a row of table
// plus the duplicate-id set while reading, and the writers' tables. Fitted
// to the whole national job (bench/RESULTS.md, "Aggregate mode"): 60M rows
// peaked at 9.17 GB (this gives 9.3), 6M at 2.08 GB (this gives 1.9).
constexpr double kAggregateBytesPerRow = 130;

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A file's text size: a .gz's trailer holds its size mod 2^32.
int64_t text_bytes(const std::string& path) {
  std::error_code ec;
  const auto size = int64_t(std::filesystem::file_size(path, ec));
  if (ec) return 0;
  if (!ends_with(path, ".gz") || size < 18) return size;
  std::ifstream in(path, std::ios::binary);
  in.seekg(size - 4);
  unsigned char b[4] = {};
  in.read(reinterpret_cast<char*>(b), 4);
  const int64_t isize = int64_t(b[0]) | int64_t(b[1]) << 8 | int64_t(b[2]) << 16 | int64_t(b[3]) << 24;
  // Past 4 GB the trailer wraps: text is at least ~4x the .gz. A cut or
  // corrupt .gz has a meaningless trailer: CSV text is seldom over ~20x its
  // .gz, so no more than that is counted (reading then names the bad file).
  return std::min(std::max(isize, size * 4), size * 20);
}

// Mean line length of a plain-text file's first 64 KB (0 when unknown).
double mean_line_length(const std::string& path) {
  if (ends_with(path, ".gz")) return 0;
  std::ifstream in(path, std::ios::binary);
  std::string buf(1 << 16, '\0');
  in.read(buf.data(), std::streamsize(buf.size()));
  buf.resize(size_t(in.gcount()));
  const auto lines = std::count(buf.begin(), buf.end(), '\n');
  return lines > 1 ? double(buf.size()) / double(lines) : 0;
}

std::string gb(double bytes) { return io::format_number(bytes / 1e9, std::chars_format::fixed, 1) + " GB"; }

}  // namespace

MemoryEstimate estimate_memory(const RunSpec& spec) {
  MemoryEstimate e;
  double rows = 0;
  for (const IncidentSource& source : spec.incidents) {
    std::vector<std::string> files;
    try {
      files = io::incident_files(source);
    } catch (const std::exception&) {
      continue;  // reading reports it, with the file
    }
    int64_t bytes = 0;
    for (const std::string& f : files) bytes += text_bytes(f);
    e.input_bytes += bytes;
    double line = files.empty() ? 0 : mean_line_length(files.front());
    if (line <= 0) line = 100;  // unknown (compressed, OGR): a short line, so more rows
    rows += double(bytes) / line;
  }
  double area_bytes = 0;
  for (const AreaSource& a : spec.areas)
    for (const std::string& p : a.paths) {
      std::error_code ec;
      if (std::filesystem::is_directory(p, ec)) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(p, ec))
          if (const auto size = entry.file_size(ec); entry.is_regular_file() && !ec) area_bytes += double(size);
      } else if (const auto size = std::filesystem::file_size(p, ec); !ec) {
        area_bytes += double(size);  // (a PG: connection or a missing file has none: 0, not uintmax_t(-1))
      }
    }
  e.area_bytes = int64_t(area_bytes);
  e.rows = int64_t(rows);
  e.aggregate = aggregate_mode(spec);
  e.bytes = int64_t(kBaseBytes + kAreaBytesPerFileByte * area_bytes +
                    (e.aggregate ? kAggregateBytesPerRow : kBytesPerRow) * rows);
  // Written outputs (not a dry run): the incidents layer, unless left out.
  e.incident_layer = !spec.dry_run && !spec.output.dir.empty() && incidents_layer_written(spec);
  if (e.incident_layer) e.bytes += int64_t(kIncidentLayerBytesPerRow * double(e.rows));
  e.without_incident_layer =
      int64_t(kBaseBytes + kAreaBytesPerFileByte * area_bytes + kAggregateBytesPerRow * rows);
  return e;
}

int64_t memory_limit(const RunSpec& spec) {
  if (spec.max_memory_gb > 0) return int64_t(spec.max_memory_gb * 1e9);
  std::ifstream in("/proc/meminfo");
  std::string key;
  int64_t kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024;
  return 0;
}

namespace {

// The advice when the incidents layer is what tips the run over: without
// it the run is in aggregate mode (no whole per-incident table either).
std::string without_incidents(const RunSpec& spec, const MemoryEstimate& e) {
  const double rest = double(e.without_incident_layer);
  return "Of that, about " + gb(kIncidentLayerBytesPerRow * double(e.rows)) +
         " is the incidents layer (one row per incident); without it (--no-incidents, or incidents = false in "
         "[output]) the run keeps no per-incident table and would need about " + gb(rest) +
         (rest <= double(memory_limit(spec)) ? ", which fits" : "") + ". ";
}

}  // namespace

void check_memory(const RunSpec& spec) {
  const int64_t limit = memory_limit(spec);
  if (limit <= 0) return;
  const MemoryEstimate e = estimate_memory(spec);
  if (e.bytes <= limit) return;
  throw InputError("this run would need about " + gb(double(e.bytes)) + " of memory (" +
                   io::format_number(double(e.rows) / 1e6, std::chars_format::fixed, 1) + " million rows estimated from " +
                   gb(double(e.input_bytes)) + " of incident files), more than the " + gb(double(limit)) +
                   (spec.max_memory_gb > 0 ? " allowed (max_memory_gb)" : " available on this machine") +
                   ": nothing was read. " + (e.incident_layer ? without_incidents(spec, e) : std::string()) +
                   "Run fewer months or forces at a time, or raise max_memory_gb (in the "
                   "config, or --max-memory-gb) if the machine has more memory to give");
}

}  // namespace hotspot::pipeline
