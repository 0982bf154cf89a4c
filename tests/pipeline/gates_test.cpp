// The sanity gates end to end (issue 8): inputs that would put a wrong
// number in front of a meeting stop the run with a message saying why and
// how to fix it, or warn before the tables.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_cli.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class Gates : public testing::TempDirTest {
 protected:
  // A config reading `csv` (columns x, y, date, category) joined to Charnwood's LSOAs.
  std::string config(const std::string& csv, const std::string& incident_extra = "", const std::string& tail = "") {
    const std::string data = HOTSPOT_DATA_DIR;
    return write("run.toml", "[output]\ndir = \"" + out() + "\"\n\n[[incidents]]\nformat = \"csv\"\npaths = [\"" + csv +
                                 "\"]\nx = \"x\"\ny = \"y\"\ndate = \"date\"\ncategory = \"category\"\n" +
                                 incident_extra + "\n[[areas]]\nname = \"lsoa\"\npaths = [\"" + data +
                                 "/boundaries/lsoa2011_charnwood.geojson\"]\ncode = \"LSOA11CD\"\n" + tail);
  }
  std::string out() const { return (dir_ / "out").string(); }
  // No output folder and no staging folder left behind.
  void expect_nothing_written() {
    EXPECT_FALSE(fs::exists(out()));
    for (const auto& e : fs::directory_iterator(dir_))
      EXPECT_FALSE(has(e.path().filename().string(), ".partial")) << e.path();
  }
};

// Loughborough in British National Grid metres, and as lon/lat.
const char* const kBngRows =
    "x,y,date,category\n"
    "454000,319500,2019-02-03,Burglary\n"
    "453800,319900,2019-02-04,Burglary\n"
    "455100,318700,2019-01-10,Shoplifting\n";
const char* const kLonLatRows =
    "x,y,date,category\n"
    "-1.2050,52.7700,2019-02-03,Burglary\n"
    "-1.2080,52.7736,2019-02-04,Burglary\n"
    "-1.1890,52.7627,2019-01-10,Shoplifting\n";

// Issue 8, item 1: BNG eastings/northings with `crs` forgotten crashed with
// exit 139 in the statistics columns; the user is now told in one message
// that the values are BNG metres and which line to add.
TEST_F(Gates, ForgottenCrsOnBngCsvIsOneClearMessage) {
  const std::string csv = write("bng.csv", kBngRows);
  auto r = testing::run_cli("run -c " + config(csv));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(has(r.output, "no incident was accepted")) << r.output;
  EXPECT_TRUE(has(r.output, "rows read 3 = accepted 0 + rejected 3")) << r.output;
  EXPECT_TRUE(has(r.output, "rejected out_of_range: 3")) << r.output;
  EXPECT_TRUE(has(r.output, "British National Grid (EPSG:27700)")) << r.output;
  EXPECT_TRUE(has(r.output, "crs = \"EPSG:27700\"")) << r.output;
  EXPECT_TRUE(has(r.output, "[[incidents]] block that reads " + csv)) << r.output;
  expect_nothing_written();
}

