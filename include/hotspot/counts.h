// Counts per area x category x month for one area layer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotspot/incidents.h"

namespace hotspot {

struct AreaCounts {
  std::string layer;
  MonthIndex first_month = 0;       // months covered: first_month .. +months-1
  int months = 0;
  int categories = 0;
  int areas = 0;
  // cell(area, category, month) -> count; dense, row-major.
  std::vector<int64_t> cells;
  int64_t& at(int area, int cat, int m) {
    return cells[(size_t(area) * size_t(categories) + size_t(cat)) * size_t(months) + size_t(m)];
  }
  int64_t at(int area, int cat, int m) const {
    return cells[(size_t(area) * size_t(categories) + size_t(cat)) * size_t(months) + size_t(m)];
  }
  int64_t area_total(int area) const;
  int64_t area_category_total(int area, int cat) const;
  int64_t area_month_total(int area, int m) const;
  int64_t total() const;
};

}  // namespace hotspot
