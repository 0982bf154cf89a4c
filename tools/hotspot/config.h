// TOML run configuration -> RunSpec. The format is documented in
// docs/config.md and by `hotspot run --help`.
#pragma once

#include <string>
#include <vector>

#include "hotspot/run_spec.h"

namespace hotspot::cli {

// Parses the TOML file; relative paths are taken from the file's folder.
// Unknown keys are errors (a typo must not be silently ignored).
// Throws ConfigError naming the file, and the key where it can. Values out
// of range, unknown names (spec_problems) and input paths that do not exist
// are all listed in one ConfigError, or, when `problems` is given, appended
// to it (each naming the file) for `hotspot validate` to go on.
RunSpec load_config(const std::string& path, std::vector<std::string>* problems = nullptr);

// The spec as a config file, written to `folder`, that load_config reads back
// to the same spec (paths relative to that folder).
std::string to_toml(const RunSpec& spec, const std::string& folder);

// Parses "NAME=PATH:CODE_FIELD[:NAME_FIELD]" (the --area flag).
AreaSource parse_area_flag(const std::string& text);

}  // namespace hotspot::cli
