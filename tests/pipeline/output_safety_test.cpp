// The output promise, end to end through the real binary: hotspot never
// deletes or overwrites what it did not create, no name from a config or the
// data escapes the output folder, a write that fails never replaces a good
// output, and a run killed at any point leaves the previous output whole.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "run_cli.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every file under `dir` (relative path -> content).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read(e.path());
  return files;
}

class OutputSafety : public testing::TempDirTest {
 protected:

  // A small real config: Charnwood's five months joined to its LSOAs and
  // wards, with `extra` appended (output, kde sections).
  std::string config(const std::string& name, const std::string& extra, const std::string& layer = "lsoa") {
    const std::string data = HOTSPOT_DATA_DIR;
    return write(name, "working_crs = \"EPSG:27700\"\n[[incidents]]\nformat = \"police_uk\"\npaths = [\"" + data +
                           "/police-uk\"]\n[[areas]]\nname = \"" + layer + "\"\npaths = [\"" + data +
                           "/boundaries/lsoa2011_charnwood.geojson\"]\ncode = \"LSOA11CD\"\n[[areas]]\nname = "
                           "\"ward\"\npaths = [\"" + data +
                           "/boundaries/wards2013_charnwood.geojson\"]\ncode = \"WD13CD\"\nname_field = "
                           "\"WD13NM\"\n" + extra);
  }
};

TEST_F(OutputSafety, HomeFolderIsRefusedAndUntouched) {
  write("home/thesis.docx", "years of work");
  write("home/.bashrc", "alias ll='ls -l'");
  const auto before = snapshot(dir_ / "home");
  auto r = testing::run_cli_raw("HOME=" + (dir_ / "home").string() + " " + HOTSPOT_BINARY + " run -q --police-uk " +
                                HOTSPOT_DATA_DIR + "/police-uk -o " + (dir_ / "home").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("home folder"), std::string::npos) << r.output;
  EXPECT_EQ(snapshot(dir_ / "home"), before);
}

TEST_F(OutputSafety, DotInAConfigIsRefusedAndTheConfigSurvives) {
  write("project/notes.txt", "meeting notes");
  const std::string cfg = config("project/run.toml", "[output]\ndir = \".\"\n");
  const auto before = snapshot(dir_ / "project");
  auto r = testing::run_cli_raw("cd " + (dir_ / "project").string() + " && " + HOTSPOT_BINARY + " run -q -c run.toml");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(snapshot(dir_ / "project"), before);
}

TEST_F(OutputSafety, ForeignFolderAndFileAreRefusedAndUntouched) {
  write("projects/a/report.docx", "a");
  write("projects/b.xlsx", "b");
  write("existing.txt", "a file, not a folder");
  for (const std::string target : {"projects", "existing.txt"}) {
    const auto before = snapshot(dir_);
    auto r = testing::run_cli("run -q --police-uk " + std::string(HOTSPOT_DATA_DIR) + "/police-uk -o " +
                              (dir_ / target).string());
    EXPECT_EQ(r.exit_code, 2) << target << ": " << r.output;
    EXPECT_EQ(snapshot(dir_), before) << target;
  }
}

TEST_F(OutputSafety, RootIsRefused) {
  auto r = testing::run_cli("run -q --police-uk " + std::string(HOTSPOT_DATA_DIR) + "/police-uk -o /");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(fs::exists("/etc"));
}

TEST_F(OutputSafety, PostgisStringIsRefusedNotMadeAFolder) {
  auto r = testing::run_cli_raw("cd " + dir_.string() + " && " + HOTSPOT_BINARY + " run -q --police-uk " +
                                HOTSPOT_DATA_DIR + "/police-uk --out 'PG:dbname=crime'");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("PostGIS"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(OutputSafety, SecondRunReplacesItsOwnOutput) {
  const std::string cfg = config("run.toml", "[output]\ndir = \"" + (dir_ / "out").string() + "\"\n");
  ASSERT_EQ(testing::run_cli("run -q -c " + cfg).exit_code, 0);
  write("out/stale.txt", "from an older run");  // inside hotspot's own folder: replaced
  auto r = testing::run_cli("run -q -c " + cfg);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "out/stale.txt"));
  EXPECT_TRUE(fs::exists(dir_ / "out/hotspot.gpkg"));
}

