// `hotspot batch` on the demo: ten beat packs, self-contained briefing
// pages, manifests that match the inputs, runs that reproduce, failures
// that do not take the other packs down.
#include <gtest/gtest.h>

#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <nlohmann/json.hpp>

#include "run_cli.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
const std::string kData = HOTSPOT_DATA_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class Batch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    GDALAllRegister();
    // Beside the build (like an analyst's packs beside their data), so the
    // packs name their inputs by relative paths and run.toml reruns them.
    root_ = fs::current_path() / ("hotspot_batch_" + std::to_string(getpid()));
    fs::remove_all(root_);
    result_ = testing::run_cli("batch -q -c " + kData + "/demo.toml -l beat --out " + (root_ / "packs").string());
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }
  static fs::path pack(const std::string& beat) { return root_ / "packs" / ("beat_" + beat); }
  static fs::path root_;
  static testing::CliResult result_;
};
fs::path Batch::root_;
testing::CliResult Batch::result_;

TEST_F(Batch, TenPacksAndAnIndex) {
  ASSERT_EQ(result_.exit_code, 0) << result_.output;
  EXPECT_NE(result_.output.find("10 of 10 beat packs written"), std::string::npos) << result_.output;
  const std::string index = slurp(root_ / "packs/index.csv");
  for (int beat = 56; beat <= 65; ++beat) {
    const fs::path p = pack(std::to_string(beat));
    for (const char* f : {"briefing.html", "manifest.json", "run.toml", "project.qgs", "hotspot.gpkg", "kde/all.tif",
                          "kde/all.qml", "csv/comparison_beat.csv"})
      EXPECT_TRUE(fs::exists(p / f)) << p / f;
    EXPECT_NE(index.find("\"" + std::to_string(beat) + "\","), std::string::npos);
  }
  EXPECT_EQ(std::count(index.begin(), index.end(), '\n'), 11);
  EXPECT_EQ(index.find("failed"), std::string::npos);
}

TEST_F(Batch, BriefingReferencesOnlyFilesInsideThePack) {
  ASSERT_EQ(result_.exit_code, 0) << result_.output;
  const fs::path p = pack("62");
  const std::string html = slurp(p / "briefing.html");
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  const std::regex ref(R"re((?:href|src)\s*=\s*"([^"]*)")re");
  int local = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), ref); it != std::sregex_iterator(); ++it) {
    const std::string target = (*it)[1];
    if (target.rfind("data:", 0) == 0 || target.rfind("#", 0) == 0) continue;
    EXPECT_FALSE(fs::path(target).is_absolute()) << target;
    EXPECT_EQ(target.find(".."), std::string::npos) << target;
    EXPECT_TRUE(fs::exists(p / target)) << target;
    ++local;
  }
  EXPECT_GT(local, 3);
  // The tables: the beat's comparison (All crime 218 -> 233, +6.9%) and top increases.
  EXPECT_NE(html.find("+6.9%"), std::string::npos);
  EXPECT_NE(html.find("Top increases"), std::string::npos);
  EXPECT_NE(html.find("data:image/png;base64,"), std::string::npos);
}

// Issue 9: only the first heat map reached a briefing. Every surface of the
// run now has its map, hotspot table and parameters, with unique SVG ids.
TEST_F(Batch, BriefingShowsEverySurface) {
  ASSERT_EQ(result_.exit_code, 0) << result_.output;
  const std::string html = slurp(pack("62") / "briefing.html");
  for (const char* s : {"all", "burglary", "asb_latest_month"}) {
    EXPECT_NE(html.find(std::string("Kernel density of surface &#39;") + s), std::string::npos) << s;
    EXPECT_NE(html.find(std::string("<h3>Heat map '") + s), std::string::npos) << s;
  }
  EXPECT_NE(html.find("id=\"heat3"), std::string::npos);
  // The repeat locations inside the beat (issue 9).
  EXPECT_NE(html.find("<h3>Repeat locations (2019-02)</h3><table id=\"repeats\">"), std::string::npos);
  EXPECT_NE(html.find("On or near Ashby Road"), std::string::npos);
  // The month-by-month chart: five months, the last one the current count (233 in beat 62).
  const size_t chart = html.find("<h3>Month by month</h3>");
  ASSERT_NE(chart, std::string::npos);
  for (const char* m : {"2018-10", "2018-11", "2018-12", "2019-01", "2019-02"})
    EXPECT_NE(html.find(std::string(">") + m + "</text>", chart), std::string::npos) << m;
  EXPECT_NE(html.find("text-anchor=\"middle\">233</text>", chart), std::string::npos);
}

