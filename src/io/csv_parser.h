// RFC 4180 record reader over an in-memory text.
//
// Hand-written rather than GDAL's CSV driver because the ledger needs the
// exact data-row and line number and the raw fields of every bad row, and
// the 10M-row target needs a reader that does not allocate per field
// (GDAL's CSV driver builds an OGRFeature per row: measured ~6x slower).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotspot::io {

class CsvReader {
 public:
  // text must outlive the reader. A UTF-8 BOM is skipped; CRLF and LF both
  // end records; quoted fields may hold delimiters, "" and newlines.
  CsvReader(std::string_view text, char delimiter);

  // Reads the next non-blank record. Returns false at the end of the text.
  // Views stay valid until the next call. *ok is false when the record
  // has an unterminated quote (it then runs to the end of the text).
  bool next(std::vector<std::string_view>& fields, bool* ok);

  int64_t line() const { return record_line_; }
  size_t record_begin() const { return record_begin_; }  // where the last record starts in the text  // 1-based first line of the last record
  // True when the last record ran over more than one physical line (a
  // quoted field held a line break, or a quote was never closed).
  bool spans_lines() const { return spans_lines_; }

  char delimiter() const { return delim_; }
  // The text of the last record's first physical line (without its line end).
  std::string_view record_first_line() const;

  // Recovery from a bad quote: goes back to the physical line after the
  // last record's first line, so the lines a runaway quote swallowed can be
  // looked at one by one.
  void restart_after_record_start();
  // The next physical line's text without its line end, not consumed
  // ("" for a blank line). Returns false at the end of the text.
  bool peek_line(std::string_view& line) const;
  // Consumes the line peek_line() shows; line() is then its number.
  void skip_line();

 private:
  struct Span {
    size_t begin, end;
    bool unescape;                  // needs copying: "" escapes or a tail
    size_t tail_begin, tail_end;    // text after the closing quote
  };
  std::string_view text_;
  char delim_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  int64_t record_line_ = 0;
  size_t record_begin_ = 0;
  bool spans_lines_ = false;
  std::vector<std::pair<size_t, Span>> escaped_;  // (field index, span) of fields to unescape
  std::string buffer_;
};

// True when `line` (one physical line) is on its own a complete record of
// exactly `width` fields: used to find where good records resume after a
// runaway quote.
bool is_whole_record(std::string_view line, char delimiter, size_t width);

// Guesses the delimiter from a header line: the most frequent of , \t ;
char guess_delimiter(std::string_view header_line);

// The index of the column called `name` (blanks around header names
// ignored); -1 when name is "". Throws InputError naming the file, the
// column's role (e.g. "category") and the columns the header does have.
int column_index(const std::vector<std::string_view>& header, const std::string& name, const std::string& path,
                 const std::string& role);

// Describes a header for an error message without echoing arbitrary file
// content: "3 columns: a, b, c" when the line looks like a header row (two
// or more short names of letters, digits, spaces and _-.()/#&%'), else
// "1 column (line 1 does not look like a header, so it is not shown)". A
// secrets file given by mistake (KEY=value, user:password, a key block)
// never reaches the terminal.
std::string describe_header(const std::vector<std::string_view>& header);

// A field value quoted for an error message when it is short and plain
// text, else "(a value of N characters, not shown)".
std::string describe_value(std::string_view value);

// Joins fields back into one CSV line, quoting where needed (for the ledger).
std::string join_csv(const std::vector<std::string_view>& fields);

// Appends one field as join_csv writes it: as it is, or in double quotes
// (with its quotes doubled) when it holds a comma, quote, CR or LF.
void append_csv_field(std::string& out, std::string_view field);

}  // namespace hotspot::io