// Layer and surface names from a config become file names and GeoPackage
// tables: a name that climbs ("../../../x") is refused before any work, and
// names with spaces become safe file names inside the output folder.
TEST_F(OutputSafety, HostileLayerAndSurfaceNamesAreRefusedOrStayInside) {
  for (const std::string& extra : {std::string("[kde]\n[[kde.surfaces]]\nname = \"../../../x\"\n"),
                                   std::string("[kde]\n[[kde.surfaces]]\nname = \"<script>\"\n")}) {
    const std::string cfg = config("cfg/run.toml", "[output]\ndir = \"" + (dir_ / "cfg/out").string() + "\"\n" + extra);
    auto r = testing::run_cli("run -q -c " + cfg);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("surface name"), std::string::npos) << r.output;
  }
  const std::string bad_layer = config("cfg/run.toml", "[output]\ndir = \"" + (dir_ / "cfg/out").string() + "\"\n",
                                       "../../../x");
  auto r = testing::run_cli("run -q -c " + bad_layer);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("area layer name '../../../x'"), std::string::npos) << r.output;

  const std::string cfg = config("cfg/run.toml",
                                 "[output]\ndir = \"" + (dir_ / "cfg/out").string() +
                                     "\"\n[kde]\ncell = 200\nbandwidth = 400\n[[kde.surfaces]]\nname = \"all crime\"\n",
                                 "Beat 56");
  r = testing::run_cli("run -q -c " + cfg);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const auto& e : fs::recursive_directory_iterator(dir_)) {
    const std::string rel = fs::relative(e.path(), dir_).string();
    EXPECT_TRUE(rel.rfind("cfg", 0) == 0) << "written outside the output folder: " << rel;
  }
  EXPECT_TRUE(fs::exists(dir_ / "cfg/out/geojson/Beat_56.geojson"));
  EXPECT_TRUE(fs::exists(dir_ / "cfg/out/csv/Beat_56_counts.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "cfg/out/kde/all_crime.tif"));
}

TEST_F(OutputSafety, NamesThatCollideAfterSanitisingAreRefused) {
  const std::string cfg = config("run.toml",
                                 "[output]\ndir = \"" + (dir_ / "out").string() +
                                     "\"\n[kde]\ncell = 200\nbandwidth = 400\n[[kde.surfaces]]\nname = \"a b\"\n"
                                     "[[kde.surfaces]]\nname = \"a_b\"\n");
  auto r = testing::run_cli("run -q -c " + cfg);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("'a b' and 'a_b'"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

// A boundary code such as "x/../../../victim" names a pack folder: it must
// become one folder inside the packs folder, and nothing outside changes.
TEST_F(OutputSafety, HostileAreaCodesInBatchStayInsideThePacksFolder) {
  write("victim/precious.txt", "not hotspot's");
  // Two wards with hostile codes, read by GDAL from a GeoJSON.
  const std::string wards = read(std::string(HOTSPOT_DATA_DIR) + "/boundaries/wards2013_charnwood.geojson");
  std::string hostile = wards;
  for (const std::string code : {"E05005426", "E05005427"}) {
    const size_t at = hostile.find("\"" + code + "\"");
    ASSERT_NE(at, std::string::npos) << code;
    hostile.replace(at, code.size() + 2, code == "E05005426" ? "\"x/../../../victim\"" : "\"<b>..</b>\"");
  }
  write("in/wards.geojson", hostile);
  const std::string data = HOTSPOT_DATA_DIR;
  const std::string cfg = write("in/run.toml", "working_crs = \"EPSG:27700\"\n[[incidents]]\nformat = \"police_uk\"\n"
                                               "paths = [\"" + data + "/police-uk\"]\n[[areas]]\nname = \"ward\"\n"
                                               "paths = [\"wards.geojson\"]\ncode = \"WD13CD\"\n[kde]\ncell = 200\n"
                                               "bandwidth = 400\n");
  const auto victim = snapshot(dir_ / "victim");
  auto r = testing::run_cli("batch -q -c " + cfg + " -l ward --areas 'x/../../../victim,<b>..</b>' -o " +
                            (dir_ / "packs/deep").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(snapshot(dir_ / "victim"), victim);
  EXPECT_TRUE(fs::exists(dir_ / "packs/deep/ward_x_.._.._.._victim/hotspot.gpkg")) << r.output;
  EXPECT_TRUE(fs::exists(dir_ / "packs/deep/ward_b_.._b_/hotspot.gpkg")) << r.output;
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_TRUE(e.path().filename() == "victim" || e.path().filename() == "in" || e.path().filename() == "packs")
        << e.path();
  const std::string index = read(dir_ / "packs/deep/index.html");
  EXPECT_EQ(index.find("<b>..</b>"), std::string::npos) << "area code not escaped in the index";
}

TEST_F(OutputSafety, ForeignPacksFolderIsRefused) {
  write("packs/mine.txt", "not hotspot's");
  const std::string cfg = config("run.toml", "[kde]\ncell = 200\nbandwidth = 400\n");
  auto r = testing::run_cli("batch -q -c " + cfg + " -l ward -o " + (dir_ / "packs").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(snapshot(dir_ / "packs").size(), 1u);
}

// A full disk, made with the per-file size limit (ulimit -f; SIGXFSZ ignored
// so writes fail with EFBIG as on ENOSPC). At every limit the run either
// completes or fails with exit 4, and the previous output stays as it was.
TEST_F(OutputSafety, FailedWritesNeverReplaceAGoodOutput) {
  const std::string out = (dir_ / "out").string();
  const std::string cfg = config("run.toml", "[output]\ndir = \"" + out +
                                                 "\"\ngeopackage = false\ncsv = false\n[kde]\ncell = 200\n"
                                                 "bandwidth = 400\n");
  ASSERT_EQ(testing::run_cli("run -q -c " + cfg).exit_code, 0);
  const auto good = snapshot(out);
  ASSERT_GT(good.count("geojson/incidents.geojson"), 0u);
  for (int kb : {1, 16, 200, 1000, 2000}) {  // incidents.geojson is ~2.9 MB
    auto r = testing::run_cli_raw("trap '' XFSZ; ulimit -f " + std::to_string(kb) + "; " + HOTSPOT_BINARY +
                                  " run -q -c " + cfg);
    EXPECT_EQ(r.exit_code, 4) << kb << " KB: " << r.output;
    EXPECT_NE(r.output.find("output error"), std::string::npos) << r.output;
    EXPECT_EQ(snapshot(out), good) << "the previous output changed at a " << kb << " KB limit";
  }
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find(".partial-"), std::string::npos) << e.path();
}

// Kill at every step of the write (HOTSPOT_CRASH_AT: before each file and at
// each step of the commit), then at spread-out moments from outside: the
// output folder always holds one complete output, the previous or the new.
TEST_F(OutputSafety, KilledRunsLeaveOneCompleteOutput) {
  const std::string out = (dir_ / "out").string();
  const std::string cfg = config("run.toml", "[output]\ndir = \"" + out +
                                                 "\"\n[kde]\ncell = 200\nbandwidth = 400\n[[kde.surfaces]]\n"
                                                 "name = \"all\"\n[[kde.surfaces]]\nname = \"burglary\"\n"
                                                 "categories = [\"Burglary\"]\n");
  ASSERT_EQ(testing::run_cli("run -q -c " + cfg).exit_code, 0);
  auto files = [](const std::map<std::string, std::string>& s) {
    std::map<std::string, size_t> f;
    for (const auto& [k, v] : s)
      if (k.find("manifest") == std::string::npos) f[k] = v.size();
    return f;
  };
  const auto good = snapshot(out);
  const std::string counts = good.at("csv/lsoa_counts.csv");
  int killed = 0;
  for (int step = 1; step < 200; ++step) {
    auto r = testing::run_cli_raw("HOTSPOT_CRASH_AT=" + std::to_string(step) + " " + HOTSPOT_BINARY + " run -q -c " +
                                  cfg);
    const auto now = snapshot(out);
    ASSERT_EQ(files(now), files(good)) << "after a kill at step " << step;
    EXPECT_EQ(now.at("csv/lsoa_counts.csv"), counts) << step;
    if (r.exit_code == 0) break;  // past the last step: the run completed
    ++killed;
  }
  EXPECT_GT(killed, 20);  // every file and every commit step was a kill point
  // Kills from outside at moments spread over a whole run.
  for (int i = 0; i < 8; ++i) {
    testing::run_cli_raw("timeout -s KILL " + std::to_string(0.15 + 0.25 * i) + " " + HOTSPOT_BINARY +
                         " run -q -c " + cfg);
    ASSERT_EQ(files(snapshot(out)), files(good)) << "after an outside kill " << i;
  }
  // The next run cleans what the killed ones left beside the output.
  ASSERT_EQ(testing::run_cli("run -q -c " + cfg).exit_code, 0);
  for (const auto& e : fs::directory_iterator(dir_)) {
    const std::string name = e.path().filename().string();
    EXPECT_TRUE(name == "out" || name == "run.toml" || name == ".out.hotspot-lock") << name;
  }
}

}  // namespace
}  // namespace hotspot
