// Area statistics for one run: period comparison per area x category,
// rates, significance against a comparator, repeat locations.
#pragma once

#include <string>
#include <vector>

#include "hotspot/areas.h"
#include "hotspot/incidents.h"
#include "hotspot/run_spec.h"
#include "stats/categories.h"
#include "stats/periods.h"
#include "stats/poisson_limits.h"

namespace hotspot::stats {

struct LayerStats {
  std::string layer;
  int areas = 0, categories = 0;
  std::vector<int64_t> current, previous;  // areas x categories, row-major
  bool has_population = false;
  double comparator_rate = 0;               // headline per spec.rate_per people
  std::string comparator;                   // what the comparator is, in words
  std::vector<double> rate;                 // headline rate per area (NaN: no population)
  std::vector<AreaSignificance> significance;  // per area (kNotApplicable: no population)
  // Getis-Ord Gi* of the headline counts in the current period, queen
  // contiguity (boundaries within 1 m) including self; per area.
  std::vector<double> gi_z, gi_p;
  std::vector<int> gi_bin;

  int64_t cur(int area, int cat) const { return current[size_t(area) * size_t(categories) + size_t(cat)]; }
  int64_t prev(int area, int cat) const { return previous[size_t(area) * size_t(categories) + size_t(cat)]; }
  int64_t total_cur(int cat) const;
  int64_t total_prev(int cat) const;
};

struct RepeatLocation {
  double x = 0, y = 0;             // the shared (snapped) point, working CRS
  std::string location;            // the source's location text
  int64_t count = 0;               // incidents in the current period
  std::string categories;          // "Shoplifting 12; Public order 3; ..."
  std::vector<std::string> area_codes;  // per area layer ("" = outside)
};

struct StatsResult {
  Period current, previous;                // as used (whole months for monthly data)
  std::vector<StatCategory> categories;
  int headline = -1;                       // index of spec.headline in categories
  std::vector<LayerStats> layers;          // one per area layer
  std::vector<RepeatLocation> repeats;     // top spec.top_n, most first
  std::vector<std::string> notes;          // period caveats (monthly data counted in whole months)
  std::string data_months;                 // "2018-10 to 2019-02"
  // How much of each period the data's months cover. A period not covered
  // at all has no data: its counts print blank and so does every change and
  // % variance. A partly covered one makes every % variance a comparison of
  // unequal spans: marked with variance_caveat.
  Coverage current_coverage, previous_coverage;
  std::string variance_caveat;             // "" when both periods are fully covered
  std::vector<std::string> warnings;       // coverage, in words; the pipeline prints them
                                           // before the tables and records them
  bool current_has_data() const { return !current_coverage.none(); }
  bool previous_has_data() const { return !previous_coverage.none(); }
};

// Throws ConfigError for a bad period spec or an unknown headline category.
// `threads` (0 = all cores) find the areas' neighbours for Gi*; the result
// does not depend on it.
StatsResult compute_stats(const IncidentTable& incidents, const std::vector<AreaLayer>& layers,
                          const std::vector<Assignment>& assignments, const StatsSpec& spec, int threads = 0);

// (area, category) pairs with the largest increases (current - previous > 0),
// base categories only; ties by area code then category. At most n.
struct Increase {
  int area = 0, category = 0;
  int64_t previous = 0, current = 0;
};
std::vector<Increase> top_increases(const LayerStats& s, const StatsResult& r, const AreaLayer& layer, int n);

// Areas with population sorted by headline rate, highest first.
std::vector<int> areas_by_rate(const LayerStats& s, const AreaLayer& layer);

}  // namespace hotspot::stats
