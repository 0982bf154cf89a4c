// Period arithmetic as the seeds publish it (docs/methods.md, "Periods"): the Charnwood
// tables compare "year to date as at 5 Jan 2020" (1 Apr 2019 .. 5 Jan 2020)
// with 1 Apr 2018 .. 5 Jan 2019.
#include "stats/periods.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <locale>
#include <optional>
#include <stdexcept>
#include <string>

#include "io/field_parse.h"

namespace hotspot::stats {
namespace {

Day D(int y, int m, int d) { return io::days_from_civil(y, m, d); }
int64_t at(int y, int m, int d, int hh, int mm) { return D(y, m, d) * 1440 + hh * 60 + mm; }
constexpr int64_t kNoTime = IncidentTable::kNoTime;

void expect_span(const Period& p, Day first, Day last, const std::string& label) {
  EXPECT_EQ(day_label(p.first_day), day_label(first)) << p.label;
  EXPECT_EQ(day_label(p.last_day), day_label(last)) << p.label;
  EXPECT_EQ(p.label, label);
}

// parse_period must throw std::invalid_argument whose message names the spec
// and says what is wrong.
void expect_bad_spec(const std::string& spec, const std::string& reason, int fy_start_month = 4) {
  try {
    parse_period(spec, make_month(2019, 12), fy_start_month);
    ADD_FAILURE() << "no exception for \"" << spec << "\"";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("\"" + spec + "\""), std::string::npos) << what;
    EXPECT_NE(what.find(reason), std::string::npos) << what;
  }
}

TEST(CivilFromDays, InvertsDaysFromCivil1800To2200) {
  const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  Day expected = D(1800, 1, 1);
  for (int y = 1800; y <= 2200; ++y) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    for (int m = 1; m <= 12; ++m) {
      const int n = m == 2 && leap ? 29 : kDays[m - 1];
      for (int d = 1; d <= n; ++d, ++expected) {
        ASSERT_EQ(D(y, m, d), expected);
        const CivilDate c = civil_from_days(expected);
        ASSERT_EQ(c.year, y);
        ASSERT_EQ(c.month, m);
        ASSERT_EQ(c.day, d);
      }
    }
  }
}

TEST(CivilFromDays, KnownDays) {
  EXPECT_EQ(day_label(0), "1970-01-01");
  EXPECT_EQ(day_label(-1), "1969-12-31");
  EXPECT_EQ(day_label(18266), "2020-01-05");
  EXPECT_EQ(day_label(D(2000, 2, 29)), "2000-02-29");
  EXPECT_EQ(month_of_day(D(2019, 2, 28)), make_month(2019, 2));
  EXPECT_EQ(month_first_day(make_month(2020, 3)), D(2020, 3, 1));
  EXPECT_EQ(month_last_day(make_month(2020, 2)), D(2020, 2, 29));
  EXPECT_EQ(month_last_day(make_month(1900, 2)), D(1900, 2, 28));
}

TEST(YearToDate, SeedConvention) {
  const Period ytd = year_to_date(D(2020, 1, 5));
  expect_span(ytd, D(2019, 4, 1), D(2020, 1, 5), "2019-20 YTD to 2020-01-05");
  EXPECT_EQ(ytd.first_month(), make_month(2019, 4));
  EXPECT_EQ(ytd.last_month(), make_month(2020, 1));
  EXPECT_EQ(ytd.months(), 10);
  EXPECT_FALSE(ytd.whole_months());

  expect_span(same_period_last_year(ytd), D(2018, 4, 1), D(2019, 1, 5),
              "2018-04-01 to 2019-01-05");

  const std::optional<Period> months = whole_months_within(ytd);
  ASSERT_TRUE(months.has_value());
  expect_span(*months, D(2019, 4, 1), D(2019, 12, 31), "2019-04 to 2019-12");
  EXPECT_EQ(months->months(), 9);
  EXPECT_TRUE(months->whole_months());
}

