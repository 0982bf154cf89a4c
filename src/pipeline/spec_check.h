// Checks on a RunSpec that need no data (hotspot/run_spec.h, spec_problems),
// and the heat-map grid size limit shared by the config check and the
// surfaces stage.
#pragma once

#include <string>

namespace hotspot::pipeline {

// Grids above this many cells are refused: a 10^8-cell grid takes minutes
// and gigabytes even for a handful of incidents. England at 100 m cells
// (3.7e7 cells, the national benchmark of issue 13) must still fit.
constexpr double kMaxGridCells = 5e7;

// "" when a grid of width x height metres in cells of `cell` metres fits
// kMaxGridCells; otherwise a message with the grid size, a memory estimate
// and the smallest cell that fits. `what` starts the message.
std::string grid_size_problem(const std::string& what, double width, double height, double cell, bool gistar);

}  // namespace hotspot::pipeline
