// NearRepeatSpec: one near-repeat analysis of the [near_repeat] config
// section (docs/config.md): a Knox test, cocooning zones and a next-step
// risk surface with its backtest, on one selection of incidents.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hotspot {

struct NearRepeatSpec {
  std::string name = "near_repeat";    // outputs knox_<name>*, cocoons_<name>, risk_<name>*
  std::vector<std::string> categories; // category or roll-up names ([] = all)
  std::string period;                  // period spec ("" = all the data)
  std::string time_unit = "auto";      // "auto" (day when every selected incident has a date, else month),
                                       // "day", "hour" or "month"
  std::string metric = "manhattan";    // or "euclidean"
  // Distance bands (metres): an explicit list of edges from 0, or a
  // bandwidth x count after a same-location band [0, same_location).
  // Nothing given: 100 m x 8 (dated data) or 0, 1, 200, 400, 800 (month data).
  std::vector<double> distance_edges;
  double distance_bandwidth = 0;
  int distance_bands = 0;
  double same_location = 1;            // metres; 0 = no same-location band (bandwidth form)
  bool distance_beyond = true;         // add [last edge, infinity)
  // Time bands (time units): edges from 0, or bandwidth x count.
  // Nothing given: 7 days x 8 (day), 24 hours x 7 (hour), 0, 1, 2, 3 (month).
  std::vector<double> time_edges;
  double time_bandwidth = 0;
  int time_bands = 0;
  bool time_beyond = true;             // add [last edge, infinity)
  std::string method = "auto";         // "auto", "monte_carlo" or "exact"
  int permutations = 999;
  int64_t seed = 20240611;
  double alpha = 0.05;                 // flag cells with p <= alpha ...
  double min_ratio = 1.2;              // ... and Knox ratio >= min_ratio

  // Cocooning zones (dated data only).
  bool cocoons = true;
  double cocoon_radius = 200;          // metres (Euclidean disc)
  int cocoon_days = 14;
  bool cocoon_from_knox = false;       // radius and days from the Knox table's contiguous flagged near bands

  // Next-step risk surface and its backtest.
  bool risk = true;
  std::string risk_step = "auto";      // "auto" (week for dated data, else month), "week" or "month"
  int risk_lookback = 0;               // steps weighed; 0 = 8 weeks or 3 months
  double risk_distance = 400;          // metres: events within this of a cell centre count
  double risk_cell = 100;              // metres
  double risk_top_percent = 5;         // hit rate and PAI for the top X% of cells
  double risk_baseline_bandwidth = 400;  // the KDE baseline's quartic radius, metres
};

}  // namespace hotspot