TEST(YearToDate, FinancialYearOfTheDay) {
  // Jan-Mar belong to the FY that started the previous April.
  expect_span(year_to_date(D(2020, 3, 31)), D(2019, 4, 1), D(2020, 3, 31), "2019-20 YTD to 2020-03-31");
  expect_span(year_to_date(D(2020, 4, 1)), D(2020, 4, 1), D(2020, 4, 1), "2020-21 YTD to 2020-04-01");
  expect_span(year_to_date(D(2020, 1, 5), 1), D(2020, 1, 1), D(2020, 1, 5), "2020 YTD to 2020-01-05");
  expect_span(year_to_date(D(2019, 9, 30), 10), D(2018, 10, 1), D(2019, 9, 30), "2018-19 YTD to 2019-09-30");
  expect_span(year_to_date(D(2000, 1, 1), 4), D(1999, 4, 1), D(2000, 1, 1), "1999-00 YTD to 2000-01-01");
}

TEST(FinancialQuarter, AprilStart) {
  const Period q3 = financial_quarter(2018, 3);
  expect_span(q3, D(2018, 10, 1), D(2018, 12, 31), "2018-19 Q3");
  EXPECT_TRUE(q3.whole_months());
  EXPECT_EQ(q3.months(), 3);
  expect_span(financial_quarter(2018, 4), D(2019, 1, 1), D(2019, 3, 31), "2018-19 Q4");
  expect_span(financial_quarter(2018, 1), D(2018, 4, 1), D(2018, 6, 30), "2018-19 Q1");
  expect_span(financial_quarter(2019, 4), D(2020, 1, 1), D(2020, 3, 31), "2019-20 Q4");
}

TEST(FinancialQuarter, CalendarYearAndBadArguments) {
  expect_span(financial_quarter(2018, 3, 1), D(2018, 7, 1), D(2018, 9, 30), "2018 Q3");
  expect_span(financial_quarter(2018, 1, 1), D(2018, 1, 1), D(2018, 3, 31), "2018 Q1");
  EXPECT_THROW(financial_quarter(2018, 0), std::invalid_argument);
  EXPECT_THROW(financial_quarter(2018, 5), std::invalid_argument);
  EXPECT_THROW(financial_quarter(2018, 1, 13), std::invalid_argument);
}

TEST(FinancialYear, StartMonthFourAndOne) {
  const Period fy = financial_year(2018);
  expect_span(fy, D(2018, 4, 1), D(2019, 3, 31), "2018-19");
  EXPECT_EQ(fy.months(), 12);
  EXPECT_TRUE(fy.whole_months());
  const Period cal = financial_year(2018, 1);
  expect_span(cal, D(2018, 1, 1), D(2018, 12, 31), "2018");
  EXPECT_EQ(cal.months(), 12);
  expect_span(financial_year(1999), D(1999, 4, 1), D(2000, 3, 31), "1999-00");
  expect_span(financial_year(2019, 12), D(2019, 12, 1), D(2020, 11, 30), "2019-20");
  EXPECT_THROW(financial_year(2018, 0), std::invalid_argument);
  EXPECT_THROW(financial_year(2018, 13), std::invalid_argument);
}

TEST(SamePeriodLastYear, LeapDayBecomes28Feb) {
  const Period p = explicit_range(D(2020, 2, 10), D(2020, 2, 29));
  EXPECT_FALSE(p.whole_months());
  expect_span(same_period_last_year(p), D(2019, 2, 10), D(2019, 2, 28),
              "2019-02-10 to 2019-02-28");
  // Not whole months: 28 Feb 2021 is just a date and stays 28 Feb.
  expect_span(same_period_last_year(explicit_range(D(2021, 2, 2), D(2021, 2, 28))), D(2020, 2, 2), D(2020, 2, 28),
              "2020-02-02 to 2020-02-28");
}

