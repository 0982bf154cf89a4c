// TOML run configuration -> RunSpec. The format is documented in
// docs/config.md and by `hotspot run --help`.
#pragma once

#include <string>

#include "hotspot/run_spec.h"

namespace hotspot::cli {

// Parses the TOML file; relative paths are taken from the file's folder.
// Unknown keys are errors (a typo must not be silently ignored).
// Throws ConfigError naming the file, and the key where it can.
RunSpec load_config(const std::string& path);

// The spec as a config file load_config reads back to the same spec
// (paths made absolute).
std::string to_toml(const RunSpec& spec);

// Parses "NAME=PATH:CODE_FIELD[:NAME_FIELD]" (the --area flag).
AreaSource parse_area_flag(const std::string& text);

}  // namespace hotspot::cli
