#include "io/field_parse.h"

#include <charconv>
#include <cmath>
#include <string>

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

// Optional " HH:MM[:SS]" or "THH:MM[:SS]" tail; returns minutes of the day.
bool read_time(std::string_view s, size_t& pos, int& minutes) {
  minutes = 0;
  if (pos == s.size()) return true;
  if (s[pos] != ' ' && s[pos] != 'T') return false;
  ++pos;
  int hh = 0, mm = 0, ss = 0;
  if (!read_int(s, pos, 2, hh) || !expect(s, pos, ':') || !read_int(s, pos, 2, mm)) return false;
  if (pos < s.size() && !(expect(s, pos, ':') && read_int(s, pos, 2, ss))) return false;
  if (hh > 23 || mm > 59 || ss > 60) return false;
  minutes = hh * 60 + mm;
  return pos == s.size();
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

std::optional<ParsedDate> parse_date(std::string_view s) {
  s = trim(s);
  size_t pos = 0;
  int y = 0, m = 0, d = 0, minutes = 0;
  bool has_day = false;
  if (s.size() >= 7 && s[4] == '-') {
    if (!read_int(s, pos, 4, y) || !expect(s, pos, '-') || !read_int(s, pos, 2, m)) return std::nullopt;
    if (pos < s.size()) {
      if (!expect(s, pos, '-') || !read_int(s, pos, 2, d)) return std::nullopt;
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
  if (m < 1 || m > 12 || y < 1800 || y > 2200) return std::nullopt;
  ParsedDate out;
  out.month = make_month(y, m);
  if (!has_day) return pos == s.size() ? std::optional(out) : std::nullopt;
  if (d < 1 || d > days_in_month(y, m)) return std::nullopt;
  if (!read_time(s, pos, minutes)) return std::nullopt;
  out.minute = days_from_civil(y, m, d) * 1440 + minutes;
  return out;
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
