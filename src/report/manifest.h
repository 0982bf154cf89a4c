// The run manifest: what made a pack, so it can be trusted and rerun.
#pragma once

#include <string>

#include "hotspot/pipeline.h"

namespace hotspot::report {

// SHA-256 of a file, lowercase hex. Throws InputError if unreadable.
std::string sha256_file(const std::string& path);

// JSON text: engine, GDAL/GEOS/PROJ versions, every input file (path, bytes,
// SHA-256), the full configuration (config_toml: what `hotspot run -c`
// reads back), periods, extraction date, comparator, suppression, every
// surface's parameters, the ledger.
std::string manifest_json(const RunSpec& spec, const RunResult& result, const std::string& config_toml);

// A config's TOML for a public pack: every quoted absolute path reduced to
// its file name, under a comment saying so.
std::string without_folders(const std::string& toml);

}  // namespace hotspot::report
