// Tests for io/field_parse: numbers and dates must not depend on the locale
// or the time zone (police.uk months and CSV decimals are plain text).
#include "io/field_parse.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <clocale>
#include <cstdlib>
#include <ctime>
#include <locale>
#include <optional>
#include <sstream>
#include <string>

namespace hotspot::io {
namespace {

TEST(Trim, SpacesAndTabsOnly) {
  EXPECT_EQ(trim("  a b\t"), "a b");
  EXPECT_EQ(trim("\t \t"), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("x"), "x");
}

TEST(ParseNumber, AcceptsDecimalForms) {
  EXPECT_EQ(parse_number("52.1"), 52.1);
  EXPECT_EQ(parse_number(" -1.2 "), -1.2);
  EXPECT_EQ(parse_number("\t-1.246860\t"), -1.246860);
  EXPECT_EQ(parse_number("+3"), 3.0);
  EXPECT_EQ(parse_number("1e3"), 1000.0);
  EXPECT_EQ(parse_number("-2.5E-2"), -0.025);
  EXPECT_EQ(parse_number("0"), 0.0);
  EXPECT_EQ(parse_number("451000"), 451000.0);
}

TEST(ParseNumber, RejectsNonNumbers) {
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("   "));
  EXPECT_FALSE(parse_number("+"));
  EXPECT_FALSE(parse_number("abc"));
  EXPECT_FALSE(parse_number("1,5"));  // a decimal comma is never accepted
  EXPECT_FALSE(parse_number("1.5.2"));
  EXPECT_FALSE(parse_number("12abc"));
  EXPECT_FALSE(parse_number("1 000"));
  EXPECT_FALSE(parse_number("0x1A"));
  EXPECT_FALSE(parse_number("++3"));
}

TEST(ParseNumber, RejectsNonFiniteValues) {
  EXPECT_FALSE(parse_number("nan"));
  EXPECT_FALSE(parse_number("NaN"));
  EXPECT_FALSE(parse_number("inf"));
  EXPECT_FALSE(parse_number("-inf"));
  EXPECT_FALSE(parse_number("infinity"));
  EXPECT_FALSE(parse_number("1e400"));  // overflows a double
}

// BUG: field_parse.cpp:17 strips one leading '+' and then lets from_chars
// accept a '-', so "+-3" parses as -3 instead of being rejected.
TEST(ParseNumber, RejectsPlusFollowedBySign) {
  EXPECT_FALSE(parse_number("+-3"));
}

// Switches the global C++ locale (and, when one is installed, the C
// LC_NUMERIC locale) to a comma-decimal locale for the scope.
class CommaDecimalLocale {
 public:
  CommaDecimalLocale() : old_cpp_(std::locale()) {
    const char* old_c = std::setlocale(LC_NUMERIC, nullptr);
    old_c_ = old_c ? old_c : "C";
    for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "nl_NL.UTF-8"}) {
      if (std::setlocale(LC_NUMERIC, name)) {
        c_locale_ = name;
        break;
      }
    }
    std::locale::global(std::locale(std::locale::classic(), new CommaNumpunct));
  }
  ~CommaDecimalLocale() {
    std::locale::global(old_cpp_);
    std::setlocale(LC_NUMERIC, old_c_.c_str());
  }
  // The C locale name in force, or "" when none with a decimal comma exists.
  const std::string& c_locale() const { return c_locale_; }

 private:
  struct CommaNumpunct : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
    char do_thousands_sep() const override { return '.'; }
    std::string do_grouping() const override { return "\3"; }
  };
  std::locale old_cpp_;
  std::string old_c_, c_locale_;
};

TEST(ParseNumber, IndependentOfCommaDecimalLocale) {
  CommaDecimalLocale scope;
  // The locale really is in force: streams now write a decimal comma.
  std::ostringstream probe;
  probe << 52.5;
  EXPECT_EQ(probe.str(), "52,5");
  if (!scope.c_locale().empty()) {
    EXPECT_STREQ(std::localeconv()->decimal_point, ",");
  }

  EXPECT_EQ(parse_number("52.5"), 52.5);
  EXPECT_EQ(parse_number("-1.246860"), -1.246860);
  EXPECT_FALSE(parse_number("52,5"));
  if (scope.c_locale().empty()) {
    GTEST_LOG_(INFO) << "no comma-decimal C locale installed; tested the C++ global locale only";
  }
}