TEST_F(Gates, ForgottenCrsWithStatisticsOffIsTheSameError) {
  const std::string csv = write("bng.csv", kBngRows);
  auto r = testing::run_cli("run -c " + config(csv, "", "\n[stats]\nenabled = false\n"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(has(r.output, "crs = \"EPSG:27700\"")) << r.output;
  expect_nothing_written();
}

TEST_F(Gates, PoliceUkRowsAllWithoutCoordinatesAreAnInputError) {
  std::string text =
      "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
      "Last outcome category,Context\n";
  for (int i = 0; i < 4; ++i)
    text += ",2019-02,Leicestershire Police,Leicestershire Police,,,No Location,,,Anti-social behaviour,,\n";
  const std::string csv = write("2019-02-x-street.csv", text);
  auto r = testing::run_cli("run --police-uk " + csv + " --out " + out());
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(has(r.output, "rejected blank_coordinates: 4")) << r.output;
  EXPECT_TRUE(has(r.output, "first blank_coordinates: " + csv + " row 1, field Longitude")) << r.output;
  expect_nothing_written();
}

TEST_F(Gates, DateRejectedOnEveryRowIsAnInputError) {
  const std::string csv = write("dates.csv",
                                "x,y,date,category\n-1.2050,52.7700,yesterday,Burglary\n"
                                "-1.2080,52.7736,last week,Burglary\n");
  auto r = testing::run_cli("run -c " + config(csv));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(has(r.output, "rejected unparsable_date: 2")) << r.output;
  EXPECT_TRUE(has(r.output, "field date")) << r.output;
  expect_nothing_written();
}

// Some BNG rows among good ones: the run goes on, and says what they are.
TEST_F(Gates, SomeBngRowsAreAWarningWithTheFix) {
  std::string text = kLonLatRows;
  text += "454000,319500,2019-02-03,Burglary\n";
  const std::string csv = write("mixed.csv", text);
  auto r = testing::run_cli("run -c " + config(csv));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "warning: 1 rows rejected as out_of_range")) << r.output;
  EXPECT_TRUE(has(r.output, "British National Grid (EPSG:27700)")) << r.output;
}

// Issue 8, item 2: swapped lon/lat gave "matched 0", a table of zeros, exit 0
// and a UTM zone in the southern hemisphere chosen without a word.
TEST_F(Gates, SwappedLonLatStopsWithBothExtentsAndTheCause) {
  const std::string csv = write("swapped.csv",
                                "x,y,date,category\n52.7700,-1.2050,2019-02-03,Burglary\n"
                                "52.7736,-1.2080,2019-02-04,Burglary\n52.7627,-1.1890,2019-01-10,Shoplifting\n");
  auto r = testing::run_cli("run -c " + config(csv));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(has(r.output, "layer 'lsoa': only 0 of 3 accepted incidents (0.0%)")) << r.output;
  EXPECT_TRUE(has(r.output, "incidents' extent (EPSG:32739)")) << r.output;
  EXPECT_TRUE(has(r.output, "layer's extent    (EPSG:32739)")) << r.output;
  EXPECT_TRUE(has(r.output, "latitude and longitude swapped")) << r.output;
  EXPECT_TRUE(has(r.output, "x = \"y\"")) << r.output;
  expect_nothing_written();
}

