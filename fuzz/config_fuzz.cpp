// Fuzzes the TOML config loader (tools/hotspot/config.cpp, load_config) on
// arbitrary bytes. load_config promises to throw ConfigError on any bad
// config; any other exception or a sanitizer report is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config.h"
#include "hotspot/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // load_config reads a path (relative paths are resolved against its
  // folder), so the bytes go to a per-process file.
  static const std::string path = "/tmp/hotspot-config-fuzz-" + std::to_string(getpid()) + ".toml";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  try {
    hotspot::RunSpec spec = hotspot::cli::load_config(path);
    (void)spec;
  } catch (const hotspot::ConfigError&) {
  }
  return 0;
}
