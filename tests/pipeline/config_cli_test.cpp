// Configuration mistakes end to end: each is refused before any output is
// written, with exit code 2 and a message naming the key and the fix.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "run_cli.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}

class ConfigCli : public testing::TempDirTest {
 protected:

  // data/demo.toml in the temp folder (paths into data/, output into the
  // temp folder), with each `from` replaced by `to`.
  std::string demo(const std::vector<std::pair<std::string, std::string>>& edits) {
    std::ifstream in(std::string(HOTSPOT_DATA_DIR) + "/demo.toml");
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const std::string data = std::string(HOTSPOT_DATA_DIR) + "/";
    replace_all(s, "paths = [\"", "paths = [\"" + data);
    replace_all(s, "path = \"population", "path = \"" + data + "population");
    replace_all(s, "lookup = \"", "lookup = \"" + data);
    replace_all(s, "dir = \"../out/demo\"", "dir = \"" + (dir_ / "out").string() + "\"");
    for (const auto& [from, to] : edits) {
      EXPECT_NE(s.find(from), std::string::npos) << from;
      replace_all(s, from, to);
    }
    std::ofstream(dir_ / "run.toml") << s;
    return (dir_ / "run.toml").string();
  }
};

// A wider protection range for the public audit withholds more, and every
// withheld count still passes the (stricter) audit.
TEST_F(ConfigCli, ProtectMinValuesWidensTheAuditsRange) {
  auto withheld = [&](const std::string& cfg) {
    auto r = testing::run_cli("run -q --public -c " + cfg);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    const std::string p = slurp(dir_ / "out/csv/statistics_parameters.csv");
    EXPECT_NE(p.find("disclosure_exposed_after_audit,0"), std::string::npos) << p;
    const size_t at = p.find("withheld_values,");
    return at == std::string::npos ? -1L : std::stol(p.substr(at + 16));
  };
  const long three = withheld(demo({{"[stats]\n", "[stats]\nprotect_min_values = 3\n"}}));
  const long six = withheld(demo({{"[stats]\n", "[stats]\nprotect_min_values = 6\n"}}));
  EXPECT_GT(three, 1000);
  EXPECT_GT(six, three);
  const std::string bad = demo({{"[stats]\n", "[stats]\nprotect_min_values = 0\n"}});
  auto r = testing::run_cli("run -q --public -c " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("stats.protect_min_values"), std::string::npos) << r.output;
}

// Issue 9: a project made from a config whose surface names differ from the
// demo's had no heat maps at all. Each surface now gets its layers (density,
// Gi*, hotspot areas), each with its own id.
TEST_F(ConfigCli, ProjectHasTheLayersOfSurfacesTheTemplateDoesNotName) {
  const std::string cfg = demo({{"name = \"all\" ", "name = \"everything\" "}, {"name = \"burglary\"", "name = \"break_ins\""}});
  auto r = testing::run_cli("run -q -c " + cfg);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string project = slurp(dir_ / "out/project.qgs");
  for (const char* source : {"<datasource>./kde/everything.tif</datasource>", "<datasource>./kde/break_ins.tif</datasource>",
                             "<datasource>./kde/everything_gistar.tif</datasource>",
                             "<datasource>./hotspot.gpkg|layername=hotspots_everything</datasource>",
                             "<datasource>./kde/asb_latest_month.tif</datasource>"})
    EXPECT_NE(project.find(source), std::string::npos) << source;
  EXPECT_EQ(project.find("./kde/all.tif"), std::string::npos);  // no layer without its file
  std::set<std::string> ids;
  for (size_t at = 0; (at = project.find("<id>", at)) != std::string::npos; ++at) {
    const std::string id = project.substr(at + 4, project.find("</id>", at) - at - 4);
    EXPECT_TRUE(ids.insert(id).second) << "duplicate layer id " << id;
  }
  EXPECT_GE(ids.size(), 12u);
}

