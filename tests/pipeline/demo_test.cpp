// The README's demo: `hotspot run --config data/demo.toml`, checked through
// the files a GIS user would open.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "run_cli.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

class Demo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    GDALAllRegister();
    out_ = (fs::temp_directory_path() / ("hotspot_demo_" + std::to_string(getpid()))).string();
    result_ = testing::run_cli(std::string("run --config ") + HOTSPOT_DATA_DIR + "/demo.toml --out " + out_);
  }
  static void TearDownTestSuite() { fs::remove_all(out_); }
  static std::string out_;
  static testing::CliResult result_;
};
std::string Demo::out_;
testing::CliResult Demo::result_;

std::map<std::string, std::string> summary(GDALDataset& ds) {
  std::map<std::string, std::string> out;
  OGRLayer* l = ds.GetLayerByName("run_summary");
  if (!l) return out;
  for (auto& f : *l) out[f->GetFieldAsString("key")] = f->GetFieldAsString("value");
  return out;
}

TEST_F(Demo, RunsAndPrintsTheLedger) {
  ASSERT_EQ(result_.exit_code, 0) << result_.output;
  EXPECT_NE(result_.output.find("rows read 7587 = accepted 6299 + rejected 1288  [reconciles]"), std::string::npos)
      << result_.output;
}

TEST_F(Demo, GeoPackageHoldsEveryLayer) {
  ASSERT_EQ(result_.exit_code, 0) << result_.output;
  GDALDatasetUniquePtr ds(GDALDataset::Open((out_ + "/hotspot.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  const std::map<std::string, GIntBig> expected = {{"incidents", 6299}, {"rejects", 1288}, {"lsoa", 99},
                                                   {"ward", 28},        {"beat", 10}};
  for (const auto& [name, count] : expected) {
    OGRLayer* l = ds->GetLayerByName(name.c_str());
    ASSERT_TRUE(l) << name;
    EXPECT_EQ(l->GetFeatureCount(), count) << name;
  }
  // Area layers carry their counts; they add up to the matched incidents.
  auto s = summary(*ds);
  EXPECT_EQ(s["reconciles"], "yes");
  EXPECT_EQ(s["rows_read"], "7587");
  EXPECT_EQ(s["working_crs"], "EPSG:27700");
  for (const char* layer : {"lsoa", "ward", "beat"}) {
    OGRLayer* l = ds->GetLayerByName(layer);
    GIntBig total = 0;
    for (auto& f : *l) total += f->GetFieldAsInteger64("n_all");
    EXPECT_EQ(std::to_string(total), s[std::string("layer:") + layer + ":matched"]) << layer;
    EXPECT_GE(l->GetLayerDefn()->GetFieldIndex("n_anti_social_behaviour"), 0);
    EXPECT_GE(l->GetLayerDefn()->GetFieldIndex("n_2018_10"), 0);
    EXPECT_GE(l->GetLayerDefn()->GetFieldIndex("n_burglary_2019_02"), 0);
  }
  OGRLayer* incidents = ds->GetLayerByName("incidents");
  ASSERT_TRUE(incidents->GetSpatialRef());
  EXPECT_STREQ(incidents->GetSpatialRef()->GetAuthorityCode(nullptr), "27700");
}

TEST_F(Demo, GeoJsonIsWgs84) {
  ASSERT_EQ(result_.exit_code, 0) << result_.output;
  GDALDatasetUniquePtr ds(GDALDataset::Open((out_ + "/geojson/beat.geojson").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  OGRLayer* l = ds->GetLayer(0);
  EXPECT_EQ(l->GetFeatureCount(), 10);
  OGREnvelope e;
  ASSERT_EQ(l->GetExtent(&e), OGRERR_NONE);
  // Charnwood in lon/lat, not in metres.
  EXPECT_GT(e.MinX, -1.5);
  EXPECT_LT(e.MaxX, -0.8);
  EXPECT_GT(e.MinY, 52.5);
  EXPECT_LT(e.MaxY, 53.0);
}

TEST_F(Demo, CsvTablesWritten) {
  ASSERT_EQ(result_.exit_code, 0) << result_.output;
  for (const char* f : {"rejects.csv", "counts_long.csv", "run_summary.csv", "recorded_disagreements.csv",
                        "beat_counts.csv", "lsoa_counts.csv", "ward_counts.csv"})
    EXPECT_TRUE(fs::exists(out_ + "/csv/" + f)) << f;
  EXPECT_FALSE(fs::exists(out_ + ".partial-" + std::to_string(getpid())));
}

// Every file but the GeoPackage (which stores its write times) and the run
// summary's "threads" row is the same byte for byte on one thread and on
// two: on two, the tables are built, written and freed on several threads
// while the front page is drawn and written (outputs.cpp).
TEST_F(Demo, OneAndTwoThreadsWriteTheSameFiles) {
  const std::string one = out_ + "_j1", two = out_ + "_j2";
  const auto a = testing::run_cli(std::string("run --config ") + HOTSPOT_DATA_DIR + "/demo.toml -j 1 -q --out " + one);
  const auto b = testing::run_cli(std::string("run --config ") + HOTSPOT_DATA_DIR + "/demo.toml -j 2 -q --out " + two);
  ASSERT_EQ(a.exit_code, 0) << a.output;
  ASSERT_EQ(b.exit_code, 0) << b.output;
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  int compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(one)) {
    if (!e.is_regular_file()) continue;
    const fs::path rel = fs::relative(e.path(), one);
    ASSERT_TRUE(fs::exists(fs::path(two) / rel)) << rel;
    if (rel == "hotspot.gpkg") continue;
    std::string x = slurp(e.path()), y = slurp(fs::path(two) / rel);
    if (rel == fs::path("csv") / "run_summary.csv") {
      const size_t at = x.find("threads,1\n");
      ASSERT_NE(at, std::string::npos) << x;
      ASSERT_EQ(y.find("threads,2\n"), at) << y;
      x[at + 8] = y[at + 8];
    }
    EXPECT_TRUE(x == y) << rel << " differs between -j 1 and -j 2";
    ++compared;
  }
  EXPECT_GE(compared, 10);  // CSV tables, GeoJSON layers, GeoTIFFs, briefing.html, project.qgs
  EXPECT_TRUE(fs::exists(fs::path(one) / "briefing.html"));
  fs::remove_all(one);
  fs::remove_all(two);
}

}  // namespace
}  // namespace hotspot
