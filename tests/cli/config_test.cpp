// load_config: every value checked when the config is read, so a typo or a
// number out of range is a ConfigError naming the key before any data is read.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "config.h"
#include "hotspot/errors.h"

namespace hotspot::cli {
namespace {

namespace fs = std::filesystem;

class Config : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hotspot_config_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "x.csv") << "x\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A minimal valid config plus `extra` (TOML text appended).
  std::string write(const std::string& extra) {
    const fs::path p = dir_ / "run.toml";
    std::ofstream(p) << extra << "\n[[incidents]]\npaths = \"x.csv\"\n";
    return p.string();
  }
  // The ConfigError message load_config throws ("" if none).
  std::string error(const std::string& extra) {
    try {
      load_config(write(extra));
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(Config, MinimalConfigLoads) {
  const RunSpec spec = load_config(write(""));
  ASSERT_EQ(spec.incidents.size(), 1u);
  EXPECT_EQ(spec.incidents[0].paths[0], (dir_ / "x.csv").string());
}

TEST_F(Config, WrittenConfigReadsBack) {
  const RunSpec spec = load_config(write(
      "[kde]\nenabled = true\ncell = 50\nkernel = \"biweight\"\nmode = \"fast\"\nunits = \"raw\"\n"
      "bandwidth_rule = \"scott\"\ncell_rule = \"arcgis\"\nhotspot_rule = \"gistar\"\n"));
  EXPECT_EQ(spec.kde.kernel, kde::Kernel::kQuartic);  // biweight is the quartic's other name
  EXPECT_EQ(spec.kde.mode, kde::Mode::kFast);
  EXPECT_EQ(spec.kde.units, kde::Units::kRaw);
  EXPECT_EQ(spec.kde.bandwidth_rule, kde::BandwidthRule::kScott);
  EXPECT_EQ(spec.kde.cell_rule, kde::CellRule::kArcgis);
  EXPECT_EQ(spec.kde.hotspot_rule, kde::HotspotRule::kGistar);
  // Written in another folder: paths relative to it, none absolute.
  const fs::path sub = dir_ / "packs" / "beat_1";
  fs::create_directories(sub);
  const std::string text = to_toml(spec, sub.string());
  std::ofstream(sub / "back.toml") << text;
  EXPECT_NE(text.find("kernel = 'quartic'"), std::string::npos) << text;
  EXPECT_NE(text.find("'../../x.csv'"), std::string::npos) << text;
  EXPECT_EQ(text.find(dir_.string()), std::string::npos) << text;
  const RunSpec back = load_config((sub / "back.toml").string());
  EXPECT_EQ(back.incidents[0].paths, spec.incidents[0].paths);
  EXPECT_EQ(back.kde.cell, 50);
  EXPECT_EQ(back.kde.hotspot_rule, kde::HotspotRule::kGistar);
  EXPECT_EQ(to_toml(back, sub.string()), text);
}

TEST_F(Config, UnknownKeyIsAnError) { EXPECT_NE(error("colour = 1\n").find("unknown key 'colour'"), std::string::npos); }

// Numbers out of range: each a ConfigError naming the key and what is allowed.
TEST_F(Config, NumbersOutOfRangeNameTheKeyAndTheRange) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[kde]\ncell = inf\n", "kde.cell = inf: must be a finite number of metres >= 0"},
      {"[kde]\nextent = [-inf, -inf, inf, inf]\n", "kde.extent = [-inf, -inf, inf, inf]: must be four finite numbers"},
      {"[kde]\nextent = [10, 0, 5, 10]\n", "needs xmin < xmax and ymin < ymax"},
      {"[kde]\nextent = [0, 0, 1e308, 1e308]\n", "spans more than 10,000 km"},
      {"[kde]\ncell = 1e-320\n", "must be 0 (by rule) or at least 0.01 m"},
      {"[kde]\nbandwidth = inf\n", "kde.bandwidth = inf: must be a finite number of metres >= 0"},
      {"[kde]\nbandwidth = -300\n", "kde.bandwidth = -300: must be"},
      {"[kde]\ngaussian_cutoff = 0\n", "kde.gaussian_cutoff = 0: must be in 0.5..20"},
      {"[kde]\ngaussian_cutoff = -1\n", "kde.gaussian_cutoff = -1"},
      {"[kde]\nhotspot_top_percent = 0\n", "kde.hotspot_top_percent = 0: must be in (0, 100]"},
      {"[kde]\nhotspot_top_percent = 101\n", "kde.hotspot_top_percent = 101"},
      {"[kde]\ngistar_distance = -5\n", "kde.gistar_distance = -5"},
      {"[kde]\ngistar_distance = inf\n", "kde.gistar_distance = inf"},
      {"[stats]\nrate_per = inf\n", "stats.rate_per = inf: must be a finite number > 0"},
      {"[stats]\nrate_per = 0\n", "stats.rate_per = 0"},
      {"[stats]\ngistar_distance = -1\n", "stats.gistar_distance = -1"},
      {"threads = -7\n", "threads = -7: must be an integer in 0..1024"},
      {"threads = 1099511627776\n", "threads = 1099511627776: must be an integer in 0..1024"},
      {"[stats]\ntop_n = -5\n", "stats.top_n = -5: must be an integer in 0..1000000"},
      {"[stats]\nsuppress_below = -1\n", "stats.suppress_below = -1"},
      {"[stats]\nfy_start_month = 13\n", "stats.fy_start_month = 13: must be an integer in 1..12"},
      {"[stats]\nfy_start_month = 0\n", "stats.fy_start_month = 0"},
      {"[stats]\nfy_start_month = 4294967300\n", "stats.fy_start_month = 4294967300"},
  };
  for (const auto& [toml, expected] : cases) {
    const std::string e = error(toml);
    EXPECT_NE(e.find(expected), std::string::npos) << toml << " gave: " << e;
    EXPECT_NE(e.find("run.toml"), std::string::npos) << e;
  }
}

TEST_F(Config, EveryProblemIsListedAtOnce) {
  const std::string e = error("[kde]\ncell = -1\nbandwidth = inf\n[stats]\nrate_per = 0\n");
  EXPECT_NE(e.find("3 problems"), std::string::npos) << e;
  EXPECT_NE(e.find("kde.cell"), std::string::npos) << e;
  EXPECT_NE(e.find("kde.bandwidth"), std::string::npos) << e;
  EXPECT_NE(e.find("stats.rate_per"), std::string::npos) << e;
}

TEST_F(Config, DuplicateLayerAndSurfaceNamesAreErrors) {
  std::ofstream(dir_ / "a.geojson") << "{}";
  const std::string layers =
      "[[areas]]\nname = \"ward\"\npaths = \"a.geojson\"\ncode = \"C\"\n"
      "[[areas]]\nname = \"Ward\"\npaths = \"a.geojson\"\ncode = \"C\"\n";
  EXPECT_NE(error(layers).find("areas name 'Ward' is given twice (as 'ward')"), std::string::npos) << error(layers);
  const std::string surfaces = "[kde]\n[[kde.surfaces]]\nname = \"all\"\n[[kde.surfaces]]\nname = \"all\"\n";
  EXPECT_NE(error(surfaces).find("kde.surfaces name 'all' is given twice"), std::string::npos) << error(surfaces);
}

// A grid of 10^8 cells took minutes and gigabytes; it is refused with its
// size, a memory estimate and the smallest cell that fits.
TEST_F(Config, HugeGridIsRefusedWithTheCellThatFits) {
  const std::string e = error("[kde]\ncell = 1\nextent = [0, 0, 20000, 20000]\n");
  EXPECT_NE(e.find("20000 x 20000 = 400000000 cells"), std::string::npos) << e;
  EXPECT_NE(e.find("GB"), std::string::npos) << e;
  EXPECT_NE(e.find("kde.cell = 3 "), std::string::npos) << e;
  EXPECT_EQ(error("[kde]\ncell = 5\nextent = [0, 0, 20000, 20000]\n"), "");
}

TEST_F(Config, LibraryCallersGetTheSameChecks) {
  RunSpec spec;
  spec.kde.enabled = true;
  spec.kde.cell = std::numeric_limits<double>::infinity();
  spec.threads = -7;
  const auto problems = spec_problems(spec);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_THROW(check_spec(spec), ConfigError);
}

TEST_F(Config, UnknownKeyAndSectionSuggestTheNearOne) {
  const std::string key = error("[kde]\nbandwith = 300\n");
  EXPECT_NE(key.find("kde: unknown key 'bandwith' (did you mean 'bandwidth'?); valid keys here: "), std::string::npos)
      << key;
  const std::string section = error("[kdee]\ncell = 25\n");
  EXPECT_NE(section.find("unknown key 'kdee' (did you mean 'kde'?)"), std::string::npos) << section;
  const std::string far = error("[kde]\ncolour = 1\n");
  EXPECT_EQ(far.find("did you mean"), std::string::npos) << far;
}

TEST_F(Config, UnknownNamesAtLoadListTheValidOnes) {
  EXPECT_NE(error("[kde]\nkernel = \"quartik\"\n")
                .find("kde.kernel: unknown kernel 'quartik' (did you mean 'quartic'?); valid: 'quartic', 'triweight'"),
            std::string::npos);
  // Parsed at load into typed values, each mistake listed, not only the first.
  const std::string three = error("[kde]\nkernel = \"gauss\"\nmode = \"quick\"\ncell_rule = \"qgis\"\n");
  EXPECT_NE(three.find("3 problems"), std::string::npos) << three;
  EXPECT_NE(three.find("kde.mode: unknown kde mode 'quick'"), std::string::npos) << three;
  EXPECT_NE(three.find("kde.cell_rule: unknown cell rule 'qgis'"), std::string::npos) << three;
  EXPECT_NE(error("[kde]\nhotspot_rule = \"top\"\n").find("'top_percent', 'value', 'gistar'"), std::string::npos);
  EXPECT_NE(error("[kde]\nunits = \"km2\"\n").find("kde.units: unknown units 'km2'"), std::string::npos);
  EXPECT_NE(error("[stats]\ncurrent = \"month:2019-13\"\n").find("stats.current: "), std::string::npos);
  EXPECT_NE(error("[stats]\nprevious = \"previous_yaer\"\n").find("stats.previous"), std::string::npos);
  EXPECT_NE(error("[kde]\n[[kde.surfaces]]\nname = \"x\"\nperiod = \"quarter:2018-19:Q5\"\n").find("period"),
            std::string::npos);
  EXPECT_EQ(error("[stats]\ncurrent = \"quarter:2018-19:Q3\"\nprevious = \"previous_year\"\n"), "");
}

// A table_layer or study_layer typo silently fell back to another layer.
TEST_F(Config, LayerNamesMustNameALayer) {
  const std::string areas = "[[areas]]\nname = \"ward\"\npaths = \"x.csv\"\ncode = \"C\"\n";
  const std::string table = error("[stats]\ntable_layer = \"wards\"\n" + areas);
  EXPECT_NE(table.find("stats.table_layer: unknown area layer 'wards' (did you mean 'ward'?); valid: 'ward'"),
            std::string::npos)
      << table;
  const std::string study = error("[kde]\nstudy_layer = \"Ward\"\n" + areas);
  EXPECT_NE(study.find("kde.study_layer: unknown area layer 'Ward' (did you mean 'ward'?)"), std::string::npos) << study;
  const std::string dissolve =
      error(areas + "[[areas]]\nname = \"beat\"\ndissolve = { from = \"wards\", lookup = \"x.csv\", from_code = \"a\", "
                    "to_code = \"b\" }\n");
  EXPECT_NE(dissolve.find("areas 'beat' dissolves 'wards': unknown area layer 'wards' (did you mean 'ward'?)"),
            std::string::npos)
      << dissolve;
}

}  // namespace
}  // namespace hotspot::cli
