// GeoPackage attribute tables whose rows go in through SQLite directly
// (gpkg_rows.cpp) read back through GDAL as GDAL would have written them.
#include "io/gpkg_rows.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <string>
#include <vector>

#include "io/out_table.h"

namespace hotspot::io {
namespace {

OutTable mixed_table(size_t rows) {
  OutTable t;
  t.name = "counts_long";
  t.add_column("area_code");
  t.add_column("area name \"quoted\"");
  t.add_column("count", ColumnType::kInteger);
  t.add_column("rate", ColumnType::kReal);
  for (size_t r = 0; r < rows; ++r)
    t.rows.push_back({"E0" + std::to_string(r), r % 4 == 3 ? "" : "Name é " + std::to_string(r),
                      r % 5 == 4 ? "" : std::to_string(static_cast<long long>(r) - 7),
                      r % 6 == 5 ? "" : std::to_string(double(r) / 3.0)});
  return t;
}

TEST(GpkgRows, RowsReadBackTypedWithCountAndTriggerAsGdalWritesThem) {
  GDALAllRegister();
  const std::string path =
      (std::filesystem::temp_directory_path() / ("hotspot_gpkg_rows_" + std::to_string(::getpid()) + ".gpkg")).string();
  std::filesystem::remove(path);
  const OutTable direct = mixed_table(5000);
  OutTable through_gdal = mixed_table(50);
  through_gdal.name = "odd";
  through_gdal.rows[3][2] = "3.5";  // not an integer: this table goes through GDAL
  ASSERT_TRUE(rows_insertable_directly(direct));
  ASSERT_FALSE(rows_insertable_directly(through_gdal));
  write_ogr(path, "GPKG", {&direct, &through_gdal}, "EPSG:27700");

  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  OGRLayer* layer = ds->GetLayerByName("counts_long");
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(layer->GetFeatureCount(FALSE), 5000);  // gpkg_ogr_contents, not a count of rows
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  ASSERT_EQ(defn->GetFieldCount(), 4);
  EXPECT_EQ(defn->GetFieldDefn(2)->GetType(), OFTInteger64);
  EXPECT_EQ(defn->GetFieldDefn(3)->GetType(), OFTReal);
  size_t r = 0;
  for (const auto& f : *layer) {
    ASSERT_LT(r, direct.rows.size());
    EXPECT_EQ(f->GetFID(), static_cast<GIntBig>(r + 1));
    const std::vector<std::string>& row = direct.rows[r];
    for (int c = 0; c < 4; ++c) {
      if (row[size_t(c)].empty()) {
        EXPECT_TRUE(f->IsFieldNull(c)) << "row " << r << " column " << c;
        continue;
      }
      if (c < 2) {
        EXPECT_EQ(f->GetFieldAsString(c), row[size_t(c)]);
      } else if (c == 2) {
        EXPECT_EQ(f->GetFieldAsInteger64(c), std::stoll(row[2]));
      } else {
        EXPECT_EQ(f->GetFieldAsDouble(c), std::stod(row[3]));
      }
    }
    ++r;
  }
  EXPECT_EQ(r, direct.rows.size());
  EXPECT_EQ(ds->GetLayerByName("odd")->GetFeatureCount(FALSE), 50);

  // The feature-count trigger is back: a row added later is counted.
  OGRLayer* check = ds->ExecuteSQL(
      "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'trigger_insert_feature_count_counts_long'",
      nullptr, nullptr);
  ASSERT_NE(check, nullptr);
  OGRFeatureUniquePtr n(check->GetNextFeature());
  EXPECT_EQ(n->GetFieldAsInteger(0), 1);
  ds->ReleaseResultSet(check);
  ds.reset();
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace hotspot::io
