// Messages that say how to fix a misspelt name: the valid names, and the
// nearest one ("did you mean 'bandwidth'?").
#pragma once

#include <string>
#include <vector>

namespace hotspot {

// The valid name nearest to `given` (case-insensitive Levenshtein distance),
// or "" when none is close (distance over a third of the length, min 2).
// A name equal to `given` ignoring case always wins.
std::string closest_name(const std::string& given, const std::vector<std::string>& valid);

// "'a', 'b', 'c'" (at most `max` names, then ", ... (N in all)").
std::string quoted_list(const std::vector<std::string>& names, size_t max = 40);

// " (did you mean 'x'?)" for the closest name, else "".
std::string did_you_mean(const std::string& given, const std::vector<std::string>& valid);

// "unknown WHAT 'given' (did you mean 'x'?); valid: 'a', 'b', ..." for errors.
std::string unknown_name(const std::string& what, const std::string& given, const std::vector<std::string>& valid);

}  // namespace hotspot
