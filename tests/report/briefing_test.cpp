// The briefing page of a per-beat pack on the Charnwood demo: self-contained
// (opens offline, links only inside the pack), the beat's comparison table
// as the JAG publishes it, and public-mode disclosure honoured.
#include "report/briefing.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/specs.h"
#include "test_paths.h"

namespace hotspot::report {
namespace {

namespace fs = std::filesystem;
const std::string kData = HOTSPOT_DATA_DIR;

RunSpec beat_pack_spec(bool public_mode) {
  RunSpec spec = testing::charnwood_spec();
  spec.stats.extracted = "2019-03-12";
  spec.stats.rollups = {{"All crime", {}, {"Anti-social behaviour"}}};
  spec.stats.public_mode = public_mode;
  spec.kde.enabled = true;
  spec.kde.study_layer = "beat";
  spec.kde.study_area = "62";
  spec.quiet = true;
  return spec;
}

const std::vector<std::string> kFiles = {"hotspot.gpkg", "kde/all.tif", "csv/comparison_beat.csv"};

struct Briefing {
  std::string path, html;
};

Briefing write_beat_62(bool public_mode) {
  const RunSpec spec = beat_pack_spec(public_mode);
  const RunResult result = run_pipeline(spec);
  BriefingInput in;
  in.title = "Beat 62 - Loughborough Town Centre, University, Ashby Road and Storer Road";
  in.result = &result;
  in.spec = &spec;
  in.area_layer = "beat";
  in.area_code = "62";
  in.surface = "all";
  in.manifest_file = "manifest.json";
  in.files = kFiles;
  const fs::path dir = fs::temp_directory_path() / ("hotspot_briefing_test_" + std::to_string(public_mode));
  fs::create_directories(dir);
  Briefing b{(dir / "briefing.html").string(), ""};
  write_briefing(b.path, in);
  std::ifstream f(b.path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  b.html = s.str();
  return b;
}

size_t occurrences(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

// The cells of each row of the <table id="...">, tags stripped.
std::vector<std::vector<std::string>> table_rows(const std::string& html, const std::string& id) {
  const size_t begin = html.find("<table id=\"" + id + "\"");
  if (begin == std::string::npos) return {};
  const std::string t = html.substr(begin, html.find("</table>", begin) - begin);
  static const std::regex row("<tr[^>]*>(.*?)</tr>"), cell("<t[dh][^>]*>(.*?)</t[dh]>");
  std::vector<std::vector<std::string>> rows;
  for (std::sregex_iterator r(t.begin(), t.end(), row), end; r != end; ++r) {
    const std::string body = (*r)[1];
    rows.emplace_back();
    for (std::sregex_iterator c(body.begin(), body.end(), cell); c != end; ++c) rows.back().push_back((*c)[1]);
  }
  return rows;
}

TEST(Briefing, BeatPackIsSelfContainedWithMapsAndTable) {
  const Briefing b = write_beat_62(false);
  ASSERT_TRUE(fs::exists(b.path));
  EXPECT_GE(occurrences(b.html, "<svg"), 2u);
  EXPECT_NE(b.html.find("data:image/png;base64,"), std::string::npos);
  EXPECT_NE(b.html.find("RESTRICTED"), std::string::npos);
  EXPECT_EQ(b.html.find("PUBLIC"), std::string::npos);
  const auto rows = table_rows(b.html, "comparison");
  bool found = false;
  for (const auto& r : rows)
    if (!r.empty() && r[0] == "All crime") {
      found = true;
      ASSERT_EQ(r.size(), 5u);
      EXPECT_EQ(r[1], "218");  // 2019-01
      EXPECT_EQ(r[2], "233");  // 2019-02
      EXPECT_EQ(r[3], "15");
      EXPECT_EQ(r[4], "+6.9%");
    }
  EXPECT_TRUE(found);
}

TEST(Briefing, LinksOnlyInsideThePack) {
  const Briefing b = write_beat_62(false);
  EXPECT_EQ(b.html.find("http://"), std::string::npos);
  EXPECT_EQ(b.html.find("https://"), std::string::npos);
  std::set<std::string> allowed(kFiles.begin(), kFiles.end());
  allowed.insert("manifest.json");
  static const std::regex link("\\b(href|src)\\s*=\\s*\"([^\"]*)\"", std::regex::icase);
  int links = 0;
  for (std::sregex_iterator m(b.html.begin(), b.html.end(), link), end; m != end; ++m) {
    const std::string v = (*m)[2];
    const bool ok = v.rfind("data:", 0) == 0 || v.rfind("#", 0) == 0 || allowed.count(v);
    EXPECT_TRUE(ok) << (*m)[0];
    ++links;
  }
  EXPECT_GE(links, int(allowed.size()) + 1);
  for (const std::string& f : allowed) EXPECT_NE(b.html.find("href=\"" + f + "\""), std::string::npos) << f;
  EXPECT_EQ(b.html.find("<script"), std::string::npos);
}

TEST(Briefing, PublicPackWithholdsSmallCountsAndDrawsNoPoints) {
  const Briefing b = write_beat_62(true);
  EXPECT_NE(b.html.find("PUBLIC (small counts withheld)"), std::string::npos);
  EXPECT_EQ(b.html.find("RESTRICTED"), std::string::npos);
  const auto rows = table_rows(b.html, "comparison");
  ASSERT_GT(rows.size(), 10u);
  int withheld = 0;
  for (size_t i = 1; i < rows.size(); ++i)  // row 0: the header
    // previous, current (a change may be small: it is the difference of two
    // published counts)
    for (size_t c = 1; c < rows[i].size() && c < 3; ++c) {
      const std::string& v = rows[i][c];
      for (int k = 1; k <= 5; ++k) EXPECT_NE(v, std::to_string(k)) << rows[i][0] << " column " << c;
      withheld += v == "x";
    }
  EXPECT_GT(withheld, 0);
  EXPECT_EQ(b.html.find("<circle"), std::string::npos);  // no incident points
}

TEST(Briefing, RefusesLinksOutsideThePack) {
  const RunSpec spec = beat_pack_spec(false);
  const RunResult result = run_pipeline(spec);
  BriefingInput in;
  in.result = &result;
  in.spec = &spec;
  const std::string path = (fs::temp_directory_path() / "hotspot_briefing_refused.html").string();
  for (const std::string bad : {"/etc/passwd", "../other/hotspot.gpkg", "https://example.org/x", "a/../../b"}) {
    in.files = {bad};
    EXPECT_THROW(write_briefing(path, in), OutputError) << bad;
  }
  in.files = {};
  in.area_layer = "beat";
  in.area_code = "99";
  EXPECT_THROW(write_briefing(path, in), OutputError);
}

// Issue 8: a % variance over a partly covered period is marked in the
// briefing too, with the caveat in words, and the coverage warning listed.
TEST(Briefing, PartlyCoveredPeriodMarksTheVariances) {
  RunSpec spec = beat_pack_spec(false);
  spec.kde.enabled = false;
  spec.stats.current = "range:2018-12..2019-02";
  spec.stats.previous = "previous_period";
  const RunResult result = run_pipeline(spec);
  BriefingInput in;
  in.title = "Beat 62";
  in.result = &result;
  in.spec = &spec;
  in.area_layer = "beat";
  in.area_code = "62";
  in.manifest_file = "manifest.json";
  in.files = {"hotspot.gpkg"};
  const fs::path dir = fs::temp_directory_path() / "hotspot_briefing_test_coverage";
  fs::create_directories(dir);
  write_briefing((dir / "briefing.html").string(), in);
  std::ifstream f(dir / "briefing.html", std::ios::binary);
  std::ostringstream html;
  html << f.rdbuf();
  fs::remove_all(dir);
  const auto rows = table_rows(html.str(), "comparison");
  ASSERT_GT(rows.size(), 1u);
  EXPECT_EQ(rows[1].back().back(), '*') << rows[1].back();
  EXPECT_NE(html.str().find("* previous period 2018-09 to 2018-11 is partly covered (2 of 3 months)"), std::string::npos);
}

}  // namespace
}  // namespace hotspot::report
