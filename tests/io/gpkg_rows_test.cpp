// GeoPackage attribute tables whose rows go in through SQLite directly
// (gpkg_rows.cpp) read back through GDAL as GDAL would have written them.
#include "io/gpkg_rows.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <string>
#include <vector>

#include "hotspot/errors.h"
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

// The rows go in many to an INSERT (gpkg_rows.cpp): a generated table,
// whose rows come one at a time in one reused vector, must still give each
// row its own values, the fids 1..n in order and sqlite_sequence at n, for a
// count that is not a multiple of the rows a statement (64), as one row an
// INSERT would.
// A producer that says it formatted its numbers itself is not re-read
// before the insert; one that breaks the promise fails the write, naming
// the table and column, rather than storing text in a number column.
TEST(GpkgRows, PromisedNumbersAreTrustedAndABrokenPromiseFails) {
  GDALAllRegister();
  const std::string path =
      (std::filesystem::temp_directory_path() / ("hotspot_gpkg_promise_" + std::to_string(::getpid()) + ".gpkg")).string();
  std::filesystem::remove(path);
  OutTable t = mixed_table(200);
  t.numbers_formatted = true;
  t.rows[150][2] = "3.5";
  EXPECT_TRUE(rows_insertable_directly(t));  // not re-read
  try {
    write_ogr(path, "GPKG", {&t}, "EPSG:27700");
    ADD_FAILURE() << "a text value in an integer column was written";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("column count: '3.5' is not a number"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
  t.rows[150][2] = "150";
  write_ogr(path, "GPKG", {&t}, "EPSG:27700");
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->GetLayerByName("counts_long")->GetFeatureCount(TRUE), 200);
  ds.reset();
  std::filesystem::remove(path);
}

TEST(GpkgRows, ManyRowsAnInsertKeepGeneratedRowsFidsAndSequence) {
  GDALAllRegister();
  const std::string path =
      (std::filesystem::temp_directory_path() / ("hotspot_gpkg_batch_" + std::to_string(::getpid()) + ".gpkg"))
          .string();
  std::filesystem::remove(path);
  OutTable generated;
  generated.name = "counts_long";
  generated.add_column("area_code");
  generated.add_column("count", ColumnType::kInteger);
  generated.generated_rows = 64 * 3 + 5;
  generated.generate = [](size_t i, std::vector<std::string>& row) {
    row[0] = "E" + std::to_string(i);
    row[1] = i % 7 == 3 ? "" : std::to_string(i * 10);
  };
  OutTable small = mixed_table(3);  // fewer rows than one statement holds
  small.name = "small";
  ASSERT_TRUE(rows_insertable_directly(generated));
  write_ogr(path, "GPKG", {&generated, &small}, "EPSG:27700");

  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  OGRLayer* layer = ds->GetLayerByName("counts_long");
  ASSERT_NE(layer, nullptr);
  size_t r = 0;
  for (const auto& f : *layer) {
    EXPECT_EQ(f->GetFID(), static_cast<GIntBig>(r + 1));
    EXPECT_STREQ(f->GetFieldAsString(0), ("E" + std::to_string(r)).c_str());
    if (r % 7 == 3)
      EXPECT_TRUE(f->IsFieldNull(1)) << "row " << r;
    else
      EXPECT_EQ(f->GetFieldAsInteger64(1), static_cast<GIntBig>(r * 10)) << "row " << r;
    ++r;
  }
  EXPECT_EQ(r, generated.generated_rows);
  EXPECT_EQ(ds->GetLayerByName("small")->GetFeatureCount(TRUE), 3);
  OGRLayer* seq = ds->ExecuteSQL("SELECT name, seq FROM sqlite_sequence ORDER BY name", nullptr, nullptr);
  ASSERT_NE(seq, nullptr);
  std::vector<std::pair<std::string, GIntBig>> sequences;
  for (const auto& f : *seq) sequences.emplace_back(f->GetFieldAsString(0), f->GetFieldAsInteger64(1));
  ds->ReleaseResultSet(seq);
  const std::vector<std::pair<std::string, GIntBig>> expected = {{"counts_long", 64 * 3 + 5}, {"small", 3}};
  EXPECT_EQ(sequences, expected);
  ds.reset();
  std::filesystem::remove(path);
}

// Generated rows are made straight into one slot per row of a 64-row
// statement (no copy of a reused row): each row keeps its own text until
// the statement is stepped, also for the last, short statement's rows.
TEST(GpkgRows, GeneratedRowsOfOneStatementKeepTheirOwnText) {
  GDALAllRegister();
  const std::string path =
      (std::filesystem::temp_directory_path() / ("hotspot_gpkg_slots_" + std::to_string(::getpid()) + ".gpkg"))
          .string();
  std::filesystem::remove(path);
  OutTable generated;
  generated.name = "counts_long";
  generated.add_column("long_text");  // longer than a short-string buffer
  generated.add_column("count", ColumnType::kInteger);
  generated.generated_rows = 64 * 2 + 3;
  generated.numbers_formatted = true;
  auto text = [](size_t i) { return "a name long enough to be on the heap, row " + std::to_string(i); };
  generated.generate = [&text](size_t i, std::vector<std::string>& row) {
    row[0] = text(i);
    row[1] = std::to_string(i * 3);
  };
  write_ogr(path, "GPKG", {&generated}, "EPSG:27700");
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  size_t r = 0;
  for (const auto& f : *ds->GetLayerByName("counts_long")) {
    EXPECT_EQ(f->GetFieldAsString(0), text(r));
    EXPECT_EQ(f->GetFieldAsInteger64(1), static_cast<GIntBig>(r * 3));
    ++r;
  }
  EXPECT_EQ(r, generated.generated_rows);
  ds.reset();
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace hotspot::io
