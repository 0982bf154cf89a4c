// The near-repeat section of the run's front page (briefing.html): per
// [near_repeat] analysis, the plain-language reading, the Knox table as a
// heat table (cells shaded by Knox ratio, flagged cells outlined and bold),
// the flagged cells in words, the cocooning figures and the risk backtest.
// Empty when the run has no [near_repeat] analysis, so other runs' pages
// are unchanged.
#pragma once

#include <string>

#include "hotspot/pipeline.h"

namespace hotspot::report {

// `number` is the section's number on the page ("9").
std::string near_repeat_section(const RunResult& r, const std::string& number);

}  // namespace hotspot::report
