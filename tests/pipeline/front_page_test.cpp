// The borough front page on the Charnwood demo (issue 9): the batch's
// index.html and the run's own briefing.html carry the JAG table whose
// every number is a row of csv/comparison_beat.csv, the overview and top
// increases as the CSV tables have them, links that resolve to files that
// exist, and in public mode nothing the disclosure control withheld.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "run_cli.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
const std::string kData = HOTSPOT_DATA_DIR;
using Row = std::vector<std::string>;

// RFC 4180 fields of one CSV line (the engine's CSV tables hold no line breaks).
Row split_csv(const std::string& line) {
  Row out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
    else if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

// A CSV table as header-named rows.
std::vector<std::map<std::string, std::string>> read_table(const fs::path& p) {
  std::istringstream in(testing::slurp(p));
  std::string line;
  std::getline(in, line);
  const Row head = split_csv(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    const Row f = split_csv(line);
    rows.emplace_back();
    for (size_t i = 0; i < head.size() && i < f.size(); ++i) rows.back()[head[i]] = f[i];
  }
  return rows;
}

std::string unescape(std::string s) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
    for (size_t i; (i = s.find(from)) != std::string::npos;) s.replace(i, from.size(), to);
  }
  return s;
}

// A cell's text: tags and the small-count mark (†) taken out.
std::string cell_text(const std::string& html) {
  std::string s = std::regex_replace(html, std::regex("<[^>]*>"), "");
  for (size_t i; (i = s.find("\u2020")) != std::string::npos;) s.erase(i, std::string("\u2020").size());
  return unescape(s);
}

// The JAG table's rows: area, category, previous, current, % variance.
std::vector<Row> jag_rows(const std::string& html) {
  std::vector<Row> rows;
  const std::regex row(
      "<tr data-area=\"([^\"]*)\" data-category=\"([^\"]*)\"><td>[^<]*</td><td class=\"n\">([^<]*)</td>"
      "<td class=\"n\">([^<]*)</td><td class=\"n\">(.*?)</td></tr>");
  for (std::sregex_iterator it(html.begin(), html.end(), row), end; it != end; ++it)
    rows.push_back({unescape((*it)[1]), unescape((*it)[2]), unescape((*it)[3]), unescape((*it)[4]), cell_text((*it)[5])});
  return rows;
}

// The rows of the HTML table with this id, each cell's text.
std::vector<Row> html_table(const std::string& html, const std::string& id) {
  std::vector<Row> rows;
  const size_t start = html.find("<table id=\"" + id + "\">");
  if (start == std::string::npos) return rows;
  const size_t body = html.find("<tbody>", start), end = html.find("</table>", start);
  const std::string t = html.substr(body, end - body);
  const std::regex tr("<tr>(.*?)</tr>"), td("<td[^>]*>(.*?)</td>");
  for (std::sregex_iterator r(t.begin(), t.end(), tr), e; r != e; ++r) {
    const std::string cells = (*r)[1];
    rows.emplace_back();
    for (std::sregex_iterator c(cells.begin(), cells.end(), td); c != e; ++c) rows.back().push_back(cell_text((*c)[1]));
  }
  return rows;
}

// The demo run and batches, each made once per test process and only by
// the tests that need it (CTest runs every test in a process of its own).
class FrontPage : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    if (!root_.empty()) fs::remove_all(root_);
  }
  static const fs::path& root() {
    if (root_.empty()) {
      root_ = fs::temp_directory_path() / ("hotspot_front_page_" + std::to_string(getpid()));
      fs::remove_all(root_);
      fs::create_directories(root_);
    }
    return root_;
  }
  // `what` is "run", "packs" or "public"; the CLI's result, run once.
  static const testing::CliResult& made(const std::string& what) {
    static std::map<std::string, testing::CliResult> done;
    auto it = done.find(what);
    if (it != done.end()) return it->second;
    const std::string cfg = " -c " + kData + "/demo.toml ", out = " --out " + (root() / what).string();
    const std::string cmd = what == "run"     ? "run -q" + cfg + out
                            : what == "packs" ? "batch -q" + cfg + "-l beat" + out
                                              : "batch -q --public" + cfg + "-l beat" + out;
    return done[what] = testing::run_cli(cmd);
  }
  static fs::path root_;
};
fs::path FrontPage::root_;

// Every JAG row equals the (area, category) row of comparison_beat.csv, and
// every beat has a block of the four default key categories.
void expect_jag_equals_csv(const std::string& html, const fs::path& csv) {
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> want;
  for (auto& r : read_table(csv)) want[{r["area_code"], r["category"]}] = r;
  ASSERT_FALSE(want.empty()) << csv;
  const std::vector<Row> rows = jag_rows(html);
  ASSERT_EQ(rows.size(), 40u) << "10 beats x 4 key categories";
  std::set<std::string> beats, categories;
  for (const Row& r : rows) {
    const auto it = want.find({r[0], r[1]});
    ASSERT_NE(it, want.end()) << r[0] << " " << r[1];
    EXPECT_EQ(r[2], it->second.at("previous")) << r[0] << " " << r[1];
    EXPECT_EQ(r[3], it->second.at("current")) << r[0] << " " << r[1];
    EXPECT_EQ(r[4], it->second.at("variance")) << r[0] << " " << r[1];
    beats.insert(r[0]);
    categories.insert(r[1]);
  }
  EXPECT_EQ(beats.size(), 10u);
  EXPECT_EQ(categories, (std::set<std::string>{"All crime", "Anti-social behaviour", "Burglary", "Vehicle crime"}));
}

