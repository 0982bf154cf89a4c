// Incidents from PostGIS (format = "postgis", issue 12): police.uk CSVs
// loaded into a table and read back through an SQL query give the same
// ledger and the same counts as the CSV run, row for row (Charnwood's demo
// months always; the whole force's when the shared data are present).
#include <libpq-fe.h>

#include <filesystem>
#include <sstream>

#include "pipeline/run_cli.h"
#include "pipeline/temp_dir.h"
#include "postgis/pg_test_server.h"
#include "test_paths.h"

namespace fs = std::filesystem;
using hotspot::testing::Pg;
using hotspot::testing::run_cli;

namespace {

// The ledger lines a run prints ("rows read ...", "rejected ...", "layer ...",
// "recorded vs spatial ...").
std::string ledger_lines(const std::string& output) {
  std::istringstream in(output);
  std::string line, out;
  while (std::getline(in, line)) {
    const std::string t = line.substr(line.find_first_not_of(' ') == std::string::npos ? 0 : line.find_first_not_of(' '));
    if (t.rfind("rows read", 0) == 0 || t.rfind("rejected", 0) == 0 || t.rfind("layer ", 0) == 0 ||
        t.rfind("recorded vs", 0) == 0)
      out += t + "\n";
  }
  return out;
}

// Loads every police.uk CSV of `folder` (name order) into schema.police
// through COPY, keeping the file order in seq.
void load_police_uk(const std::string& schema, const fs::path& folder) {
  PGconn* c = PQconnectdb("");
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  auto exec = [&](const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    const auto s = PQresultStatus(r);
    EXPECT_TRUE(s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_COPY_IN) << sql << ": " << PQerrorMessage(c);
    PQclear(r);
  };
  exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  exec("CREATE SCHEMA " + schema);
  exec("CREATE TABLE " + schema + ".police (seq bigserial PRIMARY KEY, \"Crime ID\" text, \"Month\" text, "
       "\"Reported by\" text, \"Falls within\" text, \"Longitude\" double precision, \"Latitude\" double precision, "
       "\"Location\" text, \"LSOA code\" text, \"LSOA name\" text, \"Crime type\" text, \"Last outcome category\" text, "
       "\"Context\" text)");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.path().extension() == ".csv") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    exec("COPY " + schema + ".police (\"Crime ID\", \"Month\", \"Reported by\", \"Falls within\", \"Longitude\", "
         "\"Latitude\", \"Location\", \"LSOA code\", \"LSOA name\", \"Crime type\", \"Last outcome category\", "
         "\"Context\") FROM STDIN WITH (FORMAT csv, HEADER true)");
    const std::string bytes = hotspot::testing::slurp(f);
    ASSERT_EQ(PQputCopyData(c, bytes.data(), int(bytes.size())), 1);
    ASSERT_EQ(PQputCopyEnd(c, nullptr), 1);
    PGresult* r = PQgetResult(c);
    EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << f << ": " << PQerrorMessage(c);
    PQclear(r);
    while ((r = PQgetResult(c))) PQclear(r);
  }
  PQfinish(c);
}

class PostgisInput : public hotspot::testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    HOTSPOT_REQUIRE_PG_SERVER();
  }
  // The same run from the CSV files and from a query of their rows in PostGIS.
  void same_as_csv(const std::string& schema, const fs::path& police, const std::string& areas, size_t rows_read) {
    load_police_uk(schema, police);
    if (HasFatalFailure()) return;
    Pg pg;
    ASSERT_EQ(pg.value("SELECT count(*) FROM " + schema + ".police"), std::to_string(rows_read));
    const std::string head = "working_crs = \"EPSG:27700\"\n[stats]\ncurrent = \"latest_month\"\nprevious = \"previous_period\"\n";
    const std::string csv = write("csv.toml", head + "[[incidents]]\nformat = \"police_uk\"\npaths = [\"" + police.string() +
                                                  "\"]\n" + areas);
    // Every column option as for a CSV source; seq keeps the files' row order.
    const std::string db = write("db.toml", head +
        "[[incidents]]\nformat = \"postgis\"\nconnection = \"PG:dbname=hotspot_test password=not-shown-123\"\n"
        "sql = \"SELECT * FROM " + schema + ".police ORDER BY seq\"\ncrs = \"EPSG:4326\"\nx = \"Longitude\"\n"
        "y = \"Latitude\"\ndate = \"Month\"\ncategory = \"Crime type\"\nid = \"Crime ID\"\nlocation = \"Location\"\n"
        "recorded = { lsoa = \"LSOA code\" }\n" + areas);
    const auto a = run_cli("run -c " + csv + " --no-geojson --out " + (dir_ / "csv_out").string());
    ASSERT_EQ(a.exit_code, 0) << a.output;
    const auto b = run_cli("run -c " + db + " --no-geojson --out " + (dir_ / "db_out").string());
    ASSERT_EQ(b.exit_code, 0) << b.output;
    EXPECT_NE(ledger_lines(a.output).find("rows read " + std::to_string(rows_read)), std::string::npos) << a.output;
    EXPECT_EQ(ledger_lines(b.output), ledger_lines(a.output));
    for (const char* table : {"counts_long.csv", "lsoa_counts.csv", "ward_counts.csv", "comparison_lsoa.csv"})
      EXPECT_EQ(slurp(dir_ / "db_out/csv" / table), slurp(dir_ / "csv_out/csv" / table)) << table;
    // Rejects name the query, not the connection (whose password is never shown).
    const std::string rejects = slurp(dir_ / "db_out/csv/rejects.csv");
    EXPECT_NE(rejects.find("postgis:hotspot_test:query,"), std::string::npos) << rejects.substr(0, 300);
    for (const auto& e : fs::recursive_directory_iterator(dir_ / "db_out")) {
      if (e.is_regular_file()) {
        EXPECT_EQ(slurp(e.path()).find("not-shown-123"), std::string::npos) << e.path();
      }
    }
    EXPECT_EQ(b.output.find("not-shown-123"), std::string::npos);
    pg.query("DROP SCHEMA " + schema + " CASCADE");
  }
};

