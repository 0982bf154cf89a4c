#include "hotspot/space_time_cube.h"

#include <stdexcept>

namespace hotspot::emerging {

Cube build_cube(size_t locations, int steps, const std::vector<int32_t>& location_of,
                const std::vector<int32_t>& step_of, const std::vector<double>& weight) {
  if (steps < 1) throw std::invalid_argument("build_cube: fewer than 1 time step");
  if (location_of.size() != step_of.size() || (!weight.empty() && weight.size() != step_of.size()))
    throw std::invalid_argument("build_cube: per-event vectors differ in size");
  const auto T = size_t(steps);
  // Dense first (locations x steps), then the kept rows copied out: memory
  // is linear in the candidate locations, and the order never depends on
  // the events' order.
  std::vector<double> dense(locations * T, 0.0);
  std::vector<char> seen(locations, 0);
  Cube cube;
  cube.steps = steps;
  for (size_t e = 0; e < location_of.size(); ++e) {
    const int32_t loc = location_of[e], t = step_of[e];
    if (loc < 0 || t < 0) {
      ++cube.outside;
      continue;
    }
    if (size_t(loc) >= locations || t >= steps)
      throw std::invalid_argument("build_cube: event " + std::to_string(e) + " has location or step out of range");
    dense[size_t(loc) * T + size_t(t)] += weight.empty() ? 1.0 : weight[e];
    seen[size_t(loc)] = 1;
    ++cube.events;
  }
  for (size_t loc = 0; loc < locations; ++loc) {
    if (!seen[loc]) {
      ++cube.empty_locations;
      continue;
    }
    cube.location.push_back(uint32_t(loc));
    cube.count.insert(cube.count.end(), dense.begin() + std::ptrdiff_t(loc * T),
                      dense.begin() + std::ptrdiff_t((loc + 1) * T));
  }
  return cube;
}

}  // namespace hotspot::emerging
