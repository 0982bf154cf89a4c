// Tests for io/delimited_reader (police.uk and generic CSV/TSV) and
// io/incident_batch's expand_paths.
#include "io/delimited_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <locale>
#include <sstream>
#include <string>
#include <vector>

#include <cpl_vsi.h>

#include "hotspot/errors.h"
#include "test_paths.h"

namespace hotspot::io {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the test temp dir, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    path_ = fs::path(::testing::TempDir()) / ("hotspot_io_delim_" + tag + "_" + std::to_string(getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  // Writes `bytes` exactly (binary: CRLF and BOM are kept) and returns the path.
  std::string write(const std::string& name, const std::string& bytes) const {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << bytes;
    return p.string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Calls f and returns the InputError's message; fails the test if f does not throw one.
template <typename F>
std::string input_error_message(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected InputError";
  return "";
}

const std::string kFixture = std::string(HOTSPOT_TEST_DATA_DIR) + "/io/police_uk_rejects.csv";

// The fixture's lines, to compare a reject's raw text with its source line.
std::vector<std::string> fixture_lines() {
  std::ifstream in(kFixture);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The bytes of a file, read in binary.
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// gzip-compresses `text` into `path` through GDAL's /vsigzip/ writer.
void write_gzip(const std::string& path, const std::string& text) {
  VSILFILE* f = VSIFOpenL(("/vsigzip/" + path).c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  ASSERT_EQ(VSIFWriteL(text.data(), 1, text.size(), f), text.size());
  ASSERT_EQ(VSIFCloseL(f), 0);
}

const std::string kRealMonth = std::string(HOTSPOT_DATA_DIR) + "/police-uk/2018-10-charnwood-street.csv";

TEST(PoliceUkHeader, IsTheTwelveColumnStreetHeader) {
  std::string joined;
  for (const char* h : kPoliceUkHeader) joined += std::string(joined.empty() ? "" : ",") + h;
  EXPECT_EQ(joined,
            "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
            "Crime type,Last outcome category,Context");
}

TEST(PoliceUkReader, LedgerRecordsEveryRejectedRow) {
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentSource source;  // kPoliceUk by default
  IncidentBatch batch = read_delimited(source, kFixture, /*geographic=*/true, ctx);

  // 12 data rows (the blank line is not one): rows 1, 2, 11, 12 are good.
  EXPECT_EQ(ledger.rows_read, 12);
  EXPECT_EQ(ledger.accepted, 4);
  EXPECT_EQ(ledger.rejected, 8);
  EXPECT_EQ(ledger.read_by_file.at(kFixture), 12);
  EXPECT_TRUE(ledger.layers.empty());
  EXPECT_TRUE(ledger.reconciles()) << ledger.to_text();

  struct Want {
    int64_t row;
    RejectReason reason;
    std::string field;
  };
  const std::vector<Want> want = {
      {3, RejectReason::kBlankCoordinates, "Longitude"},
      {4, RejectReason::kBadNumber, "Longitude"},
      {5, RejectReason::kZeroCoordinates, "Longitude,Latitude"},
      {6, RejectReason::kOutOfRange, "Latitude"},
      {7, RejectReason::kBadDate, "Month: month 13 does not exist"},
      {8, RejectReason::kMissingCategory, "Crime type"},
      {9, RejectReason::kDuplicateId, "Crime ID"},
      {10, RejectReason::kMalformedRow, "expected 12 fields, found 11"},
  };
  const std::vector<std::string> lines = fixture_lines();
  ASSERT_EQ(ledger.rejects.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const Reject& r = ledger.rejects[i];
    SCOPED_TRACE("reject " + std::to_string(i));
    EXPECT_EQ(r.file, kFixture);
    EXPECT_EQ(r.row, want[i].row);
    EXPECT_EQ(r.reason, want[i].reason);
    EXPECT_EQ(r.field, want[i].field);
    // Data row n is line n + 1 (header); none of these rows needs quoting.
    EXPECT_EQ(r.raw, lines[size_t(want[i].row)]);
    EXPECT_EQ(ledger.rejected_by_reason.at(want[i].reason), 1);
  }

  const IncidentTable& t = batch.table;
  EXPECT_EQ(batch.crs, "EPSG:4326");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t.sources, std::vector<std::string>{kFixture});
  EXPECT_EQ(t.source_row, (std::vector<int64_t>{1, 2, 11, 12}));
  EXPECT_EQ(t.source, (std::vector<uint32_t>{0, 0, 0, 0}));
  EXPECT_EQ(t.id.strings(), (std::vector<std::string>{"c1", "", "c11", ""}));  // blank ASB ids are not duplicates
  EXPECT_EQ(t.x, (std::vector<double>{-1.206, -1.21, -1.189, -1.211}));
  EXPECT_EQ(t.y, (std::vector<double>{52.772, 52.77, 52.741, 52.771}));
  EXPECT_EQ(t.month, std::vector<MonthIndex>(4, make_month(2018, 10)));
  EXPECT_EQ(t.minute, std::vector<int64_t>(4, IncidentTable::kNoTime));
  EXPECT_EQ(t.categories, (std::vector<std::string>{"Burglary", "Anti-social behaviour", "Vehicle crime"}));
  EXPECT_EQ(t.category, (std::vector<uint16_t>{0, 1, 2, 1}));
  EXPECT_EQ(t.location[2], "On or near Great Central Railway, Quorn");
  ASSERT_EQ(t.recorded.size(), 1u);
  EXPECT_EQ(t.recorded.at("lsoa").strings(), (std::vector<std::string>{"E01025700", "E01025701", "E01025734", ""}));
  EXPECT_EQ(ctx.seen_ids.size(), 2u);
  EXPECT_TRUE(ctx.seen_ids.contains("c1"));
  EXPECT_TRUE(ctx.seen_ids.contains("c11"));
}

TEST(PoliceUkReader, DuplicateIdsAcrossFilesAreRejected) {
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentSource source;
  read_delimited(source, kFixture, true, ctx);
  IncidentBatch again = read_delimited(source, kFixture, true, ctx);
  // Second pass: c1 and c11 were seen in the first file, so rows 1, 9 and
  // 11 are duplicates now (row 9 was one already); blank ids still pass.
  EXPECT_EQ(again.table.id.strings(), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(again.table.source_row, (std::vector<int64_t>{2, 12}));
  EXPECT_EQ(ledger.rows_read, 24);
  EXPECT_EQ(ledger.accepted, 6);
  EXPECT_EQ(ledger.rejected_by_reason.at(RejectReason::kDuplicateId), 1 + 3);
  EXPECT_EQ(ledger.read_by_file.at(kFixture), 24);
  EXPECT_TRUE(ledger.reconciles());
}

TEST(PoliceUkReader, NonGeographicSkipsRangeCheck) {
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentSource source;
  source.crs = "EPSG:27700";
  IncidentBatch batch = read_delimited(source, kFixture, /*geographic=*/false, ctx);
  EXPECT_EQ(batch.crs, "EPSG:27700");
  EXPECT_EQ(ledger.rejected_by_reason.count(RejectReason::kOutOfRange), 0u);
  EXPECT_EQ(ledger.accepted, 5);  // the latitude-95 row is now accepted
  EXPECT_TRUE(ledger.reconciles());
}

TEST(PoliceUkReader, WrongHeaderNamesTheFile) {
  TempDir dir("badheader");
  const std::string path = dir.write(
      "2018-10-bad-street.csv",
      "Crime Id,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
      "Last outcome category,Context\n"
      "c1,2018-10,LP,LP,-1.2,52.7,Here,E01,Name,Burglary,,\n");
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  std::string msg = input_error_message([&] { read_delimited(IncidentSource{}, path, true, ctx); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("Crime Id"), std::string::npos) << msg;
  EXPECT_EQ(ledger.rows_read, 0);
}

TEST(PoliceUkReader, HeaderWithMissingColumnIsRejected) {
  TempDir dir("shortheader");
  const std::string path = dir.write("short.csv", "Crime ID,Month,Longitude,Latitude,Crime type\nc1,2018-10,-1.2,52.7,X\n");
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  std::string msg = input_error_message([&] { read_delimited(IncidentSource{}, path, true, ctx); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
}

// Issue 8: input errors echoed the first line of any file given as an
// input, so a secrets file's content ended up on the terminal.
TEST(InputErrors, NeverEchoTheContentOfAFileThatIsNotAHeader) {
  TempDir dir("secrets");
  const std::vector<std::string> secrets = {
      "API_KEY=supersecret123\nDB_PASSWORD=supersecret123\n",
      "alice:supersecret123:19000:0:99999:7:::\n",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nsupersecret123\n",
      "machine example.org login alice password supersecret123\n",
      "supersecret123\n",
  };
  for (size_t i = 0; i < secrets.size(); ++i) {
    SCOPED_TRACE("secret file " + std::to_string(i));
    const std::string path = dir.write("secret" + std::to_string(i) + ".csv", secrets[i]);
    Ledger ledger;
    ReadContext ctx{&ledger, {}};
    // As a police.uk file: the expected header is shown, the line is not.
    std::string msg = input_error_message([&] { read_delimited(IncidentSource{}, path, true, ctx); });
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find("Crime ID,Month,Reported by"), std::string::npos) << msg;
    EXPECT_NE(msg.find("does not look like a header"), std::string::npos) << msg;
    for (const char* leak : {"supersecret", "API_KEY", "alice", "BEGIN"})
      EXPECT_EQ(msg.find(leak), std::string::npos) << msg;
    // As a generic CSV with named columns.
    IncidentSource s;
    s.format = IncidentFormat::kDelimited;
    msg = input_error_message([&] { read_delimited(s, path, true, ctx); });
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find("'x'"), std::string::npos) << msg;
    for (const char* leak : {"supersecret", "API_KEY", "alice", "BEGIN"})
      EXPECT_EQ(msg.find(leak), std::string::npos) << msg;
  }
}

TEST(InputErrors, AHeaderRowIsListedToHelpFixATypo) {
  TempDir dir("header_listed");
  const std::string path = dir.write("events.csv", "easting,northing,Crime type\n1,2,x\n");
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  std::string msg = input_error_message([&] { read_delimited(s, path, false, ctx); });
  EXPECT_NE(msg.find("3 columns: easting, northing, Crime type"), std::string::npos) << msg;
}

TEST(PoliceUkReader, BomAndCrlfAreAccepted) {
  TempDir dir("bomcrlf");
  std::string header;
  for (const char* h : kPoliceUkHeader) header += std::string(header.empty() ? "" : ",") + h;
  const std::string path = dir.write(
      "bom.csv", "\xEF\xBB\xBF" + header + "\r\n" +
                     "c1,2019-02,LP,LP,-1.2,52.7,\"A, B\",E01025700,N,Burglary,,\r\n");
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(IncidentSource{}, path, true, ctx);
  ASSERT_EQ(batch.table.size(), 1u);
  EXPECT_EQ(batch.table.id[0], "c1");
  EXPECT_EQ(batch.table.location[0], "A, B");
  EXPECT_EQ(batch.table.month[0], make_month(2019, 2));
  EXPECT_EQ(batch.table.recorded.at("lsoa")[0], "E01025700");
}

TEST(PoliceUkReader, IndependentOfCommaDecimalLocale) {
  struct CommaNumpunct : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
  };
  const std::locale old = std::locale::global(std::locale(std::locale::classic(), new CommaNumpunct));
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(IncidentSource{}, kFixture, true, ctx);
  std::locale::global(old);
  EXPECT_EQ(ledger.accepted, 4);
  EXPECT_EQ(batch.table.x, (std::vector<double>{-1.206, -1.21, -1.189, -1.211}));
  EXPECT_EQ(batch.table.y, (std::vector<double>{52.772, 52.77, 52.741, 52.771}));
}

TEST(ReadFile, MissingFileNamesThePath) {
  const std::string path = (fs::path(::testing::TempDir()) / "hotspot_io_no_such_file.csv").string();
  std::string msg = input_error_message([&] { read_file(path); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  msg = input_error_message([&] { read_delimited(IncidentSource{}, path, true, ctx); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
}

TEST(ReadFile, EmptyFileIsAnInputError) {
  TempDir dir("empty");
  const std::string path = dir.write("empty.csv", "");
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  std::string msg = input_error_message([&] { read_delimited(IncidentSource{}, path, true, ctx); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
}

// A generic source over columns that are neither police.uk's nor x/y.
IncidentSource generic_source() {
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.crs = "EPSG:27700";
  s.x_field = "easting";
  s.y_field = "northing";
  s.date_field = "when";
  s.category_field = "kind";
  s.id_field = "event_id";
  s.location_field = "where";
  s.recorded_fields = {{"beat", "beat_code"}};
  return s;
}

void expect_generic_rows(const IncidentBatch& batch, const std::string& path) {
  const IncidentTable& t = batch.table;
  EXPECT_EQ(batch.crs, "EPSG:27700");
  EXPECT_EQ(t.sources, std::vector<std::string>{path});
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.id.strings(), (std::vector<std::string>{"E1", "E2", "E4"}));
  EXPECT_EQ(t.x, (std::vector<double>{451000.5, 452000.0, 453000.0}));
  EXPECT_EQ(t.y, (std::vector<double>{311000.25, 312000.0, 313000.0}));
  EXPECT_EQ(t.month, (std::vector<MonthIndex>{make_month(2019, 3), make_month(2019, 3), make_month(2019, 4)}));
  // 2019-03-04 is day 17959 after 1970-01-01.
  EXPECT_EQ(t.minute[0], int64_t{17959} * 1440 + 10 * 60 + 15);
  EXPECT_EQ(t.minute[1], int64_t{17959} * 1440);  // 04/03/2019 is UK order
  EXPECT_EQ(t.minute[2], IncidentTable::kNoTime);
  EXPECT_EQ(t.categories, (std::vector<std::string>{"Theft", "Burglary"}));
  EXPECT_EQ(t.category, (std::vector<uint16_t>{0, 1, 0}));
  EXPECT_EQ(t.location.strings(), (std::vector<std::string>{"High St, Loughborough", "Market Place", ""}));
  EXPECT_EQ(t.recorded.at("beat").strings(), (std::vector<std::string>{"B01", "B02", "B04"}));
  EXPECT_EQ(t.source_row, (std::vector<int64_t>{1, 2, 4}));
}

TEST(GenericReader, CommaWithBomCrlfAndQuotes) {
  TempDir dir("generic_csv");
  const std::string path = dir.write(
      "events.csv",
      "\xEF\xBB\xBF" "event_id,when,kind,easting,northing,where,beat_code,notes\r\n"
      "E1,2019-03-04 10:15,Theft,451000.5,311000.25,\"High St, Loughborough\",B01,\"said \"\"no\"\"\"\r\n"
      "E2,04/03/2019,Burglary,452000,312000,Market Place,B02,\r\n"
      "E3,2019-03-05,,452500,312500,Somewhere,B03,\r\n"
      "E4,2019-04, Theft ,453000,313000,,B04,\r\n");
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(generic_source(), path, /*geographic=*/false, ctx);
  expect_generic_rows(batch, path);
  ASSERT_EQ(ledger.rejects.size(), 1u);
  EXPECT_EQ(ledger.rejects[0].row, 3);
  EXPECT_EQ(ledger.rejects[0].reason, RejectReason::kMissingCategory);
  EXPECT_EQ(ledger.rejects[0].field, "kind");
  EXPECT_EQ(ledger.rejects[0].raw, "E3,2019-03-05,,452500,312500,Somewhere,B03,");
  EXPECT_TRUE(ledger.reconciles());
}

TEST(GenericReader, TabDelimitedIsGuessed) {
  TempDir dir("generic_tsv");
  // Commas inside unquoted fields must not make the guess pick ','.
  const std::string path = dir.write(
      "events.tsv",
      "event_id\twhen\tkind\teasting\tnorthing\twhere\tbeat_code\tnotes\n"
      "E1\t2019-03-04 10:15\tTheft\t451000.5\t311000.25\tHigh St, Loughborough\tB01\ta, b, c\n"
      "E2\t04/03/2019\tBurglary\t452000\t312000\tMarket Place\tB02\t\n"
      "E3\t2019-03-05\t\t452500\t312500\tSomewhere\tB03\t\n"
      "E4\t2019-04\t Theft \t453000\t313000\t\tB04\t\n");
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentSource s = generic_source();
  ASSERT_EQ(s.delimiter, 0);  // guess
  IncidentBatch batch = read_delimited(s, path, false, ctx);
  expect_generic_rows(batch, path);
  EXPECT_EQ(ledger.rejected, 1);
  EXPECT_TRUE(ledger.reconciles());
}

TEST(GenericReader, ExplicitSemicolonDelimiterAndDecimalCommaRejected) {
  TempDir dir("generic_semicolon");
  const std::string path = dir.write("events.txt",
                                     "x;y;cat\n"
                                     "451000.5;311000;Theft\n"
                                     "451000,5;311000;Theft\n");
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.delimiter = ';';
  s.category_field = "cat";
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(s, path, false, ctx);
  ASSERT_EQ(batch.table.size(), 1u);
  EXPECT_EQ(batch.table.x[0], 451000.5);
  EXPECT_EQ(batch.table.month[0], 0);  // no date column
  EXPECT_EQ(batch.table.minute[0], IncidentTable::kNoTime);
  ASSERT_EQ(ledger.rejects.size(), 1u);
  EXPECT_EQ(ledger.rejects[0].reason, RejectReason::kBadNumber);
  EXPECT_EQ(ledger.rejects[0].field, "x");
}

TEST(GenericReader, NoCategoryColumnMeansIncident) {
  TempDir dir("generic_nocat");
  const std::string path = dir.write("xy.csv", "y,x\n52.7,-1.2\n");
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(s, path, true, ctx);
  ASSERT_EQ(batch.table.size(), 1u);
  EXPECT_EQ(batch.table.x[0], -1.2);  // columns found by name, not position
  EXPECT_EQ(batch.table.y[0], 52.7);
  EXPECT_EQ(batch.table.categories, std::vector<std::string>{"Incident"});
  EXPECT_TRUE(batch.table.recorded.empty());
}

TEST(GenericReader, MissingNamedColumnNamesTheColumn) {
  TempDir dir("generic_missing");
  const std::string path = dir.write("events.csv", "event_id,when,kind,easting,northing,where,beat_code\n");
  for (auto set : {+[](IncidentSource& s) { s.category_field = "crime_kind"; },
                   +[](IncidentSource& s) { s.x_field = "crime_kind"; },
                   +[](IncidentSource& s) { s.recorded_fields["ward"] = "crime_kind"; }}) {
    IncidentSource s = generic_source();
    set(s);
    Ledger ledger;
    ReadContext ctx{&ledger, {}};
    std::string msg = input_error_message([&] { read_delimited(s, path, false, ctx); });
    EXPECT_NE(msg.find("'crime_kind'"), std::string::npos) << msg;
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
  }
}

TEST(GenericReader, UnnamedCoordinatesAreAnInputError) {
  TempDir dir("generic_noxy");
  const std::string path = dir.write("events.csv", "a,b\n1,2\n");
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.x_field = "";
  s.y_field = "";
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  std::string msg = input_error_message([&] { read_delimited(s, path, false, ctx); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
}

TEST(GenericReader, DateSplitOverYearMonthDayColumns) {
  TempDir dir("split_date");
  const std::string path = dir.write("events.csv",
                                     "yr,mon,dy,x,y\n"
                                     "2019,3,4,451000,311000\n"
                                     "2019,02,30,451000,311000\n"
                                     "2019,13,1,451000,311000\n"
                                     "2019,12,,451000,311000\n");
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.year_field = "yr";
  s.month_field = "mon";
  s.day_field = "dy";
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(s, path, false, ctx);
  ASSERT_EQ(batch.table.size(), 1u);
  EXPECT_EQ(batch.table.month[0], make_month(2019, 3));
  EXPECT_EQ(batch.table.minute[0], int64_t{17959} * 1440);
  ASSERT_EQ(ledger.rejects.size(), 3u);
  EXPECT_EQ(ledger.rejects[0].field, "yr,mon,dy: day 30 does not exist (February 2019 has 28 days)");
  EXPECT_EQ(ledger.rejects[1].field, "yr,mon,dy: month 13 does not exist");
  EXPECT_EQ(ledger.rejects[2].field, "yr,mon,dy");  // blank day
  for (const Reject& r : ledger.rejects) EXPECT_EQ(r.reason, RejectReason::kBadDate);
  EXPECT_TRUE(ledger.reconciles());

  // Year and month without a day: the month only.
  s.day_field = "";
  Ledger ledger2;
  ReadContext ctx2{&ledger2, {}};
  IncidentBatch months = read_delimited(s, path, false, ctx2);
  EXPECT_EQ(months.table.month, (std::vector<MonthIndex>{make_month(2019, 3), make_month(2019, 2), make_month(2019, 12)}));
  EXPECT_EQ(months.table.minute, std::vector<int64_t>(3, IncidentTable::kNoTime));

  // A date column and year columns together, or a year without a month, are configuration errors.
  s.date_field = "yr";
  EXPECT_THROW(read_delimited(s, path, false, ctx2), ConfigError);
  s.date_field = "";
  s.month_field = "";
  EXPECT_THROW(read_delimited(s, path, false, ctx2), ConfigError);
}

TEST(GenericReader, GdalSlashDatesAreRead) {
  TempDir dir("slash_date");
  const std::string path = dir.write("events.csv", "when,x,y\n2019/03/04 10:15:00,451000,311000\n2019/03/04,1,2\n");
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.date_field = "when";
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(s, path, false, ctx);
  EXPECT_EQ(batch.table.minute,
            (std::vector<int64_t>{int64_t{17959} * 1440 + 10 * 60 + 15, int64_t{17959} * 1440}));
  EXPECT_EQ(ledger.rejected, 0);
}

// Issue 8: projected sources accepted x = 1e308 (undefined behaviour in
// the KDE); non-finite numbers must never get through either.
TEST(GenericReader, AbsurdCoordinatesAreRejectedWithAReason) {
  TempDir dir("absurd");
  const std::string path = dir.write("xy.csv",
                                     "x,y\n451000,311000\n1e308,311000\n451000,-2e8\nnan,311000\n451000,inf\n"
                                     "-inf,1\n1e400,1\n452000,312000\n");
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(s, path, /*geographic=*/false, ctx);
  EXPECT_EQ(batch.table.x, (std::vector<double>{451000, 452000}));
  ASSERT_EQ(ledger.rejects.size(), 6u);
  EXPECT_EQ(ledger.rejects[0].reason, RejectReason::kOutOfRange);
  EXPECT_EQ(ledger.rejects[0].field, "x");
  EXPECT_EQ(ledger.rejects[1].reason, RejectReason::kOutOfRange);
  EXPECT_EQ(ledger.rejects[1].field, "y");
  for (size_t i = 2; i < 6; ++i) EXPECT_EQ(ledger.rejects[i].reason, RejectReason::kBadNumber) << i;
  EXPECT_TRUE(ledger.reconciles());
}

// Issue 8: non-UTF-8 text was copied into RFC 7946 GeoJSON unvalidated.
TEST(PoliceUkReader, Windows1252LinesAreReadAsWindows1252AndCounted) {
  std::string header;
  for (const char* h : kPoliceUkHeader) header += std::string(header.empty() ? "" : ",") + h;
  TempDir dir("cp1252");
  const std::string path = dir.write("2019-02-x-street.csv",
                                     header + "\n"
                                     "c1,2019-02,LP,LP,-1.2,52.7,On or near Caf\xE9 Rouge,E01025700,N,Burglary,,\n"
                                     "c2,2019-02,LP,LP,-1.2,52.7,On or near Caf\xC3\xA9 Bleu,E01025700,N,Burglary,,\n"
                                     "c3,2019-02,LP,LP,-1.2,52.7,\x93The Cross\x94,E01025700,N,Burglary,,\n");
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(IncidentSource{}, path, true, ctx);
  EXPECT_EQ(batch.table.location.strings(), (std::vector<std::string>{"On or near Caf\xC3\xA9 Rouge", "On or near Caf\xC3\xA9 Bleu",
                                                            "\xE2\x80\x9CThe Cross\xE2\x80\x9D"}));
  ASSERT_EQ(ledger.warnings.size(), 1u);
  EXPECT_NE(ledger.warnings[0].find(path + ": 2 lines were not valid UTF-8 and were read as Windows-1252 (lines 2, 4)"),
            std::string::npos)
      << ledger.warnings[0];
}

TEST(GenericReader, NulByteRejectsTheRow) {
  TempDir dir("nul");
  const char bytes[] = "x,y,loc\n1,2,ok\n3,4,a\0b\n5,6,ok\n";
  const std::string path = dir.write("xy.csv", std::string(bytes, sizeof bytes - 1));
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.location_field = "loc";
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(s, path, false, ctx);
  EXPECT_EQ(batch.table.x, (std::vector<double>{1, 5}));
  ASSERT_EQ(ledger.rejects.size(), 1u);
  EXPECT_EQ(ledger.rejects[0].row, 2);
  EXPECT_EQ(ledger.rejects[0].reason, RejectReason::kMalformedRow);
  EXPECT_EQ(ledger.rejects[0].field, "NUL byte");
  EXPECT_EQ(ledger.rejects[0].raw, "3,4,a\\0b");
  EXPECT_TRUE(ledger.reconciles());
}

TEST(GenericReader, Utf16FileIsAnInputErrorSayingSo) {
  TempDir dir("utf16");
  const std::string path = dir.write("xy.csv", std::string("\xFF\xFEx\0,\0y\0\n\0", 10));
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  const std::string msg = input_error_message([&] { read_delimited(s, path, false, ctx); });
  EXPECT_NE(msg.find(path + ": the file is UTF-16"), std::string::npos) << msg;
}

TEST(PoliceUkReader, CrOnlyLineEndsAreRead) {
  std::string header;
  for (const char* h : kPoliceUkHeader) header += std::string(header.empty() ? "" : ",") + h;
  TempDir dir("cr_only");
  const std::string path = dir.write("2019-02-x-street.csv",
                                     "\xEF\xBB\xBF" + header + "\r" +
                                         "c1,2019-02,LP,LP,-1.2,52.7,Here,E01025700,N,Burglary,,\r"
                                         "c2,2019-02,LP,LP,,,Here,E01025700,N,Burglary,,\r"
                                         "c3,2019-02,LP,LP,-1.2,52.7,Here,E01025700,N,Burglary,,\r");
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(IncidentSource{}, path, true, ctx);
  EXPECT_EQ(batch.table.id.strings(), (std::vector<std::string>{"c1", "c3"}));
  EXPECT_EQ(ledger.rows_read, 3);
  EXPECT_EQ(ledger.rejected_by_reason.at(RejectReason::kBlankCoordinates), 1);
  EXPECT_TRUE(ledger.reconciles());
}

TEST(GenericReader, UnterminatedQuoteRejectsOnlyItsLine) {
  TempDir dir("generic_quote");
  const std::string path = dir.write("q.csv", "x,y,loc\n1,2,ok\n3,4,\"open\n5,6,lost\n");
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(s, path, false, ctx);
  // Line 4 is a whole record on its own: reading resumes there (it was
  // swallowed into the bad quote's field before issue 8).
  EXPECT_EQ(batch.table.source_row, (std::vector<int64_t>{1, 3}));
  ASSERT_EQ(ledger.rejects.size(), 1u);
  EXPECT_EQ(ledger.rejects[0].reason, RejectReason::kMalformedRow);
  EXPECT_EQ(ledger.rejects[0].row, 2);
  EXPECT_EQ(ledger.rejects[0].field, "line 3: unterminated quote");
  EXPECT_EQ(ledger.rejects[0].raw, "3,4,\"open");
  EXPECT_EQ(ledger.rows_read, 3);
  EXPECT_TRUE(ledger.reconciles());
}

// The text of a file split into physical lines (LF ends).
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Issue 8: one unterminated quote swallowed the rest of a file into a single
// rejected row, and the ledger counted one row where hundreds of lines went.
TEST(PoliceUkReader, RunawayQuoteRejectsItsLinesAndReadingResumes) {
  std::vector<std::string> lines = split_lines(slurp(kRealMonth));
  ASSERT_GT(lines.size(), 100u);
  for (std::string& l : lines)
    if (!l.empty() && l.back() == '\r') l.pop_back();
  const size_t data_lines = lines.size() - 1;
  // Line 12 (index 11) gets an opening quote that never closes, followed by
  // two continuation lines that are not records (lines 13 and 14).
  ASSERT_EQ(lines[11].find('"'), std::string::npos) << lines[11];
  size_t sixth_comma = 0;
  for (int i = 0; i < 6; ++i) sixth_comma = lines[11].find(',', sixth_comma) + 1;  // Location starts here
  const std::string bad = lines[11].substr(0, sixth_comma) + "\"" + lines[11].substr(sixth_comma);
  lines[11] = bad;
  lines.insert(lines.begin() + 12, {"Quorn Road, Loughborough", "  (see note"});
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  TempDir dir("runaway");
  const std::string path = dir.write("2018-10-broken-street.csv", text);

  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(IncidentSource{}, path, true, ctx);
  // Every physical data line is one row: the original ones plus the two inserted.
  EXPECT_EQ(ledger.rows_read, int64_t(data_lines + 2));
  EXPECT_EQ(ledger.read_by_file.at(path), int64_t(data_lines + 2));
  EXPECT_TRUE(ledger.reconciles()) << ledger.to_text();
  ASSERT_EQ(ledger.rejected_by_reason.at(RejectReason::kMalformedRow), 3);
  std::vector<const Reject*> malformed;
  for (const Reject& r : ledger.rejects)
    if (r.reason == RejectReason::kMalformedRow) malformed.push_back(&r);
  ASSERT_EQ(malformed.size(), 3u);
  EXPECT_EQ(malformed[0]->row, 11);  // data row 11 = line 12
  EXPECT_EQ(malformed[2]->row, 13);
  for (const Reject* r : malformed) EXPECT_EQ(r->field, "lines 12-14: unterminated quote");
  EXPECT_EQ(malformed[0]->raw, bad);
  EXPECT_EQ(malformed[1]->raw, "Quorn Road, Loughborough");
  EXPECT_EQ(malformed[2]->raw, "  (see note");
  bool warned = false;
  for (const std::string& w : ledger.warnings) warned |= w.find(path + ": lines 12-14 rejected (3 rows)") == 0;
  EXPECT_TRUE(warned) << ledger.to_text();
  // Reading resumed on line 15: the last line of the file was accepted or
  // rejected on its own merits, as row data_lines + 2.
  const int64_t last_row = int64_t(data_lines + 2);
  const bool last_seen = (!batch.table.source_row.empty() && batch.table.source_row.back() == last_row) ||
                         ledger.rejects.back().row == last_row;
  EXPECT_TRUE(last_seen);
}

TEST(GenericReader, QuoteClosedLinesLaterWithWrongWidthRejectsOnlyTheBadLines) {
  TempDir dir("generic_quote_late");
  // Line 3 opens a quote that line 5's stray quote closes: the joined
  // record has 4 fields, not 3. Line 4 is a whole record on its own.
  const std::string path = dir.write("q.csv", "x,y,loc\n1,2,ok\n3,4,\"open\n5,6,fine\n7,8,x\",y\n9,10,last\n");
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(s, path, false, ctx);
  EXPECT_EQ(batch.table.x, (std::vector<double>{1, 5, 9}));
  ASSERT_EQ(ledger.rejects.size(), 2u);
  EXPECT_EQ(ledger.rejects[0].field, "line 3: unterminated quote");
  EXPECT_EQ(ledger.rejects[1].reason, RejectReason::kMalformedRow);
  EXPECT_EQ(ledger.rejects[1].field, "expected 3 fields, found 4");
  EXPECT_EQ(ledger.rows_read, 5);
  EXPECT_TRUE(ledger.reconciles());
}

TEST(GenericReader, ValidMultiLineQuotedFieldIsOneRow) {
  TempDir dir("generic_multiline");
  const std::string path = dir.write("q.csv", "x,y,loc\n1,2,\"two\nlines\"\n3,4,ok\n");
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.location_field = "loc";
  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(s, path, false, ctx);
  EXPECT_EQ(batch.table.location.strings(), (std::vector<std::string>{"two\nlines", "ok"}));
  EXPECT_EQ(ledger.rows_read, 2);
  EXPECT_EQ(ledger.rejected, 0);
}

// Counts records of a CSV text the simple way: newlines outside quotes,
// ignoring blank lines. Returns the rows after the header and how many of
// them have a blank 5th or 6th field (police.uk Longitude/Latitude).
struct IndependentCount {
  int64_t rows = 0;
  int64_t blank_coordinates = 0;
};
IndependentCount count_police_uk_rows(const std::string& text) {
  IndependentCount c;
  std::vector<std::string> fields(1);
  bool quoted = false;
  int64_t records = 0;
  auto finish = [&] {
    if (fields.size() == 1 && fields[0].empty()) return;  // blank line
    if (++records > 1 && fields.size() >= 6 && (fields[4].empty() || fields[5].empty())) ++c.blank_coordinates;
    fields.assign(1, "");
  };
  for (char ch : text) {
    if (ch == '"') {
      quoted = !quoted;
    } else if (!quoted && ch == ',') {
      fields.emplace_back();
    } else if (!quoted && ch == '\n') {
      finish();
    } else if (ch != '\r') {
      fields.back() += ch;
    }
  }
  finish();
  c.rows = records - 1;
  return c;
}

TEST(PoliceUkReader, RealCharnwoodMonth) {
  const std::string path = std::string(HOTSPOT_DATA_DIR) + "/police-uk/2018-10-charnwood-street.csv";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  const IndependentCount want = count_police_uk_rows(ss.str());
  ASSERT_GT(want.rows, 1000);

  Ledger ledger;
  ReadContext ctx{&ledger, {}};
  IncidentBatch batch = read_delimited(IncidentSource{}, path, true, ctx);
  const IncidentTable& t = batch.table;
  EXPECT_EQ(ledger.rows_read, want.rows);
  EXPECT_EQ(ledger.read_by_file.at(path), want.rows);
  EXPECT_EQ(ledger.rejected_by_reason[RejectReason::kBlankCoordinates], want.blank_coordinates);
  EXPECT_EQ(ledger.rejected, want.blank_coordinates);  // the file has no other problem
  EXPECT_EQ(ledger.accepted, want.rows - want.blank_coordinates);
  EXPECT_TRUE(ledger.reconciles());

  ASSERT_EQ(t.size(), size_t(ledger.accepted));
  const auto& lsoa = t.recorded.at("lsoa");
  ASSERT_EQ(lsoa.size(), t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    ASSERT_EQ(lsoa[i].size(), 9u) << "row " << t.source_row[i] << ": '" << lsoa[i] << "'";
    EXPECT_EQ(lsoa[i].substr(0, 3), "E01") << "row " << t.source_row[i];
    EXPECT_EQ(t.month[i], make_month(2018, 10));
    // Charnwood lies around 1.0-1.4 W, 52.6-52.9 N.
    EXPECT_TRUE(t.x[i] > -1.5 && t.x[i] < -0.9) << t.x[i];
    EXPECT_TRUE(t.y[i] > 52.5 && t.y[i] < 53.0) << t.y[i];
  }
  const std::vector<std::string> locations = t.location.strings();
  EXPECT_EQ(std::count(locations.begin(), locations.end(), "On or near Asda, Thurmaston"), 3);
}

TEST(ReadFile, CompleteGzipReadsLikeThePlainFile) {
  TempDir dir("gzip_ok");
  const std::string gz = (dir.path() / "2018-10-street.csv.gz").string();
  write_gzip(gz, slurp(kRealMonth));
  EXPECT_EQ(read_file(gz), slurp(kRealMonth));
}

// Issue 8: a cut .csv.gz was read up to the break, GDAL's error went to
// stderr and the ledger "reconciled" with half the rows gone.
TEST(ReadFile, TruncatedGzipIsAnInputErrorNamingTheFile) {
  TempDir dir("gzip_cut");
  const std::string full = (dir.path() / "full.csv.gz").string();
  write_gzip(full, slurp(kRealMonth));
  const std::string bytes = slurp(full);
  // Cut in the middle, just before the end (only the trailer lost) and
  // inside the gzip header: all three must fail.
  for (size_t keep : {bytes.size() * 3 / 5, bytes.size() - 4, size_t{5}}) {
    SCOPED_TRACE("kept " + std::to_string(keep) + " of " + std::to_string(bytes.size()) + " bytes");
    const std::string cut = dir.write("2018-10-street.csv.gz", bytes.substr(0, keep));
    std::string msg = input_error_message([&] { read_file(cut); });
    EXPECT_NE(msg.find(cut), std::string::npos) << msg;
    EXPECT_NE(msg.find("truncated or corrupt compressed file"), std::string::npos) << msg;
    EXPECT_NE(msg.find("stopped after"), std::string::npos) << msg;
    Ledger ledger;
    ReadContext ctx{&ledger, {}};
    msg = input_error_message([&] { read_delimited(IncidentSource{}, cut, true, ctx); });
    EXPECT_NE(msg.find(cut), std::string::npos) << msg;
    EXPECT_EQ(ledger.rows_read, 0);
  }
}

TEST(ReadFile, CorruptGzipIsAnInputError) {
  TempDir dir("gzip_flip");
  const std::string full = (dir.path() / "full.csv.gz").string();
  write_gzip(full, slurp(kRealMonth));
  std::string bytes = slurp(full);
  bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x55);  // one flipped byte mid-stream
  const std::string bad = dir.write("flipped.csv.gz", bytes);
  std::string msg = input_error_message([&] { read_file(bad); });
  EXPECT_NE(msg.find(bad), std::string::npos) << msg;
  EXPECT_NE(msg.find("corrupt"), std::string::npos) << msg;
}

// Issue 8: the police.uk bulk download as it comes (YYYY-MM folders of
// *-street.csv with -outcomes and -stop-and-search files beside them) failed
// with "directory has no .csv files".
TEST(ExpandPoliceUkPaths, ReadsMonthFoldersAndSkipsOutcomesAndStopAndSearch) {
  TempDir dir("police_download");
  for (const char* name : {"2018-11/2018-11-leics-street.csv", "2018-11/2018-11-leics-outcomes.csv",
                           "2018-10/2018-10-leics-street.csv", "2018-10/2018-10-leics-stop-and-search.csv",
                           "2018-10/2018-10-leics-outcomes.csv.gz", "notes/2018-10-x-street.csv",
                           "2018-12-leics-street.csv"})
    dir.write(name, "x");
  std::vector<std::string> skipped;
  auto files = expand_police_uk_paths({dir.path().string()}, &skipped);
  const fs::path d = dir.path();
  // Sorted by path: the top-level file sorts before the month folders.
  EXPECT_EQ(files, (std::vector<std::string>{(d / "2018-10/2018-10-leics-street.csv").string(),
                                             (d / "2018-11/2018-11-leics-street.csv").string(),
                                             (d / "2018-12-leics-street.csv").string()}));
  std::sort(skipped.begin(), skipped.end());
  EXPECT_EQ(skipped, (std::vector<std::string>{(d / "2018-10/2018-10-leics-outcomes.csv.gz").string(),
                                               (d / "2018-10/2018-10-leics-stop-and-search.csv").string(),
                                               (d / "2018-11/2018-11-leics-outcomes.csv").string()}));
  IncidentSource s;
  s.paths = {d.string()};
  Ledger ledger;
  EXPECT_EQ(incident_files(s, &ledger), files);
  ASSERT_EQ(ledger.warnings.size(), 1u);
  EXPECT_EQ(ledger.warnings[0].rfind("skipped 3 police.uk outcomes/stop-and-search files", 0), 0u)
      << ledger.warnings[0];
}

TEST(ExpandPoliceUkPaths, FolderOfOnlyOutcomesSaysSo) {
  TempDir dir("police_outcomes_only");
  dir.write("2018-10/2018-10-leics-outcomes.csv", "x");
  std::string msg = input_error_message([&] { expand_police_uk_paths({dir.path().string()}, nullptr); });
  EXPECT_NE(msg.find(dir.path().string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("*-street.csv"), std::string::npos) << msg;
  EXPECT_NE(msg.find("1 outcomes/stop-and-search files are not read"), std::string::npos) << msg;
}

TEST(ExpandPaths, DirectoryListsMatchingFilesSorted) {
  TempDir dir("expand_dir");
  for (const char* name : {"c.csv", "a.csv", "b.tsv", "notes.md", "sub/d.csv"}) dir.write(name, "x");
  auto files = expand_paths({dir.path().string()}, {".csv", ".tsv"});
  const fs::path d = dir.path();
  EXPECT_EQ(files, (std::vector<std::string>{(d / "a.csv").string(), (d / "b.tsv").string(), (d / "c.csv").string()}));
}

TEST(ExpandPaths, GlobIsSorted) {
  TempDir dir("expand_glob");
  for (const char* name : {"2019-01-x.csv", "2018-12-x.csv", "2018-11-x.csv", "2018-11-y.txt"}) dir.write(name, "x");
  auto files = expand_paths({(dir.path() / "*-x.csv").string()}, {".csv"});
  const fs::path d = dir.path();
  EXPECT_EQ(files, (std::vector<std::string>{(d / "2018-11-x.csv").string(), (d / "2018-12-x.csv").string(),
                                             (d / "2019-01-x.csv").string()}));
}

TEST(ExpandPaths, PlainFilesKeepTheirOrder) {
  TempDir dir("expand_files");
  const std::string b = dir.write("b.csv", "x"), a = dir.write("a.dat", "x");
  // A named file is taken whatever its extension.
  EXPECT_EQ(expand_paths({b, a}, {".csv"}), (std::vector<std::string>{b, a}));
}

TEST(ExpandPaths, NothingFoundIsAnInputError) {
  TempDir dir("expand_missing");
  dir.write("notes.md", "x");
  const std::string missing = (dir.path() / "nope.csv").string();
  std::string msg = input_error_message([&] { expand_paths({missing}, {".csv"}); });
  EXPECT_NE(msg.find(missing), std::string::npos) << msg;
  const std::string pattern = (dir.path() / "*.csv").string();
  msg = input_error_message([&] { expand_paths({pattern}, {".csv"}); });
  EXPECT_NE(msg.find(pattern), std::string::npos) << msg;
  msg = input_error_message([&] { expand_paths({dir.path().string()}, {".csv"}); });
  EXPECT_NE(msg.find(dir.path().string()), std::string::npos) << msg;
}

}  // namespace
}  // namespace hotspot::io
