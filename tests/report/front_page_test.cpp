// The front page's tables on the CSP's own published figures: the JAG table
// renders in the seed's layout (a block per beat with its description, then
// previous, current and % variance of each key category, in the seed's
// order), the overview gives the family group position, names are escaped.
#include "report/front_page.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "common/seed_result.h"
#include "io/family_table.h"
#include "report/front_tables.h"
#include "pipeline/temp_dir.h"

namespace hotspot::report {
namespace {

using testing::SeedRow;

RunSpec seed_spec() {
  RunSpec spec;
  spec.stats = testing::seed_stats_spec();
  spec.report.area_name = "Charnwood";
  spec.report.key_categories = {"All Crime", "Burglary - Residential", "Theft from Motor Vehicle",
                                "Theft of a Motor Vehicle"};
  return spec;
}

std::string page(const RunResult& r, const RunSpec& spec) {
  FrontPageInput in;
  in.result = &r;
  in.spec = &spec;
  return front_page_html(in);
}

TEST(FrontPageSeed, JagTableRendersInTheSeedLayout) {
  const std::vector<SeedRow> seed = testing::read_seed();
  if (seed.empty()) GTEST_SKIP() << "seed tables not found";
  const RunResult r = testing::seed_run_result(seed);
  const std::string html = page(r, seed_spec());
  // Walk the table: each block's head (beat, description), then its rows.
  const size_t start = html.find("<table id=\"jag-table\""), end = html.find("</table>", start);
  ASSERT_NE(start, std::string::npos);
  const std::string t = html.substr(start, end - start);
  const std::regex item(
      "<tr class=\"block-head\"><th colspan=\"4\"><span class=\"code\">([^<]*)</span> ([^<]*)</th></tr>|"
      "<tr data-area=\"[^\"]*\" data-category=\"[^\"]*\"><td>([^<]*)</td><td class=\"n\">([^<]*)</td>"
      "<td class=\"n\">([^<]*)</td><td class=\"n\">([^<]*)(<span[^>]*>[^<]*</span>)?</td></tr>");
  std::vector<SeedRow> got;
  std::string beat, description;
  for (std::sregex_iterator it(t.begin(), t.end(), item), e; it != e; ++it) {
    if ((*it)[1].matched) {
      beat = (*it)[1];
      description = (*it)[2];
    } else {
      got.push_back({beat, description, (*it)[3], (*it)[4], (*it)[5], (*it)[6]});
    }
  }
  ASSERT_EQ(got.size(), seed.size());
  for (size_t i = 0; i < seed.size(); ++i) {
    EXPECT_EQ(got[i].beat, seed[i].beat) << i;
    EXPECT_EQ(got[i].description, seed[i].description) << i;
    EXPECT_EQ(got[i].category, seed[i].category) << i;
    EXPECT_EQ(got[i].previous, seed[i].previous) << seed[i].beat << " " << seed[i].category;
    EXPECT_EQ(got[i].current, seed[i].current) << seed[i].beat << " " << seed[i].category;
    EXPECT_EQ(got[i].variance, seed[i].variance) << seed[i].beat << " " << seed[i].category;
  }
  // A variance on counts under 10 is marked: Anstey's vehicle thefts, 10 -> 6.
  EXPECT_NE(t.find("<td class=\"n\">6</td><td class=\"n\">-40%<span class=\"small-n\""), std::string::npos);
  // Ten blocks, one per beat; the page opens with the borough's name.
  size_t blocks = 0;
  for (size_t i = 0; (i = t.find("<tbody class=\"block\">", i)) != std::string::npos; ++i) ++blocks;
  EXPECT_EQ(blocks, 10u);
  EXPECT_NE(html.find("<h1>Charnwood: JAG front page</h1>"), std::string::npos);
}

TEST(FrontPageSeed, OverviewGivesTheFamilyGroupPosition) {
  const std::vector<SeedRow> seed = testing::read_seed();
  if (seed.empty()) GTEST_SKIP() << "seed tables not found";
  RunResult r = testing::seed_run_result(seed);
  r.layers[0].population.assign(r.layers[0].size(), 18000);  // 180,000 people: 9662 -> 53.68 per 1,000
  RunSpec spec = seed_spec();
  // Fourteen comparator areas: nine with a lower rate, five higher (the seed's 10/15).
  for (int i = 0; i < 14; ++i) spec.report.family["All Crime"]["CSP " + std::to_string(i)] = i < 9 ? 40 + i : 60 + i;
  spec.report.family["all crime"]["Charnwood"] = 1;  // the study area itself: ignored
  const std::string html = page(r, spec);
  EXPECT_NE(html.find("<tr><td>All Crime</td><td class=\"n\">9662</td><td class=\"n\">10497</td>"
                      "<td class=\"n\">-8%</td><td class=\"n\">10/15</td></tr>"),
            std::string::npos)
      << html.substr(html.find("<table id=\"overview\">"), 800);
  // A category without family rates has no position; roll-ups come first.
  EXPECT_NE(html.find("<tr><td>Burglary - Residential</td><td class=\"n\">640</td><td class=\"n\">872</td>"
                      "<td class=\"n\">-26.6%</td><td class=\"n\"></td></tr>"),
            std::string::npos);
  EXPECT_LT(html.find("<tr><td>All Crime</td>"), html.find("<tr><td>Burglary - Residential</td>"));
}

// The overview's rows come from the comparison table's TOTAL rows, found in
// one pass and then taken category by category: each category once, in the
// overview's order (roll-ups first), none from an area's own rows.
TEST(FrontPageSeed, OverviewHasEachCategoryOnceFromTheTotalRows) {
  const std::vector<SeedRow> seed = testing::read_seed();
  if (seed.empty()) GTEST_SKIP() << "seed tables not found";
  const std::string html = page(testing::seed_run_result(seed), seed_spec());
  const size_t from = html.find("<table id=\"overview\">");
  ASSERT_NE(from, std::string::npos);
  const std::string overview = html.substr(from, html.find("</table>", from) - from);
  auto count = [&overview](const std::string& what) {
    size_t n = 0;
    for (size_t i = 0; (i = overview.find(what, i)) != std::string::npos; ++i) ++n;
    return n;
  };
  EXPECT_EQ(count("<tr><td>All Crime</td><td class=\"n\">9662</td>"), 1u);
  EXPECT_EQ(count("<tr><td>Burglary - Residential</td><td class=\"n\">640</td>"), 1u);
  EXPECT_EQ(count("<tr><td>All Crime</td>"), 1u);
  EXPECT_LT(overview.find("<tr><td>All Crime</td>"), overview.find("<tr><td>Burglary - Residential</td>"));
}

TEST(FrontPageSeed, FamilyPosition) {
  const std::map<std::string, double> family = {{"A", 10}, {"B", 20}, {"C", 30}, {"Home", 1}};
  auto p = family_position(25, family, "home");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->position, 3);
  EXPECT_EQ(p->of, 4);
  p = family_position(20, family, "Home");  // a tie shares the better position
  EXPECT_EQ(p->position, 2);
  p = family_position(5, family, "");  // without a name, "Home" is a comparator
  EXPECT_EQ(p->position, 2);
  EXPECT_EQ(p->of, 5);
  EXPECT_FALSE(family_position(std::nan(""), family, "Home"));
}

TEST(FrontPageSeed, NamesAreEscaped) {
  const std::vector<SeedRow> seed = testing::read_seed();
  if (seed.empty()) GTEST_SKIP() << "seed tables not found";
  RunResult r = testing::seed_run_result(seed);
  r.layers[0].label[0] = "Town <b>centre</b> & \"station\"";
  RunSpec spec = seed_spec();
  spec.report.area_name = "<script>x</script>";
  const std::string html = page(r, spec);
  EXPECT_EQ(html.find("<b>centre"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("Town &lt;b&gt;centre&lt;/b&gt; &amp; &quot;station&quot;"), std::string::npos);
}

// A run draws its page while its GeoPackage is still being written and
// adds the file list at the end (pipeline.cpp): the page finished from the
// draft must be the page drawn whole, with the files given only at the end.
TEST(FrontPageSeed, DraftFinishedWithTheFilesIsThePageDrawnWhole) {
  const std::vector<SeedRow> seed = testing::read_seed();
  if (seed.empty()) GTEST_SKIP() << "seed tables not found";
  const RunResult r = testing::seed_run_result(seed);
  const RunSpec spec = seed_spec();
  FrontPageInput in;
  in.result = &r;
  in.spec = &spec;
  const FrontPageDraft draft = draft_front_page(in);  // no files yet
  in.files = {"hotspot.gpkg", "csv/counts_long.csv", "geojson/beat.geojson"};
  const std::string whole = front_page_html(in);
  EXPECT_EQ(finish_front_page(draft, in), whole);
  EXPECT_NE(whole.find("<a href=\"csv/counts_long.csv\">csv/counts_long.csv</a>"), std::string::npos);
  EXPECT_EQ(draft.head.find("counts_long.csv"), std::string::npos);
  EXPECT_EQ(whole.rfind("</html>\n"), whole.size() - 8);
}

// perf-areas5: the JAG table is appended to the page being built (~31 MB
// on all English LSOAs), not returned and concatenated: what was there
// stays, and the table appended is the page's own.
TEST(FrontPageSeed, JagTableAppendsAfterWhatIsThere) {
  const std::vector<SeedRow> seed = testing::read_seed();
  if (seed.empty()) GTEST_SKIP() << "seed tables not found";
  const RunResult r = testing::seed_run_result(seed);
  const RunSpec spec = seed_spec();
  const FrontData d(r, spec);
  std::string o = "<p>before</p>";
  append_jag_table_html(o, d, key_categories(r, spec));
  ASSERT_EQ(o.rfind("<p>before</p><table id=\"jag-table\"", 0), 0u);
  EXPECT_EQ(o.substr(o.size() - 16), "</tbody></table>");
  const std::string table = o.substr(13);
  EXPECT_NE(page(r, spec).find(table), std::string::npos);
}

// The seed's ten beats plus two more: "Z98" with one incident in the
// previous period only, "Z99" with none at all.
RunResult seed_with_quiet_beats(const std::vector<SeedRow>& seed) {
  RunResult r = testing::seed_run_result(seed);
  AreaLayer& beats = r.layers[0];
  for (const char* code : {"Z98", "Z99"}) {
    const double x0 = double(beats.size()) * 2;
    beats.code.push_back(code);
    beats.label.push_back(std::string("Beat ") + code);
    beats.geometry.push_back({{{{x0, 0}, {x0 + 1, 0}, {x0 + 1, 1}, {x0, 1}}}});
  }
  IncidentTable& t = r.incidents;
  t.x.push_back(double(beats.size() - 2) * 2 + 0.5);
  t.y.push_back(0.5);
  t.minute.push_back(t.minute.front());  // a day of the previous period (the seed adds those first)
  t.month.push_back(t.month.front());
  t.category.push_back(t.category.front());
  t.source.push_back(0);
  t.source_row.push_back(int64_t(t.size()));
  r.assignments[0].area.push_back(int32_t(beats.size() - 2));
  r.stats = std::make_shared<const stats::StatsResult>(
      stats::compute_stats(t, r.layers, r.assignments, testing::seed_stats_spec()));
  return r;
}

// All English LSOAs made a 30 MB JAG table of blocks of zeros: an area
// with 0 in both periods in every category is left out and counted; one
// with a single incident in either period stays; its rows stay in the CSV.
TEST(FrontPageSeed, JagTableLeavesOutAreasWithNothingInEitherPeriod) {
  const std::vector<SeedRow> seed = testing::read_seed();
  if (seed.empty()) GTEST_SKIP() << "seed tables not found";
  const RunResult r = seed_with_quiet_beats(seed);
  const RunSpec spec = seed_spec();
  const std::string html = page(r, spec);
  const size_t start = html.find("<table id=\"jag-table\""), end = html.find("</table>", start);
  ASSERT_NE(start, std::string::npos);
  const std::string t = html.substr(start, end - start);
  EXPECT_NE(t.find("<span class=\"code\">Z98</span> Beat Z98"), std::string::npos);
  EXPECT_EQ(t.find("Z99"), std::string::npos);
  size_t blocks = 0;
  for (size_t i = 0; (i = t.find("<tbody class=\"block\">", i)) != std::string::npos; ++i) ++blocks;
  EXPECT_EQ(blocks, 11u);
  EXPECT_NE(html.find("Not listed: 1 of 12 beat areas with 0 in both periods in every category (their rows are in "
                      "the CSV)."),
            std::string::npos);
  const FrontData d(r, spec);
  const io::OutTable* comparison = d.table("comparison_beat");
  ASSERT_NE(comparison, nullptr);
  size_t z99_rows = 0;
  for (const auto& row : comparison->rows) z99_rows += row[0] == "Z99" ? 1 : 0;
  EXPECT_GT(z99_rows, 0u);
  // Without a quiet area the note says nothing of it (the seed's own page).
  EXPECT_EQ(page(testing::seed_run_result(seed), spec).find("Not listed:"), std::string::npos);
}

TEST(FrontPageSeed, UnknownCategoryIsAConfigError) {
  const std::vector<SeedRow> seed = testing::read_seed();
  if (seed.empty()) GTEST_SKIP() << "seed tables not found";
  const RunResult r = testing::seed_run_result(seed);
  RunSpec spec = seed_spec();
  spec.report.key_categories = {"All Crime", "Shoplifting"};
  try {
    page(r, spec);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("report.key_categories: the run has no category 'Shoplifting'"),
              std::string::npos)
        << e.what();
  }
  // The defaults the run lacks are left out, not an error: only All Crime here.
  spec.report.key_categories.clear();
  EXPECT_EQ(key_categories(r, spec), std::vector<std::string>{"All Crime"});
  spec.stats.aliases = {{"Burglary", "Burglary - Residential"}};  // the default "Burglary" through an alias
  EXPECT_EQ(key_categories(r, spec), (std::vector<std::string>{"All Crime", "Burglary - Residential"}));
}

class FamilyCsv : public testing::TempDirTest {};

TEST_F(FamilyCsv, ReadsRatesAndNamesTheBadRow) {
  auto f = io::read_family_csv(write("f.csv", "area,category,rate\nBlaby,All crime,42.5\n\"Oadby, Wigston\",All crime,50\n"));
  EXPECT_DOUBLE_EQ(f.at("All crime").at("Oadby, Wigston"), 50);
  EXPECT_EQ(f.at("All crime").size(), 2u);
  try {
    io::read_family_csv(write("g.csv", "area,category,rate\nBlaby,All crime,42.5\nMelton,All crime,lots\n"));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("g.csv: data row 2: field rate = 'lots'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(io::read_family_csv(write("h.csv", "name,rate\nBlaby,1\n")), InputError);
  EXPECT_THROW(io::read_family_csv(write("i.csv", "area,category,rate\nA,X,1\nA,X,2\n")), InputError);
}

}  // namespace
}  // namespace hotspot::report
