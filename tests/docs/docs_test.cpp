// The documentation is self-contained (issue 9, point 10): the README and
// docs/ refer to no file outside the checkout, every link to a section of a
// document lands on a heading that exists (docs/config.md -> docs/methods.md
// above all), and the outputs of a demo run and demo packs cite
// docs/methods.md, never a file beside the checkout (../shared/...).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/run_cli.h"
#include "pipeline/temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

// The checkout: data/ is one of its folders.
fs::path checkout() { return fs::path(HOTSPOT_DATA_DIR).parent_path().lexically_normal(); }

// README.md and every Markdown file under docs/, sorted.
std::vector<fs::path> documents() {
  std::vector<fs::path> out = {checkout() / "README.md"};
  for (const auto& e : fs::recursive_directory_iterator(checkout() / "docs"))
    if (e.is_regular_file() && e.path().extension() == ".md") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

bool inside_checkout(const fs::path& p) {
  const fs::path rel = p.lexically_normal().lexically_relative(checkout());
  return !rel.empty() && *rel.begin() != "..";
}

// Text that points at the files beside the checkout that used to stand in
// for these docs, or at the machine's folders.
const char* const kOutsideMarkers[] = {"../shared", "shared/docs", "METHODS.md", "/work/"};

// GitHub's anchor for a heading: lower case, punctuation dropped (but - and
// _), spaces to hyphens; non-ASCII bytes kept. Repeats get -1, -2, ...
std::string slug(const std::string& heading) {
  std::string out;
  for (unsigned char c : heading) {
    if (c >= 0x80 || std::isalnum(c)) out += char(std::tolower(c));
    else if (c == ' ') out += '-';
    else if (c == '-' || c == '_') out += char(c);
  }
  return out;
}

// The anchors of a Markdown file's headings (outside fenced code blocks).
std::set<std::string> anchors(const fs::path& file) {
  std::set<std::string> out;
  std::map<std::string, int> seen;
  std::istringstream in(testing::slurp(file));
  bool fenced = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("```", 0) == 0) fenced = !fenced;
    if (fenced) continue;
    static const std::regex heading(R"(^#{1,6} +(.*?) *#*$)");
    std::smatch m;
    if (!std::regex_match(line, m, heading)) continue;
    const std::string s = slug(m[1].str());
    const int n = seen[s]++;
    out.insert(n == 0 ? s : s + "-" + std::to_string(n));
  }
  return out;
}

struct Link {
  std::string target;    // as written, without the fragment
  std::string fragment;  // after '#', or ""
};

// Every inline link [text](target) of a Markdown file.
std::vector<Link> links(const std::string& text) {
  static const std::regex link(R"(\]\(([^)\s]+)\))");
  std::vector<Link> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), link); it != std::sregex_iterator(); ++it) {
    const std::string t = (*it)[1].str();
    const size_t hash = t.find('#');
    out.push_back({t.substr(0, hash), hash == std::string::npos ? "" : t.substr(hash + 1)});
  }
  return out;
}

bool is_url(const std::string& t) { return t.find("://") != std::string::npos || t.rfind("mailto:", 0) == 0; }

// Absolute paths written into files (text, or binary such as the
// GeoPackage's metadata and GeoTIFF tags): from a machine folder's name to
// the first character that cannot be part of a path in those files. Found
// with string searches: std::regex over a GeoPackage of megabytes is slow.
std::vector<std::string> absolute_paths(const std::string& bytes) {
  std::vector<std::string> out;
  for (const std::string root : {"/tmp/", "/home/", "/work/", "/root/", "/mnt/", "/srv/", "/var/", "/Users/"}) {
    for (size_t at = bytes.find(root); at != std::string::npos; at = bytes.find(root, at + 1)) {
      const unsigned char before = at > 0 ? static_cast<unsigned char>(bytes[at - 1]) : ' ';
      if (std::isalnum(before) || before == '_' || before == '.' || before == '/') continue;  // inside a longer path
      size_t end = at;
      while (end < bytes.size() && std::string_view("\"'<>,;)]\\ \t\r\n").find(bytes[end]) == std::string_view::npos &&
             static_cast<unsigned char>(bytes[end]) >= 0x20)
        ++end;
      out.push_back(bytes.substr(at, end - at));
    }
  }
  return out;
}