TEST_F(PostgisInput, CharnwoodQueryGivesTheCsvLedgerAndCounts) {
  const std::string d = HOTSPOT_DATA_DIR;
  same_as_csv("inp_charnwood", d + "/police-uk",
              "[[areas]]\nname = \"lsoa\"\npaths = [\"" + d + "/boundaries/lsoa2011_charnwood.geojson\"]\ncode = \"LSOA11CD\"\n"
              "[[areas]]\nname = \"ward\"\npaths = [\"" + d + "/boundaries/wards2013_charnwood.geojson\"]\ncode = \"WD13CD\"\n",
              7587);
}

TEST_F(PostgisInput, LeicestershireQueryGivesTheCsvLedgerAndCounts) {
  const fs::path d = fs::path(HOTSPOT_SHARED_DATA_DIR) / "leicestershire";
  if (!fs::exists(d / "police-uk")) GTEST_SKIP() << "no shared data at " << d;
  same_as_csv("inp_leics", d / "police-uk",
              "[checks]\nmin_match_share = 0.1\n[[areas]]\nname = \"lsoa\"\npaths = [\"" + (d / "boundaries/lsoa2011").string() +
                  "\"]\ncode = \"LSOA11CD\"\n[[areas]]\nname = \"ward\"\npaths = [\"" + (d / "boundaries/wards2013").string() +
                  "\"]\ncode = \"WD13CD\"\n",
              42855);
}

TEST_F(PostgisInput, AreaLayerFromATableMatchesTheFile) {
  const std::string d = HOTSPOT_DATA_DIR;
  Pg pg;
  pg.query("DROP SCHEMA IF EXISTS inp_areas CASCADE");
  pg.query("CREATE SCHEMA inp_areas");
  const auto load = hotspot::testing::run_cli_raw("ogr2ogr -f PostgreSQL PG:dbname=hotspot_test " + d +
                                                  "/boundaries/wards2013_charnwood.geojson -nln wards -lco SCHEMA=inp_areas -lco LAUNDER=NO");
  ASSERT_EQ(load.exit_code, 0) << load.output;
  const std::string head = "working_crs = \"EPSG:27700\"\n[[incidents]]\nformat = \"police_uk\"\npaths = [\"" + d + "/police-uk\"]\n";
  const std::string file = write("file.toml", head + "[[areas]]\nname = \"ward\"\npaths = [\"" + d +
                                                  "/boundaries/wards2013_charnwood.geojson\"]\ncode = \"WD13CD\"\nname_field = \"WD13NM\"\n");
  const std::string table = write("table.toml", head + "[[areas]]\nname = \"ward\"\n"
      "paths = [\"PG:dbname=hotspot_test tables=inp_areas.wards password=area-secret-42\"]\ncode = \"WD13CD\"\nname_field = \"WD13NM\"\n");
  const auto a = run_cli("run -c " + file + " --no-geojson --out " + (dir_ / "file_out").string());
  const auto b = run_cli("run -c " + table + " --no-geojson --out " + (dir_ / "table_out").string());
  ASSERT_EQ(a.exit_code, 0) << a.output;
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_NE(ledger_lines(a.output).find("layer ward: matched 6296 + unmatched 3"), std::string::npos) << a.output;
  EXPECT_EQ(ledger_lines(b.output), ledger_lines(a.output));
  EXPECT_EQ(slurp(dir_ / "table_out/csv/ward_counts.csv"), slurp(dir_ / "file_out/csv/ward_counts.csv"));
  EXPECT_EQ(b.output.find("area-secret-42"), std::string::npos);
  // A missing table: an input error naming it, the password redacted.
  const std::string missing = write("missing.toml", head + "[[areas]]\nname = \"ward\"\n"
      "paths = [\"PG:dbname=hotspot_test tables=inp_areas.nope password=area-secret-42\"]\ncode = \"WD13CD\"\n");
  const auto c = run_cli("run -q -c " + missing + " --no-files");
  EXPECT_EQ(c.exit_code, 3) << c.output;
  EXPECT_NE(c.output.find("password=***"), std::string::npos) << c.output;
  EXPECT_EQ(c.output.find("area-secret-42"), std::string::npos) << c.output;
  pg.query("DROP SCHEMA inp_areas CASCADE");
}

}  // namespace
