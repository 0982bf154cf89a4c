// IncidentTable: the accepted incidents of a run, column by column.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hotspot/text_column.h"

namespace hotspot {

// Month index: year * 12 + (month - 1); e.g. 2018-10 -> 24225.
using MonthIndex = int32_t;
constexpr MonthIndex make_month(int year, int month) { return year * 12 + (month - 1); }
std::string month_label(MonthIndex m);  // "YYYY-MM"

// Column-oriented so the join and the counts walk contiguous arrays.
// All columns have size() rows. Not thread-safe for writing.
struct IncidentTable {
  std::vector<double> x;               // working CRS, metres
  std::vector<double> y;               // working CRS, metres
  std::vector<MonthIndex> month;       // month of the incident
  std::vector<int64_t> minute;         // minutes since 1970-01-01 (local), or kNoTime
  std::vector<uint16_t> category;      // index into categories
  std::vector<uint32_t> source;        // index into sources (input files)
  std::vector<int64_t> source_row;     // 1-based data row in its file (header excluded); OGR: FID
  // Optional text columns: empty when no source has them; read them with
  // id_at() / location_at(). Locations repeat (police.uk's map points), so
  // each distinct one is stored once.
  TextColumn id;                       // source id
  InternedColumn location;             // free-text location
  std::vector<double> weight;          // per-incident weight; empty = every weight is 1
  // Area codes as recorded by the source, keyed by area layer name
  // (e.g. "lsoa" -> police.uk "LSOA code"); "" where blank. Each distinct
  // code is stored once.
  std::map<std::string, InternedColumn> recorded;

  std::vector<std::string> categories;  // dictionary, in first-seen order
  std::vector<std::string> sources;     // input file paths

  static constexpr int64_t kNoTime = INT64_MIN;
  size_t size() const { return x.size(); }
  std::string id_at(size_t i) const { return id.empty() ? std::string() : std::string(id[i]); }
  const std::string& location_at(size_t i) const { return location.empty() ? kEmpty : location[i]; }
  double weight_at(size_t i) const { return weight.empty() ? 1.0 : weight[i]; }

 private:
  static inline const std::string kEmpty;
};

}  // namespace hotspot
