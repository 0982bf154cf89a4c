// Issue 14's leaks, each checked on the demo's public run against the same
// run without --public (the truth): Gi* on areas, the terminal's class
// counts, layer TOTALs that differ by a small count, small hotspot areas,
// the audit's verdict, machine paths. The LP attack on every published
// number is tests/disclosure/lp_attack.py.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "run_cli.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

using testing::slurp;

// RFC 4180 rows (quoted fields with commas).
std::vector<std::vector<std::string>> read_csv(const fs::path& p) {
  std::vector<std::vector<std::string>> rows(1);
  const std::string text = slurp(p);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field), field.clear();
    } else if (c == '\n') {
      rows.back().push_back(field), field.clear();
      rows.emplace_back();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

class PublicRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    GDALAllRegister();
    dir_ = fs::temp_directory_path() / ("hotspot_public_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    const std::string config = std::string("run --config ") + HOTSPOT_DATA_DIR + "/demo.toml --out ";
    public_ = testing::run_cli(config + (dir_ / "pub").string() + " --public");
    truth_ = testing::run_cli(config + (dir_ / "truth").string());
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static fs::path pub(const std::string& rel) { return dir_ / "pub" / rel; }
  static fs::path truth(const std::string& rel) { return dir_ / "truth" / rel; }
  static fs::path dir_;
  static testing::CliResult public_, truth_;
};
fs::path PublicRun::dir_;
testing::CliResult PublicRun::public_, PublicRun::truth_;

TEST_F(PublicRun, BothRunsSucceed) {
  ASSERT_EQ(public_.exit_code, 0) << public_.output;
  ASSERT_EQ(truth_.exit_code, 0) << truth_.output;
}

// Leak 1: a Gi* z per area fixed the sum over each neighbourhood.
TEST_F(PublicRun, NoGiStarOnAreas) {
  const auto truth_header = read_csv(truth("csv/lsoa_counts.csv"))[0];
  EXPECT_NE(std::find(truth_header.begin(), truth_header.end(), "gi_z"), truth_header.end());
  for (const char* layer : {"lsoa", "ward", "beat"}) {
    const auto header = read_csv(pub(std::string("csv/") + layer + "_statistics.csv"))[0];
    for (const char* c : {"gi_z", "gi_p", "gi_bin"})
      EXPECT_EQ(std::find(header.begin(), header.end(), c), header.end()) << layer << " " << c;
  }
}

// Leak 4: the terminal counted classes over every area, withheld ones too.
TEST_F(PublicRun, TerminalCountsOnlyPublishedAreas) {
  const std::string& out = public_.output;
  const size_t from = out.find("lsoa areas by All crime rate");
  ASSERT_NE(from, std::string::npos) << out;
  // Up to the next layer's block or the heat maps.
  const size_t end = std::min(out.find("\nheat map", from), out.find(" areas by ", from + 20));
  const std::string block = out.substr(from, end - from);
  static const std::regex line(R"(  ([a-z][a-z ()0-9.%]+): (\d+))");
  int published = 0, withheld = 0;
  std::istringstream lines(block);
  std::smatch m;
  for (std::string l; std::getline(lines, l);)
    if (std::regex_match(l, m, line)) (m[1] == "withheld (small count)" ? withheld : published) += std::stoi(m[2]);
  // The withheld LSOAs are those whose current All crime shows x.
  int x = 0, areas = 0;
  for (const auto& row : read_csv(pub("csv/comparison_lsoa.csv")))
    if (row.size() > 6 && row[0] != "TOTAL" && row[2] == "All crime") ++areas, x += row[6] == "x";
  EXPECT_EQ(areas, 99);
  EXPECT_EQ(withheld, x);
  EXPECT_EQ(published + withheld, areas) << block;
}

// Leak 5: LSOAs cover every incident, wards and beats miss 3: a TOTAL of
// one layer minus another's gave a small count.
TEST_F(PublicRun, LayerTotalsNeverDifferByASmallCount) {
  std::map<std::string, std::map<std::string, std::string>> totals;  // "category|period" -> layer -> value
  for (const char* layer : {"lsoa", "ward", "beat"})
    for (const auto& row : read_csv(pub(std::string("csv/comparison_") + layer + ".csv")))
      if (row.size() > 6 && row[0] == "TOTAL") {
        totals[row[2] + "|previous"][layer] = row[5];
        totals[row[2] + "|current"][layer] = row[6];
      }
  ASSERT_GT(totals.size(), 10u);
  int compared = 0;
  for (const auto& [key, by_layer] : totals)
    for (const auto& [a, va] : by_layer)
      for (const auto& [b, vb] : by_layer) {
        if (va == "x" || vb == "x" || a >= b) continue;
        ++compared;
        const long d = std::labs(std::stol(va) - std::stol(vb));
        EXPECT_FALSE(d >= 1 && d <= 5) << key << ": " << a << " " << va << " vs " << b << " " << vb;
      }
  EXPECT_GT(compared, 0);
}

// Leak 6: hotspot areas with 0 (or 1..5) incidents were published.
TEST_F(PublicRun, NoHotspotAreaWithFiveOrFewerIncidents) {
  int areas = 0;
  for (const auto& e : fs::directory_iterator(pub("geojson"))) {
    if (e.path().filename().string().rfind("hotspots_", 0) != 0) continue;
    std::unique_ptr<GDALDataset> ds(GDALDataset::Open(e.path().c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    for (auto& f : *ds->GetLayer(0)) {
      ++areas;
      const std::string n = f->GetFieldAsString("incidents");
      ASSERT_NE(n, "x") << e.path();
      EXPECT_GT(std::stol(n), 5) << e.path();
    }
  }
  EXPECT_GT(areas, 0);
}

// Leak 7: exact densities are a linear system in the counts at known
// points. Every published density is a whole number of steps worth more
// than k incidents' peak at one point.
TEST_F(PublicRun, HeatMapDensitiesAreWholeSteps) {
  std::map<std::string, double> step;
  for (const auto& row : read_csv(pub("csv/surface_parameters.csv")))
    if (row.size() == 3 && row[1] == "public_density_step") step[row[0]] = std::stod(row[2]);
  ASSERT_EQ(step.size(), 3u);
  // Quartic, R = 300 m, per km^2: one incident's peak is 3 / (pi R^2) x 1e6; the step 2 (k + 1) peaks.
  EXPECT_NEAR(step["all"], 12 * 3 / (3.14159265358979 * 300 * 300) * 1e6, 1e-6);
  for (const auto& [name, q] : step) {
    std::unique_ptr<GDALDataset> ds(GDALDataset::Open(pub("kde/" + name + ".tif").c_str(), GDAL_OF_RASTER));
    ASSERT_TRUE(ds) << name;
    GDALRasterBand* band = ds->GetRasterBand(1);
    const int nx = band->GetXSize(), ny = band->GetYSize();
    std::vector<float> row(size_t(nx), 0.f);
    int64_t nonzero = 0;
    for (int y = 0; y < ny; ++y) {
      ASSERT_EQ(band->RasterIO(GF_Read, 0, y, nx, 1, row.data(), nx, 1, GDT_Float32, 0, 0), CE_None);
      for (float v : row) {
        if (!std::isfinite(v) || v == 0) continue;
        ++nonzero;
        const double steps = double(v) / q;
        ASSERT_NEAR(steps, std::round(steps), 1e-3) << name << " " << v;  // float32 storage
      }
    }
    if (name == "all") {  // sparse surfaces may be blank (with a warning)
      EXPECT_GT(nonzero, 0) << name;
    }
  }
}

// Issue 9: % variance as a number beside the published text, so QGIS can
// map change; blank wherever the text is not a number (x, n/a).
TEST_F(PublicRun, VarianceAsANumberMatchesTheText) {
  int checked = 0;
  for (const fs::path& path : {truth("csv/beat_counts.csv"), pub("csv/beat_statistics.csv")}) {
    const auto rows = read_csv(path);
    ASSERT_GT(rows.size(), 1u) << path;
    const auto& h = rows[0];
    const size_t text = size_t(std::find(h.begin(), h.end(), "pct_all_crime") - h.begin());
    const size_t number = size_t(std::find(h.begin(), h.end(), "pctv_all_crime") - h.begin());
    ASSERT_LT(number, h.size()) << path;
    for (size_t r = 1; r < rows.size(); ++r) {
      const std::string& t = rows[r][text];
      const std::string& n = rows[r][number];
      if (t.empty() || t.back() != '%') {
        EXPECT_EQ(n, "") << path << " row " << r << " " << t;
        continue;
      }
      ++checked;
      // The text is the number rounded as the CSP publishes it (1 dp, or none when whole).
      EXPECT_NEAR(std::stod(n), std::stod(t.substr(0, t.size() - 1)), 0.05 + 1e-9) << path << " " << t;
    }
  }
  EXPECT_GT(checked, 10);
}

// The audit ran, and found nothing left exposed.
TEST_F(PublicRun, AuditLeavesNoSmallCountExposed) {
  std::map<std::string, std::string> p;
  for (const auto& row : read_csv(pub("csv/statistics_parameters.csv")))
    if (row.size() == 2) p[row[0]] = row[1];
  EXPECT_EQ(p["disclosure_exposed_after_audit"], "0");
  EXPECT_NE(p["disclosure_audit"].find("GLPK"), std::string::npos);
  EXPECT_GE(std::stol(p["disclosure_audit_rounds"]), 1);
}

// The ledger: no small count of incidents outside a layer; no folders.
TEST_F(PublicRun, RunSummaryHoldsNoSmallCountAndNoFolders) {
  const std::string summary = slurp(pub("csv/run_summary.csv"));
  EXPECT_NE(slurp(truth("csv/run_summary.csv")).find("layer:ward:unmatched,3"), std::string::npos);
  EXPECT_EQ(summary.find("layer:ward:unmatched,3"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("recorded_agree"), std::string::npos);
  EXPECT_EQ(public_.output.find("unmatched 3"), std::string::npos) << public_.output;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "pub")) {
    if (!e.is_regular_file() || e.path().extension() == ".tif" || e.path().extension() == ".gpkg") continue;
    const std::string text = slurp(e.path());
    EXPECT_EQ(text.find(HOTSPOT_DATA_DIR), std::string::npos) << e.path();
    EXPECT_EQ(text.find(dir_.string()), std::string::npos) << e.path();
  }
}

}  // namespace
}  // namespace hotspot