TEST_F(Gates, LowMatchCanBeAWarningRecordedInTheRunSummary) {
  const std::string csv = write("swapped.csv",
                                "x,y,date,category\n52.7700,-1.2050,2019-02-03,Burglary\n"
                                "52.7736,-1.2080,2019-02-04,Burglary\n");
  auto r = testing::run_cli("run -c " + config(csv, "", "\n[checks]\non_low_match = \"warn\"\n"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  // Printed before the tables, with the southern-hemisphere zone explained.
  const size_t warning = r.output.find("warning: layer 'lsoa': only 0 of 2");
  ASSERT_NE(warning, std::string::npos) << r.output;
  EXPECT_LT(warning, r.output.find("All crime by lsoa")) << r.output;
  EXPECT_TRUE(has(r.output, "UTM zone in the southern hemisphere")) << r.output;
  EXPECT_TRUE(has(r.output, "zone 39 south")) << r.output;
  std::ifstream summary(out() + "/csv/run_summary.csv");
  std::stringstream text;
  text << summary.rdbuf();
  EXPECT_TRUE(has(text.str(), "layer 'lsoa': only 0 of 2")) << text.str();
  EXPECT_TRUE(has(text.str(), "working_crs_reason")) << text.str();
}

TEST_F(Gates, AnotherCitysBoundariesAreNamedAsTheLikelyCause) {
  const std::string beats = std::string(HOTSPOT_SHARED_DATA_DIR) + "/chicago/police_beats.geojson";
  if (!fs::exists(beats)) GTEST_SKIP() << "shared data not found";
  const std::string csv = write("ok.csv", kLonLatRows);
  const std::string cfg = write("chicago.toml", "[[incidents]]\nformat = \"csv\"\npaths = [\"" + csv +
                                                    "\"]\nx = \"x\"\ny = \"y\"\ndate = \"date\"\n"
                                                    "category = \"category\"\n\n[[areas]]\nname = \"beat\"\n"
                                                    "paths = [\"" +
                                                    beats + "\"]\ncode = \"BEAT_NUM\"\n");
  auto r = testing::run_cli("run -c " + cfg);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(has(r.output, "the extents do not overlap")) << r.output;
  EXPECT_TRUE(has(r.output, "another place")) << r.output;
  EXPECT_TRUE(has(r.output, "(centre lon -87.")) << r.output;  // the layer is Chicago's
}

TEST_F(Gates, WrongCrsOverrideOnTheBoundaryFileIsNamed) {
  const std::string csv = write("ok.csv", kLonLatRows);
  auto r = testing::run_cli("run -c " + config(csv, "", "crs = \"EPSG:3857\"\n"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(has(r.output, "a wrong CRS override on the boundary file")) << r.output;
  EXPECT_TRUE(has(r.output, "crs = \"EPSG:3857\"")) << r.output;
}

TEST_F(Gates, MatchShareIsConfigurable) {
  const std::string csv = write("ok.csv", kLonLatRows);
  auto bad = testing::run_cli("run -c " + config(csv, "", "\n[checks]\nmin_match_share = 1.5\n"));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_TRUE(has(bad.output, "min_match_share must be a share in [0, 1]")) << bad.output;
  auto typo = testing::run_cli("run -c " + config(csv, "", "\n[checks]\non_low_match = \"ignore\"\n"));
  EXPECT_EQ(typo.exit_code, 2) << typo.output;
  auto ok = testing::run_cli("run -c " + config(csv));
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
}

// Issue 8, item 3: --working-crs EPSG:2227 was accepted although the message
// says metres are needed.
TEST_F(Gates, WorkingCrsInFeetIsRefusedNamingTheUnit) {
  const std::string csv = write("ok.csv", kLonLatRows);
  auto r = testing::run_cli("run -c " + config(csv) + " --working-crs EPSG:2227");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(has(r.output, "US survey foot")) << r.output;
  EXPECT_TRUE(has(r.output, "EPSG:27700")) << r.output;  // the metre CRS suggested for these data
  expect_nothing_written();
}

// A point layer in EPSG:2227 (US survey feet) became the working CRS, so
// "radius 300 m" were feet and area_km2 10.76x too large. Now the run works
// in British National Grid and Charnwood's 99 LSOAs cover its 279 km2.
TEST_F(Gates, SourceInFeetIsWorkedInMetres) {
  if (testing::run_cli_raw("command -v ogr2ogr").exit_code != 0) GTEST_SKIP() << "ogr2ogr not installed";
  const std::string data = HOTSPOT_DATA_DIR, gpkg = (dir_ / "feet.gpkg").string();
  auto made = testing::run_cli_raw("ogr2ogr -f GPKG " + gpkg + " " + data +
                                   "/police-uk/2019-02-charnwood-street.csv -oo X_POSSIBLE_NAMES=Longitude "
                                   "-oo Y_POSSIBLE_NAMES=Latitude -s_srs EPSG:4326 -t_srs EPSG:2227 -nln crimes");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const std::string cfg =
      write("feet.toml", "[output]\ndir = \"" + out() +
                             "\"\ngeojson = false\n\n"
                             "[[incidents]]\nformat = \"ogr\"\npaths = [\"" +
                             gpkg +
                             "\"]\ndate = \"Month\"\ncategory = \"Crime type\"\n\n[[areas]]\nname = \"lsoa\"\n"
                             "paths = [\"" +
                             data + "/boundaries/lsoa2011_charnwood.geojson\"]\ncode = \"LSOA11CD\"\n");
  auto r = testing::run_cli("run -c " + cfg);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "working CRS EPSG:27700")) << r.output;
  std::ifstream summary(out() + "/csv/run_summary.csv");
  std::stringstream text;
  text << summary.rdbuf();
  EXPECT_TRUE(has(text.str(), "EPSG:2227 is in US survey foot, not metres")) << text.str();
  // Sum area_km2 over the LSOAs: Charnwood borough is 279 km2.
  std::ifstream counts(out() + "/csv/lsoa_counts.csv");
  std::string line;
  std::getline(counts, line);
  size_t column = 0;
  for (size_t pos = 0, next;
       (next = line.find(',', pos)) != std::string::npos && line.substr(pos, next - pos) != "area_km2"; pos = next + 1)
    ++column;
  double km2 = 0;
  int areas = 0;
  while (std::getline(counts, line)) {
    std::stringstream row(line);
    std::string field;
    for (size_t i = 0; i <= column; ++i) std::getline(row, field, ',');
    km2 += std::stod(field);
    ++areas;
  }
  EXPECT_EQ(areas, 99);
  EXPECT_NEAR(km2, 279.05, 0.5);
}

// Points far outside the working CRS's area of use were accepted silently.
TEST_F(Gates, PointsFarOutsideTheAreaOfUseAreCounted) {
  std::string text = kLonLatRows;
  text += "-3.7038,40.4168,2019-02-05,Burglary\n";  // Madrid, in British National Grid
  const std::string csv = write("madrid.csv", text);
  auto r = testing::run_cli("run -c " + config(csv));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(has(r.output,
                  "warning: 1 of 4 incidents lie more than 1 degree outside the area of use of the working "
                  "CRS EPSG:27700"))
      << r.output;
  EXPECT_TRUE(has(r.output, "lon -3.704..-3.704, lat 40.417..40.417")) << r.output;
  EXPECT_TRUE(has(r.output, "(first: " + csv + " row 4)")) << r.output;
}

// Missing population dropped rates and significance without a word.
TEST_F(Gates, MissingPopulationIsAWarningNamingTheLayer) {
  const std::string csv = write("ok.csv", kLonLatRows);
  const std::string pop = write("pop.csv", "code,people\nE01025680,1500\nE01025681,1600\n");
  const std::string data = HOTSPOT_DATA_DIR;
  auto r = testing::run_cli("run -c " +
                            config(csv, "",
                                   "population = { path = \"" + pop +
                                       "\", code = \"code\", value = \"people\" }\n\n[[areas]]\n"
                                       "name = \"ward\"\npaths = [\"" +
                                       data + "/boundaries/wards2013_charnwood.geojson\"]\ncode = \"WD13CD\"\n"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "warning: layer lsoa: 97 of 99 areas have no (or zero) population")) << r.output;
  EXPECT_TRUE(has(r.output, "warning: layer ward has no population: no rates, significance classes")) << r.output;
  std::ifstream summary(out() + "/csv/run_summary.csv");
  std::stringstream text;
  text << summary.rdbuf();
  EXPECT_TRUE(has(text.str(), "layer ward has no population")) << text.str();
}

// Features sharing an area code were merged without a word: the documented
// rule (one area) now names the file, the code and the features.
TEST_F(Gates, DuplicateAreaCodesAreNamed) {
  const std::string square = R"({"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon",)"
                             R"("coordinates":[[[X0,52.76],[X1,52.76],[X1,52.78],[X0,52.78],[X0,52.76]]]}})";
  auto at = [&](const std::string& x0, const std::string& x1) {
    std::string f = square;
    for (size_t p; (p = f.find("X0")) != std::string::npos;) f.replace(p, 2, x0);
    for (size_t p; (p = f.find("X1")) != std::string::npos;) f.replace(p, 2, x1);
    return f;
  };
  const std::string areas = write("dup.geojson", R"({"type":"FeatureCollection","features":[)" + at("-1.21", "-1.20") +
                                                     "," + at("-1.20", "-1.18") + "]}");
  const std::string csv = write("ok.csv", kLonLatRows);
  const std::string cfg =
      write("dup.toml", "[[incidents]]\nformat = \"csv\"\npaths = [\"" + csv +
                            "\"]\nx = \"x\"\ny = \"y\"\ndate = \"date\"\ncategory = \"category\"\n\n"
                            "[[areas]]\nname = \"zone\"\npaths = [\"" +
                            areas + "\"]\ncode = \"code\"\n");
  auto r = testing::run_cli("run -c " + cfg);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "warning: layer zone: code A is shared by 2 features (" + areas + ": feature 0; " + areas +
                                ": feature 1), merged into one area"))
      << r.output;
}

