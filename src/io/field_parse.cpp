#include "io/field_parse.h"

#include <charconv>
#include <cstdint>
#include <cmath>
#include <cstring>
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

const char* implausible_axis(double x, double y, bool geographic) {
  const double x_limit = geographic ? 180.0 : 1e8, y_limit = geographic ? 90.0 : 1e8;
  if (!(std::fabs(x) <= x_limit)) return "x";  // also NaN
  if (!(std::fabs(y) <= y_limit)) return "y";
  return "";
}

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // Plain ASCII, 8 bytes at a time: nearly all of a police.uk file.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1Fu;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0Fu;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07u;
    else return false;  // a continuation byte first, C0/C1 overlong lead, or > U+10FFFF
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

std::string cp1252_to_utf8(std::string_view s) {
  // 0x80-0x9F differ from Latin-1 (euro sign, curly quotes, dashes, ...).
  static const uint16_t kHigh[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                     0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
                                     0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                     0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const uint32_t cp = c < 0x80 ? c : c < 0xA0 ? kHigh[c - 0x80] : c;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

std::string to_utf8(std::string_view s, bool* converted) {
  *converted = !is_valid_utf8(s);
  return *converted ? cp1252_to_utf8(s) : std::string(s);
}

int64_t lines_to_utf8(std::string& text, std::vector<int64_t>* first_lines) {
  if (is_valid_utf8(text)) return 0;  // the usual case: one pass, no copy
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  int64_t converted = 0, line = 1;
  size_t pos = 0;
  while (pos < text.size()) {
    // One physical line and its end (LF, CRLF or a lone CR).
    size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string::npos) end = text.size();
    size_t next = end;
    if (next < text.size()) next += text[next] == '\r' && next + 1 < text.size() && text[next + 1] == '\n' ? 2 : 1;
    const std::string_view body(text.data() + pos, end - pos);
    if (is_valid_utf8(body)) {
      out.append(body);
    } else {
      out += cp1252_to_utf8(body);
      if (++converted <= 5 && first_lines) first_lines->push_back(line);
    }
    out.append(text, end, next - end);
    pos = next;
    ++line;
  }
  text = std::move(out);
  return converted;
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
