#include "stats/monthly_series.h"

#include <algorithm>

namespace hotspot::stats {

std::vector<double> monthly_series(const AreaCounts& c, int area, const std::vector<bool>& members) {
  std::vector<double> n(size_t(std::max(c.months, 0)), 0.0);
  for (int k = 0; k < c.categories && size_t(k) < members.size(); ++k)
    if (members[size_t(k)])
      for (int m = 0; m < c.months; ++m) n[size_t(m)] += double(c.at(area, k, m));
  return n;
}

}  // namespace hotspot::stats
