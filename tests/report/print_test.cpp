// Issue 9, print: briefings printed by a real browser. Headless Chromium
// (Debian's chromium; .ci/run installs it) prints a beat briefing and a
// public beat briefing of the demo to PDF, and poppler's pdftotext reads
// every page: the protective marking and "Page i of N" on each, a sane page
// count, a table block (one area's categories) never split across pages.
// Skipped, with a message, only when chromium is not installed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "pipeline/run_cli.h"
#include "pipeline/temp_dir.h"
#include "report/print.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using testing::run_cli_raw;
using testing::slurp;

constexpr int kMaxPages = 30;  // a beat briefing is 8-12 A4 pages; more means a layout fault

bool have(const std::string& program) { return run_cli_raw("command -v " + program).exit_code == 0; }

class Print : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    if (!have("chromium"))
      GTEST_SKIP() << "headless Chromium is not installed (Debian package chromium; .ci/run installs it): "
                      "briefings not printed";
    ASSERT_TRUE(have("pdftotext") && have("pdfinfo")) << "chromium is installed but not poppler-utils";
  }

  // Prints `html` to a PDF beside it; returns the PDF's path.
  fs::path print(const fs::path& html) {
    const fs::path pdf = fs::path(html).replace_extension(".pdf");
    // A profile of its own: parallel tests must not share Chromium's lock.
    const auto r = run_cli_raw("timeout 60 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer "
                               "--user-data-dir=" + (dir_ / "chromium-profile").string() + " --print-to-pdf=" +
                               pdf.string() + " file://" + fs::absolute(html).string());
    EXPECT_TRUE(fs::exists(pdf)) << r.output;
    return pdf;
  }

  static int pages(const fs::path& pdf) {
    const auto r = run_cli_raw("pdfinfo " + pdf.string());
    std::smatch m;
    if (!std::regex_search(r.output, m, std::regex("Pages:\\s+(\\d+)"))) return -1;
    return std::stoi(m[1]);
  }

  static std::string page_text(const fs::path& pdf, int page) {
    const std::string n = std::to_string(page);
    return run_cli_raw("pdftotext -layout -f " + n + " -l " + n + " " + pdf.string() + " -").output;
  }

  // The marking and "Page i of N" on every page of `pdf`; N in 1..kMaxPages.
  void expect_marked(const fs::path& pdf, const std::string& mark, const std::string& absent) {
    const int n = pages(pdf);
    ASSERT_GE(n, 1) << pdf;
    EXPECT_LE(n, kMaxPages) << pdf;
    for (int i = 1; i <= n; ++i) {
      const std::string text = page_text(pdf, i);
      EXPECT_NE(text.find(mark), std::string::npos) << pdf << " page " << i << " has no " << mark;
      EXPECT_NE(text.find("Page " + std::to_string(i) + " of " + std::to_string(n)), std::string::npos)
          << pdf << " page " << i;
      EXPECT_EQ(text.find(absent), std::string::npos) << pdf << " page " << i << " says " << absent;
    }
  }
};

TEST_F(Print, BeatBriefingHasTheMarkingOnEveryPage) {
  const auto r = run_cli("batch -q -c " + std::string(HOTSPOT_DATA_DIR) + "/demo.toml --layer beat --areas 62 --out " +
                         (dir_ / "packs").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const fs::path pdf = print(dir_ / "packs/beat_62/briefing.html");
  expect_marked(pdf, "RESTRICTED", "PUBLIC");
  // The beat's categories (one table block) on one page: the table's first
  // and last rows are printed together.
  int first = 0, last = 0;
  for (int i = 1; i <= pages(pdf); ++i) {
    const std::string text = page_text(pdf, i);
    if (!first && text.find("Previous vs current: beat 62") != std::string::npos) first = i;
    if (first && !last && text.find("Month by month") != std::string::npos) last = i;
  }
  EXPECT_GT(first, 0);
  EXPECT_EQ(first, last) << "the comparison table of beat 62 is split across pages";
  // The batch's front page too (the JAG table, maps, charts: several pages).
  const fs::path front = print(dir_ / "packs/index.html");
  EXPECT_GE(pages(front), 2);
  expect_marked(front, "RESTRICTED", "PUBLIC");
}

TEST_F(Print, PublicBriefingSaysPublicOnEveryPage) {
  const auto r = run_cli("batch -q --public -c " + std::string(HOTSPOT_DATA_DIR) +
                         "/demo.toml --layer beat --areas 57 --out " + (dir_ / "public").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_marked(print(dir_ / "public/beat_57/briefing.html"), "PUBLIC", "RESTRICTED");
  expect_marked(print(dir_ / "public/index.html"), "PUBLIC", "RESTRICTED");
}

// The CSS itself: 40 blocks of 6 rows over several pages, none split.
TEST_F(Print, TableBlocksAreNotSplitAcrossPages) {
  std::string html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>" + report::print_css(false) +
                     "tr { break-inside: avoid; } td { border: 1px solid #999; padding: 1.5mm; }</style></head><body>"
                     "<table><thead><tr><th>Block</th><th>Row</th></tr></thead>";
  for (int b = 1; b <= 40; ++b) {
    html += "<tbody class=\"block\">";
    for (int row = 1; row <= 6; ++row)
      html += "<tr><td>block" + std::to_string(b) + "x</td><td>" + std::to_string(row) + "</td></tr>";
    html += "</tbody>";
  }
  html += "</table></body></html>";
  const fs::path pdf = print(write("blocks.html", html));
  const int n = pages(pdf);
  ASSERT_GE(n, 3) << "the test table should span pages";
  std::map<int, std::set<int>> pages_of;  // block -> pages its rows are on
  std::map<int, int> rows_seen;
  for (int i = 1; i <= n; ++i) {
    const std::string text = page_text(pdf, i);
    const std::regex cell("block(\\d+)x");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), cell); it != std::sregex_iterator(); ++it) {
      pages_of[std::stoi((*it)[1])].insert(i);
      ++rows_seen[std::stoi((*it)[1])];
    }
    EXPECT_NE(text.find("RESTRICTED"), std::string::npos) << "page " << i;
  }
  ASSERT_EQ(pages_of.size(), 40u);
  for (const auto& [block, on] : pages_of) {
    EXPECT_EQ(on.size(), 1u) << "block " << block << " is split across pages";
    EXPECT_EQ(rows_seen[block], 6) << "block " << block;
  }
}

// Not a browser check: the pack's files section lists each file once (the
// manifest was listed twice, once as the manifest and once among the files).
TEST(PrintFiles, EveryFileListedOnce) {
  const fs::path out = fs::temp_directory_path() / ("hotspot_print_files_" + std::to_string(getpid()));
  fs::remove_all(out);
  const auto r = run_cli("batch -q -c " + std::string(HOTSPOT_DATA_DIR) + "/demo.toml --layer beat --areas 56 --out " +
                         out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string html = slurp(out / "beat_56/briefing.html");
  fs::remove_all(out);
  const size_t files = html.find("id=\"files\"");
  ASSERT_NE(files, std::string::npos);
  const std::string section = html.substr(files, html.find("</section>", files) - files);
  std::map<std::string, int> links;
  const std::regex href("href=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(section.begin(), section.end(), href); it != std::sregex_iterator(); ++it)
    ++links[(*it)[1]];
  EXPECT_GE(links.size(), 5u);
  EXPECT_EQ(links.count("manifest.json"), 1u);
  for (const auto& [file, n] : links) EXPECT_EQ(n, 1) << file << " listed " << n << " times";
}

}  // namespace
}  // namespace hotspot