// A table_layer typo printed another layer's table without a word.
TEST_F(Gates, TableLayerTypoListsTheLayers) {
  const std::string csv = write("ok.csv", kLonLatRows);
  auto r = testing::run_cli("run -c " + config(csv, "", "\n[stats]\ntable_layer = \"lsao\"\n"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(has(r.output, "stats.table_layer: unknown area layer 'lsao' (did you mean 'lsoa'?)")) << r.output;
}

// ---- Honest periods (issue 8, item 4) on the demo's five months, 2018-10 to 2019-02 ----

class Periods : public Gates {
 protected:
  testing::CliResult run(const std::string& stats) {
    const std::string data = HOTSPOT_DATA_DIR;
    const std::string cfg =
        write("periods.toml", "[output]\ndir = \"" + out() +
                                  "\"\ngeojson = false\n\n"
                                  "[[incidents]]\nformat = \"police_uk\"\npaths = [\"" +
                                  data +
                                  "/police-uk\"]\n\n"
                                  "[[areas]]\nname = \"lsoa\"\npaths = [\"" +
                                  data + "/boundaries/lsoa2011_charnwood.geojson\"]\ncode = \"LSOA11CD\"\n\n[stats]\n" +
                                  stats);
    return testing::run_cli("run -c " + cfg);
  }
  std::string file(const std::string& rel) {
    std::ifstream in(out() + "/" + rel);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // The first feature's value of `field` in a GeoPackage table.
  std::string gpkg_value(const std::string& table, const std::string& field) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open((out() + "/hotspot.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) return "<no gpkg>";
    OGRLayer* l = ds->GetLayerByName(table.c_str());
    if (!l) return "<no layer>";
    const int i = l->GetLayerDefn()->GetFieldIndex(field.c_str());
    if (i < 0) return "<no field>";
    OGRFeatureUniquePtr f(l->GetNextFeature());
    return f ? f->GetFieldAsString(i) : "<no feature>";
  }
};

// A 3-vs-2-months comparison was printed with no mark (+29.2% in the issue).
TEST_F(Periods, PartlyCoveredPeriodMarksEveryVariance) {
  auto r = run("current = \"range:2018-12..2019-02\"\nprevious = \"previous_period\"\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string caveat = "previous period 2018-09 to 2018-11 is partly covered (2 of 3 months)";
  // The warning comes before the table, and the table's variances carry *.
  const size_t warning = r.output.find("warning: " + caveat);
  ASSERT_NE(warning, std::string::npos) << r.output;
  EXPECT_LT(warning, r.output.find("All crime by lsoa")) << r.output;
  EXPECT_TRUE(has(r.output, "%*\n")) << r.output;
  EXPECT_TRUE(has(r.output, "  * " + caveat)) << r.output;
  EXPECT_TRUE(has(file("csv/comparison_lsoa.csv"), caveat));
  EXPECT_TRUE(has(file("csv/lsoa_counts.csv"), "pct_caveat"));
  EXPECT_TRUE(has(file("csv/run_summary.csv"), caveat));
  EXPECT_TRUE(has(gpkg_value("comparison_lsoa", "variance_caveat"), caveat));
  EXPECT_TRUE(has(gpkg_value("lsoa", "pct_caveat"), caveat));
  EXPECT_TRUE(has(file("csv/statistics_parameters.csv"), "previous_period_coverage,partly covered (2 of 3 months)"));
}

// A current period past the data's end printed -100% for every area.
TEST_F(Periods, CurrentPeriodPastTheDataIsNoDataNotMinus100) {
  auto r = run("current = \"month:2019-03\"\nprevious = \"previous_period\"\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "warning: current period 2019-03 is not covered by the data (2018-10 to 2019-02)"))
      << r.output;
  EXPECT_FALSE(has(r.output, "-100%")) << r.output;
  EXPECT_FALSE(has(file("csv/comparison_lsoa.csv"), "-100%"));
  EXPECT_FALSE(has(file("csv/lsoa_counts.csv"), "-100%"));
  // The blank says why, row by row.
  EXPECT_TRUE(
      has(gpkg_value("comparison_lsoa", "variance_caveat"), "current period 2019-03 is not covered by the data"));
  EXPECT_EQ(gpkg_value("comparison_lsoa", "variance"), "");
}

// "2019-02 (previous year) vs 2019-02": the previous year's period carries
// its own dates, and an uncovered period is "not covered", not "incomplete".
TEST_F(Periods, PreviousYearIsLabelledWithItsOwnDates) {
  auto r = run("current = \"latest_month\"\nprevious = \"previous_year\"\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "All crime by lsoa: 2018-02 vs 2019-02")) << r.output;
  EXPECT_FALSE(has(r.output, "(previous year)")) << r.output;
  EXPECT_TRUE(has(r.output, "previous period 2018-02 is not covered by the data")) << r.output;
  EXPECT_FALSE(has(r.output, "incomplete")) << r.output;
}

// O/E limits and Gi* z were rounded to 3 dp in the GeoPackage and CSV: the
// data keep full precision, so a flag can be re-checked from its limits.
TEST_F(Periods, RatiosAndGiStarKeepFullPrecisionInData) {
  auto r = run("current = \"latest_month\"\nprevious = \"previous_period\"\n");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // No population in this config: use the GeoPackage's Gi* z; then a run with population.
  const std::string z = gpkg_value("lsoa", "gi_z");
  ASSERT_FALSE(z.empty());
  EXPECT_GT(z.size() - z.find('.') - 1, 3u) << z;  // more than 3 decimals
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open((out() + "/hotspot.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  ASSERT_TRUE(ds);
  OGRLayer* l = ds->GetLayerByName("lsoa");
  ASSERT_TRUE(l);
  OGRFeatureUniquePtr f(l->GetNextFeature());
  ASSERT_TRUE(f);
  const double value = f->GetFieldAsDouble("gi_z");
  EXPECT_NE(value, std::round(value * 1000) / 1000) << z;
}

TEST_F(Periods, ObservedOverExpectedIsExactInCsv) {
  const std::string data = HOTSPOT_DATA_DIR;
  const std::string cfg = write(
      "pop.toml",
      "[output]\ndir = \"" + out() +
          "\"\ngeojson = false\n\n"
          "[[incidents]]\nformat = \"police_uk\"\npaths = [\"" +
          data +
          "/police-uk\"]\n\n"
          "[[areas]]\nname = \"lsoa\"\npaths = [\"" +
          data + "/boundaries/lsoa2011_charnwood.geojson\"]\ncode = \"LSOA11CD\"\npopulation = { path = \"" + data +
          "/population/lsoa2011_population_mid2015_charnwood.csv\", code = \"LSOA11CD\", "
          "value = \"pop_mid2015_excl_prisoners\" }\n\n[stats]\nprevious = \"previous_period\"\n");
  auto r = testing::run_cli("run -c " + cfg);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  GDALAllRegister();
  GDALDatasetUniquePtr ds(
      GDALDataset::Open((out() + "/csv/significance_lsoa.csv").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  ASSERT_TRUE(ds);
  OGRLayer* l = ds->GetLayer(0);
  int checked = 0;
  for (auto& f : *l) {
    const double observed = std::atof(f->GetFieldAsString("observed")),
                 expected = std::atof(f->GetFieldAsString("expected"));
    const double ratio = std::atof(f->GetFieldAsString("o_e"));
    if (!(expected > 0)) continue;
    EXPECT_NEAR(ratio, observed / expected, 1e-12 * std::max(1.0, ratio)) << f->GetFieldAsString("area_code");
    ++checked;
  }
  EXPECT_EQ(checked, 99);
  // The terminal still shows rounded figures.
  EXPECT_TRUE(has(r.output, "comparator ")) << r.output;
}

}  // namespace
}  // namespace hotspot
