// Tests for io/output_dir: an output folder is replaced only by a complete one.
#include "io/output_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "hotspot/errors.h"

namespace hotspot::io {
namespace {

namespace fs = std::filesystem;

class StagedOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) /
            ("hotspot_io_out_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    out_ = root_ / "out";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  static void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  fs::path staging() const { return fs::path(out_.string() + ".partial-" + std::to_string(getpid())); }
  // Entries of root_ other than the output folder itself (staging or backup leftovers).
  std::vector<std::string> leftovers() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root_))
      if (e.path() != out_ && e.path().filename() != "inputs") names.push_back(e.path().filename().string());
    return names;
  }

  fs::path root_, out_;
};

TEST_F(StagedOutputTest, WritesIntoStagingAndCommitCreatesTheFolder) {
  StagedOutput staged(out_.string(), {});
  EXPECT_EQ(staged.final_dir(), out_.string());
  EXPECT_TRUE(fs::is_directory(staging()));
  const std::string file = staged.path("csv/counts.csv");
  EXPECT_EQ(fs::path(file), staging() / "csv" / "counts.csv");
  EXPECT_TRUE(fs::is_directory(staging() / "csv"));  // parents created
  write(file, "a,b\n");
  EXPECT_FALSE(fs::exists(out_));

  staged.commit();
  EXPECT_EQ(read(out_ / "csv" / "counts.csv"), "a,b\n");
  EXPECT_FALSE(fs::exists(staging()));
  EXPECT_TRUE(leftovers().empty());
}

TEST_F(StagedOutputTest, ExistingFolderIsReplacedOnlyOnCommit) {
  write(out_ / "old.txt", "old");
  write(out_ / "geojson" / "beat.geojson", "{}");
  {
    StagedOutput staged(out_.string(), {});
    write(staged.path("new.txt"), "new");
    // Before commit the previous output is untouched.
    EXPECT_EQ(read(out_ / "old.txt"), "old");
    EXPECT_FALSE(fs::exists(out_ / "new.txt"));
    staged.commit();
    EXPECT_EQ(read(out_ / "new.txt"), "new");
    EXPECT_FALSE(fs::exists(out_ / "old.txt"));
    EXPECT_FALSE(fs::exists(out_ / "geojson"));
  }
  // The destructor after a commit leaves the new folder alone.
  EXPECT_EQ(read(out_ / "new.txt"), "new");
  EXPECT_TRUE(leftovers().empty()) << leftovers().front();
}

TEST_F(StagedOutputTest, DestructorWithoutCommitKeepsOldFolderAndRemovesStaging) {
  write(out_ / "old.txt", "old");
  {
    StagedOutput staged(out_.string(), {});
    write(staged.path("half/written.txt"), "partial");
    EXPECT_TRUE(fs::exists(staging() / "half" / "written.txt"));
  }
  EXPECT_EQ(read(out_ / "old.txt"), "old");
  EXPECT_FALSE(fs::exists(out_ / "half"));
  EXPECT_FALSE(fs::exists(staging()));
  EXPECT_TRUE(leftovers().empty());
}

TEST_F(StagedOutputTest, FailedRunWithoutPreviousOutputLeavesNothing) {
  {
    StagedOutput staged(out_.string(), {});
    write(staged.path("x.txt"), "x");
  }
  EXPECT_FALSE(fs::exists(out_));
  EXPECT_TRUE(leftovers().empty());
}

TEST_F(StagedOutputTest, StaleStagingFolderIsReplaced) {
  write(staging() / "stale.txt", "stale");
  StagedOutput staged(out_.string(), {});
  EXPECT_FALSE(fs::exists(staging() / "stale.txt"));
  staged.commit();
  EXPECT_FALSE(fs::exists(out_ / "stale.txt"));
}

TEST_F(StagedOutputTest, TrailingSlashesAreIgnored) {
  StagedOutput staged(out_.string() + "//", {});
  EXPECT_EQ(staged.final_dir(), out_.string());
  EXPECT_TRUE(fs::is_directory(staging()));
}

TEST_F(StagedOutputTest, InputInsideOutputFolderIsRefused) {
  write(out_ / "data" / "2018-10-street.csv", "x");
  const std::string input = (out_ / "data" / "2018-10-street.csv").string();
  try {
    StagedOutput staged(out_.string(), {(root_ / "inputs" / "ok.csv").string(), input});
    ADD_FAILURE() << "expected OutputError";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find(input), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::exists(input));
  EXPECT_FALSE(fs::exists(staging()));
}

TEST_F(StagedOutputTest, InputReachedThroughDotDotOrSymlinkIsRefused) {
  write(out_ / "in.csv", "x");
  const std::string dotdot = (root_ / "inputs" / ".." / "out" / "in.csv").string();
  EXPECT_THROW(StagedOutput(out_.string(), {dotdot}), OutputError);
  fs::create_directory_symlink(out_, root_ / "link");
  EXPECT_THROW(StagedOutput(out_.string(), {(root_ / "link" / "in.csv").string()}), OutputError);
  EXPECT_THROW(StagedOutput(out_.string(), {out_.string()}), OutputError);
  EXPECT_TRUE(fs::exists(out_ / "in.csv"));
}

TEST_F(StagedOutputTest, SiblingWithCommonPrefixIsNotInside) {
  // "out2/x.csv" shares the prefix "out" but is not inside "out".
  write(root_ / "out2" / "x.csv", "x");
  StagedOutput staged(out_.string(), {(root_ / "out2" / "x.csv").string(), (root_ / "out.csv").string()});
  staged.commit();
  EXPECT_TRUE(fs::is_directory(out_));
  EXPECT_TRUE(fs::exists(root_ / "out2" / "x.csv"));
}

}  // namespace
}  // namespace hotspot::io