TEST(Docs, ReferToNothingOutsideTheCheckout) {
  const std::vector<fs::path> docs = documents();
  ASSERT_GE(docs.size(), 4u);  // README, config, disclosure, methods
  for (const fs::path& doc : docs) {
    SCOPED_TRACE(doc.string());
    const std::string text = testing::slurp(doc);
    for (const char* marker : kOutsideMarkers) EXPECT_EQ(text.find(marker), std::string::npos) << marker;
    // Links resolve to files of the checkout that exist.
    for (const Link& l : links(text)) {
      if (is_url(l.target) || l.target.empty()) continue;
      const fs::path p = doc.parent_path() / l.target;
      EXPECT_TRUE(inside_checkout(p)) << l.target << " leaves the checkout";
      EXPECT_TRUE(fs::exists(p)) << l.target << " does not exist";
    }
    // No folder of the machine either (README examples of pack files use
    // paths relative to the pack, e.g. ../../../data/..., which are fine).
    for (const std::string& p : absolute_paths(text)) ADD_FAILURE() << "machine path " << p;
  }
}

TEST(Docs, EverySectionLinkLandsOnAHeading) {
  int into_methods_from_config = 0;
  for (const fs::path& doc : documents()) {
    SCOPED_TRACE(doc.string());
    const std::string text = testing::slurp(doc);
    for (const Link& l : links(text)) {
      if (l.fragment.empty() || is_url(l.target)) continue;
      const fs::path target = l.target.empty() ? doc : (doc.parent_path() / l.target).lexically_normal();
      if (target.extension() != ".md" || !fs::exists(target)) continue;  // the other test reports it
      EXPECT_EQ(anchors(target).count(l.fragment), 1u)
          << l.target << "#" << l.fragment << ": no such heading in " << target.filename().string();
      if (doc.filename() == "config.md" && target.filename() == "methods.md") ++into_methods_from_config;
    }
  }
  // config.md sends readers to methods.md's sections (so this test checks something).
  EXPECT_GE(into_methods_from_config, 15);
}

TEST(Docs, SlugsAsGitHubMakesThem) {
  EXPECT_EQ(slug("Getis-Ord Gi*"), "getis-ord-gi");
  EXPECT_EQ(slug("Rates, expected counts and significance"), "rates-expected-counts-and-significance");
  EXPECT_EQ(slug("Disclosure control (public packs)"), "disclosure-control-public-packs");
  EXPECT_EQ(slug("Output folders: what hotspot may replace"), "output-folders-what-hotspot-may-replace");
  EXPECT_EQ(slug("`[kde]`: heat maps, Gi* and hotspot areas"), "kde-heat-maps-gi-and-hotspot-areas");
}

class DemoOutputs : public testing::TempDirTest {};

TEST_F(DemoOutputs, CiteDocsMethodsAndNothingBesideTheCheckout) {
  const std::string demo = checkout().string() + "/data/demo.toml";
  const fs::path run = dir_ / "run", packs = dir_ / "packs", pub = dir_ / "public";
  for (const std::string& args : {"run -q -c " + demo + " --out " + run.string(),
                                  "batch -q -c " + demo + " -l beat --areas 62 --out " + packs.string(),
                                  "batch -q -c " + demo + " -l beat --areas 62 --public --out " + pub.string()}) {
    const testing::CliResult r = testing::run_cli(args);
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.output;
  }
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_)) {
    if (!e.is_regular_file()) continue;
    ++files;
    SCOPED_TRACE(e.path().lexically_relative(dir_).string());
    const std::string bytes = testing::slurp(e.path());
    for (const char* marker : kOutsideMarkers) {
      if (std::string(marker) == "/work/") continue;  // absolute paths: checked below
      EXPECT_EQ(bytes.find(marker), std::string::npos) << marker;
    }
    // A path may name the checkout's own files (the demo's inputs) or the
    // output itself; nothing else on the machine.
    for (const std::string& p : absolute_paths(bytes))
      EXPECT_TRUE(inside_checkout(p) || p.rfind(dir_.string(), 0) == 0) << p;
  }
  EXPECT_GT(files, 50);
  // The formulas are cited where the numbers are.
  for (const fs::path& f : {run / "csv/statistics_parameters.csv", run / "csv/surface_parameters.csv",
                            packs / "beat_62/briefing.html", pub / "beat_62/csv/statistics_parameters.csv"})
    EXPECT_NE(testing::slurp(f).find("docs/methods.md"), std::string::npos) << f;
  EXPECT_NE(testing::slurp(pub / "beat_62/csv/statistics_parameters.csv").find("Disclosure control (public packs)"),
            std::string::npos);
}

TEST(Help, NamesTheMethodsPage) {
  for (const char* command : {"run --help", "batch --help"}) {
    const testing::CliResult r = testing::run_cli(command);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("docs/methods.md"), std::string::npos) << command;
    EXPECT_EQ(r.output.find("../shared"), std::string::npos) << command;
  }
}

}  // namespace
}  // namespace hotspot
