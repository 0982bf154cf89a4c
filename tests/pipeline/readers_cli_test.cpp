// End-to-end checks of the input readers through the CLI (issue 8): broken
// inputs fail loudly with the file named, never a "[reconciles]" ledger
// over half a file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cpl_vsi.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/field_parse.h"
#include "run_cli.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

class ReadersCli : public testing::TempDirTest {
 protected:
};

const std::string kPolice = std::string(HOTSPOT_DATA_DIR) + "/police-uk";

TEST_F(ReadersCli, TruncatedGzipFailsWithTheFileNamed) {
  // gzip a real month through GDAL, then cut the compressed file.
  const std::string full = (dir_ / "full.csv.gz").string();
  const std::string text = slurp(kPolice + "/2018-10-charnwood-street.csv");
  VSILFILE* f = VSIFOpenL(("/vsigzip/" + full).c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(VSIFWriteL(text.data(), 1, text.size(), f), text.size());
  ASSERT_EQ(VSIFCloseL(f), 0);
  const std::string bytes = slurp(full);
  const std::string cut = write("2018-10-charnwood-street.csv.gz", bytes.substr(0, bytes.size() / 2));

  auto r = testing::run_cli("run --police-uk " + cut + " --out " + (dir_ / "out").string());
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find(cut + ": truncated or corrupt compressed file"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("[reconciles]"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "out"));

  // The complete file still runs.
  r = testing::run_cli("run -q --police-uk " + full + " --out " + (dir_ / "ok").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(ReadersCli, ASecretsFileGivenAsInputIsNotEchoed) {
  const std::string secret = write("credentials.csv", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\n");
  auto r = testing::run_cli("run --police-uk " + secret + " --out " + (dir_ / "out").string());
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find(secret), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Crime ID,Month"), std::string::npos) << r.output;  // the expected header
  EXPECT_EQ(r.output.find("wJalrXUtnFEMI"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("AWS_SECRET"), std::string::npos) << r.output;
}

// The police.uk bulk download as it comes: YYYY-MM folders of *-street.csv
// with -outcomes and -stop-and-search files beside them.
TEST_F(ReadersCli, PoliceUkBulkDownloadFolderIsRead) {
  const fs::path download = dir_ / "download";
  int months = 0;
  for (const auto& entry : fs::directory_iterator(kPolice)) {
    const std::string name = entry.path().filename().string();  // 2018-10-charnwood-street.csv
    const std::string month = name.substr(0, 7);
    fs::create_directories(download / month);
    fs::copy_file(entry.path(), download / month / name);
    write("download/" + month + "/" + month + "-charnwood-outcomes.csv",
          "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type\n");
    write("download/" + month + "/" + month + "-charnwood-stop-and-search.csv", "Type,Date,Part of a policing operation\n");
    ++months;
  }
  ASSERT_EQ(months, 5);
  auto flat = testing::run_cli("run --police-uk " + kPolice + " --no-geojson --out " + (dir_ / "flat").string());
  auto bulk = testing::run_cli("run --police-uk " + download.string() + " --no-geojson --out " + (dir_ / "bulk").string());
  ASSERT_EQ(flat.exit_code, 0) << flat.output;
  ASSERT_EQ(bulk.exit_code, 0) << bulk.output;
  auto rows_line = [](const std::string& out) {
    const size_t at = out.find("rows read ");
    return at == std::string::npos ? std::string("(none)") : out.substr(at, out.find('\n', at) - at);
  };
  EXPECT_NE(rows_line(flat.output), "(none)") << flat.output;
  EXPECT_EQ(rows_line(bulk.output), rows_line(flat.output));
  EXPECT_NE(bulk.output.find("skipped 10 police.uk outcomes/stop-and-search files"), std::string::npos) << bulk.output;
}

TEST_F(ReadersCli, ConfigTakesADateSplitOverYearAndMonthColumns) {
  write("split.csv",
        "yr,mon,lon,lat\n2019,1,-1.206,52.772\n2019,2,-1.21,52.77\n2019,2,-1.19,52.74\n2019,13,-1.2,52.7\n");
  const std::string base = "[[incidents]]\nformat = \"csv\"\npaths = [\"split.csv\"]\nx = \"lon\"\ny = \"lat\"\n"
                           "year = \"yr\"\nmonth = \"mon\"\n";
  const std::string rest = "[[areas]]\nname = \"lsoa\"\npaths = [\"" + std::string(HOTSPOT_DATA_DIR) +
                           "/boundaries/lsoa2011_charnwood.geojson\"]\ncode = \"LSOA11CD\"\n[stats]\nenabled = false\n";
  const std::string cfg = write("split.toml", base + rest);
  auto r = testing::run_cli("run -c " + cfg + " --out " + (dir_ / "out").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("rows read 4 = accepted 3 + rejected 1"), std::string::npos) << r.output;
  const std::string mixed = write("mixed.toml", base + "date = \"yr\"\n" + rest);
  r = testing::run_cli("run -c " + mixed + " --out " + (dir_ / "out2").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("incidents[0].year"), std::string::npos) << r.output;
}

// Issue 8: x/y given on an ogr source were ignored even when the fields did not exist.
TEST_F(ReadersCli, OgrSourceWithUnknownXyFieldsListsTheFields) {
  write("points.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
        "{\"Month\":\"2019-01\",\"kind\":\"Theft\",\"lon\":-1.206,\"lat\":52.772},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-1.2,52.77]}}]}\n");
  const std::string head = "[[incidents]]\nformat = \"ogr\"\npaths = [\"points.geojson\"]\ndate = \"Month\"\n"
                           "category = \"kind\"\n";
  const std::string tail = "[[areas]]\nname = \"lsoa\"\npaths = [\"" + std::string(HOTSPOT_DATA_DIR) +
                           "/boundaries/lsoa2011_charnwood.geojson\"]\ncode = \"LSOA11CD\"\n[stats]\nenabled = false\n";
  const std::string bad = write("bad.toml", head + "x = \"longitude\"\ny = \"lat\"\n" + tail);
  auto r = testing::run_cli("run -c " + bad + " --out " + (dir_ / "out").string());
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("no field 'longitude' (fields: Month, kind, lon, lat)"), std::string::npos) << r.output;
  const std::string good = write("good.toml", head + "x = \"lon\"\ny = \"lat\"\n" + tail);
  r = testing::run_cli("run -c " + good + " --out " + (dir_ / "out").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("rows read 1 = accepted 1 + rejected 0"), std::string::npos) << r.output;
}

// Issue 8: non-UTF-8 text was copied into RFC 7946 GeoJSON unvalidated.
TEST_F(ReadersCli, Windows1252TextReachesGeoJsonAsUtf8) {
  const std::string header =
      "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
      "Last outcome category,Context\n";
  const std::string csv = write("2019-01-t-street.csv",
                                header + "a,2019-01,P,P,-1.2,52.77,On or near Caf\xE9 \x93Rouge\x94,E01025762,N,Burglary,,\n"
                                         "b,2019-01,P,P,-1.2,52.77,On or near Station,E01025762,N,Burglary\xA0,,\n");
  auto r = testing::run_cli("run --police-uk " + csv + " --out " + (dir_ / "o").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("2 lines were not valid UTF-8 and were read as Windows-1252"), std::string::npos) << r.output;
  const std::string geojson = slurp(dir_ / "o/geojson/incidents.geojson");
  ASSERT_FALSE(geojson.empty());
  EXPECT_TRUE(io::is_valid_utf8(geojson));
  EXPECT_NE(geojson.find("Caf\xC3\xA9 \xE2\x80\x9CRouge\xE2\x80\x9D"), std::string::npos);
  EXPECT_TRUE(io::is_valid_utf8(slurp(dir_ / "o/csv/run_summary.csv")));
}

}  // namespace
}  // namespace hotspot
