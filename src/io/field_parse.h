// Locale-independent parsing of CSV field values.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "hotspot/incidents.h"

namespace hotspot::io {

std::string_view trim(std::string_view s);

// A decimal number with '.' as the separator whatever the locale.
std::optional<double> parse_number(std::string_view s);

struct ParsedDate {
  MonthIndex month = 0;
  int64_t minute = IncidentTable::kNoTime;  // kNoTime when only a month is given
};

// Accepts YYYY-MM, YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] (also with 'T'),
// DD/MM/YYYY [HH:MM[:SS]] (UK order). Returns nullopt for anything else or
// an impossible date (month 13, 31 April, ...).
std::optional<ParsedDate> parse_date(std::string_view s);

// Days from 1970-01-01 for a proleptic Gregorian date (Hinnant's algorithm).
int64_t days_from_civil(int y, int m, int d);

}  // namespace hotspot::io