TEST(SamePeriodLastYear, WholeMonthsStayWholeMonths) {
  const Period feb2020 = month_period(make_month(2020, 2));
  expect_span(feb2020, D(2020, 2, 1), D(2020, 2, 29), "2020-02");
  const Period feb2019 = same_period_last_year(feb2020);
  expect_span(feb2019, D(2019, 2, 1), D(2019, 2, 28), "2019-02");
  EXPECT_TRUE(feb2019.whole_months());
  EXPECT_EQ(feb2019.last_day - feb2019.first_day + 1, 28);

  const Period feb2020_from_2021 = same_period_last_year(month_period(make_month(2021, 2)));
  expect_span(feb2020_from_2021, D(2020, 2, 1), D(2020, 2, 29), "2020-02");
  EXPECT_TRUE(feb2020_from_2021.whole_months());

  expect_span(same_period_last_year(financial_year(2019)), D(2018, 4, 1), D(2019, 3, 31), "2018-04 to 2019-03");
}

// Issue 8: the same period last year was labelled with the current period's
// dates ("2019-02 (previous year)" for February 2018).
TEST(SamePeriodLastYear, NeverCarriesTheCurrentPeriodsLabel) {
  const Period feb = same_period_last_year(month_period(make_month(2019, 2)));
  EXPECT_EQ(feb.label, "2018-02");
  EXPECT_EQ(feb.label.find("2019"), std::string::npos);
  EXPECT_EQ(same_period_last_year(financial_quarter(2018, 3)).label, "2017-10 to 2017-12");
}

// Issue 8: an uncovered period was called "incomplete".
TEST(Coverage, NoneSomeAll) {
  const MonthIndex first = make_month(2018, 10), last = make_month(2019, 2);
  const Coverage none = coverage(month_period(make_month(2018, 2)), first, last);
  EXPECT_TRUE(none.none());
  EXPECT_EQ(none.words(), "not covered by the data");
  const Coverage some = coverage(month_range(make_month(2018, 8), make_month(2018, 10)), first, last);
  EXPECT_FALSE(some.full());
  EXPECT_FALSE(some.none());
  EXPECT_EQ(some.words(), "partly covered (1 of 3 months)");
  const Coverage after = coverage(month_range(make_month(2019, 1), make_month(2019, 3)), first, last);
  EXPECT_EQ(after.words(), "partly covered (2 of 3 months)");
  const Coverage all = coverage(month_range(first, last), first, last);
  EXPECT_TRUE(all.full());
  EXPECT_EQ(all.words(), "covered");
  // A day range counts the months it touches.
  EXPECT_EQ(coverage(year_to_date(D(2020, 1, 5)), make_month(2019, 4), make_month(2020, 1)).words(), "covered");
}

TEST(Rolling12Months, EndsWithTheGivenMonth) {
  const Period r = rolling_12_months(make_month(2019, 2));
  expect_span(r, D(2018, 3, 1), D(2019, 2, 28), "12 months to 2019-02");
  EXPECT_EQ(r.months(), 12);
  EXPECT_TRUE(r.whole_months());
  const Period leap = rolling_12_months(make_month(2020, 2));
  expect_span(leap, D(2019, 3, 1), D(2020, 2, 29), "12 months to 2020-02");
  EXPECT_EQ(leap.last_day - leap.first_day + 1, 366);
  expect_span(rolling_12_months(make_month(2019, 12)), D(2019, 1, 1), D(2019, 12, 31), "12 months to 2019-12");
}

TEST(PreviousPeriod, MonthQuarterYear) {
  expect_span(previous_period(month_period(make_month(2019, 1))), D(2018, 12, 1), D(2018, 12, 31), "2018-12");
  expect_span(previous_period(month_period(make_month(2020, 3))), D(2020, 2, 1), D(2020, 2, 29), "2020-02");
  const Period q2 = previous_period(financial_quarter(2018, 3));
  expect_span(q2, D(2018, 7, 1), D(2018, 9, 30), "2018-07 to 2018-09");
  EXPECT_EQ(q2.months(), 3);
  expect_span(previous_period(financial_quarter(2018, 1)), D(2018, 1, 1), D(2018, 3, 31), "2018-01 to 2018-03");
  expect_span(previous_period(financial_year(2018)), D(2017, 4, 1), D(2018, 3, 31), "2017-04 to 2018-03");
}

