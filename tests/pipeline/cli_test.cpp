// The CLI's contract: --help, exit codes, errors naming file/row/field, and
// outputs replaced only by complete ones.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "run_cli.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hotspot_cli_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST_F(Cli, HelpExplainsExitCodes) {
  auto r = testing::run_cli("run --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("Exit codes"), std::string::npos);
  EXPECT_NE(r.output.find("--config"), std::string::npos);
}

TEST_F(Cli, UnknownFlagIsUsageError) { EXPECT_EQ(testing::run_cli("run --no-such-flag").exit_code, 2); }

TEST_F(Cli, UnknownConfigKeyIsNamed) {
  const std::string cfg = write("bad.toml", "[[incidents]]\nformat = \"police_uk\"\npaths = [\"x\"]\ncolour = 1\n");
  auto r = testing::run_cli("run --config " + cfg);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("unknown key 'colour'"), std::string::npos) << r.output;
}

TEST_F(Cli, BadPoliceUkHeaderNamesTheFile) {
  const std::string csv = write("2019-01-x-street.csv", "Crime Id,Month\n1,2019-01\n");
  auto r = testing::run_cli("run --police-uk " + csv + " --out " + (dir_ / "out").string());
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find(csv), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(Cli, MissingInputIsInputError) {
  auto r = testing::run_cli("run --police-uk " + (dir_ / "nope.csv").string());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.output.find("nope.csv"), std::string::npos);
}

TEST_F(Cli, FailedRunKeepsThePreviousOutput) {
  const std::string out = (dir_ / "out").string();
  fs::create_directories(out);
  write("out/previous.txt", "complete output of an earlier run");
  const std::string csv = write("broken.csv", "not,a,police,file\n");
  auto r = testing::run_cli("run --police-uk " + csv + " --out " + out);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(fs::exists(dir_ / "out/previous.txt"));
}

TEST_F(Cli, RefusesToWriteOverItsInputs) {
  const std::string data = std::string(HOTSPOT_DATA_DIR) + "/police-uk";
  auto r = testing::run_cli("run --police-uk " + data + " --out " + std::string(HOTSPOT_DATA_DIR));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(fs::exists(std::string(HOTSPOT_DATA_DIR) + "/demo.toml"));
}

TEST_F(Cli, QuickRunWithFlags) {
  const std::string data = HOTSPOT_DATA_DIR;
  auto r = testing::run_cli("run -q --police-uk " + data + "/police-uk --area lsoa=" + data +
                            "/boundaries/lsoa2011_charnwood.geojson:LSOA11CD:LSOA11NM --out " +
                            (dir_ / "quick").string() + " --no-geojson");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "");
  EXPECT_TRUE(fs::exists(dir_ / "quick/hotspot.gpkg"));
  EXPECT_FALSE(fs::exists(dir_ / "quick/geojson"));
}

TEST_F(Cli, MalformedRowsAreRejectedNotFatal) {
  const std::string header =
      "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
      "Last outcome category,Context\n";
  const std::string csv = write("2019-01-t-street.csv", header +
      "a,2019-01,P,P,-1.2,52.77,On or near X,E01025762,Charnwood 001A,Burglary,,\n"
      "b,2019-1,P,P,-1.2,52.77,On or near X,E01025762,Charnwood 001A,Burglary,,\n"
      "c,2019-01,P,P,-1.2,52.77,\"On or near \"\"Y\"\",E01025762,Charnwood 001A,Burglary,,\n");
  auto r = testing::run_cli("run --police-uk " + csv + " --out " + (dir_ / "o").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("rows read 3 = accepted 1 + rejected 2"), std::string::npos) << r.output;
  std::ifstream rejects(dir_ / "o/csv/rejects.csv");
  std::string all((std::istreambuf_iterator<char>(rejects)), {});
  EXPECT_NE(all.find(",2,unparsable_date,Month,"), std::string::npos) << all;
  EXPECT_NE(all.find(",3,malformed_row,"), std::string::npos) << all;
}

}  // namespace
}  // namespace hotspot
