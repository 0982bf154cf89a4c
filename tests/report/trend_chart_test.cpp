// The front page's small multiples: appended to what the page already
// holds (perf-areas5: the ~31 MB figure of all English LSOAs is no longer
// returned and concatenated), one group per area with a bar per month on
// one scale, the long names cut, and nothing with fewer than two months.
#include "report/trend_chart.h"

#include <gtest/gtest.h>

#include <memory>

#include "stats/area_stats.h"

namespace hotspot::report {
namespace {

// Two areas, one category (the headline), `months` months from 2019-01:
// area A1 has 1, 2, 3... a month, area B2 has 5 in its first month only.
RunResult two_areas(int months) {
  RunResult r;
  AreaLayer layer;
  layer.name = "lsoa";
  layer.code = {"A1", "B2"};
  layer.label = {"Alpha", "A very long name of an \xC3\xA9tude area"};
  r.layers = {layer};
  AreaCounts c;
  c.layer = "lsoa";
  c.first_month = make_month(2019, 1);
  c.months = months;
  c.categories = 1;
  c.areas = 2;
  c.cells.assign(size_t(2 * months), 0);
  for (int m = 0; m < months; ++m) c.at(0, 0, m) = m + 1;
  c.at(1, 0, 0) = 5;
  r.counts = {c};
  auto s = std::make_shared<stats::StatsResult>();
  s->categories = {{"All crime", true, {true}}};
  s->headline = 0;
  r.stats = s;
  return r;
}

TEST(TrendChart, AppendsTheFigureAfterWhatIsThere) {
  const RunResult r = two_areas(3);
  std::string o = "<p>before</p>";
  ASSERT_TRUE(append_trend_small_multiples(o, r, 0));
  // One row of five 180 x 118 panels: the viewBox as the ostream wrote it.
  EXPECT_EQ(o.rfind("<p>before</p><figure><svg class=\"trends\" viewBox=\"0 0 900 118\" width=\"100%\"", 0), 0u);
  // The top count (5) is the full 66-unit bar; B2's first month, in the second panel (x0 = 188).
  EXPECT_NE(o.find("<rect x=\"193.47\" y=\"30.00\" width=\"43.73\" height=\"66.00\" fill=\"#4a6fa5\"><title>"
                   "2019-01: 5</title></rect>"),
            std::string::npos);
  // A1's third month: 3 of 5 -> 39.6 high.
  EXPECT_NE(o.find("<rect x=\"122.80\" y=\"56.40\" width=\"43.73\" height=\"39.60\" fill=\"#4a6fa5\"><title>"
                   "2019-03: 3</title></rect>"),
            std::string::npos);
  size_t bars = 0;
  for (size_t at = 0; (at = o.find("<rect ", at)) != std::string::npos; ++at) ++bars;
  EXPECT_EQ(bars, 6u);
  // Names over 26 bytes cut to 24 (on a character boundary) and "...".
  EXPECT_NE(o.find(">A very long name of an ...</text>"), std::string::npos);
  EXPECT_NE(o.find("<title>lsoa B2 A very long name of an \xC3\xA9tude area</title>"), std::string::npos);
  EXPECT_NE(o.find(">2019-03: 0</text></g>"), std::string::npos);  // B2's last month at the right
  const std::string end = "the last month&#39;s count at the right.</figcaption></figure>";  // escaped
  EXPECT_EQ(o.substr(o.size() - end.size()), end);
  EXPECT_NE(o.find("(2019-01 to 2019-03, every month of the data); one scale for all, 0 to 5 a month"),
            std::string::npos);
}

// A third area, C3, with none in any month: a flat panel is not drawn
// (on all English LSOAs ~98% of a figure 775,000 units tall), and the
// caption says how many were left out.
TEST(TrendChart, AreasWithNoneInAnyMonthAreNotDrawn) {
  RunResult r = two_areas(3);
  r.layers[0].code.push_back("C3");
  r.layers[0].label.push_back("Gamma");
  AreaCounts& c = r.counts[0];
  c.areas = 3;
  c.cells.resize(size_t(3 * c.months), 0);
  std::string o;
  ASSERT_TRUE(append_trend_small_multiples(o, r, 0));
  EXPECT_EQ(o.find("C3"), std::string::npos);
  EXPECT_EQ(o.rfind("<figure><svg class=\"trends\" viewBox=\"0 0 900 118\"", 0), 0u);  // still one row
  EXPECT_NE(o.find("one scale for all, 0 to 5 a month; the last month&#39;s count at the right. "
                   "1 of 3 lsoa areas with none in any month are not drawn.</figcaption>"),
            std::string::npos);
  // With two areas the caption has no such sentence (the figure is as before).
  std::string before;
  ASSERT_TRUE(append_trend_small_multiples(before, two_areas(3), 0));
  EXPECT_EQ(before.find("not drawn"), std::string::npos);
  // No area with any: a note instead of an empty figure.
  for (int64_t& v : c.cells) v = 0;
  std::string none;
  ASSERT_TRUE(append_trend_small_multiples(none, r, 0));
  EXPECT_EQ(none, "<p class=\"note\">All crime by month: 3 of 3 lsoa areas with none in any month are not drawn.</p>");
}

TEST(TrendChart, FewerThanTwoMonthsAppendsNothing) {
  const RunResult r = two_areas(1);
  std::string o = "<p>before</p>";
  EXPECT_FALSE(append_trend_small_multiples(o, r, 0));
  EXPECT_FALSE(append_trend_small_multiples(o, two_areas(3), 1));  // no such layer
  EXPECT_EQ(o, "<p>before</p>");
}

}  // namespace
}  // namespace hotspot::report
