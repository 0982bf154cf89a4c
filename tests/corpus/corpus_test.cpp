// The malformed-input corpus (issue 8, "Must have" 4): hostile and broken
// inputs run through the real CLI (HOTSPOT_BINARY), each in a fresh folder,
// with a 60 s limit. Every case asserts:
//   - no crash and no hang (a signal or the time limit fails the case),
//   - the expected exit code and a fragment of the expected message,
//   - that the ledger line, when printed, reconciles
//     ("rows read N = accepted A + rejected R  [reconciles]", N == A + R),
//     and the expected row counts where the case gives them (no row lost),
//   - that a failed run leaves no output folder behind.
// The cases are one table (cases() below); input files are generated here.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

// The table leaves trailing Case fields at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

struct File {
  std::string name;     // relative to the case folder; folders are created
  std::string content;  // bytes, written as they are
  bool gzip = false;    // store as name + ".gz" (gzip -n)
  long truncate = -1;   // after gzip: keep only this many bytes
};

struct Case {
  std::string name;                     // test name: letters, digits, _
  std::vector<File> files;
  std::string args;                     // hotspot arguments, run in the case folder
  int exit_code = 0;
  std::string message;                  // must appear in stdout+stderr
  long rows_read = -1;                  // ledger: expected rows read (-1: not checked)
  long accepted = -1;                   // ledger: expected accepted rows (-1: not checked)
  std::function<void(const fs::path& dir, const std::string& output)> check;  // extra assertions
};

// ---- input builders --------------------------------------------------------

const std::string kPoliceHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context";

// One police.uk street row; the two areas of areas() are A (x < -1.19) and B.
std::string police_row(const std::string& id, const std::string& lon = "-1.195", const std::string& lat = "52.775",
                       const std::string& month = "2019-01", const std::string& location = "On or near High Street",
                       const std::string& type = "Burglary") {
  return id + "," + month + ",Leicestershire Police,Leicestershire Police," + lon + "," + lat + "," + location +
         ",E0100000A,Charnwood 001A," + type + ",Under investigation,";
}

// A police.uk file: header and rows joined with `eol`.
std::string police(const std::vector<std::string>& rows, const std::string& eol = "\n") {
  std::string out = kPoliceHeader + eol;
  for (const auto& r : rows) out += r + eol;
  return out;
}

// Five good rows, ids r1..r5, three in area A and two in B.
std::vector<std::string> good_rows() {
  return {police_row("r1"), police_row("r2", "-1.196", "52.776"), police_row("r3", "-1.194", "52.774"),
          police_row("r4", "-1.185"), police_row("r5", "-1.184", "52.776")};
}

std::string square(double x0, double y0, double size) {
  std::ostringstream s;
  s << "[[[" << x0 << "," << y0 << "],[" << x0 + size << "," << y0 << "],[" << x0 + size << "," << y0 + size
    << "],[" << x0 << "," << y0 + size << "],[" << x0 << "," << y0 << "]]]";
  return s.str();
}

std::string feature(const std::string& code, const std::string& geometry) {
  return R"({"type":"Feature","properties":{"code":")" + code + R"(","name":"Area )" + code +
         R"("},"geometry":)" + geometry + "}";
}

std::string polygon(const std::string& coords) { return R"({"type":"Polygon","coordinates":)" + coords + "}"; }

std::string collection(const std::vector<std::string>& features) {
  std::string out = R"({"type":"FeatureCollection","features":[)";
  for (size_t i = 0; i < features.size(); ++i) out += (i ? "," : "") + features[i];
  return out + "]}";
}

// Two 0.01-degree squares side by side: A holds lon -1.20..-1.19, B -1.19..-1.18.
std::string areas(const std::string& code_a = "A", const std::string& code_b = "B") {
  return collection({feature(code_a, polygon(square(-1.20, 52.77, 0.01))),
                     feature(code_b, polygon(square(-1.19, 52.77, 0.01)))});
}

const std::string kAreaFlag = " --area lsoa=areas.geojson:code:name";

