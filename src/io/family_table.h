// The family of comparator areas for the front page's overview: a CSV with
// the columns area, category and rate (per stats.rate_per people over the
// current period), one row per area and category, as published by the
// comparator source (e.g. iQuanta's most similar group).
#pragma once

#include <map>
#include <string>

namespace hotspot::io {

// category -> area -> rate. Throws InputError naming the file, the 1-based
// data row and the field for a missing column, a rate that is not a
// non-negative number, or an area listed twice for one category.
std::map<std::string, std::map<std::string, double>> read_family_csv(const std::string& path);

}  // namespace hotspot::io
