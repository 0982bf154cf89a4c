// Fuzzes the period-spec parser (stats::parse_period) and the period
// arithmetic run on what it returns. The first two bytes choose the latest
// data month and the financial-year start month; the rest is the spec.
// parse_period promises std::invalid_argument on a bad spec; anything else
// (another exception, a sanitizer report, a period with first > last) is a
// finding.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "stats/periods.h"

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  using namespace hotspot::stats;
  // Months from 2000-01 (index 2000 * 12) onwards: 256 months of choice.
  const hotspot::MonthIndex latest = static_cast<hotspot::MonthIndex>(2000 * 12 + data[0]);
  const int fy_start = 1 + data[1] % 12;
  const std::string_view spec(reinterpret_cast<const char*>(data + 2), size - 2);
  try {
    const Period p = parse_period(spec, latest, fy_start);
    check(p.first_day <= p.last_day);
    check(!p.label.empty());
    const Period last_year = same_period_last_year(p);
    check(last_year.first_day <= last_year.last_day);
    const Period before = previous_period(p);
    check(before.last_day < p.first_day);
    if (auto whole = whole_months_within(p)) check(whole->first_day >= p.first_day && whole->last_day <= p.last_day);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
