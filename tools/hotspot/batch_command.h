// `hotspot batch`: one pack per area of a layer (e.g. every beat).
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace hotspot::cli {

std::function<int()> add_batch_command(CLI::App& app);

}  // namespace hotspot::cli