// Every link of a page (<a href>, not a #fragment) names a file that
// exists. Searched by hand: std::regex recurses per character and the
// page's inline heat map is a 100 KB data: URI.
void expect_links_resolve(const fs::path& page, size_t at_least) {
  const std::string html = testing::slurp(page);
  size_t n = 0;
  for (size_t i = 0; (i = html.find("<a href=\"", i)) != std::string::npos;) {
    i += 9;
    const std::string target = unescape(html.substr(i, html.find('"', i) - i));
    if (target.empty() || target[0] == '#') continue;
    ++n;
    EXPECT_EQ(target.find(':'), std::string::npos) << target;
    EXPECT_TRUE(fs::is_regular_file(page.parent_path() / target)) << page << ": " << target;
  }
  EXPECT_GE(n, at_least) << page;
}

TEST_F(FrontPage, BatchIndexBeatTableEqualsComparisonCsvAndLinksResolve) {
  ASSERT_EQ(made("packs").exit_code, 0) << made("packs").output;
  expect_jag_equals_csv(testing::slurp(root() / "packs/index.html"), root() / "packs/beat_56/csv/comparison_beat.csv");
  expect_links_resolve(root() / "packs/index.html", 10);
}

TEST_F(FrontPage, RunBriefingBeatTableEqualsComparisonCsvAndLinksResolve) {
  ASSERT_EQ(made("run").exit_code, 0) << made("run").output;
  expect_jag_equals_csv(testing::slurp(root() / "run/briefing.html"), root() / "run/csv/comparison_beat.csv");
  expect_links_resolve(root() / "run/briefing.html", 30);
}

TEST_F(FrontPage, OverviewAndIncreasesAreTheCsvTables) {
  ASSERT_EQ(made("run").exit_code, 0) << made("run").output;
  const std::string html = testing::slurp(root() / "run/briefing.html");
  std::map<std::string, std::map<std::string, std::string>> total;
  for (auto& r : read_table(root() / "run/csv/comparison_beat.csv"))
    if (r["area_code"] == "TOTAL") total[r["category"]] = r;
  const std::vector<Row> overview = html_table(html, "overview");
  ASSERT_EQ(overview.size(), total.size());  // every category, roll-ups first
  EXPECT_EQ(overview[0][0], "All crime");
  for (const Row& r : overview) {
    ASSERT_EQ(r.size(), 5u);
    EXPECT_EQ(r[1], total.at(r[0]).at("current")) << r[0];
    EXPECT_EQ(r[2], total.at(r[0]).at("previous")) << r[0];
    EXPECT_EQ(r[3], total.at(r[0]).at("variance")) << r[0];
  }
  const auto increases = read_table(root() / "run/csv/top_increases_beat.csv");
  const std::vector<Row> shown = html_table(html, "top-increases");
  ASSERT_EQ(shown.size(), increases.size());
  ASSERT_EQ(shown.size(), 10u);
  for (size_t i = 0; i < shown.size(); ++i) {
    EXPECT_EQ(shown[i][1], increases[i].at("area_code"));
    EXPECT_EQ(shown[i][3], increases[i].at("category"));
    EXPECT_EQ(shown[i][6], increases[i].at("change"));
  }
  // The LSOAs flagged against the county (7 at 99.8%, 4 at 95%), each with its beat.
  const std::vector<Row> flagged = html_table(html, "flagged-areas");
  EXPECT_EQ(flagged.size(), 11u);
  for (const Row& r : flagged) {
    EXPECT_EQ(r[0].rfind("E0", 0), 0u) << r[0];
    EXPECT_TRUE(std::regex_match(r[2], std::regex("(5[6-9]|6[0-5]) .+"))) << r[2];
  }
}

