// The run manifest: what made a pack, so it can be trusted and rerun.
#pragma once

#include <string>
#include <vector>

#include "hotspot/pipeline.h"

namespace hotspot::report {

// SHA-256 of a file, lowercase hex. Throws InputError if unreadable.
std::string sha256_file(const std::string& path);

// JSON text: engine, GDAL/GEOS/PROJ versions, every input file (path
// relative to the output folder, or the file name alone in public mode;
// bytes; SHA-256), the full configuration (config_toml: what `hotspot run -c`
// reads back), periods, extraction date, comparator, suppression, every
// surface's parameters, the ledger.
std::string manifest_json(const RunSpec& spec, const RunResult& result, const std::string& config_toml);

// A file a pack holds: its name in the pack, where it is now, what it covers.
struct OutputFile {
  std::string name;   // e.g. "csv/comparison_beat.csv"
  std::string path;   // the file to checksum
  std::string scope;  // e.g. "the pack's area"
};

// The manifest with an "outputs" list: every file (name, bytes, SHA-256,
// scope). The copy inside the GeoPackage has none (it cannot hold its own
// checksum); manifest.json does.
std::string with_outputs(const std::string& manifest, const std::vector<OutputFile>& files);

// A config's TOML for a public pack: every quoted absolute path reduced to
// its file name, under a comment saying so.
std::string without_folders(const std::string& toml);

}  // namespace hotspot::report