TEST(PreviousPeriod, DaysForPartialMonths) {
  const Period ten = explicit_range(D(2020, 3, 1), D(2020, 3, 10));
  expect_span(previous_period(ten), D(2020, 2, 20), D(2020, 2, 29), "2020-02-20 to 2020-02-29");
  // YTD to 5 Jan 2020 is 280 days long.
  const Period before_ytd = previous_period(year_to_date(D(2020, 1, 5)));
  EXPECT_EQ(before_ytd.last_day, D(2019, 3, 31));
  EXPECT_EQ(before_ytd.last_day - before_ytd.first_day + 1, 280);
  EXPECT_EQ(before_ytd.label, "2018-06-25 to 2019-03-31");
}

TEST(WholeMonthsWithin, Cases) {
  const std::optional<Period> fy = whole_months_within(financial_year(2018));
  ASSERT_TRUE(fy.has_value());
  expect_span(*fy, D(2018, 4, 1), D(2019, 3, 31), "2018-19");
  const std::optional<Period> feb = whole_months_within(explicit_range(D(2019, 1, 31), D(2019, 3, 1)));
  ASSERT_TRUE(feb.has_value());
  expect_span(*feb, D(2019, 2, 1), D(2019, 2, 28), "2019-02");
  EXPECT_EQ(whole_months_within(explicit_range(D(2020, 3, 1), D(2020, 3, 10))), std::nullopt);
  EXPECT_EQ(whole_months_within(explicit_range(D(2020, 1, 2), D(2020, 2, 28))), std::nullopt);
}

TEST(ExplicitRange, LabelsAndOrder) {
  const Period one = explicit_range(D(2019, 6, 30), D(2019, 6, 30));
  expect_span(one, D(2019, 6, 30), D(2019, 6, 30), "2019-06-30 to 2019-06-30");
  EXPECT_EQ(one.months(), 1);
  EXPECT_THROW(explicit_range(D(2019, 7, 1), D(2019, 6, 30)), std::invalid_argument);
  EXPECT_THROW(month_range(make_month(2019, 7), make_month(2019, 6)), std::invalid_argument);
  expect_span(month_range(make_month(2018, 10), make_month(2019, 2)), D(2018, 10, 1), D(2019, 2, 28),
              "2018-10 to 2019-02");
}

TEST(Contains, DatedIncidentsAtTheEdges) {
  const Period ytd = year_to_date(D(2020, 1, 5));
  const MonthIndex any = make_month(1999, 1);  // ignored when the time is known
  EXPECT_FALSE(contains(ytd, any, at(2019, 3, 31, 23, 59)));
  EXPECT_TRUE(contains(ytd, any, at(2019, 4, 1, 0, 0)));
  EXPECT_TRUE(contains(ytd, any, at(2020, 1, 5, 0, 0)));
  EXPECT_TRUE(contains(ytd, any, at(2020, 1, 5, 23, 59)));
  EXPECT_FALSE(contains(ytd, any, at(2020, 1, 6, 0, 0)));

  const Period feb = month_period(make_month(2020, 2));
  EXPECT_TRUE(contains(feb, make_month(2020, 2), at(2020, 2, 29, 23, 59)));
  EXPECT_FALSE(contains(feb, make_month(2020, 3), at(2020, 3, 1, 0, 0)));

  // Minutes before 1970 round down to their day, not towards zero.
  const Period last_day_of_1969 = explicit_range(-1, -1);
  EXPECT_TRUE(contains(last_day_of_1969, make_month(1969, 12), -1));
  EXPECT_TRUE(contains(last_day_of_1969, make_month(1969, 12), -1440));
  EXPECT_FALSE(contains(last_day_of_1969, make_month(1970, 1), 0));
  EXPECT_FALSE(contains(last_day_of_1969, make_month(1969, 12), -1441));
}

