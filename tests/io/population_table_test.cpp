// Tests for io/population_table (join_population): CSV and spreadsheet
// tables, duplicate codes, rows that match no area.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hotspot/errors.h"
#include "io/area_reader.h"

namespace hotspot::io {
namespace {

namespace fs = std::filesystem;

class PopulationTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    dir_ = fs::path(::testing::TempDir()) /
           ("hotspot_io_pop_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    layer_.name = "lsoa";
    layer_.code = {"E01", "E02", "E03"};
    layer_.label.resize(3);
    layer_.geometry.resize(3);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  // A one-sheet spreadsheet (driver XLSX or ODS) with columns code, pop.
  std::string write_sheet(const char* driver_name, const std::string& name,
                          const std::vector<std::pair<std::string, int>>& rows) {
    const std::string path = (dir_ / name).string();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    EXPECT_NE(driver, nullptr) << driver_name;
    if (!driver) return path;
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    EXPECT_TRUE(ds) << CPLGetLastErrorMsg();
    if (!ds) return path;
    OGRLayer* sheet = ds->CreateLayer("population", nullptr, wkbNone, nullptr);
    OGRFieldDefn code("code", OFTString), pop("pop", OFTInteger);
    EXPECT_EQ(sheet->CreateField(&code), OGRERR_NONE);
    EXPECT_EQ(sheet->CreateField(&pop), OGRERR_NONE);
    for (const auto& [c, p] : rows) {
      OGRFeature f(sheet->GetLayerDefn());
      f.SetField("code", c.c_str());
      f.SetField("pop", p);
      EXPECT_EQ(sheet->CreateFeature(&f), OGRERR_NONE);
    }
    return path;
  }
  std::string error_of(const PopulationSource& table) {
    try {
      join_population(layer_, table, ledger_);
    } catch (const InputError& e) {
      return e.what();
    }
    ADD_FAILURE() << "expected InputError";
    return "";
  }
  fs::path dir_;
  AreaLayer layer_;
  Ledger ledger_;
};

TEST_F(PopulationTableTest, CsvJoinsByCode) {
  const std::string path = write("pop.csv", "code,pop\nE02,200\nE01,100.5\nE03,300\n");
  join_population(layer_, {path, "code", "pop"}, ledger_);
  EXPECT_EQ(layer_.population, (std::vector<double>{100.5, 200, 300}));
  EXPECT_TRUE(ledger_.warnings.empty());
}

// Issue 8: an .xlsx population table (GDAL reads it) gave a garbled header
// message: it was read as CSV text.
TEST_F(PopulationTableTest, XlsxAndOdsAreReadThroughGdal) {
  for (auto [driver, name] : {std::pair{"XLSX", "pop.xlsx"}, std::pair{"ODS", "pop.ods"}}) {
    SCOPED_TRACE(name);
    const std::string path = write_sheet(driver, name, {{"E01", 100}, {"E02", 200}, {"E03", 300}});
    Ledger ledger;
    AreaLayer layer = layer_;
    join_population(layer, {path, "code", "pop"}, ledger);
    EXPECT_EQ(layer.population, (std::vector<double>{100, 200, 300}));
    EXPECT_TRUE(ledger.warnings.empty());
    // A wrong column name lists the sheet's columns.
    try {
      join_population(layer, {path, "LSOA11CD", "pop"}, ledger);
      ADD_FAILURE() << "expected InputError";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("'LSOA11CD'"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("2 columns: code, pop"), std::string::npos) << e.what();
    }
  }
}

TEST_F(PopulationTableTest, DuplicateCodeIsAnErrorNamingTheCodeAndRows) {
  const std::string path = write("pop.csv", "code,pop\nE01,100\nE02,200\nE01,150\n");
  const std::string msg = error_of({path, "code", "pop"});
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("'E01' appears twice (rows 1 and 3)"), std::string::npos) << msg;
}

// Issue 8: population rows matching no area were not reported.
TEST_F(PopulationTableTest, RowsMatchingNoAreaAreReported) {
  const std::string path = write("pop.csv", "code,pop\nE01,100\nE02,200\nE03,300\nW99,5\nW98,6\n\n");
  join_population(layer_, {path, "code", "pop"}, ledger_);
  EXPECT_EQ(layer_.population, (std::vector<double>{100, 200, 300}));
  ASSERT_EQ(ledger_.warnings.size(), 1u);
  EXPECT_NE(ledger_.warnings[0].find("2 population rows match no area of layer lsoa (e.g. 'W98', 'W99')"),
            std::string::npos)
      << ledger_.warnings[0];
}

TEST_F(PopulationTableTest, AreasWithoutPopulationAreReported) {
  const std::string path = write("pop.csv", "code,pop\nE01,100\n");
  join_population(layer_, {path, "code", "pop"}, ledger_);
  EXPECT_EQ(layer_.population[0], 100);
  EXPECT_TRUE(std::isnan(layer_.population[1]));
  ASSERT_EQ(ledger_.warnings.size(), 1u);
  EXPECT_NE(ledger_.warnings[0].find("2 areas have no population"), std::string::npos) << ledger_.warnings[0];
}

TEST_F(PopulationTableTest, BadValueNamesRowAndField) {
  const std::string path = write("pop.csv", "code,pop\nE01,100\nE02,\"1,234\"\n");
  const std::string msg = error_of({path, "code", "pop"});
  EXPECT_NE(msg.find(path + ": row 2, field pop: not a population: '1,234'"), std::string::npos) << msg;
}

}  // namespace
}  // namespace hotspot::io