// A config over street.csv (good rows) and areas.geojson; `root` goes
// before the first table, `tail` after the last.
std::vector<File> config_case(const std::string& root, const std::string& tail,
                              const std::string& areas_text = areas()) {
  const std::string toml = root +
                           "\n[output]\ndir = \"out\"\n\n[[incidents]]\nformat = \"police_uk\"\n"
                           "paths = [\"street.csv\"]\n\n[[areas]]\nname = \"lsoa\"\npaths = [\"areas.geojson\"]\n"
                           "code = \"code\"\nname_field = \"name\"\n\n" +
                           tail + "\n";
  return {{"run.toml", toml}, {"street.csv", police(good_rows())}, {"areas.geojson", areas_text}};
}

std::string utf16le(const std::string& ascii) {
  std::string out = "\xFF\xFE";
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

std::string generic_csv(const std::vector<std::string>& rows) {
  std::string out = "id,x,y,date,category\n";
  for (const auto& r : rows) out += r + "\n";
  return out;
}

// ---- extra checks ------------------------------------------------------------

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// RFC 7946: GeoJSON is UTF-8.
void geojson_is_utf8(const fs::path& dir, const std::string&) {
  ASSERT_TRUE(fs::exists(dir / "out/geojson"));
  for (const auto& e : fs::directory_iterator(dir / "out/geojson"))
    EXPECT_TRUE(valid_utf8(slurp(e.path()))) << e.path() << " is not valid UTF-8";
}

// Nothing written outside the case's out/ folder except the inputs.
void only_out_written(const fs::path& dir, const std::string&) {
  for (const auto& e : fs::directory_iterator(dir.parent_path()))
    EXPECT_EQ(e.path(), dir) << "written outside the case folder: " << e.path();
}

// ---- the corpus --------------------------------------------------------------

const std::string kStreet = "run --police-uk street.csv --out out";
const std::string kStreetAreas = kStreet + kAreaFlag;
const std::string kGeneric = "run -c run.toml";

// A config reading generic.csv (x/y/date/category columns) in `crs`.
std::vector<File> generic_case(const std::string& csv, const std::string& crs = "") {
  std::string toml =
      "[output]\ndir = \"out\"\n[[incidents]]\nformat = \"csv\"\npaths = [\"generic.csv\"]\n"
      "x = \"x\"\ny = \"y\"\ndate = \"date\"\ncategory = \"category\"\nid = \"id\"\n";
  if (!crs.empty()) toml += "crs = \"" + crs + "\"\n";
  toml += "[stats]\nenabled = false\n";
  return {{"run.toml", toml}, {"generic.csv", csv}};
}

std::vector<Case> cases() {
  const auto rows = good_rows();
  std::vector<Case> c;
  auto add = [&](Case k) { c.push_back(std::move(k)); };

  // -- the baseline: a good file runs and reconciles
  add({"good_police_uk", {{"street.csv", police(rows)}, {"areas.geojson", areas()}}, kStreetAreas, 0, "[reconciles]", 5, 5});

  // -- empty and near-empty files
  add({"empty_file", {{"street.csv", ""}}, kStreet, 3, "street.csv"});
  add({"only_blank_lines", {{"street.csv", "\n\n\r\n"}}, kStreet, 3, "street.csv"});
  add({"header_only", {{"street.csv", kPoliceHeader + "\n"}}, kStreet, 3, "no incident",
       -1, -1});
  add({"header_without_newline", {{"street.csv", kPoliceHeader}}, kStreet, 3, "no incident",
       -1, -1});

  // -- encodings
  add({"utf8_bom", {{"street.csv", "\xEF\xBB\xBF" + police(rows)}}, kStreet, 0, "[reconciles]", 5, 5});
  add({"utf16le_bom", {{"street.csv", utf16le(police(rows))}}, kStreet, 3, "street.csv"});
  add({"windows1252_location",
       {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-01", "On or near Caf\xE9 Row"), rows[1]})}},
       kStreet, 0, "[reconciles]", 2, 2, geojson_is_utf8});
  add({"utf8_location_kept",
       {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-01", "On or near Caf\xC3\xA9 Row")})}},
       kStreet, 0, "[reconciles]", 1, 1, geojson_is_utf8});
  add({"latin1_header", {{"street.csv", "Crime ID,Mon\xE9th" + police(rows).substr(kPoliceHeader.find(",Rep"))}},
       kStreet, 3, "street.csv"});

  // -- line endings
  add({"crlf", {{"street.csv", police(rows, "\r\n")}}, kStreet, 0, "[reconciles]", 5, 5});
  add({"lone_cr", {{"street.csv", police(rows, "\r")}}, kStreet, 0, "[reconciles]", 5, 5});
  add({"mixed_eol",
       {{"street.csv", kPoliceHeader + "\r\n" + rows[0] + "\n" + rows[1] + "\r\n" + rows[2] + "\r" + rows[3] + "\n"}},
       kStreet, 0, "[reconciles]", 4, 4});
  add({"no_final_newline", {{"street.csv", police(rows).substr(0, police(rows).size() - 1)}}, kStreet, 0,
       "[reconciles]", 5, 5});
  add({"blank_lines_between_rows", {{"street.csv", kPoliceHeader + "\n\n" + rows[0] + "\n\n\n" + rows[1] + "\n"}},
       kStreet, 0, "[reconciles]", 2, 2});

  // -- quoting
  add({"quoted_fields", {{"street.csv", police({police_row("r1", "\"-1.195\"", "\"52.775\"")})}}, kStreet, 0,
       "[reconciles]", 1, 1});
  add({"doubled_quotes", {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-01",
                                                            "\"On or near \"\"The Bell\"\" pub\"")})}},
       kStreet, 0, "[reconciles]", 1, 1});
  add({"embedded_newline", {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-01",
                                                              "\"On or near\nHigh Street\""), rows[1]})}},
       kStreet, 0, "[reconciles]", 2, 2});
  add({"embedded_delimiter", {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-01",
                                                                "\"High Street, Loughborough\"")})}},
       kStreet, 0, "[reconciles]", 1, 1});
  add({"unterminated_quote_mid_file",
       {{"street.csv", police({rows[0], police_row("r2", "-1.196", "52.776", "2019-01", "\"On or near"), rows[2],
                               rows[3], rows[4]})}},
       kStreet, 0, "malformed_row", 5, 4});
  add({"unterminated_quote_last_row",
       {{"street.csv", police({rows[0], rows[1], police_row("r3", "-1.194", "52.774", "2019-01", "\"Nowhere")})}},
       kStreet, 0, "malformed_row", 3, 2});
  add({"quote_in_unquoted_field",
       {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-01", "On or near 5\" Lane")})}}, kStreet, 0,
       "[reconciles]", 1});
  add({"text_after_closing_quote",
       {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-01", "\"On or near\" High St")})}},
       kStreet, 0, "[reconciles]", 1, 1});

  // -- ragged rows
  add({"row_too_short", {{"street.csv", police({rows[0], "r9,2019-01,Leics,Leics,-1.19", rows[2]})}}, kStreet, 0,
       "malformed_row: 1", 3, 2});
  add({"row_too_long", {{"street.csv", police({rows[0], rows[1] + ",extra,fields", rows[2]})}}, kStreet, 0,
       "malformed_row: 1", 3, 2});
  add({"single_field_rows", {{"street.csv", police({"x", "y", rows[0]})}}, kStreet, 0, "malformed_row: 2", 3, 1});
  add({"header_with_extra_column", {{"street.csv", kPoliceHeader + ",Extra\n" + rows[0] + ",1\n"}}, kStreet, 3,
       "street.csv"});
  add({"header_columns_reordered",
       {{"street.csv", "Month,Crime ID" + kPoliceHeader.substr(kPoliceHeader.find(",Reported")) + "\n"}}, kStreet, 3,
       "street.csv"});

  // -- NUL bytes and binary junk
  add({"nul_in_field",
       {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-01", std::string("On or\0near", 10)),
                               rows[1]})}},
       kStreet, 0, "[reconciles]", 2});
  add({"nul_bytes_only", {{"street.csv", std::string(1024, '\0')}}, kStreet, 3, "street.csv"});
  add({"binary_junk", {{"street.csv", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe\x01", 19)}}, kStreet, 3,
       "street.csv"});

  // -- huge fields
  add({"field_of_1mb",
       {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-01", std::string(1 << 20, 'x')), rows[1]})}},
       kStreet, 0, "[reconciles]", 2, 2});
  add({"quoted_field_of_1mb_with_newlines",
       {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-01",
                                          "\"" + std::string(1 << 19, 'a') + "\n" + std::string(1 << 19, 'b') + "\""),
                               rows[1]})}},
       kStreet, 0, "[reconciles]", 2, 2});
  add({"many_columns", {{"street.csv", kPoliceHeader + "\n" + rows[0] + std::string(100000, ',') + "\n"}}, kStreet, 3,
       "expected 12 fields, found 100012", 1, 0});

  // -- coordinates
  add({"nan_coordinates", {{"street.csv", police({police_row("r1", "nan"), police_row("r2", "-1.19", "NaN"), rows[2]})}},
       kStreet, 0, "rejected", 3, 1});
  add({"inf_coordinates",
       {{"street.csv", police({police_row("r1", "inf"), police_row("r2", "-1.19", "-Infinity"), rows[2]})}}, kStreet,
       0, "rejected", 3, 1});
  add({"huge_coordinates", {{"street.csv", police({police_row("r1", "1e308"), police_row("r2", "-1.19", "-1e308"),
                                                   police_row("r3", "1e999"), rows[3]})}},
       kStreet, 0, "rejected", 4, 1});
  add({"hex_and_words_coordinates", {{"street.csv", police({police_row("r1", "0x1p3"), police_row("r2", "north"),
                                                            police_row("r3", "-1,2"), rows[3]})}},
       kStreet, 0, "rejected", -1, 1});
  add({"blank_coordinates", {{"street.csv", police({police_row("r1", ""), police_row("r2", "-1.19", " "), rows[2]})}},
       kStreet, 0, "blank_coordinates: 2", 3, 1});
  add({"zero_coordinates", {{"street.csv", police({police_row("r1", "0", "0"), rows[1]})}}, kStreet, 0,
       "zero_coordinates: 1", 2, 1});
  add({"latitude_out_of_range", {{"street.csv", police({police_row("r1", "-1.19", "91"), rows[1]})}}, kStreet, 0,
       "out_of_range: 1", 2, 1});
  add({"all_rows_without_coordinates",
       {{"street.csv", police({police_row("r1", ""), police_row("r2", "")})}, {"areas.geojson", areas()}},
       kStreetAreas, 3, "no incident", 2, 0});
  add({"projected_1e308",
       generic_case(generic_csv({"1,452000,318000,2019-01-05,Burglary", "2,1e308,318000,2019-01-05,Burglary",
                                 "3,452100,318100,2019-01-05,Burglary"}),
                    "EPSG:27700"),
       kGeneric, 0, "out_of_range", 3, 2});
  add({"bng_without_crs",
       generic_case(generic_csv({"1,452000,318000,2019-01-05,Burglary", "2,452100,318100,2019-01-05,Burglary"})),
       kGeneric, 3, "British National Grid", 2, 0});

  // -- dates, categories, ids
  add({"bad_months", {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-13"),
                                             police_row("r2", "-1.195", "52.775", ""),
                                             police_row("r3", "-1.195", "52.775", "January"), rows[3]})}},
       kStreet, 0, "unparsable_date: 3", 4, 1});
  add({"blank_crime_type", {{"street.csv", police({police_row("r1", "-1.195", "52.775", "2019-01", "x", ""), rows[1]})}},
       kStreet, 0, "missing_category: 1", 2, 1});
  add({"duplicate_crime_ids", {{"street.csv", police({rows[0], rows[0], rows[0], rows[1]})}}, kStreet, 0,
       "duplicate_id: 2", 4, 2});
  // More categories than an area layer holds as columns: the run still
  // succeeds; every category is in counts_long (none lost), the layers
  // carry the totals (issue 8: ~2,000 categories aborted the GeoPackage).
  std::vector<std::string> many;
  for (int i = 0; i < 2100; ++i)
    many.push_back(police_row("m" + std::to_string(i), "-1.195", "52.775", "2019-01", "x", "Type " + std::to_string(i)));
  add({"many_categories", {{"street.csv", police(many)}, {"areas.geojson", areas()}}, kStreetAreas, 0, "2100 categories are more than the 300",
       2100, 2100, [](const fs::path& dir, const std::string&) {
         const std::string counts = slurp(dir / "out/csv/counts_long.csv");
         std::set<std::string> seen;
         std::istringstream in(counts);
         for (std::string line; std::getline(in, line);) {  // layer,area_code,area_name,category,month,count
           std::vector<std::string> f;
           std::istringstream fields(line);
           for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
           if (f.size() == 6 && f[0] == "lsoa") seen.insert(f[3]);
         }
         EXPECT_EQ(seen.size(), 2100u) << "every category of the layer in counts_long";
       }});
  add({"slash_dates_generic", generic_case(generic_csv({"1,-1.195,52.775,2019/01/05,Burglary"})), kGeneric, 0,
       "[reconciles]", 1, 1});

  // -- compressed and missing files
  add({"gzip_file", {{"street.csv", police(rows), true}}, "run --police-uk street.csv.gz --out out", 0,
       "[reconciles]", 5, 5});
  add({"truncated_gzip", {{"street.csv", police(std::vector<std::string>(400, rows[0])), true, 300}},
       "run --police-uk street.csv.gz --out out", 3, "street.csv.gz", -1, -1});
  add({"gz_name_not_gzip", {{"street.csv.gz", police(rows)}}, "run --police-uk street.csv.gz --out out", 3,
       "street.csv.gz"});
  add({"empty_gz", {{"street.csv.gz", ""}}, "run --police-uk street.csv.gz --out out", 3, "street.csv.gz"});
  add({"missing_file", {}, kStreet, 3, "street.csv"});
  add({"folder_without_csv", {{"data/readme.txt", "nothing here"}}, "run --police-uk data --out out", 3, "data"});
  add({"police_uk_bulk_download",
       {{"dl/2019-01/2019-01-leicestershire-street.csv", police(rows)},
        {"dl/2019-01/2019-01-leicestershire-outcomes.csv", "Crime ID,Month,Outcome type\n"},
        {"dl/2019-01/2019-01-leicestershire-stop-and-search.csv", "Type,Date\n"}},
       "run --police-uk dl --out out", 0, "[reconciles]", 5, 5});

  // -- area layers
  add({"area_good", {{"street.csv", police(rows)}, {"areas.geojson", areas()}}, kStreetAreas, 0, "matched 5", 5, 5});
  add({"area_self_intersecting",
       {{"street.csv", police(rows)},
        {"areas.geojson",
         collection({feature("A", polygon("[[[-1.20,52.77],[-1.19,52.78],[-1.19,52.77],[-1.20,52.78],[-1.20,52.77]]]")),
                     feature("B", polygon(square(-1.19, 52.77, 0.01)))})}},
       kStreetAreas, 0, "[reconciles]", 5, 5});
  add({"area_null_geometry",
       {{"street.csv", police(rows)},
        {"areas.geojson", collection({R"({"type":"Feature","properties":{"code":"A","name":"a"},"geometry":null})",
                                      feature("B", polygon(square(-1.19, 52.77, 0.01)))})}},
       kStreetAreas, 3, "areas.geojson"});
  add({"area_empty_polygon",
       {{"street.csv", police(rows)},
        {"areas.geojson", collection({feature("A", polygon("[]")), feature("B", polygon(square(-1.19, 52.77, 0.01)))})}},
       kStreetAreas, 3, "areas.geojson"});
  add({"area_points_not_polygons",
       {{"street.csv", police(rows)},
        {"areas.geojson", collection({feature("A", R"({"type":"Point","coordinates":[-1.195,52.775]})")})}},
       kStreetAreas, 3, "areas.geojson"});
  add({"area_no_features", {{"street.csv", police(rows)}, {"areas.geojson", collection({})}}, kStreetAreas, 3,
       "areas.geojson"});
  add({"area_not_geojson", {{"street.csv", police(rows)}, {"areas.geojson", "{\"type\": \"Feat"}}, kStreetAreas, 3,
       "areas.geojson"});
  add({"area_duplicate_codes", {{"street.csv", police(rows)}, {"areas.geojson", areas("A", "A")}}, kStreetAreas, 0,
       "code A is shared by 2 features", 5, 5});
  add({"area_blank_code", {{"street.csv", police(rows)}, {"areas.geojson", areas("A", "")}}, kStreetAreas, 3,
       "blank"});
  add({"area_unknown_code_field", {{"street.csv", police(rows)}, {"areas.geojson", areas()}},
       kStreet + " --area lsoa=areas.geojson:LSOA11CD", 3, "unknown field 'LSOA11CD'; valid: 'code', 'name'"});
  add({"area_missing_file", {{"street.csv", police(rows)}}, kStreetAreas, 3, "areas.geojson"});
  add({"area_path_typo", {{"street.csv", police(rows)}, {"areas.geojson", areas()}},
       kStreet + " --area lsoa=far.geojson:code:name", 3, "far.geojson"});
  add({"area_name_with_dotdot", {{"street.csv", police(rows)}, {"areas.geojson", areas()}},
       kStreet + " --area ../../escape=areas.geojson:code:name", 2, "area layer name '../../escape'", -1, -1,
       only_out_written});
  add({"area_no_point_matches",
       {{"street.csv", police(rows)},
        {"areas.geojson", collection({feature("Z", polygon(square(10.0, 40.0, 0.01)))})}},
       kStreetAreas, 3, "only 0 of 5 accepted incidents (0.0%) lie in its areas"});

  // -- population and lookup tables (config)
  const std::string pop = "[areas.population]\npath = \"pop.csv\"\ncode = \"code\"\nvalue = \"people\"\n";
  auto pop_case = [&](const std::string& name, const std::string& table, int code, const std::string& msg) {
    auto files = config_case("", "");
    files[0].content.insert(files[0].content.find("\n\n", files[0].content.find("name_field")) + 1, pop);
    files.push_back({"pop.csv", table});
    add({name, files, kGeneric, code, msg});
  };
  pop_case("population_good", "code,people\nA,1500\nB,1700\n", 0, "[reconciles]");
  pop_case("population_missing_column", "code,persons\nA,1500\nB,1700\n", 3, "people");
  pop_case("population_not_a_number", "code,people\nA,lots\nB,1700\n", 3, "pop.csv");
  pop_case("population_negative", "code,people\nA,-5\nB,1700\n", 3, "pop.csv");
  pop_case("population_nan", "code,people\nA,nan\nB,1700\n", 3, "pop.csv");
  pop_case("population_duplicate_code", "code,people\nA,1500\nA,1600\nB,1700\n", 3, "area code 'A' appears twice");
  pop_case("population_empty_file", "", 3, "pop.csv");
  pop_case("population_unmatched_rows", "code,people\nA,1500\nB,1700\nZZZ,99\n", 0, "ZZZ");

  const std::string dissolve =
      "[[areas]]\nname = \"beat\"\ndissolve = { from = \"lsoa\", lookup = \"lookup.csv\", from_code = \"code\", "
      "to_code = \"beat\" }\n";
  auto lookup_case = [&](const std::string& name, const std::string& table, int code, const std::string& msg) {
    auto files = config_case("", dissolve);
    files.push_back({"lookup.csv", table});
    add({name, files, kGeneric, code, msg});
  };
  lookup_case("lookup_good", "code,beat\nA,56\nB,57\n", 0, "[reconciles]");
  lookup_case("lookup_missing_column", "code,sector\nA,56\nB,57\n", 3, "beat");
  lookup_case("lookup_code_in_two_targets", "code,beat\nA,56\nA,57\nB,57\n", 3, "lookup.csv");
  lookup_case("lookup_empty_file", "", 3, "lookup.csv");

  // -- configuration values
  auto cfg = [&](const std::string& name, const std::string& root, const std::string& tail, int code,
                 const std::string& msg) {
    add({name, config_case(root, tail), kGeneric, code, msg});
  };
  cfg("config_good", "", "", 0, "[reconciles]");
  add({"config_empty_file", {{"run.toml", ""}}, kGeneric, 2, "no incidents"});
  add({"config_not_toml", {{"run.toml", "this is = = not toml\n"}}, kGeneric, 2, "run.toml:1"});
  add({"config_nul_byte", {{"run.toml", std::string("threads = 1\0\n", 13)}}, kGeneric, 2, "run.toml"});
  add({"config_utf16", {{"run.toml", utf16le("threads = 1\n")}}, kGeneric, 2, "run.toml"});
  add({"config_missing", {}, kGeneric, 2, "run.toml"});
  cfg("config_unknown_key", "colour = 1", "", 2, "unknown key 'colour'");
  cfg("config_typo_did_you_mean", "", "[kde]\nbandwith = 300", 2, "did you mean 'bandwidth'");
  cfg("config_wrong_type_string", "", "[kde]\nbandwidth = \"300\"", 2, "kde.bandwidth");
  cfg("config_wrong_type_table", "threads = { a = 1 }", "", 2, "threads");
  cfg("config_cell_inf", "", "[kde]\ncell = inf", 2, "cell");
  cfg("config_cell_nan", "", "[kde]\ncell = nan", 2, "cell");
  cfg("config_bandwidth_inf", "", "[kde]\nbandwidth = inf", 2, "bandwidth");
  cfg("config_bandwidth_negative", "", "[kde]\nbandwidth = -1", 2, "bandwidth");
  cfg("config_extent_inf", "", "[kde]\nextent = [-inf, -inf, inf, inf]", 2, "extent");
  cfg("config_extent_backwards", "", "[kde]\nextent = [10, 10, 0, 0]", 2, "extent");
  cfg("config_gaussian_cutoff_zero", "", "[kde]\ngaussian_cutoff = 0", 2, "gaussian_cutoff");
  cfg("config_rate_per_inf", "", "[stats]\nrate_per = inf", 2, "rate_per");
  cfg("config_rate_per_zero", "", "[stats]\nrate_per = 0", 2, "rate_per");
  cfg("config_threads_negative", "threads = -7", "", 2, "threads");
  cfg("config_threads_2_pow_40", "threads = 1099511627776", "", 2, "threads");
  cfg("config_integer_overflow", "threads = 99999999999999999999999", "", 2, "run.toml");
  cfg("config_top_n_negative", "", "[stats]\ntop_n = -5", 2, "top_n");
  cfg("config_fy_start_month_13", "", "[stats]\nfy_start_month = 13", 2, "fy_start_month");
  cfg("config_suppress_below_negative", "", "[stats]\nsuppress_below = -1", 2, "suppress_below");
  cfg("config_hotspot_top_percent_zero", "", "[kde]\nhotspot_top_percent = 0", 2, "hotspot_top_percent");
  cfg("config_bad_hotspot_rule", "", "[kde]\nhotspot_rule = \"biggest\"", 2, "hotspot_rule");
  cfg("config_bad_period", "", "[stats]\ncurrent = \"month:2019-13\"", 2, "month:2019-13");
  cfg("config_unknown_kernel", "", "[kde]\nkernel = \"triangle-ish\"", 2, "kernel");
  cfg("config_terabyte_grid", "", "[kde]\ncell = 0.001\nextent = [0, 0, 1000000, 1000000]", 2, "cell");
  cfg("config_duplicate_layer_names", "",
      "[[areas]]\nname = \"lsoa\"\npaths = [\"areas.geojson\"]\ncode = \"code\"", 2, "lsoa");
  add({"config_surface_name_dotdot", config_case("", "[[kde.surfaces]]\nname = \"../../../x\""), kGeneric, 2,
       "surface name '../../../x'", -1, -1, only_out_written});
  cfg("config_working_crs_degrees", "working_crs = \"EPSG:4326\"", "", 2, "metres");
  cfg("config_working_crs_feet", "working_crs = \"EPSG:2227\"", "", 2, "metres");
  cfg("config_working_crs_garbage", "working_crs = \"EPSG:99999999\"", "", 2, "EPSG:99999999");
  cfg("config_paths_missing", "", "[[incidents]]\nformat = \"police_uk\"", 2, "paths");
  cfg("config_bad_format", "", "[[incidents]]\nformat = \"xlsx\"\npaths = [\"x.xlsx\"]", 2, "format");
  cfg("config_bad_delimiter", "", "[[incidents]]\nformat = \"csv\"\npaths = [\"a.csv\"]\ndelimiter = \"ab\"", 2,
      "delimiter");
  cfg("config_incidents_not_array", "incidents = 5", "", 2, "incidents");
  return c;
}

