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

// run.toml carries the change-over-time and near-repeat analyses too, so a
// rerun makes them again with the same settings and seeds.
TEST_F(Config, WrittenConfigKeepsCubesChangeSurfacesAndNearRepeats) {
  const RunSpec spec = load_config(write(
      "[[change.cubes]]\nname = \"grid\"\ncell = 500\ncategories = [\"Burglary\"]\ntime_steps = 2\n"
      "[[change.surfaces]]\nname = \"ytd\"\nafter = \"latest_month\"\nbefore = \"previous_year\"\n"
      "permutations = 99\nseed = 5\nfdr = true\n"
      "[near_repeat]\nname = \"burglary\"\ncategories = [\"Burglary\"]\ndistance_edges = [0, 1, 200, 400]\n"
      "time_bandwidth = 14\ntime_bands = 4\nseed = 7\n"));
  const std::string text = to_toml(spec, dir_.string());
  std::ofstream(dir_ / "back.toml") << text;
  const RunSpec back = load_config((dir_ / "back.toml").string());
  ASSERT_EQ(back.emerging.size(), 1u);
  EXPECT_EQ(back.emerging[0].section, "change.cubes");
  EXPECT_EQ(back.emerging[0].cell, 500);
  EXPECT_EQ(back.emerging[0].categories, std::vector<std::string>{"Burglary"});
  EXPECT_EQ(back.emerging[0].time_steps, 2);
  ASSERT_EQ(back.change_surfaces.size(), 1u);
  EXPECT_EQ(back.change_surfaces[0].before, "previous_year");
  EXPECT_EQ(back.change_surfaces[0].permutations, 99);
  EXPECT_EQ(back.change_surfaces[0].seed, 5);
  EXPECT_TRUE(back.change_surfaces[0].fdr);
  ASSERT_EQ(back.near_repeat.size(), 1u);
  EXPECT_EQ(back.near_repeat[0].distance_edges, (std::vector<double>{0, 1, 200, 400}));
  EXPECT_EQ(back.near_repeat[0].time_bands, 4);
  EXPECT_EQ(back.near_repeat[0].seed, 7);
  EXPECT_EQ(to_toml(back, dir_.string()), text);
}

