// output.briefing = false (run --no-briefing): the run writes every file it
// was asked for, the same bytes, and no briefing.html (whose maps cost more
// CPU than a county heat map: bench/RESULTS.md, "Heat maps and peers, round 2").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "run_cli.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
const std::string kData = HOTSPOT_DATA_DIR;

std::set<std::string> files_under(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.insert(fs::relative(e.path(), dir).string());
  return out;
}

TEST(BriefingOption, NoBriefingWritesTheSameFilesWithoutThePage) {
  const fs::path base = fs::temp_directory_path() / ("hotspot_briefing_opt_" + std::to_string(getpid()));
  fs::remove_all(base);
  const std::string common = "run -q -c " + kData + "/demo.toml --no-geojson --no-csv --out ";
  auto with = testing::run_cli(common + (base / "with").string());
  ASSERT_EQ(with.exit_code, 0) << with.output;
  auto without = testing::run_cli(common + (base / "without").string() + " --no-briefing");
  ASSERT_EQ(without.exit_code, 0) << without.output;

  std::set<std::string> a = files_under(base / "with"), b = files_under(base / "without");
  ASSERT_TRUE(a.count("briefing.html"));
  EXPECT_FALSE(b.count("briefing.html"));
  a.erase("briefing.html");
  EXPECT_EQ(a, b);  // every other file is still written
  // The heat maps (density and Gi*, with their overviews) are the same bytes.
  size_t rasters = 0;
  for (const std::string& f : b)
    if (f.size() > 4 && f.compare(f.size() - 4, 4, ".tif") == 0) {
      ++rasters;
      EXPECT_EQ(testing::slurp(base / "with" / f), testing::slurp(base / "without" / f)) << f;
    }
  EXPECT_GE(rasters, 2u);
  fs::remove_all(base);
}

}  // namespace
}  // namespace hotspot
