#include "stats/periods.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "io/field_parse.h"

namespace hotspot::stats {

namespace {

void check_fy_start(int fy_start_month) {
  if (fy_start_month < 1 || fy_start_month > 12)
    throw std::invalid_argument("FY start month must be 1..12, got " + std::to_string(fy_start_month));
}

std::string pad2(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// Floor division, so months and days before 1970 / year 0 still map correctly.
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int year_of(MonthIndex m) { return static_cast<int>(floor_div(m, 12)); }
int month_number_of(MonthIndex m) { return m - year_of(m) * 12 + 1; }

// "2018-19" for an April start; "2018" when the FY is the calendar year.
std::string fy_label(int start_year, int fy_start_month) {
  if (fy_start_month == 1) return std::to_string(start_year);
  return std::to_string(start_year) + "-" + pad2((start_year + 1) % 100);
}

Period whole_month_span(MonthIndex first, MonthIndex last, std::string label) {
  return Period{std::move(label), month_first_day(first), month_last_day(last)};
}

// Same calendar date one year earlier; 29 Feb has no such date and becomes 28 Feb.
Day one_year_earlier(Day d) {
  CivilDate c = civil_from_days(d);
  if (c.month == 2 && c.day == 29) c.day = 28;
  return io::days_from_civil(c.year - 1, c.month, c.day);
}

}  // namespace

CivilDate civil_from_days(Day z) {
  // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days:
  // shifts the epoch to 0000-03-01 so the leap day ends each 400-year era.
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;                                        // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                      // [0, 11], March = 0
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;                              // [1, 31]
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;                                 // [1, 12]
  const int64_t y = yoe + era * 400 + (m <= 2);
  return CivilDate{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

Day month_first_day(MonthIndex m) { return io::days_from_civil(year_of(m), month_number_of(m), 1); }
Day month_last_day(MonthIndex m) { return month_first_day(m + 1) - 1; }

MonthIndex month_of_day(Day d) {
  const CivilDate c = civil_from_days(d);
  return make_month(c.year, c.month);
}

std::string day_label(Day d) {
  const CivilDate c = civil_from_days(d);
  std::string year = std::to_string(c.year);
  if (c.year >= 0 && year.size() < 4) year.insert(0, 4 - year.size(), '0');
  return year + "-" + pad2(c.month) + "-" + pad2(c.day);
}

MonthIndex Period::first_month() const { return month_of_day(first_day); }
MonthIndex Period::last_month() const { return month_of_day(last_day); }
int Period::months() const { return last_month() - first_month() + 1; }

bool Period::whole_months() const {
  return month_first_day(first_month()) == first_day && month_last_day(last_month()) == last_day;
}

Period month_period(MonthIndex m) { return whole_month_span(m, m, month_label(m)); }

Period month_range(MonthIndex first, MonthIndex last) {
  if (first > last)
    throw std::invalid_argument("month range " + month_label(first) + " to " + month_label(last) +
                                " ends before it starts");
  if (first == last) return month_period(first);
  return whole_month_span(first, last, month_label(first) + " to " + month_label(last));
}

Period financial_quarter(int fy_start_year, int quarter, int fy_start_month) {
  check_fy_start(fy_start_month);
  if (quarter < 1 || quarter > 4)
    throw std::invalid_argument("quarter must be 1..4, got " + std::to_string(quarter));
  const MonthIndex first = make_month(fy_start_year, fy_start_month) + 3 * (quarter - 1);
  return whole_month_span(first, first + 2, fy_label(fy_start_year, fy_start_month) + " Q" + std::to_string(quarter));
}

Period financial_year(int start_year, int fy_start_month) {
  check_fy_start(fy_start_month);
  const MonthIndex first = make_month(start_year, fy_start_month);
  return whole_month_span(first, first + 11, fy_label(start_year, fy_start_month));
}

Period year_to_date(Day as_at, int fy_start_month) {
  check_fy_start(fy_start_month);
  const CivilDate c = civil_from_days(as_at);
  const int fy_start_year = c.month >= fy_start_month ? c.year : c.year - 1;
  return Period{fy_label(fy_start_year, fy_start_month) + " YTD to " + day_label(as_at),
                io::days_from_civil(fy_start_year, fy_start_month, 1), as_at};
}

Period rolling_12_months(MonthIndex last) {
  return whole_month_span(last - 11, last, "12 months to " + month_label(last));
}

Period explicit_range(Day first, Day last) {
  if (first > last)
    throw std::invalid_argument("date range " + day_label(first) + " to " + day_label(last) +
                                " ends before it starts");
  return Period{day_label(first) + " to " + day_label(last), first, last};
}

Period same_period_last_year(const Period& p) {
  // A month end must stay a month end: 28 Feb 2021 -> 29 Feb 2020, not 28 Feb.
  if (p.whole_months()) return month_range(p.first_month() - 12, p.last_month() - 12);
  return explicit_range(one_year_earlier(p.first_day), one_year_earlier(p.last_day));
}

std::string Coverage::words() const {
  if (full()) return "covered";
  if (none()) return "not covered by the data";
  return "partly covered (" + std::to_string(covered) + " of " + std::to_string(months) + " months)";
}

Coverage coverage(const Period& p, MonthIndex first, MonthIndex last) {
  Coverage c;
  c.months = p.months();
  const MonthIndex from = std::max(first, p.first_month()), to = std::min(last, p.last_month());
  c.covered = from <= to ? to - from + 1 : 0;
  return c;
}

Period previous_period(const Period& p) {
  if (p.whole_months()) return month_range(p.first_month() - p.months(), p.first_month() - 1);
  const Day length = p.last_day - p.first_day + 1;
  return explicit_range(p.first_day - length, p.first_day - 1);
}

std::optional<Period> whole_months_within(const Period& p) {
  if (p.whole_months()) return p;
  const MonthIndex first = p.first_month() + (month_first_day(p.first_month()) == p.first_day ? 0 : 1);
  const MonthIndex last = p.last_month() - (month_last_day(p.last_month()) == p.last_day ? 0 : 1);
  if (first > last) return std::nullopt;
  return month_range(first, last);
}

bool contains(const Period& p, MonthIndex month, int64_t minute) {
  if (minute == IncidentTable::kNoTime)
    return month_first_day(month) >= p.first_day && month_last_day(month) <= p.last_day;
  const Day day = floor_div(minute, 1440);
  return day >= p.first_day && day <= p.last_day;
}

// ---- Period specs (config files) ----

namespace {

constexpr const char* kSpecForms =
    "month:YYYY-MM, latest_month, quarter:FY:Qn, fy:FY, ytd[:YYYY-MM-DD], rolling12[:YYYY-MM], "
    "range:FIRST..LAST";

std::invalid_argument bad_spec(std::string_view spec, const std::string& why) {
  return std::invalid_argument("invalid period spec \"" + std::string(spec) + "\": " + why);
}

// Only the two strict ISO forms; io::parse_date would also take DD/MM/YYYY and times.
std::optional<MonthIndex> parse_month_text(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  const auto parsed = io::parse_date(s);
  return parsed ? std::optional(parsed->month) : std::nullopt;
}

std::optional<Day> parse_day_text(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const auto parsed = io::parse_date(s);
  return parsed ? std::optional(parsed->minute / 1440) : std::nullopt;
}

std::optional<int> parse_digits(std::string_view s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// "2018-19" / "2018-2019" (or "2018" for calendar years) -> 2018.
int parse_fy_text(std::string_view spec, std::string_view s, int fy_start_month) {
  const auto start = parse_digits(s.substr(0, 4));
  if (s.size() < 4 || !start || *start < 1800 || *start > 2200)
    throw bad_spec(spec, "bad financial year \"" + std::string(s) + "\"");
  if (s.size() == 4) {
    if (fy_start_month != 1)
      throw bad_spec(spec, "write the financial year as YYYY-YY, e.g. " + fy_label(*start, fy_start_month));
    return *start;
  }
  const auto end = s[4] == '-' ? parse_digits(s.substr(5)) : std::nullopt;
  if (!end || (s.size() != 7 && s.size() != 9)) throw bad_spec(spec, "bad financial year \"" + std::string(s) + "\"");
  if (fy_start_month == 1)
    throw bad_spec(spec, "with FY start month 1 (calendar years) write the year alone, e.g. " +
                             std::to_string(*start));
  const int expected = s.size() == 7 ? (*start + 1) % 100 : *start + 1;
  if (*end != expected)
    throw bad_spec(spec, "financial year \"" + std::string(s) + "\" does not span consecutive years");
  return *start;
}

Period parse_quarter(std::string_view spec, std::string_view arg, int fy_start_month) {
  const size_t colon = arg.rfind(':');
  if (colon == std::string_view::npos) throw bad_spec(spec, "expected quarter:FY:Qn, e.g. quarter:2018-19:Q3");
  const std::string_view q = arg.substr(colon + 1);
  const int start_year = parse_fy_text(spec, arg.substr(0, colon), fy_start_month);
  if (q.size() != 2 || (q[0] != 'Q' && q[0] != 'q') || q[1] < '1' || q[1] > '4')
    throw bad_spec(spec, "quarter must be Q1..Q4, got \"" + std::string(q) + "\"");
  return financial_quarter(start_year, q[1] - '0', fy_start_month);
}

// "FIRST..LAST", each a day or a month (a month means its 1st / its last day).
Period parse_range(std::string_view spec, std::string_view arg) {
  const size_t dots = arg.find("..");
  if (dots == std::string_view::npos) throw bad_spec(spec, "expected range:FIRST..LAST");
  const std::string_view a = arg.substr(0, dots), b = arg.substr(dots + 2);
  const auto a_month = parse_month_text(a), b_month = parse_month_text(b);
  const auto a_day = a_month ? std::optional(month_first_day(*a_month)) : parse_day_text(a);
  const auto b_day = b_month ? std::optional(month_last_day(*b_month)) : parse_day_text(b);
  if (!a_day) throw bad_spec(spec, "bad date \"" + std::string(a) + "\" (expected YYYY-MM-DD or YYYY-MM)");
  if (!b_day) throw bad_spec(spec, "bad date \"" + std::string(b) + "\" (expected YYYY-MM-DD or YYYY-MM)");
  if (*a_day > *b_day) throw bad_spec(spec, "the range ends before it starts");
  if (a_month && b_month) return month_range(*a_month, *b_month);
  return explicit_range(*a_day, *b_day);
}

MonthIndex month_arg(std::string_view spec, std::string_view arg) {
  const auto m = parse_month_text(arg);
  if (!m) throw bad_spec(spec, "bad month \"" + std::string(arg) + "\" (expected YYYY-MM)");
  return *m;
}

}  // namespace

Period parse_period(std::string_view spec_in, MonthIndex latest_month, int fy_start_month) {
  check_fy_start(fy_start_month);
  const std::string_view spec = io::trim(spec_in);
  const size_t colon = spec.find(':');
  const std::string_view kind = spec.substr(0, colon);
  const bool has_arg = colon != std::string_view::npos;
  const std::string_view arg = has_arg ? spec.substr(colon + 1) : std::string_view();
  const auto no_arg = [&] {
    if (has_arg) throw bad_spec(spec, std::string(kind) + " takes no value");
  };
  const auto need_arg = [&] {
    if (!has_arg) throw bad_spec(spec, std::string(kind) + " needs a value (forms: " + kSpecForms + ")");
  };

  if (kind == "latest_month") {
    no_arg();
    return month_period(latest_month);
  }
  if (kind == "month" || kind == "quarter" || kind == "fy" || kind == "range") {
    need_arg();
    if (kind == "month") return month_period(month_arg(spec, arg));
    if (kind == "quarter") return parse_quarter(spec, arg, fy_start_month);
    if (kind == "fy") return financial_year(parse_fy_text(spec, arg, fy_start_month), fy_start_month);
    return parse_range(spec, arg);
  }
  if (kind == "rolling12") return rolling_12_months(has_arg ? month_arg(spec, arg) : latest_month);
  if (kind == "ytd") {
    if (!has_arg) return year_to_date(month_last_day(latest_month), fy_start_month);
    const auto as_at = parse_day_text(arg);
    if (!as_at) throw bad_spec(spec, "bad date \"" + std::string(arg) + "\" (expected YYYY-MM-DD)");
    return year_to_date(*as_at, fy_start_month);
  }
  throw bad_spec(spec, "unknown kind \"" + std::string(kind) + "\" (forms: " + kSpecForms + ")");
}

}  // namespace hotspot::stats
