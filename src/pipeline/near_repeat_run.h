// [near_repeat] analyses of a run (docs/config.md, [near_repeat]): the Knox
// test on the selected incidents, cocooning zones (dated data) and the
// next-step risk surface with its backtest.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hotspot/cocoon.h"
#include "hotspot/near_repeat_spec.h"
#include "hotspot/pipeline.h"
#include "hotspot/risk_surface.h"
#include "stats/knox.h"

namespace hotspot::pipeline {

struct NearRepeatRun {
  NearRepeatSpec spec;
  std::string unit;                      // "day", "hour" or "month": the Knox test's time unit
  knox::Options options;                 // the bands and settings the test ran with
  knox::Table table;
  std::vector<std::string> distance_label, time_label;  // per band: "1-100 m", "0-6 days"
  std::string what;                      // the selection in words, for readings: "Burglary incidents"
  std::string headline;                  // the plain-language reading of the near-repeat block
  std::vector<std::string> readings;     // one sentence per flagged cell
  std::vector<std::string> notes;        // e.g. what a month-resolution test can and cannot show
  std::map<std::string, std::string> parameters;  // every choice and figure, as text
  std::vector<std::string> warnings;

  bool has_cocoons = false;
  cocoon::Result cocoons;
  std::vector<size_t> zone_incident;     // per zone: index into RunResult::incidents

  bool has_risk = false;
  risk::Result risk;
  std::vector<std::string> risk_step_label;  // per step: "2019-01" or the week's first day
  std::string risk_next_label;           // the step the surface is for

  double knox_seconds = 0, cocoon_seconds = 0, risk_seconds = 0;
};

// One run per spec.near_repeat entry. Throws ConfigError for an unknown
// category, a bad period, or a day/hour unit on incidents dated to the
// month only; InputError when fewer than 2 incidents are selected.
std::vector<std::shared_ptr<const NearRepeatRun>> build_near_repeat(const RunSpec& spec, const RunResult& result);

// Problems in the [near_repeat] entries (names, bands, ranges, choices), for
// spec_problems. Needs no data (links without GEOS).
std::vector<std::string> near_repeat_problems(const RunSpec& spec);

// The distance and time bands of a spec at a time unit ("day", "hour",
// "month"), defaults filled in. Throws ConfigError naming the key.
knox::Bands distance_bands(const NearRepeatSpec& s, const std::string& unit);
knox::Bands time_bands(const NearRepeatSpec& s, const std::string& unit);

}  // namespace hotspot::pipeline