TEST_F(FrontPage, MapTrendsPacksAndLedger) {
  ASSERT_EQ(made("packs").exit_code, 0) << made("packs").output;
  const std::string html = testing::slurp(root() / "packs/index.html");
  // Beat labels on the map, a hotspot table whose numbers are the map's.
  const std::regex label("<text class=\"label-beat\"[^>]*>([^<]*)</text>");
  std::set<std::string> labels;
  for (std::sregex_iterator it(html.begin(), html.end(), label), end; it != end; ++it) labels.insert((*it)[1]);
  // Where they fit (inside the beat, clear of the hotspot numbers): 8 of the
  // 10 at this scale; the small town-centre beats are left to the table.
  EXPECT_GE(labels.size(), 8u);
  for (const std::string& l : labels) EXPECT_TRUE(std::regex_match(l, std::regex("5[6-9]|6[0-5]"))) << l;
  const std::vector<Row> hotspots = html_table(html, "hotspot-table");
  ASSERT_FALSE(hotspots.empty());
  const std::regex rank("<text class=\"rank\"[^>]*>([0-9]+)</text>");
  std::set<std::string> ranks;
  for (std::sregex_iterator it(html.begin(), html.end(), rank), end; it != end; ++it) ranks.insert((*it)[1]);
  std::set<std::string> numbered;
  for (const Row& r : hotspots) numbered.insert(r[0]);
  EXPECT_EQ(ranks, numbered);
  // Small multiples: ten beats, five months each.
  const size_t trends = html.find("<svg class=\"trends\"");
  ASSERT_NE(trends, std::string::npos);
  const std::string svg = html.substr(trends, html.find("</svg>", trends) - trends);
  size_t bars = 0;
  for (size_t i = 0; (i = svg.find("<rect", i)) != std::string::npos; ++i) ++bars;
  EXPECT_EQ(bars, 50u);
  // Every pack written, and the ledger as the run prints it.
  const std::vector<Row> packs = html_table(html, "pack-table");
  ASSERT_EQ(packs.size(), 10u);
  for (const Row& r : packs) EXPECT_EQ(r[2], "written") << r[0];
  const std::vector<Row> ledger = html_table(html, "ledger");
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_EQ(ledger[0], (Row{"7587", "6299", "1288", "yes"}));
  const std::vector<Row> rejected = html_table(html, "rejected");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0][1], "1288");
  const std::vector<Row> matched = html_table(html, "matched");
  ASSERT_EQ(matched.size(), 3u);
  EXPECT_EQ(matched[2], (Row{"beat", "6296", "3", "0"}));
}

TEST_F(FrontPage, PublicPagePrintsNoWithheldValue) {
  ASSERT_EQ(made("public").exit_code, 0) << made("public").output;
  const std::string html = testing::slurp(root() / "public/index.html");
  expect_links_resolve(root() / "public/index.html", 10);
  EXPECT_NE(html.find("PUBLIC"), std::string::npos);
  // The JAG table is the public comparison table: the marker where it withholds.
  expect_jag_equals_csv(html, root() / "public/beat_56/csv/comparison_beat.csv");
  size_t withheld = 0;
  for (const Row& r : jag_rows(html)) withheld += r[2] == "x" || r[3] == "x";
  EXPECT_GT(withheld, 0u) << "the demo's public table withholds some beat counts";
  // Overview rows = the public TOTAL rows.
  std::map<std::string, std::map<std::string, std::string>> total;
  for (auto& r : read_table(root() / "public/beat_56/csv/comparison_beat.csv"))
    if (r["area_code"] == "TOTAL") total[r["category"]] = r;
  for (const Row& r : html_table(html, "overview")) {
    EXPECT_EQ(r[1], total.at(r[0]).at("current")) << r[0];
    EXPECT_EQ(r[2], total.at(r[0]).at("previous")) << r[0];
  }
  // Increases: only published cells (the public top_increases table).
  const auto increases = read_table(root() / "public/beat_56/csv/top_increases_beat.csv");
  const std::vector<Row> shown = html_table(html, "top-increases");
  ASSERT_EQ(shown.size(), increases.size());
  for (size_t i = 0; i < shown.size(); ++i) EXPECT_EQ(shown[i][4], increases[i].at("previous"));
  // No monthly counts per area, no hotspot incidents 1..5, no unmatched 3.
  EXPECT_EQ(html.find("<svg class=\"trends\""), std::string::npos);
  for (const Row& r : html_table(html, "hotspot-table")) {
    ASSERT_GE(r.size(), 3u);
    if (r[2] != "x") {
      EXPECT_GT(std::stoll(r[2]), 5) << "hotspot " << r[0];
    }
    EXPECT_EQ(r.size(), 4u) << "no top categories in public mode";
  }
  const std::vector<Row> matched = html_table(html, "matched");
  ASSERT_EQ(matched.size(), 3u);
  EXPECT_NE(matched[2][2], "3");
}

TEST_F(FrontPage, UnknownKeyCategoryStopsTheBatchBeforeAnyPack) {
  const std::string cfg = testing::slurp(kData + "/demo.toml");
  const fs::path dir = root() / "bad";
  fs::create_directories(dir);
  // The demo's relative paths resolved from its own folder.
  std::string text = std::regex_replace(cfg, std::regex("\"(police-uk|boundaries/|population/|charnwood_)"),
                                        "\"" + kData + "/$1");
  text = std::regex_replace(text, std::regex("\\[report\\]\n"),
                            "[report]\nkey_categories = [\"All crime\", \"Burglary - Business\"]\n");
  ASSERT_NE(text.find("Burglary - Business"), std::string::npos);
  testing::CliResult r;
  {
    std::ofstream(dir / "bad.toml") << text;
    r = testing::run_cli("batch -q -c " + (dir / "bad.toml").string() + " -l beat --out " + (dir / "packs").string());
  }
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("report.key_categories: the run has no category 'Burglary - Business'"), std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir / "packs/beat_56"));
}

}  // namespace
}  // namespace hotspot