// Issue 9: beats built from wards had no population, so no beat rates.
// population_from sums the LSOAs' populations by best fit.
TEST_F(ConfigCli, PopulationFromAFinerLayerByBestFit) {
  auto r = testing::run_cli("run -q -c " + demo({}));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto total = [&](const std::string& csv) {
    std::istringstream in(slurp(dir_ / "out/csv" / csv));
    std::string line, header;
    std::getline(in, header);
    // population is the third column when the name has no comma; parse by header.
    size_t col = 0, at = 0;
    for (size_t p = 0; (p = header.find(',', at)) != std::string::npos && header.substr(at, p - at) != "population";
         at = p + 1)
      ++col;
    double sum = 0;
    int areas = 0;
    while (std::getline(in, line)) {
      std::vector<std::string> f;
      std::string cell;
      bool quoted = false;
      for (char c : line) {
        if (c == '"') quoted = !quoted;
        else if (c == ',' && !quoted) f.push_back(cell), cell.clear();
        else cell += c;
      }
      f.push_back(cell);
      if (col < f.size() && !f[col].empty()) sum += std::stod(f[col]), ++areas;
    }
    return std::pair{sum, areas};
  };
  const auto [lsoa, lsoas] = total("lsoa_counts.csv");
  const auto [beat, beats] = total("beat_counts.csv");
  const auto [ward, wards] = total("ward_counts.csv");
  EXPECT_EQ(lsoas, 99);
  EXPECT_EQ(beats, 10);
  EXPECT_EQ(wards, 28);
  EXPECT_NEAR(beat, lsoa, 0.5);  // every LSOA's interior point lies in a beat
  EXPECT_NEAR(ward, lsoa, 0.5);
  EXPECT_NE(slurp(dir_ / "out/csv/run_summary.csv").find("layer beat: population from lsoa by best fit"),
            std::string::npos);
  EXPECT_NE(slurp(dir_ / "out/csv/beat_counts.csv").find("significantly higher"), std::string::npos);

  // A typo, and two sources of population, are configuration errors.
  auto typo = testing::run_cli("run -q -c " + demo({{"to_name = \"beat_name\" }\npopulation_from = \"lsoa\"",
                                                      "to_name = \"beat_name\" }\npopulation_from = \"lsoas\""}}));
  EXPECT_EQ(typo.exit_code, 2) << typo.output;
  EXPECT_NE(typo.output.find("did you mean 'lsoa'"), std::string::npos) << typo.output;
  auto two = testing::run_cli("run -q -c " + demo({{"name_field = \"WD13NM\"\n", "name_field = \"WD13NM\"\npopulation_field = \"pop\"\n"}}));
  EXPECT_EQ(two.exit_code, 2) << two.output;
  EXPECT_NE(two.output.find("give one of population_field, population and population_from"), std::string::npos)
      << two.output;
}

TEST_F(ConfigCli, BatchWithNonFiniteExtentIsAConfigError) {
  const std::string cfg = demo({{"study_layer = \"ward\"", "extent = [-inf, -inf, inf, inf]"}});
  auto r = testing::run_cli("batch -q -c " + cfg + " -l beat -o " + (dir_ / "packs").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("kde.extent = [-inf, -inf, inf, inf]: must be four finite numbers"), std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "packs"));
}

