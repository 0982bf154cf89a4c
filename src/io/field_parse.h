// Locale-independent parsing of CSV field values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hotspot/incidents.h"
#include "hotspot/run_spec.h"

namespace hotspot::io {

std::string_view trim(std::string_view s);

// A decimal number with '.' as the separator whatever the locale.
std::optional<double> parse_number(std::string_view s);

struct ParsedDate {
  MonthIndex month = 0;
  int64_t minute = IncidentTable::kNoTime;  // kNoTime when only a month is given
};

// Accepts YYYY-MM, YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS[.fff]] (also with 'T'),
// YYYY/MM/DD [HH:MM[:SS[.fff]]] (what GDAL writes for Date fields) and
// DD/MM/YYYY [HH:MM[:SS]] (UK order). Returns nullopt for anything else or
// an impossible date (month 13, 31 April, 25:00, ...). When the form is
// recognised but the date is impossible, *why (if given) says what is wrong
// ("month 13 does not exist"); it is left empty for an unknown form.
std::optional<ParsedDate> parse_date(std::string_view s, std::string* why = nullptr);

// A date split over columns: year (4 digits), month (1-12, "3" or "03") and
// optionally day (absent: has_day false). Same rules and *why as parse_date.
std::optional<ParsedDate> parse_date_parts(std::string_view year, std::string_view month, std::string_view day,
                                           bool has_day, std::string* why = nullptr);

// Where a source's dates come from: one date column, or year/month[/day]
// columns. Throws ConfigError for a mix (date and year) or a part missing.
// `what` names the source in the message.
void check_date_fields(const IncidentSource& s, const std::string& what);

// Days from 1970-01-01 for a proleptic Gregorian date (Hinnant's algorithm).
int64_t days_from_civil(int y, int m, int d);

}  // namespace hotspot::io