TEST(ParseDate, MonthOnly) {
  auto d = parse_date("2018-10");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->month, make_month(2018, 10));
  EXPECT_EQ(d->minute, IncidentTable::kNoTime);
  auto padded = parse_date(" 2019-01 ");
  ASSERT_TRUE(padded);
  EXPECT_EQ(padded->month, make_month(2019, 1));
}

TEST(ParseDate, DayGivesMinutesSinceEpoch) {
  // 2010-01-01T00:00 is 1262304000 s = 21038400 min after 1970-01-01.
  auto d = parse_date("2010-01-01");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->month, make_month(2010, 1));
  EXPECT_EQ(d->minute, 21038400);
  EXPECT_EQ(parse_date("1970-01-01")->minute, 0);
  EXPECT_EQ(parse_date("1969-12-31")->minute, -1440);
}

TEST(ParseDate, TimeOfDay) {
  auto a = parse_date("2010-01-01 00:05");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->minute, 21038400 + 5);
  auto b = parse_date("2010-01-01T23:59:30");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->month, make_month(2010, 1));
  EXPECT_EQ(b->minute, 21038400 + 23 * 60 + 59);  // seconds are dropped
  EXPECT_FALSE(parse_date("2010-01-01 24:00"));
  EXPECT_FALSE(parse_date("2010-01-01 12:60"));
  EXPECT_FALSE(parse_date("2010-01-01 12:30:"));
  EXPECT_FALSE(parse_date("2010-01-01 1:30"));
  EXPECT_FALSE(parse_date("2010-01-01X12:30"));
}

TEST(ParseDate, LeapDays) {
  EXPECT_FALSE(parse_date("2019-02-29"));
  auto leap = parse_date("2020-02-29");
  ASSERT_TRUE(leap);
  EXPECT_EQ(leap->month, make_month(2020, 2));
  EXPECT_EQ(leap->minute, int64_t{18321} * 1440);  // 2020-01-01 is day 18262, +31 +28
  EXPECT_TRUE(parse_date("2000-02-29"));   // divisible by 400
  EXPECT_FALSE(parse_date("1900-02-29"));  // divisible by 100 only
  EXPECT_FALSE(parse_date("2018-04-31"));
  EXPECT_FALSE(parse_date("2018-10-00"));
}

TEST(ParseDate, UkDayMonthYear) {
  auto d = parse_date("05/01/2020");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->month, make_month(2020, 1));  // 5 January, not 1 May
  EXPECT_EQ(d->minute, int64_t{18266} * 1440);
  auto t = parse_date("31/12/2019 18:45");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->month, make_month(2019, 12));
  EXPECT_EQ(t->minute, int64_t{18261} * 1440 + 18 * 60 + 45);
  EXPECT_FALSE(parse_date("13/13/2020"));
  EXPECT_FALSE(parse_date("31/04/2020"));
  EXPECT_FALSE(parse_date("5/1/2020"));
}

TEST(ParseDate, RejectsMalformed) {
  EXPECT_FALSE(parse_date(""));
  EXPECT_FALSE(parse_date("   "));
  EXPECT_FALSE(parse_date("2018-13"));
  EXPECT_FALSE(parse_date("2018-00"));
  EXPECT_FALSE(parse_date("2018-1"));
  EXPECT_FALSE(parse_date("2018-10-"));
  EXPECT_FALSE(parse_date("2018-10x"));
  EXPECT_FALSE(parse_date("2018/10"));  // a month alone only in ISO form
  EXPECT_FALSE(parse_date("October 2018"));
  EXPECT_FALSE(parse_date("1799-12"));
}

