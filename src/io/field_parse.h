// Locale-independent parsing of CSV field values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// Coordinates no real place has: outside [-180, 180] x [-90, 90] for a
// geographic CRS, beyond +-1e8 for a projected one (Web Mercator reaches
// 2e7 m and zone-prefixed Gauss-Krueger eastings 4e7 m; 1e308 would be
// undefined behaviour in the KDE's grid arithmetic). Returns "" when the
// point is plausible, else "x" or "y", the axis at fault.
const char* implausible_axis(double x, double y, bool geographic);

// Text encodings. Outputs (GeoJSON, GeoPackage) must be valid UTF-8; UK
// police and council extracts that are not are almost always Windows-1252.
bool is_valid_utf8(std::string_view s);
// Windows-1252 bytes as UTF-8 (the 5 unassigned bytes become U+FFFD).
std::string cp1252_to_utf8(std::string_view s);
// s itself when valid UTF-8, else its Windows-1252 reading; *converted says which.
std::string to_utf8(std::string_view s, bool* converted);
// Makes every physical line of a text valid UTF-8, reading the lines that
// are not as Windows-1252. Returns how many lines were converted and puts
// the first few line numbers (1-based) in *first_lines.
int64_t lines_to_utf8(std::string& text, std::vector<int64_t>* first_lines);

// Where a source's dates come from: one date column, or year/month[/day]
// columns. Throws ConfigError for a mix (date and year) or a part missing.
// `what` names the source in the message.
void check_date_fields(const IncidentSource& s, const std::string& what);

// Days from 1970-01-01 for a proleptic Gregorian date (Hinnant's algorithm).
int64_t days_from_civil(int y, int m, int d);

}  // namespace hotspot::io