// Issue 9: a caveats box near the top, and % variances between small counts
// marked.
TEST_F(Batch, BriefingSaysWhatToReadWithCare) {
  const std::string html = slurp(pack("62") / "briefing.html");
  const size_t box = html.find("<aside class=\"caveats\"><h2>Read with care</h2>");
  ASSERT_NE(box, std::string::npos);
  EXPECT_LT(box, html.find("id=\"heat-map\""));  // before the first section
  for (const char* point : {"anonymised", "Layer &#39;beat&#39; is built from whole &#39;ward&#39; areas",
                            "population from lsoa by best fit", "under 10 are marked"})
    EXPECT_NE(html.find(point, box), std::string::npos) << point;
  EXPECT_NE(html.find("%\u2020</td>"), std::string::npos);
}

// Issue 9: a pack's project opened on the whole borough; now on its area.
TEST_F(Batch, PackProjectOpensOnItsOwnArea) {
  const std::string project = slurp(pack("62") / "project.qgs");
  const size_t at = project.find("<DefaultViewExtent xmin=\"");
  ASSERT_NE(at, std::string::npos);
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  ASSERT_EQ(std::sscanf(project.c_str() + at, "<DefaultViewExtent xmin=\"%lf\" ymin=\"%lf\" xmax=\"%lf\" ymax=\"%lf\"",
                        &x0, &y0, &x1, &y1),
            4);
  // Beat 62 (Loughborough centre) is a few km across, inside Charnwood.
  EXPECT_GT(x0, 444000);
  EXPECT_LT(x1, 472000);
  EXPECT_LT(x1 - x0, 8000);
  EXPECT_LT(y1 - y0, 8000);
  EXPECT_NE(slurp(pack("56") / "project.qgs"), project);  // each pack its own view
}

TEST_F(Batch, ManifestMatchesTheInputs) {
  ASSERT_EQ(result_.exit_code, 0) << result_.output;
  const std::string manifest = slurp(pack("56") / "manifest.json");
  const std::string csv = kData + "/police-uk/2018-10-charnwood-street.csv";
  // An independent SHA-256 (coreutils).
  auto sha = testing::run_cli_raw("sha256sum " + csv);
  const std::string digest = sha.output.substr(0, 64);
  EXPECT_NE(manifest.find(digest), std::string::npos) << digest;
  EXPECT_NE(manifest.find("\"bytes\": " + std::to_string(fs::file_size(csv))), std::string::npos);
  for (const char* key : {"\"engine\"", "\"gdal\"", "\"geos\"", "\"proj\"", "\"radius_m\": \"300\"",
                          "\"extracted\": \"2019-03-12\"", "\"reconciles\": true", "\"config_toml\""})
    EXPECT_NE(manifest.find(key), std::string::npos) << key;
  // Also stored in the GeoPackage's metadata, with QGIS styles in layer_styles.
  GDALDatasetUniquePtr ds(GDALDataset::Open((pack("56") / "hotspot.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  const char* stored = ds->GetMetadataItem("HOTSPOT_MANIFEST");
  ASSERT_NE(stored, nullptr);
  // The same manifest, less the list of output files (the GeoPackage cannot
  // hold its own checksum).
  nlohmann::ordered_json whole = nlohmann::ordered_json::parse(manifest);
  whole.erase("outputs");
  EXPECT_EQ(nlohmann::ordered_json::parse(stored), whole);
  OGRLayer* styles = ds->GetLayerByName("layer_styles");
  ASSERT_NE(styles, nullptr);
  EXPECT_GE(styles->GetFeatureCount(), 3);
}

TEST_F(Batch, RunTomlReproducesThePacksNumbers) {
  ASSERT_EQ(result_.exit_code, 0) << result_.output;
  const fs::path again = root_ / "rerun";
  auto r = testing::run_cli("run -q -c " + (pack("62") / "run.toml").string() + " --out " + again.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(slurp(again / "csv/comparison_beat.csv"), slurp(pack("62") / "csv/comparison_beat.csv"));
  EXPECT_EQ(slurp(again / "csv/significance_lsoa.csv"), slurp(pack("62") / "csv/significance_lsoa.csv"));
  auto read = [](const fs::path& tif) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(tif.c_str(), GDAL_OF_RASTER));
    std::vector<float> v(size_t(ds->GetRasterXSize()) * size_t(ds->GetRasterYSize()));
    EXPECT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, ds->GetRasterXSize(), ds->GetRasterYSize(), v.data(),
                                             ds->GetRasterXSize(), ds->GetRasterYSize(), GDT_Float32, 0, 0),
              CE_None);
    return v;
  };
  const auto a = read(again / "kde/all.tif"), b = read(pack("62") / "kde/all.tif");
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(float)));
}

