#include "stats/counts.h"

#include <algorithm>

namespace hotspot {

int64_t AreaCounts::area_category_total(int area, int cat) const {
  int64_t n = 0;
  for (int m = 0; m < months; ++m) n += at(area, cat, m);
  return n;
}

int64_t AreaCounts::area_month_total(int area, int m) const {
  int64_t n = 0;
  for (int c = 0; c < categories; ++c) n += at(area, c, m);
  return n;
}

int64_t AreaCounts::area_total(int area) const {
  int64_t n = 0;
  for (int c = 0; c < categories; ++c) n += area_category_total(area, c);
  return n;
}

int64_t AreaCounts::total() const {
  int64_t n = 0;
  for (int64_t v : cells) n += v;
  return n;
}

namespace stats {

AreaCounts count_by_area(const IncidentTable& t, const AreaLayer& layer, const Assignment& assignment) {
  AreaCounts c;
  c.layer = layer.name;
  c.areas = static_cast<int>(layer.size());
  c.categories = static_cast<int>(t.categories.size());
  if (t.size() > 0) {
    auto [lo, hi] = std::minmax_element(t.month.begin(), t.month.end());
    c.first_month = *lo;
    c.months = *hi - *lo + 1;
  }
  c.cells.assign(size_t(c.areas) * size_t(c.categories) * size_t(c.months), 0);
  for (size_t i = 0; i < t.size(); ++i) {
    const int32_t a = assignment.area[i];
    if (a >= 0) ++c.at(a, t.category[i], t.month[i] - c.first_month);
  }
  return c;
}

}  // namespace stats
}  // namespace hotspot
