// [[change.surfaces]] of a run: two periods on one grid with the [kde]
// kernel, bandwidth, cell, units and study area, each divided by its number
// of months; difference, log ratio and an optional permutation test
// (hotspot/change.h; docs/config.md, [change]).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hotspot/change.h"
#include "hotspot/pipeline.h"

namespace hotspot::pipeline {

struct ChangeRun {
  ChangeSurfaceSpec spec;
  change::ChangeGrids grids;
  std::string before_label, after_label;  // the periods as dates
  std::map<std::string, std::string> parameters;  // every choice and figure, as text
  std::vector<std::string> warnings;
  double seconds = 0;                     // wall clock of the densities and the test
};

// One ChangeRun per spec.change_surfaces entry. Throws ConfigError for an
// unknown category or a period that does not parse; InputError when neither
// period holds an incident.
std::vector<std::shared_ptr<const ChangeRun>> build_change_surfaces(const RunSpec& spec, const RunResult& result);

// Problems in the [[change.surfaces]] entries (names, periods, ranges), for
// spec_problems (change_check.cpp: links without GDAL's raster side).
std::vector<std::string> change_problems(const RunSpec& spec);

}  // namespace hotspot::pipeline