TEST(Contains, MonthOnlyIncidentsNeedTheWholeMonth) {
  const Period ytd = year_to_date(D(2020, 1, 5));
  EXPECT_FALSE(contains(ytd, make_month(2019, 3), kNoTime));
  EXPECT_TRUE(contains(ytd, make_month(2019, 4), kNoTime));
  EXPECT_TRUE(contains(ytd, make_month(2019, 12), kNoTime));
  EXPECT_FALSE(contains(ytd, make_month(2020, 1), kNoTime));  // only 5 days of January are in

  const Period q3 = financial_quarter(2018, 3);
  EXPECT_FALSE(contains(q3, make_month(2018, 9), kNoTime));
  EXPECT_TRUE(contains(q3, make_month(2018, 10), kNoTime));
  EXPECT_TRUE(contains(q3, make_month(2018, 12), kNoTime));
  EXPECT_FALSE(contains(q3, make_month(2019, 1), kNoTime));
  EXPECT_FALSE(contains(explicit_range(D(2019, 2, 1), D(2019, 2, 27)), make_month(2019, 2), kNoTime));
}

TEST(ParsePeriod, MonthForms) {
  const MonthIndex latest = make_month(2019, 12);
  expect_span(parse_period("month:2019-02", latest), D(2019, 2, 1), D(2019, 2, 28), "2019-02");
  expect_span(parse_period("latest_month", latest), D(2019, 12, 1), D(2019, 12, 31), "2019-12");
  expect_span(parse_period("rolling12:2019-02", latest), D(2018, 3, 1), D(2019, 2, 28), "12 months to 2019-02");
  expect_span(parse_period("rolling12", latest), D(2019, 1, 1), D(2019, 12, 31), "12 months to 2019-12");
  expect_span(parse_period("  month:2019-02\t", latest), D(2019, 2, 1), D(2019, 2, 28), "2019-02");
}

TEST(ParsePeriod, FinancialForms) {
  const MonthIndex latest = make_month(2019, 12);
  EXPECT_EQ(parse_period("quarter:2018-19:Q3", latest), financial_quarter(2018, 3));
  expect_span(parse_period("quarter:2018-19:q4", latest), D(2019, 1, 1), D(2019, 3, 31), "2018-19 Q4");
  expect_span(parse_period("quarter:2018:Q3", latest, 1), D(2018, 7, 1), D(2018, 9, 30), "2018 Q3");
  expect_span(parse_period("fy:2018-19", latest), D(2018, 4, 1), D(2019, 3, 31), "2018-19");
  expect_span(parse_period("fy:2018-2019", latest), D(2018, 4, 1), D(2019, 3, 31), "2018-19");
  expect_span(parse_period("fy:1999-00", latest), D(1999, 4, 1), D(2000, 3, 31), "1999-00");
  expect_span(parse_period("fy:2018", latest, 1), D(2018, 1, 1), D(2018, 12, 31), "2018");
}

TEST(ParsePeriod, YearToDateForms) {
  const MonthIndex latest = make_month(2019, 12);
  expect_span(parse_period("ytd:2020-01-05", latest), D(2019, 4, 1), D(2020, 1, 5), "2019-20 YTD to 2020-01-05");
  expect_span(parse_period("ytd", latest), D(2019, 4, 1), D(2019, 12, 31), "2019-20 YTD to 2019-12-31");
  expect_span(parse_period("ytd", make_month(2020, 2)), D(2019, 4, 1), D(2020, 2, 29), "2019-20 YTD to 2020-02-29");
  expect_span(parse_period("ytd:2020-01-05", latest, 1), D(2020, 1, 1), D(2020, 1, 5), "2020 YTD to 2020-01-05");
}

TEST(ParsePeriod, RangeForms) {
  const MonthIndex latest = make_month(2019, 12);
  const Period days = parse_period("range:2018-10-01..2019-01-05", latest);
  expect_span(days, D(2018, 10, 1), D(2019, 1, 5), "2018-10-01 to 2019-01-05");
  EXPECT_FALSE(days.whole_months());
  const Period months = parse_period("range:2018-10..2019-02", latest);
  expect_span(months, D(2018, 10, 1), D(2019, 2, 28), "2018-10 to 2019-02");
  EXPECT_TRUE(months.whole_months());
  EXPECT_EQ(months.months(), 5);
  expect_span(parse_period("range:2018-10..2019-01-05", latest), D(2018, 10, 1), D(2019, 1, 5),
              "2018-10-01 to 2019-01-05");
  expect_span(parse_period("range:2020-02-29..2020-02", latest), D(2020, 2, 29), D(2020, 2, 29),
              "2020-02-29 to 2020-02-29");
}

