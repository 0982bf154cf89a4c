#include "io/field_parse.h"

#include <charconv>
#include <cmath>
#include <string>

#include "hotspot/errors.h"

namespace hotspot::io {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<double> parse_number(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) return std::nullopt;
  }
  if (s.empty()) return std::nullopt;
  double v = 0;
  // std::from_chars never looks at the locale, unlike strtod.
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

namespace {

// Reads exactly `width` digits at s[pos]; advances pos.
bool read_int(std::string_view s, size_t& pos, size_t width, int& out) {
  if (pos + width > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  pos += width;
  return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

std::string two_digits(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// Optional " HH:MM[:SS[.fff]]" or "THH:MM[:SS[.fff]]" tail; returns minutes
// of the day. *why names an impossible time.
bool read_time(std::string_view s, size_t& pos, int& minutes, std::string* why) {
  minutes = 0;
  if (pos == s.size()) return true;
  if (s[pos] != ' ' && s[pos] != 'T') return false;
  ++pos;
  int hh = 0, mm = 0, ss = 0;
  if (!read_int(s, pos, 2, hh) || !expect(s, pos, ':') || !read_int(s, pos, 2, mm)) return false;
  if (pos < s.size() && !(expect(s, pos, ':') && read_int(s, pos, 2, ss))) return false;
  if (pos < s.size() && s[pos] == '.') {  // fractional seconds, dropped
    ++pos;
    const size_t digits = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == digits) return false;
  }
  if (pos != s.size()) return false;
  if (hh > 23 || mm > 59 || ss > 60) {
    if (why) *why = "time " + two_digits(hh) + ":" + two_digits(mm) + ":" + two_digits(ss) + " does not exist";
    return false;
  }
  minutes = hh * 60 + mm;
  return true;
}

const char* const kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};

// Checks the numbers of a recognised date; *why says what is impossible.
bool check_ymd(int y, int m, int d, bool has_day, std::string* why) {
  auto say = [&](const std::string& what) {
    if (why) *why = what;
    return false;
  };
  if (m < 1 || m > 12) return say("month " + std::to_string(m) + " does not exist");
  if (y < 1800 || y > 2200) return say("year " + std::to_string(y) + " is outside 1800-2200");
  if (has_day && (d < 1 || d > days_in_month(y, m)))
    return say("day " + std::to_string(d) + " does not exist (" + kMonthNames[m - 1] + " " + std::to_string(y) +
               " has " + std::to_string(days_in_month(y, m)) + " days)");
  return true;
}

// Reads 1 to `max_width` digits making up the whole of s.
std::optional<int> whole_int(std::string_view s, size_t max_width) {
  s = trim(s);
  if (s.empty() || s.size() > max_width) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

int64_t days_from_civil(int y, int m, int d) {
  // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms".
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<ParsedDate> parse_date(std::string_view s, std::string* why) {
  if (why) why->clear();
  s = trim(s);
  size_t pos = 0;
  int y = 0, m = 0, d = 0, minutes = 0;
  bool has_day = false;
  if (s.size() >= 7 && (s[4] == '-' || s[4] == '/')) {
    // ISO YYYY-MM[-DD], or YYYY/MM/DD as GDAL writes dates (no YYYY/MM:
    // a month alone is only taken in the ISO form).
    const char sep = s[4];
    if (!read_int(s, pos, 4, y) || !expect(s, pos, sep) || !read_int(s, pos, 2, m)) return std::nullopt;
    if (pos < s.size() || sep == '/') {
      if (!expect(s, pos, sep) || !read_int(s, pos, 2, d)) return std::nullopt;
      has_day = true;
    }
  } else if (s.size() >= 10 && s[2] == '/' && s[5] == '/') {
    if (!read_int(s, pos, 2, d) || !expect(s, pos, '/') || !read_int(s, pos, 2, m) ||
        !expect(s, pos, '/') || !read_int(s, pos, 4, y))
      return std::nullopt;
    has_day = true;
  } else {
    return std::nullopt;
  }
  if (!has_day && pos != s.size()) return std::nullopt;
  std::string time_why;
  const bool time_ok = !has_day || read_time(s, pos, minutes, &time_why);
  if (!time_ok && time_why.empty()) return std::nullopt;  // not a date form we know
  if (!check_ymd(y, m, d, has_day, why)) return std::nullopt;
  if (!time_ok) {
    if (why) *why = time_why;
    return std::nullopt;
  }
  ParsedDate out;
  out.month = make_month(y, m);
  if (has_day) out.minute = days_from_civil(y, m, d) * 1440 + minutes;
  return out;
}

std::optional<ParsedDate> parse_date_parts(std::string_view year, std::string_view month, std::string_view day,
                                           bool has_day, std::string* why) {
  if (why) why->clear();
  const auto y = whole_int(year, 4), m = whole_int(month, 2);
  const auto d = has_day ? whole_int(day, 2) : std::optional<int>(1);
  if (!y || !m || !d || trim(year).size() != 4) return std::nullopt;
  if (!check_ymd(*y, *m, *d, has_day, why)) return std::nullopt;
  ParsedDate out;
  out.month = make_month(*y, *m);
  if (has_day) out.minute = days_from_civil(*y, *m, *d) * 1440;
  return out;
}

void check_date_fields(const IncidentSource& s, const std::string& what) {
  const bool parts = !s.year_field.empty() || !s.month_field.empty() || !s.day_field.empty();
  if (!parts) return;
  if (!s.date_field.empty())
    throw ConfigError(what + ": give either date or year/month/day columns, not both");
  if (s.year_field.empty() || s.month_field.empty())
    throw ConfigError(what + ": a date split over columns needs both year and month (day is optional)");
}

}  // namespace hotspot::io

namespace hotspot {

std::string month_label(MonthIndex m) {
  int y = m / 12, mo = m % 12 + 1;
  std::string out = std::to_string(y) + "-";
  if (mo < 10) out += '0';
  out += std::to_string(mo);
  return out;
}

}  // namespace hotspot
