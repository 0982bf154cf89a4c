// The grid of a heat map and its study area, shared by the [kde] surfaces
// (surfaces.cpp) and the [[change.surfaces]] (change_run.cpp), so both put
// their cells in the same places for the same [kde] settings.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "geo/point_locator.h"
#include "hotspot/kde.h"
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

// The [kde] kernel, units, mode and Gaussian cut-off as kde::KdeOptions,
// with the bandwidth given or by [kde]'s rule on `for_rule` (the incidents
// the rule should see: in the study area, or in the first area layer).
kde::KdeOptions kde_options(const KdeSpec& k, int threads, const std::vector<Point>& for_rule);

// Which incidents count for the bandwidth rule and the data extent: in the
// study area, or without one in the first area layer (stray points far
// outside every area would inflate both), or all when there is no layer.
bool in_rule_area(const Study& study, const RunResult& r, size_t i);

// The box and cell of a surface's grid: [kde] extent as given, the study
// area's box, or the data extent (for_rule) + the kernel radius; the cell
// given or by rule. `what` names the surface in errors ("kde surface all").
// Throws InputError (no incidents for the data extent, a grid that is not
// finite) and ConfigError (a grid too big).
struct GridChoice {
  Box box;
  double cell = 0;
  bool explicit_extent = false;
};
GridChoice grid_choice(const KdeSpec& k, const Study& study, const std::vector<Point>& for_rule, double radius,
                       const std::string& what, const std::string& no_incidents, bool with_gistar);

// One incident's kernel at its own point (distance 0), in the surface's
// units: the height of an isolated bump of weight 1.
double one_incident_peak(const kde::KdeOptions& o, double cell);

}  // namespace hotspot::pipeline