TEST(ParsePeriod, ErrorsNameTheSpecAndTheProblem) {
  expect_bad_spec("", "unknown kind");
  expect_bad_spec("week:2019-02", "unknown kind \"week\"");
  expect_bad_spec("month:2019-13", "bad month \"2019-13\"");
  expect_bad_spec("month:2019-2", "bad month");
  expect_bad_spec("month", "needs a value");
  expect_bad_spec("latest_month:2019-02", "takes no value");
  expect_bad_spec("rolling12:2019", "bad month");
  expect_bad_spec("ytd:2019-02-30", "bad date \"2019-02-30\"");
  expect_bad_spec("ytd:2019-02-29", "bad date");  // 2019 is not a leap year
  expect_bad_spec("ytd:05/01/2020", "bad date");
  expect_bad_spec("quarter:2018-19:Q5", "quarter must be Q1..Q4");
  expect_bad_spec("quarter:2018-19:Q0", "quarter must be Q1..Q4");
  expect_bad_spec("quarter:2018-19", "expected quarter:FY:Qn");
  expect_bad_spec("fy:2018-20", "not span consecutive years");
  expect_bad_spec("fy:2018-2020", "not span consecutive years");
  expect_bad_spec("fy:2018", "YYYY-YY");
  expect_bad_spec("fy:2018-19", "calendar years", 1);
  expect_bad_spec("fy:18-19", "bad financial year");
  expect_bad_spec("range:2019-02-01..2019-01-01", "ends before it starts");
  expect_bad_spec("range:2019-01-01", "FIRST..LAST");
  expect_bad_spec("range:2019-01-01..2019-02-30", "bad date \"2019-02-30\"");
  EXPECT_THROW(parse_period("month:2019-02", make_month(2019, 12), 0), std::invalid_argument);
}

// Sets TZ and a comma-decimal global locale for the scope (docs/STYLE.md:
// police.uk months must depend on neither).
class ForeignEnvironment {
 public:
  ForeignEnvironment() {
    if (const char* old = std::getenv("TZ")) old_tz_ = old;
    had_tz_ = std::getenv("TZ") != nullptr;
    setenv("TZ", "Pacific/Auckland", 1);
    tzset();
    old_locale_ = std::locale::global(std::locale(std::locale::classic(), new CommaDecimal));
  }
  ~ForeignEnvironment() {
    std::locale::global(old_locale_);
    if (had_tz_) {
      setenv("TZ", old_tz_.c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  struct CommaDecimal : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
    char do_thousands_sep() const override { return '.'; }
    std::string do_grouping() const override { return "\3"; }
  };
  std::string old_tz_;
  bool had_tz_ = false;
  std::locale old_locale_;
};

TEST(Periods, IndependentOfTimeZoneAndLocale) {
  Period ytd, range;
  {
    ForeignEnvironment env;
    ytd = parse_period("ytd:2020-01-05", make_month(2019, 12));
    range = same_period_last_year(parse_period("range:2018-10..2019-02", make_month(2019, 12)));
  }
  // Plain day counts: a time-zone offset would move these by one day.
  EXPECT_EQ(ytd.first_day, 17987);  // 2019-04-01
  EXPECT_EQ(ytd.last_day, 18266);   // 2020-01-05
  EXPECT_EQ(ytd.label, "2019-20 YTD to 2020-01-05");  // no "2.019" grouping
  expect_span(range, D(2017, 10, 1), D(2018, 2, 28), "2017-10 to 2018-02");
}

}  // namespace
}  // namespace hotspot::stats