// Issue 8: YYYY/MM/DD is what GDAL writes for Date fields.
TEST(ParseDate, GdalSlashForm) {
  auto d = parse_date("2018/10/05");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->month, make_month(2018, 10));
  EXPECT_EQ(d->minute, int64_t{17809} * 1440);
  auto t = parse_date("2018/10/05 14:30:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->minute, int64_t{17809} * 1440 + 14 * 60 + 30);
  EXPECT_EQ(parse_date("2018/10/05 14:30")->minute, int64_t{17809} * 1440 + 14 * 60 + 30);
  EXPECT_EQ(parse_date("2018-10-05T14:30:00.250")->minute, int64_t{17809} * 1440 + 14 * 60 + 30);
  EXPECT_FALSE(parse_date("2018/10-05"));
  EXPECT_FALSE(parse_date("2018/10/05 14:30:00."));
}

TEST(ParseDate, ImpossibleDatesSayWhy) {
  std::string why;
  EXPECT_FALSE(parse_date("2019-02-30", &why));
  EXPECT_EQ(why, "day 30 does not exist (February 2019 has 28 days)");
  EXPECT_FALSE(parse_date("2018-13", &why));
  EXPECT_EQ(why, "month 13 does not exist");
  EXPECT_FALSE(parse_date("31/04/2020", &why));
  EXPECT_EQ(why, "day 31 does not exist (April 2020 has 30 days)");
  EXPECT_FALSE(parse_date("2019/02/28 24:00", &why));
  EXPECT_EQ(why, "time 24:00:00 does not exist");
  EXPECT_FALSE(parse_date("1799-12-01", &why));
  EXPECT_EQ(why, "year 1799 is outside 1800-2200");
  // An unknown form gives no reason (the field name says enough).
  EXPECT_FALSE(parse_date("October 2018", &why));
  EXPECT_EQ(why, "");
  EXPECT_TRUE(parse_date("2019-02-28", &why));
  EXPECT_EQ(why, "");
}

TEST(ParseDateParts, YearMonthAndOptionalDay) {
  auto m = parse_date_parts("2019", "3", "", false);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->month, make_month(2019, 3));
  EXPECT_EQ(m->minute, IncidentTable::kNoTime);
  auto d = parse_date_parts(" 2019 ", "03", "4", true);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->minute, int64_t{17959} * 1440);  // 2019-03-04
  std::string why;
  EXPECT_FALSE(parse_date_parts("2019", "2", "30", true, &why));
  EXPECT_EQ(why, "day 30 does not exist (February 2019 has 28 days)");
  EXPECT_FALSE(parse_date_parts("2019", "13", "", false, &why));
  EXPECT_EQ(why, "month 13 does not exist");
  EXPECT_FALSE(parse_date_parts("19", "1", "", false));
  EXPECT_FALSE(parse_date_parts("2019", "", "", false));
  EXPECT_FALSE(parse_date_parts("2019", "1", "", true));
  EXPECT_FALSE(parse_date_parts("2019", "Jan", "", false));
}

TEST(ImplausibleAxis, GeographicAndProjectedBounds) {
  EXPECT_STREQ(implausible_axis(-1.2, 52.7, true), "");
  EXPECT_STREQ(implausible_axis(180.0, -90.0, true), "");
  EXPECT_STREQ(implausible_axis(180.5, 0, true), "x");
  EXPECT_STREQ(implausible_axis(0, 95, true), "y");
  EXPECT_STREQ(implausible_axis(451000, 311000, false), "");
  EXPECT_STREQ(implausible_axis(-20037508.34, 38500000, false), "");  // Web Mercator, zone-prefixed GK
  EXPECT_STREQ(implausible_axis(1e308, 311000, false), "x");
  EXPECT_STREQ(implausible_axis(451000, -2e8, false), "y");
  EXPECT_STREQ(implausible_axis(std::nan(""), 0, false), "x");
  EXPECT_STREQ(implausible_axis(0, std::numeric_limits<double>::infinity(), true), "y");
}

TEST(Utf8, ValidatesStrictly) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ASCII"));
  EXPECT_TRUE(is_valid_utf8("Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € emoji
  EXPECT_FALSE(is_valid_utf8("Caf\xE9"));            // Windows-1252 é
  EXPECT_FALSE(is_valid_utf8("\xC3"));               // cut sequence
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));           // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));       // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));       // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));   // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\x80"));               // continuation byte first
}

