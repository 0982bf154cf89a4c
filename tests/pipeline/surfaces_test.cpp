// Heat maps end to end on the Charnwood demo: GeoTIFFs that QGIS can read,
// per-beat surfaces without edge fall-off, hotspot areas.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hotspot/pipeline.h"
#include "pipeline/surfaces.h"
#include "stats/area_stats.h"
#include "run_cli.h"
#include "common/specs.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
const std::string kData = HOTSPOT_DATA_DIR;

RunSpec charnwood(const std::string& study_area) {
  RunSpec spec = testing::charnwood_spec();
  spec.areas.erase(spec.areas.begin());  // wards and beats only
  spec.stats.enabled = false;
  spec.kde.enabled = true;
  spec.kde.bandwidth = 400;
  spec.kde.cell = 50;
  spec.kde.study_layer = "beat";
  spec.kde.study_area = study_area;
  return spec;
}

TEST(Surfaces, PerBeatSurfaceHasNoEdgeFallOff) {
  // Beat 62 (Loughborough town centre) smoothed with every incident within R
  // of it equals the whole borough's surface on its cells: no false fall-off.
  const RunResult whole = run_pipeline(charnwood(""));
  const RunResult beat = run_pipeline(charnwood("62"));
  const Grid& w = whole.surfaces.at(0).density;
  const Grid& b = beat.surfaces.at(0).density;
  int compared = 0;
  for (int r = 0; r < b.ny; ++r)
    for (int c = 0; c < b.nx; ++c) {
      const double v = b.at(c, r);
      if (std::isnan(v)) continue;
      const int wc = w.col_of(b.centre_x(c)), wr = w.row_of(b.centre_y(r));
      ASSERT_GE(wc, 0);
      ASSERT_GE(wr, 0);
      EXPECT_NEAR(v, w.at(wc, wr), 1e-9 * std::max(1.0, v));
      ++compared;
    }
  EXPECT_GT(compared, 1000);
  // Clipped: the beat's grid is its bounding box; cells outside the beat are nodata.
  int nodata = 0;
  for (double v : b.values) nodata += std::isnan(v);
  EXPECT_GT(nodata, 0);
  EXPECT_EQ(beat.surfaces[0].parameters.at("extent"), "beat 62");
}

TEST(Surfaces, HotspotsRankedAndCounted) {
  const RunResult r = run_pipeline(charnwood(""));
  const Surface& s = r.surfaces.at(0);
  ASSERT_FALSE(s.hotspots.empty());
  int64_t inside = 0;
  for (size_t i = 0; i < s.hotspots.size(); ++i) {
    EXPECT_EQ(s.hotspots[i].rank, int(i + 1));
    if (i) {
      EXPECT_GE(s.hotspots[i - 1].peak, s.hotspots[i].peak);
    }
    EXPECT_GE(s.hotspots[i].peak, s.hotspots[i].mean);
    EXPECT_NEAR(s.hotspots[i].area_km2, s.hotspots[i].cells * 0.05 * 0.05, 1e-9);
    inside += s.hotspots[i].incidents;
  }
  EXPECT_GT(inside, 0);
  EXPECT_LE(inside, int64_t(r.incidents.size()));
  // The top 5% of cells by default.
  EXPECT_EQ(s.parameters.at("hotspot_rule"), "top 5% of cells");
  EXPECT_EQ(s.parameters.at("radius_m"), "400");
}