// [report]: the front page's study-area name, key categories and family of
// comparator areas (inline rates, or a CSV file read with the data).
TEST_F(Config, ReportSectionReadsAndWritesBack) {
  std::ofstream(dir_ / "family.csv") << "area,category,rate\nBlaby,All crime,42.5\n";
  const RunSpec spec = load_config(write(
      "[report]\narea_name = \"Charnwood\"\nkey_categories = [\"All crime\", \"Shoplifting\"]\n"
      "family = \"family.csv\"\n"));
  EXPECT_EQ(spec.report.area_name, "Charnwood");
  EXPECT_EQ(spec.report.key_categories, (std::vector<std::string>{"All crime", "Shoplifting"}));
  EXPECT_EQ(spec.report.family_path, (dir_ / "family.csv").string());
  const RunSpec inline_rates = load_config(
      write("[report.family.\"All crime\"]\nBlaby = 42.5\n\"Oadby and Wigston\" = 50\n"));
  EXPECT_DOUBLE_EQ(inline_rates.report.family.at("All crime").at("Oadby and Wigston"), 50);
  std::ofstream(dir_ / "back.toml") << to_toml(inline_rates, dir_.string());
  const RunSpec back = load_config((dir_ / "back.toml").string());
  EXPECT_EQ(back.report.family, inline_rates.report.family);
  EXPECT_NE(error("[report.family.\"All crime\"]\nBlaby = \"high\"\n").find("report.family.All crime.Blaby must be a "
                                                                         "non-negative number"),
            std::string::npos);
  EXPECT_NE(error("[report]\nfamily = 3\n").find("report.family must be a CSV file"), std::string::npos);
  EXPECT_NE(error("[report]\nfamily = \"none.csv\"\n").find("[report] family: '"), std::string::npos);
  EXPECT_NE(error("[report]\ncolour = 1\n").find("unknown key 'colour'"), std::string::npos);
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


// [[emerging]]: read back, an unknown key named with a suggestion, and every
// bad value listed together.
TEST_F(Config, EmergingCubesReadBackAndAreChecked) {
  const RunSpec spec = load_config(write(
      "[[emerging]]\nname = \"weekly\"\nstep = \"week\"\ntime_steps = 2\nwindow = \"step\"\nfdr = true\n"
      "continuity = false\ncell = 200\n[[emerging]]\nname = \"second\"\n"));
  ASSERT_EQ(spec.emerging.size(), 2u);
  EXPECT_EQ(spec.emerging[0].step, "week");
  EXPECT_EQ(spec.emerging[0].time_steps, 2);
  EXPECT_EQ(spec.emerging[0].window, "step");
  EXPECT_TRUE(spec.emerging[0].fdr);
  EXPECT_FALSE(spec.emerging[0].continuity);
  EXPECT_EQ(spec.emerging[0].cell, 200);
  EXPECT_EQ(spec.emerging[1].step, "month");  // the default
  const std::string typo = error("[[emerging]]\nname = \"a\"\ntime_step = 2\n");
  EXPECT_NE(typo.find("unknown key 'time_step' (did you mean 'time_steps'?)"), std::string::npos) << typo;
  const std::string many = error("[[emerging]]\nname = \"a\"\nstep = \"weak\"\nalpha = 1.5\nlayer = \"beat\"\n"
                                 "[[emerging]]\nname = \"a\"\n");
  EXPECT_NE(many.find("problems:"), std::string::npos) << many;
  EXPECT_NE(many.find("emerging 'a' step: unknown step 'weak' (did you mean 'week'?)"), std::string::npos) << many;
  EXPECT_NE(many.find("emerging 'a' alpha: must be in (0, 1] (is 1.5)"), std::string::npos) << many;
  EXPECT_NE(many.find("emerging 'a' layer: unknown area layer 'beat'"), std::string::npos) << many;
  EXPECT_NE(many.find("emerging 'a' name: used twice"), std::string::npos) << many;
  EXPECT_NE(error("[[emerging]]\nstep = \"day\"\n").find("name is required"), std::string::npos);
}

// [near_repeat] (one table) and [[near_repeat]] (several): read back,
// defaults, an unknown key with a suggestion, every bad value listed.
TEST_F(Config, NearRepeatReadsBackAndIsChecked) {
  const RunSpec one = load_config(write(
      "[near_repeat]\nname = \"burglary\"\ncategories = [\"Burglary\"]\ndistance_edges = [0, 1, 200, 400]\n"
      "time_bandwidth = 14\ntime_bands = 4\nmetric = \"euclidean\"\npermutations = 99\nseed = 7\n"
      "cocoon_from_knox = true\nrisk_step = \"month\"\n"));
  ASSERT_EQ(one.near_repeat.size(), 1u);
  const NearRepeatSpec& s = one.near_repeat[0];
  EXPECT_EQ(s.name, "burglary");
  EXPECT_EQ(s.distance_edges, (std::vector<double>{0, 1, 200, 400}));
  EXPECT_EQ(s.time_bandwidth, 14);
  EXPECT_EQ(s.time_bands, 4);
  EXPECT_EQ(s.metric, "euclidean");
  EXPECT_EQ(s.permutations, 99);
  EXPECT_EQ(s.seed, 7);
  EXPECT_TRUE(s.cocoon_from_knox);
  EXPECT_EQ(s.cocoon_radius, 200);  // defaults
  EXPECT_EQ(s.cocoon_days, 14);
  const RunSpec two = load_config(write("[[near_repeat]]\nname = \"a\"\n[[near_repeat]]\nname = \"b\"\n"));
  ASSERT_EQ(two.near_repeat.size(), 2u);
  EXPECT_EQ(two.near_repeat[1].name, "b");
  EXPECT_EQ(two.near_repeat[1].permutations, 999);
  const std::string typo = error("[near_repeat]\npermutation = 99\n");
  EXPECT_NE(typo.find("near_repeat: unknown key 'permutation' (did you mean 'permutations'?)"), std::string::npos)
      << typo;
  const std::string many = error(
      "[near_repeat]\nname = \"x\"\ndistance_edges = [0, 200, 100]\ntime_edges = [0, 7]\ntime_bands = 3\n"
      "metric = \"manhatan\"\nalpha = 0\ncocoon_radius = -5\nperiod = \"month:2019-13\"\nrisk_top_percent = 150\n");
  EXPECT_NE(many.find("problems:"), std::string::npos) << many;
  EXPECT_NE(many.find("near_repeat 'x' distance_edges: edges must increase strictly"), std::string::npos) << many;
  EXPECT_NE(many.find("near_repeat 'x' time_edges: give either time_edges or time_bandwidth / time_bands"),
            std::string::npos) << many;
  EXPECT_NE(many.find("near_repeat 'x' metric: unknown metric 'manhatan' (did you mean 'manhattan'?)"),
            std::string::npos) << many;
  EXPECT_NE(many.find("near_repeat 'x' alpha: must be in (0, 1] (is 0)"), std::string::npos) << many;
  EXPECT_NE(many.find("near_repeat 'x' cocoon_radius: must be > 0 metres (is -5)"), std::string::npos) << many;
  EXPECT_NE(many.find("near_repeat 'x' period:"), std::string::npos) << many;
  EXPECT_NE(many.find("near_repeat 'x' risk_top_percent: must be in (0, 100]"), std::string::npos) << many;
  EXPECT_NE(error("[near_repeat]\ndistance_edges = \"100\"\n").find("near_repeat.distance_edges must be a non-empty array"),
            std::string::npos);
  EXPECT_NE(error("[near_repeat]\npermutations = 0\n").find("near_repeat 'near_repeat' permutations: must be an integer in 1..1000000"),
            std::string::npos) << error("[near_repeat]\npermutations = 0\n");
}

// [change]: [[change.cubes]] are the cubes [[emerging]] gives (both read, the
// older name an alias), [[change.surfaces]] the change surfaces; mistakes are
// named by their key under [change].
TEST_F(Config, ChangeSectionCubesAndSurfaces) {
  const RunSpec spec = load_config(write(
      "[[emerging]]\nname = \"old\"\n"
      "[change]\n[[change.cubes]]\nname = \"weekly\"\nstep = \"week\"\n"
      "[[change.surfaces]]\nname = \"burglary\"\ncategories = [\"Burglary\"]\nafter = \"latest_month\"\n"
      "before = \"previous_year\"\nfloor = 0.5\npermutations = 99\nseed = 42\n"
      "[[change.surfaces]]\nname = \"all\"\nafter = \"rolling12\"\n"));
  ASSERT_EQ(spec.emerging.size(), 2u);
  EXPECT_EQ(spec.emerging[0].name, "old");
  EXPECT_EQ(spec.emerging[0].section, "emerging");
  EXPECT_EQ(spec.emerging[1].name, "weekly");
  EXPECT_EQ(spec.emerging[1].section, "change.cubes");
  EXPECT_EQ(spec.emerging[1].step, "week");
  ASSERT_EQ(spec.change_surfaces.size(), 2u);
  const ChangeSurfaceSpec& b = spec.change_surfaces[0];
  EXPECT_EQ(b.categories, std::vector<std::string>{"Burglary"});
  EXPECT_EQ(b.after, "latest_month");
  EXPECT_EQ(b.before, "previous_year");
  EXPECT_EQ(b.floor, 0.5);
  EXPECT_EQ(b.permutations, 99);
  EXPECT_EQ(b.seed, 42);
  EXPECT_EQ(spec.change_surfaces[1].before, "previous_period");  // the defaults
  EXPECT_LT(spec.change_surfaces[1].floor, 0);
  EXPECT_EQ(spec.change_surfaces[1].permutations, 0);
  // Errors name the key where it was given.
  const std::string typo = error("[[change.surfaces]]\nname = \"a\"\nafter = \"latest_month\"\npermutation = 9\n");
  EXPECT_NE(typo.find("change.surfaces[0]: unknown key 'permutation' (did you mean 'permutations'?)"),
            std::string::npos)
      << typo;
  const std::string section = error("[change]\ncube = 1\n");
  EXPECT_NE(section.find("change: unknown key 'cube' (did you mean 'cubes'?)"), std::string::npos) << section;
  EXPECT_NE(error("[[change.surfaces]]\nname = \"a\"\n").find("change.surfaces[0].after is required"),
            std::string::npos);
  const std::string cube = error("[[change.cubes]]\nname = \"c\"\nstep = \"weak\"\n");
  EXPECT_NE(cube.find("change.cubes 'c' step: unknown step 'weak'"), std::string::npos) << cube;
  const std::string many = error(
      "[[change.surfaces]]\nname = \"a\"\nafter = \"month:2019-13\"\npermutations = 100001\n"
      "[[change.surfaces]]\nname = \"a\"\nafter = \"latest_month\"\nbefore = \"fy:2018-2020\"\n");
  EXPECT_NE(many.find("change.surfaces 'a' after:"), std::string::npos) << many;
  EXPECT_NE(many.find("change.surfaces 'a' permutations: must be an integer in 0..100000"), std::string::npos) << many;
  EXPECT_NE(many.find("change.surfaces 'a' name: used twice"), std::string::npos) << many;
  EXPECT_NE(many.find("change.surfaces 'a' before:"), std::string::npos) << many;
}

}  // namespace
}  // namespace hotspot::cli