// ---- the runner ----------------------------------------------------------------

struct RunResult {
  bool timed_out = false;
  int exit_code = -1;  // when exited normally
  int signal = 0;      // when killed by a signal
  std::string output;  // stdout and stderr
};

// Runs HOTSPOT_BINARY with `args` (split on blanks) in `dir`; kills it after
// `limit` and reports the timeout.
RunResult run_in(const fs::path& dir, const std::string& args, std::chrono::seconds limit) {
  std::vector<std::string> argv_s{HOTSPOT_BINARY};
  std::istringstream in(args);
  for (std::string a; in >> a;) argv_s.push_back(a);
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string log = (dir / ".output").string();

  RunResult r;
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(120);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) _exit(121);
    dup2(fd, 1);
    dup2(fd, 2);
    execv(argv[0], argv.data());
    _exit(122);
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.output = slurp(log);
  fs::remove(log);
  return r;
}

void write_inputs(const fs::path& dir, const std::vector<File>& files) {
  for (const File& f : files) {
    const fs::path p = dir / f.name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << f.content;
    if (!f.gzip) continue;
    ASSERT_EQ(std::system(("gzip -n -f '" + p.string() + "'").c_str()), 0);
    if (f.truncate >= 0) fs::resize_file(p.string() + ".gz", static_cast<uintmax_t>(f.truncate));
  }
}

