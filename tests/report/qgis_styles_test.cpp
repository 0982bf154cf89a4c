#include "report/qgis_styles.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hotspot/errors.h"
#include "test_paths.h"

namespace hotspot::report {
namespace {

namespace fs = std::filesystem;
const std::string kMaps = std::string(HOTSPOT_DATA_DIR) + "/../maps";

TEST(QgisStyles, QuantileBoundsAsQgisComputesThem) {
  // Type 7 quantiles: for 1..10 in 5 classes: 1, 2.8, 4.6, 6.4, 8.2, 10.
  const auto b = quantile_bounds({10, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 5);
  const std::vector<double> expected = {1, 2.8, 4.6, 6.4, 8.2, 10};
  ASSERT_EQ(b.size(), expected.size());
  for (size_t i = 0; i < b.size(); ++i) EXPECT_NEAR(b[i], expected[i], 1e-12);
  EXPECT_TRUE(quantile_bounds({}, 5).empty());
}

TEST(QgisStyles, ScaleRampSetsTheMaximum) {
  const std::string qml = read_qml(kMaps, "heatmap");
  const std::string scaled = scale_ramp(qml, 42);
  EXPECT_NE(scaled.find("classificationMax=\"42\""), std::string::npos);
}

TEST(QgisStyles, WritingTwiceReplacesTheRow) {
  GDALAllRegister();
  const fs::path dir = fs::temp_directory_path() / ("hotspot_styles_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string gpkg = (dir / "t.gpkg").string();
  {
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(gpkg.c_str(), 0, 0, 0,
                                                                                   GDT_Unknown, nullptr));
    ASSERT_TRUE(ds);
    ASSERT_TRUE(ds->CreateLayer("hotspots_all", nullptr, wkbMultiPolygon, nullptr));
  }
  const LayerStyle s{"hotspots_all", "geom", "hotspots", read_qml(kMaps, "hotspots"), true};
  write_layer_styles(gpkg, {s});
  write_layer_styles(gpkg, {s});
  GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR));
  OGRLayer* styles = ds->GetLayerByName("layer_styles");
  ASSERT_TRUE(styles);
  EXPECT_EQ(styles->GetFeatureCount(), 1);
  for (auto& f : *styles) {
    EXPECT_STREQ(f->GetFieldAsString("f_table_name"), "hotspots_all");
    EXPECT_EQ(f->GetFieldAsInteger("useAsDefault"), 1);
  }
  // A style for a layer the GeoPackage does not have is an error, not a silent no-op.
  EXPECT_THROW(write_layer_styles(gpkg, {LayerStyle{"nope", "geom", "x", s.qml, true}}), OutputError);
  ds.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hotspot::report
