// `hotspot run`: the whole pipeline from a config file and/or flags.
#pragma once

#include <CLI/CLI.hpp>

namespace hotspot::cli {

// Adds the subcommand to app; the returned function runs it (exit code).
std::function<int()> add_run_command(CLI::App& app);

// `hotspot validate -c FILE`: the run's dry run (reads and checks, writes nothing).
std::function<int()> add_validate_command(CLI::App& app);

}  // namespace hotspot::cli