// The study area (Charnwood's wards, about 25 x 22 km) in 1 m cells: 5.5e8
// cells took minutes and gigabytes. Refused, with the cell that fits.
TEST_F(ConfigCli, GridTooLargeForTheStudyAreaIsRefused) {
  const std::string cfg = demo({{"cell = 25 ", "cell = 1 "}});
  auto r = testing::run_cli("run -q -c " + cfg);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("kde surface all: a grid of"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("GB"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("(the smallest cell that fits)"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(ConfigCli, NumbersOutOfRangeAreRefusedBeforeReading) {
  const std::string cfg = demo({{"bandwidth = 300", "bandwidth = inf\ngaussian_cutoff = -1"},
                                {"[stats]", "[stats]\ntop_n = -5\nrate_per = inf"}});
  auto r = testing::run_cli("run -q -c " + cfg);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  for (const char* expected : {"4 problems", "kde.bandwidth = inf", "kde.gaussian_cutoff = -1", "stats.rate_per = inf",
                               "stats.top_n = -5"})
    EXPECT_NE(r.output.find(expected), std::string::npos) << expected << "\n" << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

// 2^40 threads wrapped round to 0 (= all cores) when narrowed to int.
TEST_F(ConfigCli, HugeIntegerDoesNotWrap) {
  const std::string cfg = demo({{"working_crs =", "threads = 1099511627776\nworking_crs ="}});
  auto r = testing::run_cli("run -q -c " + cfg);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("threads = 1099511627776: must be an integer in 0..1024"), std::string::npos) << r.output;
}

// --- Messages that say how to fix the mistake ---

TEST_F(ConfigCli, UnknownCategoryOrRollupSuggestsTheNearName) {
  const std::vector<std::pair<std::pair<std::string, std::string>, std::string>> cases = {
      {{"headline = \"All crime\"", "headline = \"All Crime\""},
       "stats.headline: unknown category or roll-up 'All Crime' (did you mean 'All crime'?); valid: "},
      {{"exclude = [\"Anti-social behaviour\"]", "exclude = [\"Anti-social Behaviour\"]"},
       "roll-up 'All crime' excludes unknown category 'Anti-social Behaviour' (did you mean 'Anti-social behaviour'?)"},
      {{"categories = [\"Burglary\"]", "categories = [\"burglary\"]"},
       "kde surface burglary: unknown category or roll-up 'burglary' (did you mean 'Burglary'?)"},
  };
  for (const auto& [edit, expected] : cases) {
    auto r = testing::run_cli("run -q -c " + demo({edit}));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(expected), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("'Vehicle crime'"), std::string::npos) << "lists the valid names: " << r.output;
    EXPECT_FALSE(fs::exists(dir_ / "out"));
  }
}

TEST_F(ConfigCli, UnknownAreaFieldListsTheLayersFields) {
  auto r = testing::run_cli("run -q -c " + demo({{"code = \"WD13CD\"", "code = \"WD13C\""}}));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("[[areas]] 'ward' code: unknown field 'WD13C' (did you mean 'WD13CD'?); valid: 'WD13CD', "
                          "'WD13CDO', 'WD13NM', 'WD13NMW'"),
            std::string::npos)
      << r.output;
}

TEST_F(ConfigCli, MissingPathNamesTheKeyAndTheConfig) {
  auto r = testing::run_cli("run -q -c " + demo({{"wards2013_charnwood", "wards2013_charnwod"}}));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("run.toml: [[areas]] 'ward' paths: '"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("wards2013_charnwod.geojson' does not exist"), std::string::npos) << r.output;
}

TEST_F(ConfigCli, ValidateWithoutArgumentsAsksForTheConfig) {
  auto r = testing::run_cli("validate");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(r.output.find("A subcommand is required"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--config"), std::string::npos) << r.output;
}

// --- hotspot validate / run --dry-run ---

TEST_F(ConfigCli, ValidateReportsWhatTheRunWouldDoAndWritesNothing) {
  auto r = testing::run_cli("validate -c " + demo({}));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const char* expected :
       {"rows read 7587 = accepted 6299 + rejected 1288", "working CRS: EPSG:27700", "area layer lsoa: 99 areas, with population",
        "area layer beat: 10 areas, dissolved from ward", "incidents inside: 6299 of 6299",
        "statistics: current 2019-02, previous 2019-01", "heat map all: 6299 incidents, grid 1053 x 760 cells of 25 m",
        "outputs (not written): ", "ok: no problems found"})
    EXPECT_NE(r.output.find(expected), std::string::npos) << expected << "\n" << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(ConfigCli, ValidateListsEveryProblem) {
  const std::string cfg = demo({{"kernel = \"quartic\"", "kernel = \"quartik\""},
                                {"wards2013_charnwood", "wards2013_charnwod"},
                                {"headline = \"All crime\"", "headline = \"All Crime\""}});
  for (const std::string& command : {"validate -c " + cfg, "run --dry-run -c " + cfg}) {
    auto r = testing::run_cli(command);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    for (const char* expected : {"unknown kernel 'quartik'", "wards2013_charnwod.geojson' does not exist",
                                 "(did you mean 'All crime'?)", "area layer 'beat': dissolves 'ward'"})
      EXPECT_NE(r.output.find(expected), std::string::npos) << expected << "\n" << r.output;
    EXPECT_FALSE(fs::exists(dir_ / "out"));
  }
}

TEST_F(ConfigCli, ValidateInputProblemIsExit3) {
  fs::create_directories(dir_ / "bad");
  std::ofstream(dir_ / "bad/2019-01-x-street.csv") << "Crime Id,Month\n1,2019-01\n";
  auto r = testing::run_cli("validate -c " + demo({{std::string(HOTSPOT_DATA_DIR) + "/police-uk", (dir_ / "bad").string()}}));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("2019-01-x-street.csv"), std::string::npos) << r.output;
}

// --- QGIS styles not found ---

// A binary whose maps/ folder is gone (copied away from its source tree)
// wrote grey layers and no project.qgs without a word; now it says so.
TEST_F(ConfigCli, MissingQgisStylesAreSaidNotSilent) {
  auto r = testing::run_cli_raw("cd " + dir_.string() + " && HOTSPOT_MAPS=" + (dir_ / "no-maps").string() + " " +
                                HOTSPOT_BINARY + " run --no-briefing -c " + demo({}) + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("warning: no QGIS styles: " + (dir_ / "no-maps").string() +
                          "/pack.qgs not found, so hotspot.gpkg's layers are unstyled and no project.qgs is written "
                          "(set HOTSPOT_MAPS to the maps/ folder of hotspot's source)"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(fs::exists(dir_ / "out/hotspot.gpkg"));
  EXPECT_FALSE(fs::exists(dir_ / "out/project.qgs"));
  // With the source's maps/ (the default) there is no such warning, and a project.
  fs::remove_all(dir_ / "out");
  auto ok = testing::run_cli_raw("cd " + dir_.string() + " && " + HOTSPOT_BINARY + " run --no-briefing -c " +
                                 demo({}) + " 2>&1");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(ok.output.find("no QGIS styles"), std::string::npos) << ok.output;
  EXPECT_TRUE(fs::exists(dir_ / "out/project.qgs"));
}

// --- Large runs on huge pages (tools/hotspot/huge_pages.cpp) ---

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool kernel_thp_madvise() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode;
  std::getline(f, mode);
  return mode.find("[madvise]") != std::string::npos;
}

// A run re-run under glibc.malloc.hugetlb=1 (the threshold lowered to 0 MB
// so the demo counts as large) writes the same bytes as one that is not;
// HOTSPOT_HUGE_PAGES=0 and the user's own GLIBC_TUNABLES keep the normal way.
TEST_F(ConfigCli, HugePagesRerunWritesTheSameOutputs) {
  const std::string run = " run -v --no-briefing -c " + demo({}) + " -o ";
  auto on = testing::run_cli_raw("HOTSPOT_HUGE_PAGES_MIN_MB=0 " + std::string(HOTSPOT_BINARY) + run +
                                 (dir_ / "on").string() + " 2>&1");
  auto off = testing::run_cli_raw("HOTSPOT_HUGE_PAGES_MIN_MB=0 HOTSPOT_HUGE_PAGES=0 " + std::string(HOTSPOT_BINARY) +
                                  run + (dir_ / "off").string() + " 2>&1");
  auto own = testing::run_cli_raw("HOTSPOT_HUGE_PAGES_MIN_MB=0 GLIBC_TUNABLES=glibc.malloc.check=0 " +
                                  std::string(HOTSPOT_BINARY) + run + (dir_ / "own").string() + " 2>&1");
  ASSERT_EQ(on.exit_code, 0) << on.output;
  ASSERT_EQ(off.exit_code, 0) << off.output;
  ASSERT_EQ(own.exit_code, 0) << own.output;
  const std::string line = "memory: malloc on transparent huge pages (glibc.malloc.hugetlb=1)";
  EXPECT_EQ(on.output.find(line) != std::string::npos, kernel_thp_madvise()) << on.output;
  EXPECT_EQ(off.output.find(line), std::string::npos) << off.output;
  EXPECT_EQ(own.output.find(line), std::string::npos) << own.output;
  // Printed once: the re-run starts before anything is written to the console.
  EXPECT_EQ(on.output.find("hotspot run:"), on.output.rfind("hotspot run:")) << on.output;
  size_t compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "on")) {
    const std::string ext = e.path().extension().string();
    if (ext != ".csv" && ext != ".geojson" && ext != ".tif") continue;
    const fs::path other = dir_ / "off" / fs::relative(e.path(), dir_ / "on");
    ASSERT_TRUE(fs::exists(other)) << other;
    EXPECT_EQ(read_all(e.path()), read_all(other)) << e.path();
    ++compared;
  }
  EXPECT_GT(compared, 10u);
}

// --- Outputs that are not local folders ---

TEST_F(ConfigCli, NonFolderOutputsAreRefused) {
  for (const std::string& out : {std::string("PG:dbname=crime"), std::string("https://example.org/out"),
                                 std::string("/vsimem/out")}) {
    auto r = testing::run_cli_raw("cd " + dir_.string() + " && " + HOTSPOT_BINARY + " run -q -c " + demo({}) +
                                  " --out '" + out + "'");
    EXPECT_EQ(r.exit_code, 2) << out << ": " << r.output;
    // A PG: string is not echoed (it may hold a password).
    const std::string shown = out.rfind("PG:", 0) == 0 ? "PG:..." : out;
    EXPECT_NE(r.output.find("output dir '" + shown + "'"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("give a"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir_ / "PG:dbname=crime"));
    EXPECT_FALSE(fs::exists(dir_ / "https:"));
  }
  auto r = testing::run_cli("run -q -c " + demo({{"dir = \"" + (dir_ / "out").string() + "\"", "dir = \"PG:dbname=x\""}}));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--out is a folder; for PostGIS give --postgis"), std::string::npos) << r.output;
  auto b = testing::run_cli_raw("cd " + dir_.string() + " && " + HOTSPOT_BINARY + " batch -q -c " + demo({}) +
                                " -l beat -o PG:dbname=x");
  EXPECT_EQ(b.exit_code, 2) << b.output;
  EXPECT_NE(b.output.find("--out is a folder; for PostGIS give --postgis"), std::string::npos) << b.output;
  EXPECT_FALSE(fs::exists(dir_ / "PG:dbname=x"));
}

// --- Category names that become column names ---

const char* kPoliceHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context\n";

std::string police_row(const std::string& category) {
  return ",2019-01,P,P,-1.2,52.77,On or near X,E01025762,Charnwood 001A," + category + ",,\n";
}

std::string lsoa_flag() {
  return " --area lsoa=" + std::string(HOTSPOT_DATA_DIR) + "/boundaries/lsoa2011_charnwood.geojson:LSOA11CD:LSOA11NM";
}

// "Anti-social behaviour" and "Anti-social Behaviour" both became the column
// n_anti_social_behaviour and the GeoPackage write aborted the whole run.
TEST_F(ConfigCli, CaseVariantsOfACategoryAreCountedTogether) {
  std::ofstream(dir_ / "2019-01-x-street.csv") << kPoliceHeader << police_row("Anti-social behaviour")
                                               << police_row("Anti-social behaviour")
                                               << police_row("Anti-social Behaviour") << police_row("Burglary");
  std::ofstream(dir_ / "run.toml") << "[stats]\nenabled = false\n";
  auto r = testing::run_cli("run -c " + (dir_ / "run.toml").string() + " --police-uk " +
                            (dir_ / "2019-01-x-street.csv").string() + lsoa_flag() + " --out " + (dir_ / "o").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("categories 'Anti-social behaviour' (2), 'Anti-social Behaviour' (1) differ only in case or "
                          "punctuation: counted together as 'Anti-social behaviour'"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(fs::exists(dir_ / "o/hotspot.gpkg"));
  std::ifstream csv(dir_ / "o/csv/lsoa_counts.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_NE(header.find("n_anti_social_behaviour"), std::string::npos) << header;
}

TEST_F(ConfigCli, RollupWithACategorysColumnNameIsRefused) {
  std::ofstream(dir_ / "2019-01-x-street.csv") << kPoliceHeader << police_row("Burglary") << police_row("Robbery");
  std::ofstream(dir_ / "run.toml") << "[[stats.rollups]]\nname = \"burglary\"\ninclude = [\"Burglary\", \"Robbery\"]\n"
                                   << "[stats]\nheadline = \"burglary\"\n";
  auto r = testing::run_cli("run -q -c " + (dir_ / "run.toml").string() + " --police-uk " +
                            (dir_ / "2019-01-x-street.csv").string() + lsoa_flag() + " --out " + (dir_ / "o").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("'Burglary' and 'burglary' would share the columns *_burglary"), std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "o"));
}

// Hundreds of categories with statistics need more columns than a GeoPackage
// table holds; said plainly before anything is written.
// 450 categories would need over 2,000 columns per area layer: the run
// writes the layers with totals and roll-ups only, says so, and keeps every
// category in the long tables (it used to refuse the whole run).
TEST_F(ConfigCli, TooManyCategoriesForColumnsFallBackToLongTables) {
  std::ofstream csv(dir_ / "2019-01-x-street.csv");
  csv << kPoliceHeader;
  for (int i = 0; i < 450; ++i) csv << police_row("Offence " + std::to_string(i));
  csv.close();
  auto r = testing::run_cli("run -q --police-uk " + (dir_ / "2019-01-x-street.csv").string() + lsoa_flag() +
                            " --out " + (dir_ / "o").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(slurp(dir_ / "o/csv/run_summary.csv").find("450 categories are more than the 300 an area layer holds"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(dir_ / "o/hotspot.gpkg"));
  EXPECT_NE(slurp(dir_ / "o/csv/counts_long.csv").find("Offence 449"), std::string::npos);
}

}  // namespace
}  // namespace hotspot
