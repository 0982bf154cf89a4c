// [[emerging]] cubes of a run: the space-time cube of the selected
// incidents, its space-time Gi*, each location's pattern, and for area
// cubes each area's count trend (docs/config.md, [emerging]).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hotspot/emerging.h"
#include "hotspot/grid.h"
#include "hotspot/pipeline.h"

namespace hotspot::pipeline {

struct EmergingRun {
  EmergingSpec spec;
  int layer = -1;                     // index into RunResult::layers; -1 = grid cells
  Grid grid;                          // grid cubes: the cells (values unused)
  std::vector<std::string> step_label;  // per step: "2019-01" (month) or the step's first day "2010-01-04"
  emerging::Cube cube;
  emerging::CubeGi gi;
  std::vector<emerging::LocationPattern> pattern;  // per kept location
  // Area cubes: Mann-Kendall and Sen's slope (incidents per step) on each
  // area's counts; empty for grid cubes.
  std::vector<stats::MannKendall> count_trend;
  std::vector<double> sen_slope;
  // Area cubes: the same on monthly counts per source category of the
  // selection, for every area of the layer (an area without incidents of it
  // has a zero series).
  struct CategoryTrend {
    std::string category;
    std::vector<double> total;             // incidents per area
    std::vector<stats::MannKendall> trend; // per area
    std::vector<double> sen_slope;         // per area, incidents per month
  };
  std::vector<CategoryTrend> category_trends;
  std::map<std::string, std::string> parameters;  // every choice and figure, as text
  std::vector<std::string> warnings;
  double cube_seconds = 0, neighbour_seconds = 0, gi_seconds = 0, trend_seconds = 0;  // wall clock

  std::vector<std::string> code;      // per kept location: area code, or "c<col>_r<row>" for a grid cell
  std::vector<std::string> label;     // per kept location: area name, or ""
};

// One EmergingRun per spec.emerging entry. Throws ConfigError for an unknown
// layer or category, or week/day steps on incidents dated to the month only.
std::vector<std::shared_ptr<const EmergingRun>> build_emerging(const RunSpec& spec, const RunResult& result);

// Problems in the [[emerging]] entries (names, ranges, choices), for
// spec_problems.
std::vector<std::string> emerging_problems(const RunSpec& spec);

// "rising" / "falling" (Mann-Kendall p <= alpha, by the sign of S) or "no trend".
std::string trend_class(const stats::MannKendall& mk, double alpha);

}  // namespace hotspot::pipeline
