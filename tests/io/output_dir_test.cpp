// Tests for io/output_dir: an output folder is replaced only by a complete one.
#include "io/output_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
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
  // Entries of root_ other than the output folder itself and its lock file
  // (staging or backup leftovers).
  std::vector<std::string> leftovers() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root_))
      if (e.path() != out_ && e.path().filename() != "inputs" && e.path().filename() != ".out.hotspot-lock")
        names.push_back(e.path().filename().string());
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
  write(out_ / kOutputMarker, "");
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
  write(out_ / kOutputMarker, "");
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
  write(staging() / kOutputMarker, "");
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
  write(out_ / kOutputMarker, "");
  write(out_ / "data" / "2018-10-street.csv", "x");
  const std::string input = (out_ / "data" / "2018-10-street.csv").string();
  try {
    StagedOutput staged(out_.string(), {(root_ / "inputs" / "ok.csv").string(), input});
    ADD_FAILURE() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(input), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::exists(input));
  EXPECT_FALSE(fs::exists(staging()));
}

TEST_F(StagedOutputTest, InputReachedThroughDotDotOrSymlinkIsRefused) {
  write(out_ / kOutputMarker, "");
  write(out_ / "in.csv", "x");
  const std::string dotdot = (root_ / "inputs" / ".." / "out" / "in.csv").string();
  EXPECT_THROW(StagedOutput(out_.string(), {dotdot}), ConfigError);
  fs::create_directory_symlink(out_, root_ / "link");
  EXPECT_THROW(StagedOutput(out_.string(), {(root_ / "link" / "in.csv").string()}), ConfigError);
  EXPECT_THROW(StagedOutput(out_.string(), {out_.string()}), ConfigError);
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

// What users point --out at by mistake: hotspot must refuse and touch nothing.
TEST_F(StagedOutputTest, ForeignNonEmptyFolderIsRefusedAndUntouched) {
  write(out_ / "thesis.docx", "years of work");
  write(out_ / "config.toml", "[output]");
  try {
    StagedOutput staged(out_.string(), {});
    ADD_FAILURE() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("was not written by hotspot"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read(out_ / "thesis.docx"), "years of work");
  EXPECT_EQ(read(out_ / "config.toml"), "[output]");
  EXPECT_TRUE(leftovers().empty());
}

TEST_F(StagedOutputTest, EmptyForeignFolderIsUsedAndMarked) {
  fs::create_directories(out_);
  {
    StagedOutput staged(out_.string(), {});
    write(staged.path("a.txt"), "a");
    staged.commit();
  }
  EXPECT_EQ(read(out_ / "a.txt"), "a");
  EXPECT_TRUE(fs::exists(out_ / kOutputMarker));  // so the next run may replace it
  StagedOutput again(out_.string(), {});
  again.commit();
  EXPECT_FALSE(fs::exists(out_ / "a.txt"));
}

TEST_F(StagedOutputTest, FileRootHomeWorkingFolderSymlinkAndDatabaseAreRefused) {
  write(root_ / "file.txt", "x");
  EXPECT_THROW(StagedOutput((root_ / "file.txt").string(), {}), ConfigError);
  EXPECT_EQ(read(root_ / "file.txt"), "x");
  EXPECT_THROW(check_output_target("/", {}), ConfigError);
  EXPECT_THROW(check_output_target("/../", {}), ConfigError);
  const char* home = std::getenv("HOME");
  const std::string saved = home ? home : "";
  fs::create_directories(root_ / "home");
  write(root_ / "home" / kOutputMarker, "");  // even a marked home folder
  setenv("HOME", (root_ / "home").c_str(), 1);
  EXPECT_THROW(check_output_target((root_ / "home").string(), {}), ConfigError);
  EXPECT_THROW(check_output_target((root_ / "home" / ".").string(), {}), ConfigError);
  if (home) setenv("HOME", saved.c_str(), 1);
  else unsetenv("HOME");
  EXPECT_THROW(check_output_target(".", {}), ConfigError);
  EXPECT_THROW(check_output_target("..", {}), ConfigError);
  EXPECT_THROW(check_output_target(fs::current_path().string(), {}), ConfigError);
  fs::create_directories(root_ / "real");
  fs::create_directory_symlink(root_ / "real", root_ / "alias");
  EXPECT_THROW(check_output_target((root_ / "alias").string(), {}), ConfigError);
  EXPECT_THROW(check_output_target("PG:dbname=crime", {}), ConfigError);
  EXPECT_THROW(check_output_target("/vsizip/x.zip", {}), ConfigError);
  EXPECT_THROW(check_output_target("", {}), ConfigError);
  EXPECT_TRUE(leftovers().size() == 4);  // file.txt, home, real, alias: untouched
}

TEST_F(StagedOutputTest, SecondWriterOfTheSameFolderIsRefusedWhileTheFirstRuns) {
  auto first = std::make_unique<StagedOutput>(out_.string(), std::vector<std::string>{});
  try {
    StagedOutput second(out_.string(), {});
    ADD_FAILURE() << "expected OutputError";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("another hotspot run"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_directory(staging()));  // the first run's staging is untouched
  write(first->path("a.txt"), "a");
  first->commit();
  first.reset();
  StagedOutput third(out_.string(), {});  // free again
  third.commit();
}

TEST_F(StagedOutputTest, LeftoversOfDeadRunsAreRemovedOrPutBack) {
  // A pid that cannot be alive (above the kernel's pid_max).
  const std::string dead = "99999999";
  write(root_ / ("out.partial-" + dead) / kOutputMarker, "");
  write(root_ / ("out.partial-" + dead) / "big.tif", "half");
  write(root_ / ("out.old-" + dead) / kOutputMarker, "");
  write(root_ / ("out.old-" + dead) / "previous.txt", "previous");  // killed between the two renames
  fs::create_directories(root_ / ("out.partial-" + std::to_string(getppid())));  // empty: a kill at mkdir
  write(root_ / "out.partial-notapid" / "mine.txt", "not ours");    // not our name pattern
  write(root_ / ("out.partial-" + std::to_string(getppid())) / "../keep" / "x", "x");
  {
    StagedOutput staged(out_.string(), {});
    // The previous output was put back in place, the rest removed.
    EXPECT_EQ(read(out_ / "previous.txt"), "previous");
    EXPECT_FALSE(fs::exists(root_ / ("out.partial-" + dead)));
    EXPECT_FALSE(fs::exists(root_ / ("out.old-" + dead)));
    EXPECT_FALSE(fs::exists(root_ / ("out.partial-" + std::to_string(getppid()))));
    EXPECT_EQ(read(root_ / "out.partial-notapid" / "mine.txt"), "not ours");
    staged.commit();
  }
  EXPECT_FALSE(fs::exists(out_ / "previous.txt"));
}

TEST_F(StagedOutputTest, UnsafeRelativeNamesAreRefused) {
  StagedOutput staged(out_.string(), {});
  EXPECT_THROW(staged.path("../escape.txt"), OutputError);
  EXPECT_THROW(staged.path("csv/../../escape.txt"), OutputError);
  EXPECT_THROW(staged.path("/etc/passwd"), OutputError);
  EXPECT_NO_THROW(staged.path("csv/beat_counts.csv"));
  EXPECT_FALSE(fs::exists(root_ / "escape.txt"));
}

}  // namespace
}  // namespace hotspot::io
