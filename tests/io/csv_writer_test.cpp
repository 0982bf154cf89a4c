// Tests for io::write_csv: the file is join_csv's lines, header first, for
// stored and generated rows alike, across the writer's 1 MB flushes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "hotspot/errors.h"
#include "io/csv_parser.h"
#include "io/out_table.h"

namespace hotspot::io {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string csv_line(const std::vector<std::string>& row) {
  return join_csv(std::vector<std::string_view>(row.begin(), row.end())) + "\n";
}

// Row i of the test table: plain, empty and quoted fields (commas, quotes,
// CR, LF) in turn, so every kind of field crosses a flush somewhere.
std::vector<std::string> row_of(size_t i) {
  const std::string n = std::to_string(i);
  static const char* kTexts[] = {"plain", "", "On or near A, B", "say \"hi\"", "two\nlines", "cr\r", "tab\there"};
  return {n, kTexts[i % 7], std::string(kTexts[(i + 3) % 7]) + n, "x"};
}

class CsvWriter : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("csv_writer_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CsvWriter, StoredAndGeneratedRowsAreJoinCsvLinesAcrossFlushes) {
  OutTable stored;
  stored.name = "t";
  for (const char* c : {"id", "text, with comma", "say \"x\"", "last"}) stored.add_column(c);
  const size_t rows = 80000;  // > 2 MB: several flushes
  std::string expected = csv_line({"id", "text, with comma", "say \"x\"", "last"});
  for (size_t i = 0; i < rows; ++i) {
    stored.rows.push_back(row_of(i));
    expected += csv_line(row_of(i));
  }
  ASSERT_GT(expected.size(), size_t(2) << 20);
  write_csv((dir_ / "stored.csv").string(), stored);
  EXPECT_EQ(read_file(dir_ / "stored.csv"), expected);

  OutTable generated;
  generated.name = "g";
  generated.columns = stored.columns;
  generated.generated_rows = rows;
  generated.generate = [](size_t i, std::vector<std::string>& row) { row = row_of(i); };
  write_csv((dir_ / "generated.csv").string(), generated);
  EXPECT_EQ(read_file(dir_ / "generated.csv"), expected);
}

TEST_F(CsvWriter, EmptyTableIsItsHeaderAlone) {
  OutTable t;
  t.name = "t";
  t.add_column("a");
  t.add_column("b,c");
  write_csv((dir_ / "empty.csv").string(), t);
  EXPECT_EQ(read_file(dir_ / "empty.csv"), "a,\"b,c\"\n");
}

TEST_F(CsvWriter, UncreatableFileThrowsOutputError) {
  OutTable t;
  t.add_column("a");
  EXPECT_THROW(write_csv((dir_ / "no_such_dir" / "x.csv").string(), t), OutputError);
}

TEST(JoinCsv, AppendCsvFieldQuotesExactlyTheFourSpecialCharacters) {
  for (int c = 0; c < 256; ++c) {
    const std::string field = std::string("a") + char(c) + "b";
    std::string out;
    append_csv_field(out, field);
    const bool special = c == ',' || c == '"' || c == '\n' || c == '\r';
    if (!special) {
      EXPECT_EQ(out, field) << c;
    } else {
      EXPECT_EQ(out, "\"a" + std::string(c == '"' ? "\"\"" : std::string(1, char(c))) + "b\"") << c;
    }
  }
}

}  // namespace
}  // namespace hotspot::io
