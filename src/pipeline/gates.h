// Sanity gates: the checks that stop a run (or warn, printed before the
// tables and kept in run_summary and the briefing) when its inputs look
// wrong rather than merely untidy - no incident accepted, an area layer that
// misses most incidents, points far outside the working CRS's area of use.
// Each message names the files, shows the figures it judged by, says the
// likely cause and the line of config that fixes it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hotspot/areas.h"
#include "hotspot/incidents.h"
#include "hotspot/ledger.h"
#include "hotspot/run_spec.h"

namespace hotspot::pipeline {

// One input file's incidents as read, before the transform: enough to tell
// afterwards whether the file's coordinates were meant otherwise.
struct SourceSample {
  std::string path;
  const IncidentSource* source = nullptr;
  std::string crs;                                      // the CRS the file was read in
  std::vector<std::pair<double, double>> accepted;      // first accepted (x, y), source CRS
  std::vector<std::pair<double, double>> out_of_range;  // first (x, y) rejected as not lon/lat
};
constexpr size_t kSampleSize = 2000;

// What out-of-range "lon/lat" values really look like, with the config line
// that fixes it: British National Grid metres, swapped columns, or another
// projected CRS. "" when there is nothing to say.
std::string out_of_range_hint(const SourceSample& s);

// Accepted lon/lat that only make sense swapped (latitude in the x column,
// e.g. x = 52.6, y = -1.2 for Leicestershire): the fix, or "".
std::string swapped_hint(const SourceSample& s);

// Gate: throws InputError when no incident was accepted, with the ledger,
// the rejects by reason (the first row of each) and the hints above.
void require_incidents(const Ledger& ledger, const std::vector<SourceSample>& samples);

// Gate: a layer read from a file that holds under checks.min_match_share of
// the accepted incidents. Throws InputError (or, with on_low_match = "warn",
// adds a ledger warning) showing both extents in the working CRS and the
// likely cause. Dissolved layers are not checked: their cover is the lookup's.
void check_match_share(const IncidentTable& incidents, const AreaLayer& layer, const AreaSource& source,
                       const LayerLedger& entry, const std::string& working_crs,
                       const std::vector<SourceSample>& samples, const CheckSpec& checks, Ledger& ledger);

// Warning: incidents more than kAreaOfUseMargin degrees outside PROJ's area of
// use of the working CRS (counted, with their extent and a first row).
constexpr double kAreaOfUseMargin = 1.0;
void check_area_of_use(const IncidentTable& incidents, const std::string& working_crs, Ledger& ledger);

}  // namespace hotspot::pipeline
