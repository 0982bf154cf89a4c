// Change surfaces in the batch packs (issue 10): each pack's surface is the
// run's one on the pack's area (same cells, same values, masked outside),
// written with its diverging QGIS style, in the pack's project, manifest and
// GeoPackage, with a change map and a paragraph in its briefing; public
// packs carry none. On the Charnwood demo: All crime, February 2019 against
// January.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include "common/change_specs.h"
#include "hotspot/batch.h"
#include "hotspot/pipeline.h"
#include "pipeline/change_run.h"
#include "report/change_section.h"
#include "report/svg_map.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
const std::string kMaps = std::string(HOTSPOT_DATA_DIR) + "/../maps";

struct Raster {
  std::vector<float> v;
  double x0 = 0, y_top = 0, cell = 0;
  int nx = 0, ny = 0;
};

Raster band1(const fs::path& tif) {
  GDALAllRegister();
  Raster r;
  GDALDatasetUniquePtr ds(GDALDataset::Open(tif.c_str(), GDAL_OF_RASTER));
  if (!ds) return r;
  double gt[6];
  ds->GetGeoTransform(gt);
  r.x0 = gt[0], r.y_top = gt[3], r.cell = gt[1];
  r.nx = ds->GetRasterXSize(), r.ny = ds->GetRasterYSize();
  r.v.resize(size_t(r.nx) * size_t(r.ny));
  if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, r.nx, r.ny, r.v.data(), r.nx, r.ny, GDT_Float32, 0, 0) != CE_None)
    r.v.clear();
  return r;
}

// The <maplayer> block of the project whose datasource is `source`.
std::string maplayer_of(const std::string& project, const std::string& source) {
  const size_t at = project.find("<datasource>" + source + "</datasource>");
  if (at == std::string::npos) return "";
  const size_t open = project.rfind("<maplayer ", at), close = project.find("</maplayer>", at);
  return project.substr(open, close - open);
}

RunSpec change_spec() {
  RunSpec spec = testing::demo_with_change(49);
  spec.change_surfaces[0].fdr = true;
  spec.output.geojson = false;
  return spec;
}

class ChangePacks : public testing::TempDirTest {
 protected:
  BatchResult batch(const RunSpec& spec, const std::string& beat) {
    BatchSpec b;
    b.layer = "beat";
    b.areas = {beat};
    b.out = (dir_ / "packs").string();
    b.jobs = 1;
    b.maps_dir = kMaps;
    return run_batch(spec, b);
  }
};

