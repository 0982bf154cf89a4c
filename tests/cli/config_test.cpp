// load_config: every value checked when the config is read, so a typo or a
// number out of range is a ConfigError naming the key before any data is read.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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
    std::ofstream(p) << "[[incidents]]\npaths = \"x.csv\"\n" << extra;
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
  const RunSpec spec = load_config(write("[kde]\nenabled = true\ncell = 50\n"));
  std::ofstream(dir_ / "back.toml") << to_toml(spec);
  const RunSpec back = load_config((dir_ / "back.toml").string());
  EXPECT_EQ(back.kde.cell, 50);
  EXPECT_EQ(to_toml(back), to_toml(spec));
}

TEST_F(Config, UnknownKeyIsAnError) { EXPECT_NE(error("colour = 1\n").find("unknown key 'colour'"), std::string::npos); }

}  // namespace
}  // namespace hotspot::cli