// Issue 9: a diverging "change" style for the % variance (pctv_all_crime),
// an alternative to the default on every area layer that has the column.
TEST_F(Batch, AreaLayersCarryADivergingChangeStyle) {
  ASSERT_EQ(result_.exit_code, 0) << result_.output;
  GDALDatasetUniquePtr ds(GDALDataset::Open((pack("62") / "hotspot.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  OGRLayer* rows = ds->ExecuteSQL(
      "SELECT f_table_name, useAsDefault, styleQML FROM layer_styles WHERE styleName = 'hotspot change'", nullptr,
      nullptr);
  ASSERT_NE(rows, nullptr);
  std::set<std::string> tables;
  for (auto& f : *rows) {
    tables.insert(f->GetFieldAsString(0));
    EXPECT_EQ(f->GetFieldAsInteger(1), 0);  // an alternative, not the default
    const std::string qml = f->GetFieldAsString(2);
    EXPECT_NE(qml.find("attr=\"pctv_all_crime\""), std::string::npos);
    EXPECT_EQ(std::count(qml.begin(), qml.end(), '\n') > 0, true);
    size_t ranges = 0;
    for (size_t at = qml.find("<range "); at != std::string::npos; at = qml.find("<range ", at + 1)) ++ranges;
    EXPECT_EQ(ranges, 7u);
  }
  ds->ReleaseResultSet(rows);
  EXPECT_EQ(tables, (std::set<std::string>{"beat", "lsoa", "ward"}));
}

// Issue 9: packs that can be shared. No file of a pack names a folder of the
// machine that made it; the manifest lists every file once with its SHA-256
// (checked with coreutils) and says which cover only the pack's area.
TEST_F(Batch, PacksCarryNoPathOfTheMachineAndListEveryFile) {
  ASSERT_EQ(result_.exit_code, 0) << result_.output;
  const fs::path p = pack("62");
  const std::string data = fs::absolute(kData).lexically_normal().string(), root = root_.string();
  std::set<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(p)) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = slurp(e.path());  // the GeoPackage too, byte by byte
    EXPECT_EQ(bytes.find(data), std::string::npos) << e.path() << " names " << data;
    EXPECT_EQ(bytes.find(root), std::string::npos) << e.path() << " names " << root;
    files.insert(e.path().lexically_relative(p).generic_string());
  }
  const auto manifest = nlohmann::json::parse(slurp(p / "manifest.json"));
  std::set<std::string> listed;
  for (const auto& o : manifest["outputs"]) {
    const std::string f = o["file"];
    EXPECT_TRUE(listed.insert(f).second) << f << " listed twice";
    auto sha = testing::run_cli_raw("sha256sum " + (p / f).string());
    EXPECT_EQ(o["sha256"].get<std::string>(), sha.output.substr(0, 64)) << f;
    EXPECT_EQ(o["bytes"].get<uintmax_t>(), fs::file_size(p / f)) << f;
  }
  files.erase("manifest.json");
  files.erase(".hotspot-output");
  EXPECT_EQ(listed, files);
  auto scope = [&](const std::string& f) {
    for (const auto& o : manifest["outputs"])
      if (o["file"] == f) return o["scope"].get<std::string>();
    return std::string("missing");
  };
  EXPECT_EQ(scope("csv/beat_counts.csv"), "the pack's area");
  EXPECT_EQ(scope("kde/all.tif"), "the pack's area");
  EXPECT_EQ(scope("csv/comparison_lsoa.csv").rfind("run-wide", 0), 0u);
  EXPECT_EQ(scope("geojson/lsoa.geojson").rfind("the lsoa areas whose bounding boxes", 0), 0u);
  // Inputs by paths relative to the pack, which run.toml also uses.
  for (const auto& in : manifest["inputs"]) {
    EXPECT_FALSE(fs::path(in["path"].get<std::string>()).is_absolute());
    EXPECT_TRUE(fs::exists(p / in["path"].get<std::string>())) << in["path"];
  }
  EXPECT_NE(slurp(p / "run.toml").find("dir = 'rerun'"), std::string::npos);
}