TEST_F(ChangePacks, PackCarriesTheRunsSurfaceOnItsAreaStyledMappedAndListed) {
  const RunSpec spec = change_spec();
  const RunResult run = run_pipeline(spec);  // run-wide: every beat
  ASSERT_EQ(run.change.size(), 1u);
  const Grid& whole = run.change[0]->grids.difference;
  const BatchResult res = batch(spec, "62");
  ASSERT_EQ(res.failed, 0) << (res.packs.empty() ? "" : res.packs[0].error);
  const fs::path pack = dir_ / "packs" / res.packs.at(0).folder;

  // The files and their styles: the difference and log ratio diverging
  // (symmetric about 0), the p and FDR-adjusted p in classes.
  for (const char* stem : {"all_crime_difference", "all_crime_log_ratio", "all_crime_p", "all_crime_p_fdr"}) {
    EXPECT_TRUE(fs::exists(pack / "change" / (std::string(stem) + ".tif"))) << stem;
    EXPECT_TRUE(fs::exists(pack / "change" / (std::string(stem) + ".qml"))) << stem;
  }
  const std::string qml = slurp(pack / "change/all_crime_difference.qml");
  const size_t lo = qml.find("classificationMin=\"-"), hi = qml.find("classificationMax=\"");
  ASSERT_NE(lo, std::string::npos);
  ASSERT_NE(hi, std::string::npos);
  EXPECT_EQ(qml.substr(lo + 20, qml.find('"', lo + 20) - lo - 20), qml.substr(hi + 19, qml.find('"', hi + 19) - hi - 19));

  // The pack's difference is the run's on the same cells (every incident
  // smoothed, the grid snapped to the same cell multiples), NaN outside beat 62.
  const Raster d = band1(pack / "change/all_crime_difference.tif");
  ASSERT_FALSE(d.v.empty());
  EXPECT_EQ(d.cell, whole.cell);
  EXPECT_LT(size_t(d.nx) * size_t(d.ny), whole.size());  // clipped to the beat's box
  size_t inside = 0, outside = 0, nonzero = 0;
  for (int r = 0; r < d.ny; ++r)
    for (int c = 0; c < d.nx; ++c) {
      const float v = d.v[size_t(r) * size_t(d.nx) + size_t(c)];
      if (std::isnan(v)) {
        ++outside;
        continue;
      }
      ++inside;
      nonzero += v != 0;
      const double x = d.x0 + (c + 0.5) * d.cell, y = d.y_top - (r + 0.5) * d.cell;
      const int wc = whole.col_of(x), wr = whole.row_of(y);
      ASSERT_GE(wc, 0);
      ASSERT_GE(wr, 0);
      EXPECT_NEAR(v, whole.at(wc, wr), 1e-6 * (1 + std::fabs(whole.at(wc, wr)))) << x << " " << y;
    }
  EXPECT_GT(inside, 50u);
  EXPECT_GT(outside, 0u);  // the beat is not its bounding box
  EXPECT_GT(nonzero, 0u);

  // The project opens the four rasters with their styles, in a group of their own.
  const std::string project = slurp(pack / "project.qgs");
  EXPECT_NE(project.find("name=\"Change over time\""), std::string::npos);
  for (const char* stem : {"all_crime_difference", "all_crime_log_ratio", "all_crime_p", "all_crime_p_fdr"}) {
    const std::string layer = maplayer_of(project, "./change/" + std::string(stem) + ".tif");
    ASSERT_FALSE(layer.empty()) << stem;
    EXPECT_NE(layer.find("<provider>gdal</provider>"), std::string::npos) << stem;
    EXPECT_NE(layer.find("type=\"singlebandpseudocolor\""), std::string::npos) << stem;
  }
  EXPECT_NE(maplayer_of(project, "./change/all_crime_difference.tif").find("classificationMin=\"-"), std::string::npos);

  // The manifest lists the files as the pack's area and the surface's parameters.
  const nlohmann::json m = nlohmann::json::parse(slurp(pack / "manifest.json"));
  int listed = 0;
  for (const auto& o : m.at("outputs"))
    if (o.at("file").get<std::string>().rfind("change/", 0) == 0) {
      ++listed;
      EXPECT_EQ(o.at("scope"), "the pack's area") << o.at("file");
    }
  EXPECT_EQ(listed, 8);  // four rasters, four styles
  ASSERT_EQ(m.at("change_surfaces").size(), 1u);
  EXPECT_EQ(m.at("change_surfaces")[0].at("extent"), "beat 62");
  EXPECT_NE(m.at("change_surfaces")[0].at("fdr").get<std::string>().find("Benjamini-Hochberg"), std::string::npos);
  EXPECT_TRUE(fs::exists(pack / "csv/change_parameters.csv"));

  // The briefing: the paragraph, the map with its diverging legend, and the
  // map's SVG and PNG beside it.
  const std::string html = slurp(pack / "briefing.html");
  EXPECT_NE(html.find("Where incidents rose most between 2019-01 and 2019-02 (All crime; "), std::string::npos);
  EXPECT_NE(html.find("They fell most around ward "), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"change map all_crime\""), std::string::npos);
  EXPECT_NE(html.find("Change, after - before, incidents per km\xC2\xB2 per month"), std::string::npos);
  EXPECT_NE(html.find("only where both periods exceed the floor"), std::string::npos);
  EXPECT_TRUE(fs::exists(pack / "maps/change_all_crime.svg"));
  EXPECT_TRUE(fs::exists(pack / "maps/change_all_crime.png"));
  // The largest rise the paragraph states is the pack's highest cell.
  float top = 0;
  for (float v : d.v)
    if (v > top) top = v;
  EXPECT_NE(html.find(", up " + report::num(top) + " incidents per km"), std::string::npos) << report::num(top);
}

// Public packs: no change surface (its densities and p are not protected as
// the public heat map is), and the briefing says so.
TEST_F(ChangePacks, PublicPacksCarryNoChangeSurface) {
  RunSpec spec = change_spec();
  spec.stats.enabled = true;
  spec.stats.public_mode = true;
  const BatchResult res = batch(spec, "62");
  ASSERT_EQ(res.failed, 0) << (res.packs.empty() ? "" : res.packs[0].error);
  const fs::path pack = dir_ / "packs" / res.packs.at(0).folder;
  EXPECT_FALSE(fs::exists(pack / "change"));
  EXPECT_EQ(slurp(pack / "project.qgs").find("./change/"), std::string::npos);
  const std::string html = slurp(pack / "briefing.html");
  EXPECT_NE(html.find("Change surfaces are not published in public packs"), std::string::npos);
  EXPECT_EQ(html.find("Where incidents rose most"), std::string::npos);
}

// The diverging colours: the QGIS style's stops, transparent at 0.
TEST(ChangeColours, AsTheQgisStyle) {
  EXPECT_EQ(report::change_colour(0, 10).alpha, 0);
  EXPECT_EQ(report::css_colour(report::change_colour(10, 10).rgb), "#b2182b");
  EXPECT_EQ(report::css_colour(report::change_colour(-25, 10).rgb), "#2166ac");  // beyond the top: darkest
  EXPECT_EQ(report::css_colour(report::change_colour(5, 10).rgb), "#ef8a62");
  EXPECT_EQ(report::change_colour(-5, 10).alpha, 230);
}

}  // namespace
}  // namespace hotspot
