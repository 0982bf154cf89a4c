// Reporting periods: months, financial quarters and years, year to date,
// rolling 12 months and explicit ranges, with the comparisons analysts
// publish against them (docs/methods.md, "Periods"): "year to date as at D"
// = FY start .. D, compared with the same span one year earlier (see
// "The comparison period" there).
//
// Days are whole days of the proleptic Gregorian calendar, counted from
// 1970-01-01 = 0. Nothing here reads the time zone or the locale.
// Thread safety: pure functions, safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hotspot/incidents.h"

namespace hotspot::stats {

// Days since 1970-01-01 (may be negative).
using Day = int64_t;

// A span of whole days, both ends inclusive. Invariant: first_day <= last_day.
struct Period {
  std::string label;  // e.g. "2019-02", "2018-19 Q3", "2018-19", "2019-20 YTD to 2020-01-05",
                      // "12 months to 2019-02", "2018-10-01 to 2019-01-05"
  Day first_day = 0;  // inclusive
  Day last_day = 0;   // inclusive

  MonthIndex first_month() const;  // month of first_day
  MonthIndex last_month() const;   // month of last_day
  bool whole_months() const;       // first_day is a 1st and last_day is a month end
  // Calendar months touched: last_month() - first_month() + 1 (a partial
  // month at either end counts as one).
  int months() const;

  bool operator==(const Period&) const = default;
};

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Inverse of io::days_from_civil (H. Hinnant's algorithm).
CivilDate civil_from_days(Day d);
Day month_first_day(MonthIndex m);
Day month_last_day(MonthIndex m);
MonthIndex month_of_day(Day d);

std::string day_label(Day d);  // "YYYY-MM-DD"

// The financial year (FY) is named by the calendar year it starts in.
// fy_start_month is 1..12: 4 = UK financial / performance year (April),
// 1 = calendar year. Every function taking it throws std::invalid_argument
// outside 1..12.

// One calendar month; label "2019-02".
Period month_period(MonthIndex m);

// Whole months first..last; label "2018-10 to 2019-02" ("2019-02" for a single
// month). Throws std::invalid_argument if first > last.
Period month_range(MonthIndex first, MonthIndex last);

// Quarter 1..4 of the FY starting in fy_start_year (Q1 = its first 3 months);
// label "2018-19 Q3", or "2018 Q3" when fy_start_month == 1. Throws
// std::invalid_argument unless 1 <= quarter <= 4.
Period financial_quarter(int fy_start_year, int quarter, int fy_start_month = 4);

// The 12 months of the FY starting in start_year; label "2018-19" ("2018"
// when fy_start_month == 1).
Period financial_year(int start_year, int fy_start_month = 4);

// From the start of the FY containing as_at to as_at inclusive; label
// "2019-20 YTD to 2020-01-05" ("2020 YTD to 2020-01-05" for calendar years).
// A day in Jan-Mar 2020 with an April FY start belongs to FY 2019-20.
Period year_to_date(Day as_at, int fy_start_month = 4);

// The 12 whole months ending with `last`; label "12 months to 2019-02".
Period rolling_12_months(MonthIndex last);

// first..last; label "2018-10-01 to 2019-01-05". Throws std::invalid_argument
// if first > last.
Period explicit_range(Day first, Day last);

// Both ends moved back one calendar year (29 Feb -> 28 Feb). If
// p.whole_months() so is the result, so Feb 2021 (28 days) -> Feb 2020 (29
// days) and Feb 2020 -> Feb 2019 (28 days). Labelled with its own dates, never
// p's: as month_range for whole months ("2018-02", "2017-10 to 2018-02"),
// else as explicit_range ("2018-04-01 to 2019-01-05").
Period same_period_last_year(const Period& p);

// The span just before p: for whole-month periods the same number of months
// ending the month before p starts (labelled as month_range, so Q3 2018-19 ->
// "2018-07 to 2018-09"); otherwise the same number of days ending the day
// before p starts (labelled as explicit_range).
Period previous_period(const Period& p);

// For month-only data (police.uk): the whole months inside p, to state the
// effective period. p itself (label kept) when p is whole months; else
// labelled as month_range; nullopt when p holds no whole month.
std::optional<Period> whole_months_within(const Period& p);

// How much of p the data's months first..last cover, in calendar months
// (a partial month of p counts as one, as Period::months()).
struct Coverage {
  int months = 0;   // p.months()
  int covered = 0;  // of them, months from first to last
  bool full() const { return covered == months; }
  bool none() const { return covered == 0; }
  // "covered", "not covered by the data", "partly covered (2 of 3 months)".
  std::string words() const;
};
Coverage coverage(const Period& p, MonthIndex first, MonthIndex last);

// Does an incident fall in p? minute is minutes since 1970-01-01 (local
// time, as IncidentTable::minute). When minute == IncidentTable::kNoTime only
// the month is known and the incident is in p iff its whole month lies inside
// p (a partial month never counts, so counts don't depend on the unknown day).
// Otherwise `month` is ignored and the incident's day, floor(minute / 1440),
// must lie in [p.first_day, p.last_day].
bool contains(const Period& p, MonthIndex month, int64_t minute);

// Parses a period spec as written in config files. latest_month is the last
// month with data (used by the "latest" forms). Forms:
//   month:2019-02            latest_month
//   quarter:2018-19:Q3       (quarter:2018:Q3 when fy_start_month == 1)
//   fy:2018-19 or fy:2018-2019 (fy:2018 when fy_start_month == 1)
//   ytd:2020-01-05           ytd  (as at the last day of latest_month)
//   rolling12:2019-02        rolling12  (12 months to latest_month)
//   range:2018-10-01..2019-01-05
//   range:2018-10..2019-02   (whole months; a month as the first bound means
//                             its 1st, as the last bound its last day)
// Leading and trailing blanks are ignored. Dates are YYYY-MM-DD or YYYY-MM,
// years 1800..2200. Throws std::invalid_argument naming the spec on any error
// (bad date, unknown kind, quarter not Q1..Q4, FY years not consecutive,
// first bound after the last).
Period parse_period(std::string_view spec, MonthIndex latest_month, int fy_start_month = 4);

}  // namespace hotspot::stats