TEST_F(Batch, AFailingAreaDoesNotLoseTheOthers) {
  // Rule-based bandwidth on one month of weapons offences: most beats have
  // fewer than two incident locations, so their heat maps cannot be made.
  const fs::path cfg = root_ / "fail.toml";
  std::ofstream(cfg) << "[[incidents]]\nformat = \"police_uk\"\npaths = [\"" << kData << "/police-uk\"]\n"
                     << "[[areas]]\nname = \"ward\"\npaths = [\"" << kData
                     << "/boundaries/wards2013_charnwood.geojson\"]\ncode = \"WD13CD\"\n"
                     << "[[areas]]\nname = \"beat\"\ndissolve = { from = \"ward\", lookup = \"" << kData
                     << "/charnwood_beats_from_wards2013.csv\", from_code = \"WD13CD\", to_code = \"beat\" }\n"
                     << "[stats]\ncurrent = \"latest_month\"\nprevious = \"previous_period\"\n"
                     << "[kde]\nbandwidth = 0\ncell = 50\n[[kde.surfaces]]\nname = \"weapons\"\n"
                     << "categories = [\"Possession of weapons\"]\nperiod = \"latest_month\"\n";
  auto r = testing::run_cli("batch -q -c " + cfg.string() + " -l beat --out " + (root_ / "fail").string());
  EXPECT_EQ(r.exit_code, 6) << r.output;
  EXPECT_NE(r.output.find("1 of 10 beat packs written"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("failed: beat 56: a bandwidth rule needs at least 2"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::exists(root_ / "fail/beat_65/briefing.html"));
  EXPECT_FALSE(fs::exists(root_ / "fail/beat_56"));
  const std::string index = slurp(root_ / "fail/index.csv");
  EXPECT_EQ(std::count(index.begin(), index.end(), '\n'), 11);
}

// An area cube's locations near a pack keep their values: clipping them to
// the pack once moved each kept row onto itself, which empties a vector, and
// the GeoJSON writer then crashed on the empty rows.
TEST_F(Batch, AreaCubePacksKeepTheirLocationsWhole) {
  auto r = testing::run_cli("batch -q -c " + kData + "/../examples/emerging_demo.toml -l beat --areas 56 --out " +
                            (root_ / "emerging").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const fs::path gpkg = root_ / "emerging/beat_56/hotspot.gpkg";
  GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds) << gpkg;
  int cubes = 0;
  for (OGRLayer* l : ds->GetLayers()) {
    const std::string name = l->GetName();
    if (name.rfind("emerging_", 0) != 0 || wkbFlatten(l->GetGeomType()) == wkbNone) continue;
    ++cubes;
    int64_t rows = 0;
    for (auto& f : *l) {
      ++rows;
      EXPECT_STRNE(f->GetFieldAsString("code"), "") << name << " row " << rows;
      EXPECT_STRNE(f->GetFieldAsString("category"), "") << name << " row " << rows;
    }
    EXPECT_GT(rows, 0) << name;
  }
  EXPECT_GT(cubes, 0);
  EXPECT_TRUE(fs::exists(root_ / "emerging/beat_56/geojson"));
}

TEST_F(Batch, PublicPacksShowNoPointsOrSmallCounts) {
  auto r = testing::run_cli("batch -q --public -c " + kData + "/demo.toml -l beat --areas 62,57 --out " +
                            (root_ / "public").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* beat : {"62", "57"}) {
    const fs::path p = root_ / "public" / (std::string("beat_") + beat);
    GDALDatasetUniquePtr ds(GDALDataset::Open((p / "hotspot.gpkg").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->GetLayerByName("incidents"), nullptr);
    EXPECT_EQ(ds->GetLayerByName("recorded_disagreements"), nullptr);
    const std::string html = slurp(p / "briefing.html");
    EXPECT_NE(html.find("PUBLIC"), std::string::npos);
    EXPECT_FALSE(fs::exists(p / "kde/all_gistar.tif"));
  }
}

}  // namespace
}  // namespace hotspot
