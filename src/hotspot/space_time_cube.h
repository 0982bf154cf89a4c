// Space-time cube: counts per location x time step (docs/METHODS.md,
// "Change over time"), the input of the space-time Gi* (hotspot/emerging.h).
//
// Locations are whatever the caller numbers 0..L-1 (grid cells, the areas
// of a layer); steps are 0..T-1. Only locations with at least one event in
// some step are kept (as Esri's cube does); how many were left out is kept
// so the outputs can say it.
//
// Thread safety: plain data; build_cube is a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hotspot::emerging {

struct Cube {
  int steps = 0;                     // T
  std::vector<uint32_t> location;    // kept locations (caller's indices, ascending)
  std::vector<double> count;         // location-major: count[k * steps + t] for kept location k
  int64_t events = 0;                // events placed in the cube
  int64_t outside = 0;               // events with no location or no step (not in the cube)
  size_t empty_locations = 0;        // candidate locations never with an event, left out

  size_t size() const { return location.size(); }
  double at(size_t k, int t) const { return count[k * size_t(steps) + size_t(t)]; }
};

// Counts events into the cube. location_of[e] in 0..locations-1 or < 0
// (none); step_of[e] in 0..steps-1 or < 0 (outside the span); weight[e] the
// event's weight (empty = 1 each). Throws std::invalid_argument when the
// vectors differ in size, an index is out of range, or steps < 1.
Cube build_cube(size_t locations, int steps, const std::vector<int32_t>& location_of,
                const std::vector<int32_t>& step_of, const std::vector<double>& weight = {});

}  // namespace hotspot::emerging