// Test names in CTest show the case name, not the bytes of the struct.
void PrintTo(const Case& k, std::ostream* os) { *os << k.name; }

class Corpus : public ::testing::TestWithParam<Case> {};

TEST_P(Corpus, FailsLoudlyAndReconciles) {
  const Case& k = GetParam();

  // Each case gets a folder of its own inside a folder of its own, so
  // only_out_written can see anything written beside it.
  const fs::path root = fs::temp_directory_path() / ("hotspot_corpus_" + std::to_string(getpid()) + "_" + k.name);
  const fs::path dir = root / "case";
  fs::remove_all(root);
  fs::create_directories(dir);
  write_inputs(dir, k.files);

  const RunResult r = run_in(dir, k.args, std::chrono::seconds(60));
  SCOPED_TRACE("hotspot " + k.args + "\n--- output ---\n" + r.output.substr(0, 4000));
  ASSERT_FALSE(r.timed_out) << "hung: killed after 60 s";
  ASSERT_EQ(r.signal, 0) << "crashed with signal " << r.signal;
  ASSERT_LT(r.exit_code, 128) << "crashed (exit code " << r.exit_code << ")";
  EXPECT_EQ(r.exit_code, k.exit_code);
  EXPECT_NE(r.output.find(k.message), std::string::npos) << "expected message fragment: " << k.message;

  // The ledger line, whenever one is printed, must add up.
  static const std::regex ledger_re(R"(rows read (\d+) = accepted (\d+) \+ rejected (\d+)\s+\[(\w+)\])");
  std::smatch m;
  const bool has_ledger = std::regex_search(r.output, m, ledger_re);
  if (k.exit_code == 0) {
    EXPECT_TRUE(has_ledger) << "a successful run prints its ledger";
  }
  if (has_ledger) {
    const long read = std::stol(m[1]), accepted = std::stol(m[2]), rejected = std::stol(m[3]);
    EXPECT_EQ(read, accepted + rejected);
    EXPECT_EQ(m[4].str(), "reconciles");
    if (k.rows_read >= 0) {
      EXPECT_EQ(read, k.rows_read) << "rows read";
    }
    if (k.accepted >= 0) {
      EXPECT_EQ(accepted, k.accepted) << "rows accepted";
    }
  }

  // A failed run leaves no output (and no partial folder) behind.
  if (r.exit_code != 0) {
    for (const auto& e : fs::directory_iterator(dir)) {
      EXPECT_NE(e.path().filename().string().rfind("out", 0), 0u) << "failed run left " << e.path().filename();
    }
  }
  if (k.check) k.check(dir, r.output);
  if (!::testing::Test::HasFailure()) fs::remove_all(root);
}

INSTANTIATE_TEST_SUITE_P(Cases, Corpus, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& param) { return param.param.name; });

// The corpus itself: big enough, names unique.
TEST(CorpusTable, HasAtLeastSixtyUniqueCases) {
  const auto all = cases();
  EXPECT_GE(all.size(), 60u);
  std::set<std::string> names;
  for (const auto& k : all) EXPECT_TRUE(names.insert(k.name).second) << "duplicate case name " << k.name;
}

}  // namespace
}  // namespace hotspot
