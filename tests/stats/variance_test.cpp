// format_variance must reproduce every published % variance cell of the
// Charnwood seed tables (docs/methods.md, "Percent
// variance"): 40 beat cells + 9 borough cells.
#include "stats/variance.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <locale>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_paths.h"

namespace hotspot::stats {
namespace {

using Row = std::map<std::string, std::string>;

const std::string kSeedDir = std::string(HOTSPOT_SHARED_DATA_DIR) + "/seed-tables/";

// RFC 4180 subset: fields may be quoted, quotes doubled inside quotes. The
// beat descriptions contain commas ("Woodhouse Eaves, Newtown Linford, ...").
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

// Rows keyed by header name, so the two files' different column orders
// cannot be mixed up.
std::vector<Row> read_csv(const std::string& path, std::vector<std::string>* header_out = nullptr) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = split_csv_line(line);
  if (header_out != nullptr) *header_out = header;
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    const std::vector<std::string> fields = split_csv_line(line);
    if (fields.size() != header.size()) {
      throw std::runtime_error("ragged row in " + path + ": " + line);
    }
    Row row;
    for (size_t i = 0; i < header.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

int64_t count(const Row& row, const std::string& column) { return std::stoll(row.at(column)); }

int64_t previous_of(const Row& row) { return count(row, "count_to_5_jan_2019"); }
int64_t current_of(const Row& row) { return count(row, "count_to_5_jan_2020"); }

void expect_published_variances(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    SCOPED_TRACE(row.count("beat") ? "beat " + row.at("beat") + " " + row.at("category")
                                   : row.at("category"));
    EXPECT_EQ(format_variance(previous_of(row), current_of(row)), row.at("published_variance"));
  }
}

int64_t beats_total(const std::vector<Row>& beats, const std::string& category,
                    int64_t (*year)(const Row&)) {
  int64_t total = 0;
  for (const Row& row : beats) {
    if (row.at("category") == category) total += year(row);
  }
  return total;
}

const Row& overview_row(const std::vector<Row>& overview, const std::string& category) {
  for (const Row& row : overview) {
    if (row.at("category") == category) return row;
  }
  throw std::runtime_error("no overview row for " + category);
}

TEST(FormatVarianceSeed, ReproducesAllFortyBeatCells) {
  const std::vector<Row> beats = read_csv(kSeedDir + "charnwood_beats_ytd_2019_20.csv");
  ASSERT_EQ(beats.size(), 40u);
  expect_published_variances(beats);
}

TEST(FormatVarianceSeed, ReproducesAllNineBoroughCells) {
  std::vector<std::string> header;
  const std::vector<Row> overview =
      read_csv(kSeedDir + "charnwood_overview_ytd_2019_20.csv", &header);
  ASSERT_EQ(overview.size(), 9u);
  // This file lists 2020 before 2019, the reverse of the beats file.
  ASSERT_GE(header.size(), 3u);
  EXPECT_EQ(header[1], "count_to_5_jan_2020");
  EXPECT_EQ(header[2], "count_to_5_jan_2019");
  expect_published_variances(overview);
}

TEST(FormatVarianceSeed, BeatsSumToBoroughTotals) {
  const std::vector<Row> beats = read_csv(kSeedDir + "charnwood_beats_ytd_2019_20.csv");
  const std::vector<Row> overview = read_csv(kSeedDir + "charnwood_overview_ytd_2019_20.csv");
  const std::map<std::string, std::string> beat_to_borough = {
      {"All Crime", "All Crime"},
      {"Burglary - Residential", "Burglary - Residential"},
      {"Theft from Motor Vehicle", "Theft from Vehicles"},
      {"Theft of a Motor Vehicle", "Theft of Vehicles"},
  };
  for (const auto& [beat_category, borough_category] : beat_to_borough) {
    SCOPED_TRACE(beat_category);
    const Row& borough = overview_row(overview, borough_category);
    EXPECT_EQ(beats_total(beats, beat_category, previous_of), previous_of(borough));
    EXPECT_EQ(beats_total(beats, beat_category, current_of), current_of(borough));
  }
}

TEST(FormatVariance, NoChangeIsZeroWithoutSign) {
  EXPECT_EQ(format_variance(45, 45), "0%");
  EXPECT_EQ(format_variance(1, 1), "0%");
}

TEST(FormatVariance, ChangeBelowHalfATenthRoundsToZero) {
  EXPECT_EQ(format_variance(10000, 10004), "0%");  // +0.04%
  EXPECT_EQ(format_variance(10000, 9996), "0%");   // -0.04%
}

TEST(FormatVariance, PreviousZero) {
  EXPECT_EQ(format_variance(0, 0), "0%");
  EXPECT_EQ(format_variance(0, 7), "n/a");
}

TEST(FormatVariance, WholePercentDropsPointZero) {
  EXPECT_EQ(format_variance(10, 12), "+20%");
  EXPECT_EQ(format_variance(10, 6), "-40%");
  EXPECT_EQ(format_variance(33, 34), "+3%");  // +3.0303%
  EXPECT_EQ(format_variance(5, 15), "+200%");
  EXPECT_EQ(format_variance(5, 0), "-100%");
}

// Exact ties at the second decimal go away from zero, for both signs. Some
// ties are exact doubles (12.5), others are not (0.05, 0.15).
TEST(FormatVariance, TiesRoundHalfAwayFromZero) {
  EXPECT_EQ(format_variance(8, 9), "+12.5%");       // exactly +12.5
  EXPECT_EQ(format_variance(8, 7), "-12.5%");       // exactly -12.5
  EXPECT_EQ(format_variance(2000, 2001), "+0.1%");  // +0.05
  EXPECT_EQ(format_variance(2000, 1999), "-0.1%");  // -0.05
  EXPECT_EQ(format_variance(400, 401), "+0.3%");    // +0.25
  EXPECT_EQ(format_variance(400, 399), "-0.3%");    // -0.25
  EXPECT_EQ(format_variance(800, 801), "+0.1%");    // +0.125 -> not a tie
  EXPECT_EQ(format_variance(2000, 2003), "+0.2%");  // +0.15, 0.15 is not a double
  EXPECT_EQ(format_variance(2000, 1997), "-0.2%");  // -0.15
  EXPECT_EQ(format_variance(200, 1), "-99.5%");     // -99.5, one place kept
}

// Regression guard for rounding in doubles: (29 - 80) / 80.0 * 100 * 10
// evaluates to -637.4999999999999 and (103 - 80) / 80.0 * 100 * 10 to
// 287.49999999999994, so a double-based round gives -63.7% and +28.7%.
TEST(FormatVariance, TiesThatDoublesRoundTheWrongWay) {
  EXPECT_EQ(format_variance(80, 29), "-63.8%");   // exactly -63.75
  EXPECT_EQ(format_variance(80, 103), "+28.8%");  // exactly +28.75
}

TEST(FormatVariance, JustEitherSideOfATie) {
  EXPECT_EQ(format_variance(3, 4), "+33.3%");  // +33.333...
  EXPECT_EQ(format_variance(3, 5), "+66.7%");  // +66.666...
  EXPECT_EQ(format_variance(3, 2), "-33.3%");
  EXPECT_EQ(format_variance(6, 5), "-16.7%");    // -16.666...
  EXPECT_EQ(format_variance(2001, 2002), "0%");  // +0.049975
}

TEST(FormatVariance, LargeCountsStayExact) {
  EXPECT_EQ(format_variance(kMaxVarianceCount, 0), "-100%");
  EXPECT_EQ(format_variance(1, kMaxVarianceCount), "+99999999999999900%");
  EXPECT_EQ(format_variance(2'000'000'000'000, 2'001'000'000'000), "+0.1%");  // +0.05
}

TEST(FormatVariance, RejectsCountsOutsideContract) {
  EXPECT_THROW(format_variance(-1, 5), std::invalid_argument);
  EXPECT_THROW(format_variance(5, -1), std::invalid_argument);
  EXPECT_THROW(format_variance(kMaxVarianceCount + 1, 5), std::invalid_argument);
  EXPECT_THROW(percent_variance(-1, 5), std::invalid_argument);
}

// A comma-decimal, dot-grouping global locale must not leak into the text
// (docs/STYLE.md: CSV decimals must not depend on the locale). Built from a
// facet so the test does not need de_DE installed.
struct CommaDecimal : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

TEST(FormatVariance, IndependentOfGlobalLocale) {
  const std::locale saved =
      std::locale::global(std::locale(std::locale::classic(), new CommaDecimal));
  const std::string tie = format_variance(8, 9);
  const std::string big = format_variance(1, 20000);
  std::locale::global(saved);
  EXPECT_EQ(tie, "+12.5%");
  EXPECT_EQ(big, "+1999900%");
}

TEST(PercentVariance, UnroundedValue) {
  EXPECT_FALSE(percent_variance(0, 3).has_value());
  EXPECT_FALSE(percent_variance(0, 0).has_value());
  EXPECT_DOUBLE_EQ(percent_variance(8, 9).value(), 12.5);
  EXPECT_DOUBLE_EQ(percent_variance(698, 581).value(), -11700.0 / 698.0);
  EXPECT_DOUBLE_EQ(percent_variance(45, 45).value(), 0.0);
}

}  // namespace
}  // namespace hotspot::stats
