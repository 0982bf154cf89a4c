// The grid of a heat map and its study area, shared by the [kde] surfaces
// (surfaces.cpp) and the [[change.surfaces]] (change_run.cpp), so both put
// their cells in the same places for the same [kde] settings.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "geo/point_locator.h"
#include "hotspot/pipeline.h"

namespace hotspot::pipeline {

// The study area: a layer's areas (all, or one), or none.
struct Study {
  std::vector<MultiPolygon> areas;
  std::unique_ptr<geo::PointLocator> locator;  // over areas; null without a study area
  Box box{INFINITY, INFINITY, -INFINITY, -INFINITY};
  std::string label = "data extent + radius";
  // The last clip mask: surfaces on the same grid share it.
  Grid mask_grid;
  std::vector<bool> mask;
};

// [kde] study_layer / study_area of the run's layers (none when not set).
// Throws ConfigError for an unknown layer or area.
Study study_area(const KdeSpec& k, const RunResult& r);

// Grid over the box: snapped outward to whole cells, or (exact = true)
// starting at the box's west and north edges as given.
Grid make_grid(const Box& b, double cell, bool exact);

// Which cells lie in the study area (all without one), computed once per
// grid shape and kept in `study`.
const std::vector<bool>& mask_of(const Grid& g, Study& study, int threads);

}  // namespace hotspot::pipeline
