// Configuration mistakes end to end: each is refused before any output is
// written, with exit code 2 and a message naming the key and the fix.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_cli.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}

class ConfigCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hotspot_config_cli_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

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
  fs::path dir_;
};

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

}  // namespace
}  // namespace hotspot