TEST(Utf8, Windows1252IsConverted) {
  EXPECT_EQ(cp1252_to_utf8("Caf\xE9"), "Caf\xC3\xA9");
  EXPECT_EQ(cp1252_to_utf8("\x93quoted\x94 \x80""5 \x96"), "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC""5 \xE2\x80\x93");
  EXPECT_EQ(cp1252_to_utf8("\x81"), "\xEF\xBF\xBD");  // unassigned: U+FFFD
  bool converted = true;
  EXPECT_EQ(to_utf8("Caf\xC3\xA9", &converted), "Caf\xC3\xA9");
  EXPECT_FALSE(converted);
  EXPECT_EQ(to_utf8("Caf\xE9", &converted), "Caf\xC3\xA9");
  EXPECT_TRUE(converted);
  for (int b = 0; b < 256; ++b) EXPECT_TRUE(is_valid_utf8(cp1252_to_utf8(std::string(1, char(b))))) << b;
}

TEST(Utf8, OnlyTheBadLinesAreConverted) {
  std::string text = "a,Caf\xC3\xA9\r\nb,Caf\xE9\nc,ok\rd,\x93x\x94\n";
  std::vector<int64_t> lines;
  EXPECT_EQ(lines_to_utf8(text, &lines), 2);
  EXPECT_EQ(lines, (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(text, "a,Caf\xC3\xA9\r\nb,Caf\xC3\xA9\nc,ok\rd,\xE2\x80\x9Cx\xE2\x80\x9D\n");
  std::string good = "x\ny\n";
  EXPECT_EQ(lines_to_utf8(good, &lines), 0);
  EXPECT_EQ(good, "x\ny\n");
}

TEST(ParseDate, DaysFromCivil) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(1600, 1, 1), -135140);
}

TEST(MonthLabel, FormatsYearAndZeroPaddedMonth) {
  EXPECT_EQ(make_month(2018, 10), 24225);
  EXPECT_EQ(month_label(make_month(2018, 10)), "2018-10");
  EXPECT_EQ(month_label(make_month(2019, 1)), "2019-01");
  EXPECT_EQ(month_label(make_month(2018, 12)), "2018-12");
  EXPECT_EQ(month_label(parse_date("2019-02")->month), "2019-02");
}

// Sets TZ for the scope and restores the previous value.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* tz) {
    const char* old = std::getenv("TZ");
    had_ = old != nullptr;
    if (had_) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ScopedTimeZone() {
    if (had_)
      setenv("TZ", old_.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }

 private:
  bool had_ = false;
  std::string old_;
};

TEST(ParseDate, IndependentOfTimeZone) {
  const char* inputs[] = {"2018-10", "2010-01-01 00:05", "2010-01-01T23:59:30", "05/01/2020",
                          "2020-02-29", "2019-03-10 02:30" /* a US DST gap */, "2018-11-04 01:30"};
  std::vector<std::optional<ParsedDate>> utc;
  {
    ScopedTimeZone tz("UTC");
    for (const char* s : inputs) utc.push_back(parse_date(s));
  }
  ScopedTimeZone tz("America/Chicago");
  // The zone is really in force (when tzdata is installed): 2018-07-01 00:00 UTC is 2018-06-30 in Chicago.
  std::time_t t = 1530403200;
  std::tm local{};
  localtime_r(&t, &local);
  if (local.tm_mday != 30) GTEST_LOG_(INFO) << "tzdata for America/Chicago not found; TZ had no effect";

  for (size_t i = 0; i < std::size(inputs); ++i) {
    auto d = parse_date(inputs[i]);
    ASSERT_TRUE(d) << inputs[i];
    ASSERT_TRUE(utc[i]) << inputs[i];
    EXPECT_EQ(d->month, utc[i]->month) << inputs[i];
    EXPECT_EQ(d->minute, utc[i]->minute) << inputs[i];
  }
  EXPECT_EQ(parse_date("2018-10")->minute, IncidentTable::kNoTime);
  EXPECT_EQ(parse_date("2010-01-01 00:05")->minute, 21038400 + 5);
  EXPECT_EQ(parse_date("05/01/2020")->month, make_month(2020, 1));
  EXPECT_FALSE(parse_date("2019-02-29"));
  EXPECT_EQ(month_label(make_month(2018, 10)), "2018-10");
}

}  // namespace
}  // namespace hotspot::io