// A GeoTIFF-only run shows no hotspot shapes: they are not polygonised,
// and the areas are otherwise the same (counted in the GeoTIFF's metadata).
TEST(Surfaces, GeoTiffOnlyRunSkipsHotspotShapesButFindsTheSameAreas) {
  GDALAllRegister();
  const RunSpec in_memory = charnwood("");  // no output folder: the library's caller gets the shapes
  RunSpec tif_only = charnwood("");
  const fs::path out = fs::temp_directory_path() / ("hotspot_tif_only_" + std::to_string(getpid()));
  tif_only.output.dir = out.string();
  tif_only.output.geopackage = tif_only.output.geojson = tif_only.output.csv = tif_only.output.briefing = false;
  tif_only.quiet = true;
  EXPECT_TRUE(pipeline::hotspot_shapes_shown(in_memory));
  ASSERT_FALSE(pipeline::hotspot_shapes_shown(tif_only));
  const RunResult a = run_pipeline(in_memory);
  const RunResult b = run_pipeline(tif_only);
  const Surface& sa = a.surfaces.at(0);
  const Surface& sb = b.surfaces.at(0);
  ASSERT_FALSE(sa.hotspots.empty());
  ASSERT_EQ(sa.hotspots.size(), sb.hotspots.size());
  for (size_t i = 0; i < sa.hotspots.size(); ++i) {
    const HotspotArea &x = sa.hotspots[i], &y = sb.hotspots[i];
    EXPECT_FALSE(x.geometry.empty());
    EXPECT_TRUE(y.geometry.empty()) << "hotspot " << i + 1 << " polygonised for nobody";
    EXPECT_EQ(x.rank, y.rank);
    EXPECT_EQ(x.cells, y.cells);
    EXPECT_EQ(x.incidents, y.incidents);
    EXPECT_EQ(x.peak, y.peak);
    EXPECT_EQ(x.mean, y.mean);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.top_categories, y.top_categories);
  }
  EXPECT_EQ(sa.parameters, sb.parameters);
  GDALDatasetUniquePtr ds(GDALDataset::Open((out / "kde/all.tif").c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  ASSERT_TRUE(ds->GetMetadataItem("hotspots_found"));
  EXPECT_EQ(std::string(ds->GetMetadataItem("hotspots_found")), sa.parameters.at("hotspots_found"));
  ds.reset();
  fs::remove_all(out);
  // Each output that stores or draws the shapes asks for them.
  for (bool OutputSpec::*flag :
       {&OutputSpec::geopackage, &OutputSpec::geojson, &OutputSpec::csv, &OutputSpec::briefing}) {
    RunSpec one = tif_only;
    one.output.*flag = true;
    EXPECT_TRUE(pipeline::hotspot_shapes_shown(one));
  }
  RunSpec postgis = tif_only;
  postgis.output.postgis.connection = "PG:dbname=crime";
  EXPECT_TRUE(pipeline::hotspot_shapes_shown(postgis));
  RunSpec dry = tif_only;
  dry.dry_run = true;
  EXPECT_TRUE(pipeline::hotspot_shapes_shown(dry));
}

TEST(Surfaces, BandwidthRuleIsStated) {
  RunSpec spec = charnwood("");
  spec.kde.bandwidth = 0;  // ArcGIS spatial Silverman
  const RunResult r = run_pipeline(spec);
  const auto& p = r.surfaces.at(0).parameters;
  EXPECT_EQ(p.at("bandwidth_from"), "rule silverman");
  const double radius = std::stod(p.at("radius_m"));
  EXPECT_GT(radius, 100);
  EXPECT_LT(radius, 5000);
}

TEST(Surfaces, DemoGeoTiffsOpenWithTheirParameters) {
  GDALAllRegister();
  const fs::path out = fs::temp_directory_path() / ("hotspot_kde_" + std::to_string(getpid()));
  auto run = testing::run_cli("run -q -c " + kData + "/demo.toml --no-geojson --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  GDALDatasetUniquePtr ds(GDALDataset::Open((out / "kde/all.tif").c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  EXPECT_STREQ(ds->GetSpatialRef()->GetAuthorityCode(nullptr), "27700");
  GDALRasterBand* band = ds->GetRasterBand(1);
  EXPECT_EQ(band->GetRasterDataType(), GDT_Float32);
  int has_nodata = 0;
  EXPECT_TRUE(std::isnan(band->GetNoDataValue(&has_nodata)));
  EXPECT_TRUE(has_nodata);
  EXPECT_GE(band->GetOverviewCount(), 1);
  EXPECT_STREQ(ds->GetMetadataItem("kernel"), "quartic");
  EXPECT_STREQ(ds->GetMetadataItem("radius_m"), "300");
  EXPECT_STREQ(ds->GetMetadataItem("units"), "per_km2");
  // Density x cell area integrates to (a little less than, at the borough's
  // edge) the incidents mapped.
  double transform[6];
  ds->GetGeoTransform(transform);
  std::vector<float> v(size_t(ds->GetRasterXSize()) * size_t(ds->GetRasterYSize()));
  ASSERT_EQ(band->RasterIO(GF_Read, 0, 0, ds->GetRasterXSize(), ds->GetRasterYSize(), v.data(),
                           ds->GetRasterXSize(), ds->GetRasterYSize(), GDT_Float32, 0, 0),
            CE_None);
  double mass = 0;
  for (float x : v)
    if (!std::isnan(x)) mass += x * transform[1] * transform[1] / 1e6;
  EXPECT_GT(mass, 0.97 * 6296);
  EXPECT_LT(mass, 1.0 * 6299);
  GDALDatasetUniquePtr gi(GDALDataset::Open((out / "kde/all_gistar.tif").c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(gi);
  EXPECT_EQ(gi->GetRasterCount(), 3);
  GDALDatasetUniquePtr gpkg(GDALDataset::Open((out / "hotspot.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(gpkg);
  OGRLayer* hot = gpkg->GetLayerByName("hotspots_all");
  ASSERT_TRUE(hot);
  EXPECT_GT(hot->GetFeatureCount(), 0);
  fs::remove_all(out);
}

TEST(Surfaces, PerIncidentWeights) {
  const fs::path dir = fs::temp_directory_path() / ("hotspot_weights_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path csv = dir / "weighted.csv";
  std::ofstream(csv) << "x,y,month,type,w\n"
                     << "450000,310000,2019-01,Burglary,1\n"
                     << "450500,310200,2019-01,Burglary,2\n"
                     << "451000,310400,2019-02,Robbery,0.5\n"
                     << "451500,310600,2019-02,Robbery,-1\n";  // a negative weight is rejected
  RunSpec spec;
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.paths = {csv.string()};
  s.crs = "EPSG:27700";
  s.date_field = "month";
  s.category_field = "type";
  s.weight_field = "w";
  spec.incidents = {s};
  spec.stats.enabled = false;
  spec.kde.enabled = true;
  spec.kde.bandwidth = 200;
  spec.kde.cell = 10;
  spec.kde.units = kde::Units::kPerCell;
  spec.kde.gistar_distance = 30;  // distance-band Gi* on the cells
  const RunResult r = run_pipeline(spec);
  EXPECT_EQ(r.ledger.rejected, 1);
  ASSERT_EQ(r.ledger.rejects.size(), 1u);
  EXPECT_EQ(r.ledger.rejects[0].field, "w");
  EXPECT_EQ(r.ledger.rejects[0].row, 4);
  double mass = 0;
  for (double v : r.surfaces.at(0).density.values) mass += v;
  EXPECT_NEAR(mass, 3.5, 1e-3);  // 1 + 2 + 0.5: weights, not incidents
  EXPECT_EQ(r.surfaces[0].parameters.at("weights"), "per-incident weight field");
  EXPECT_EQ(r.surfaces[0].parameters.at("gistar"), "cells within 30 m incl. self on cell counts");
  EXPECT_FALSE(r.surfaces[0].gi_z.values.empty());
  fs::remove_all(dir);
}

TEST(Surfaces, AreaGiStarWithADistanceBand) {
  RunSpec spec = testing::charnwood_spec();
  spec.stats.gistar_distance = 2000;  // LSOA centroids within 2 km
  const RunResult r = run_pipeline(spec);
  const auto& lsoa = r.stats->layers.at(0);
  ASSERT_EQ(lsoa.gi_z.size(), 99u);
  int finite = 0;
  for (double z : lsoa.gi_z) finite += std::isfinite(z);
  EXPECT_GT(finite, 90);
}

// Issue 9: by default the heat map covers the tables' current period, not
// every month of the data.
TEST(Surfaces, DefaultSurfaceCoversTheTablesCurrentPeriod) {
  RunSpec spec = charnwood("62");
  spec.stats.enabled = true;
  spec.kde.surfaces.clear();
  const RunResult r = run_pipeline(spec);
  ASSERT_EQ(r.surfaces.size(), 1u);
  EXPECT_EQ(r.surfaces[0].parameters.at("period"), spec.stats.current);
  const long used = std::stol(r.surfaces[0].parameters.at("incidents"));
  long current = 0;  // incidents of the latest month, 2019-02
  for (size_t i = 0; i < r.incidents.size(); ++i) current += month_label(r.incidents.month[i]) == "2019-02";
  EXPECT_EQ(used, current);
  EXPECT_LT(used, long(r.incidents.size()));
}

TEST(Surfaces, PublicSurfacesShowNoCellReachedByFiveOrFewerIncidents) {
  RunSpec spec = charnwood("58");  // Anstey: a rural beat, with sparse cells
  spec.stats.enabled = true;
  spec.stats.public_mode = true;
  spec.kde.surfaces = {{"all", {}, ""}};  // all five months (the default is the current period)
  const RunResult r = run_pipeline(spec);
  const Grid& g = r.surfaces.at(0).density;
  const double radius = 400;
  int checked = 0, shown = 0, sparse = 0;
  for (int row = 0; row < g.ny; row += 2)
    for (int col = 0; col < g.nx; col += 2) {
      const double v = g.at(col, row);
      if (std::isnan(v)) continue;
      int near = 0;  // brute force: incidents strictly within R of the cell centre
      for (size_t i = 0; i < r.incidents.size(); ++i) {
        const double dx = r.incidents.x[i] - g.centre_x(col), dy = r.incidents.y[i] - g.centre_y(row);
        near += dx * dx + dy * dy < radius * radius;
      }
      if (near >= 1 && near <= 5) {
        EXPECT_EQ(v, 0.0) << "cell " << col << "," << row << " near " << near;
        ++sparse;
      } else if (near > 5) {
        EXPECT_GE(v, 0.0);  // may round down to 0: densities are whole steps (public_density_step)
      }
      shown += v > 0;
      ++checked;
    }
  EXPECT_GT(checked, 100);
  EXPECT_GT(shown, 10);
  EXPECT_GT(sparse, 10) << "the test must meet cells reached by 1-5 incidents";
}

}  // namespace
}  // namespace hotspot
