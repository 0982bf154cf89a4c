#include "io/csv_parser.h"

#include <algorithm>
#include <cctype>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "hotspot/errors.h"
#include "io/field_parse.h"

namespace hotspot::io {

CsvReader::CsvReader(std::string_view text, char delimiter) : text_(text), delim_(delimiter) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

namespace {

// The first delimiter, CR or LF at or after pos, or text.size(). With SSE2
// (every x86-64) 16 bytes are tested at once: police.uk fields average 18
// bytes, and the byte-by-byte loop (three compares and a bounds test per
// byte, kept below for the tail and other machines) was the CSV splitter's
// main cost, ~10% of the national read stage (perf, bench/RESULTS.md).
size_t field_end(std::string_view text, size_t pos, char delim) {
#if defined(__SSE2__)
  const __m128i d = _mm_set1_epi8(delim), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  while (pos + 16 <= text.size()) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + pos));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr));
    if (const int mask = _mm_movemask_epi8(hit)) return pos + size_t(__builtin_ctz(unsigned(mask)));
    pos += 16;
  }
#endif
  while (pos < text.size() && text[pos] != delim && text[pos] != '\n' && text[pos] != '\r') ++pos;
  return pos;
}

}  // namespace

bool CsvReader::next(std::vector<std::string_view>& fields, bool* ok) {
  *ok = true;
  fields.clear();
  // Skip blank lines: they are not records.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    // CRLF, LF and a lone CR each end one line.
    const bool crlf = text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n';
    if (!crlf) ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;
  record_begin_ = pos_;
  escaped_.clear();
  const size_t n = text_.size();
  size_t record_begin = pos_;
  int64_t content_line = line_;  // the line the record's text ends on, before its line end
  // Fields are views of the text; the few that need unescaping are noted
  // in escaped_ and replaced by views of buffer_ at the end.
  auto add = [&](const Span& span) {
    if (span.unescape) escaped_.emplace_back(fields.size(), span);
    fields.push_back(text_.substr(span.begin, span.end - span.begin));
  };
  while (true) {
    Span span{pos_, pos_, false, 0, 0};
    if (pos_ < n && text_[pos_] == '"') {
      // Quoted field: runs to the closing quote; "" is an escaped quote.
      size_t i = pos_ + 1;
      span.begin = i;
      bool closed = false;
      while (i < n) {
        char c = text_[i];
        if (c == '"') {
          if (i + 1 < n && text_[i + 1] == '"') {
            span.unescape = true;
            i += 2;
            continue;
          }
          closed = true;
          break;
        }
        // A line break inside quotes: LF, CRLF (counted at the LF) or a lone CR.
        if (c == '\n' || (c == '\r' && (i + 1 >= n || text_[i + 1] != '\n'))) ++line_;
        ++i;
      }
      span.end = i;
      if (!closed) {
        *ok = false;
        pos_ = n;
        content_line = line_;
        add(span);
        break;
      }
      pos_ = i + 1;
      // Text between the closing quote and the delimiter ("ab"cd) is kept
      // after the quoted part, as spreadsheets do.
      span.tail_begin = pos_;
      pos_ = field_end(text_, pos_, delim_);
      span.tail_end = pos_;
      if (span.tail_end > span.tail_begin) span.unescape = true;
    } else {
      pos_ = field_end(text_, pos_, delim_);
      span.end = pos_;
    }
    add(span);
    if (pos_ < n && text_[pos_] == delim_) {
      ++pos_;
      continue;
    }
    // End of record: CRLF, LF, lone CR or end of text.
    content_line = line_;
    if (pos_ < n && text_[pos_] == '\r') {
      ++pos_;
      if (pos_ >= n || text_[pos_] != '\n') ++line_;  // a lone CR ends a line too
    }
    if (pos_ < n && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    break;
  }
  // Line breaks inside the record were counted in line_ (by the quoted-field loop) before its own line end.
  spans_lines_ = content_line > record_line_;
  if (escaped_.empty()) return true;
  // Unescape "" in quoted fields into buffer_, sized once so views stay valid.
  buffer_.clear();
  buffer_.reserve(pos_ - record_begin + 1);
  for (const auto& [index, s] : escaped_) {
    std::string_view raw = text_.substr(s.begin, s.end - s.begin);
    size_t start = buffer_.size();
    for (size_t i = 0; i < raw.size(); ++i) {
      buffer_.push_back(raw[i]);
      if (raw[i] == '"' && i + 1 < raw.size() && raw[i + 1] == '"') ++i;
    }
    buffer_.append(text_.substr(s.tail_begin, s.tail_end - s.tail_begin));
    fields[index] = std::string_view(buffer_).substr(start, buffer_.size() - start);
  }
  return true;
}

namespace {

// The end of the physical line starting at pos (the index of its CR or LF, or size).
size_t line_end(std::string_view text, size_t pos) {
  const size_t e = text.find_first_of("\r\n", pos);
  return e == std::string_view::npos ? text.size() : e;
}

// The start of the line after the line end at e.
size_t after_line_end(std::string_view text, size_t e) {
  if (e >= text.size()) return text.size();
  return e + (text[e] == '\r' && e + 1 < text.size() && text[e + 1] == '\n' ? 2 : 1);
}

}  // namespace

std::string_view CsvReader::record_first_line() const {
  return text_.substr(record_begin_, line_end(text_, record_begin_) - record_begin_);
}

void CsvReader::restart_after_record_start() {
  pos_ = after_line_end(text_, line_end(text_, record_begin_));
  line_ = record_line_ + 1;
}

bool CsvReader::peek_line(std::string_view& line) const {
  if (pos_ >= text_.size()) return false;
  line = text_.substr(pos_, line_end(text_, pos_) - pos_);
  return true;
}

void CsvReader::skip_line() {
  if (pos_ >= text_.size()) return;
  record_line_ = line_;
  pos_ = after_line_end(text_, line_end(text_, pos_));
  ++line_;
}

bool is_whole_record(std::string_view line, char delimiter, size_t width) {
  CsvReader reader(line, delimiter);
  std::vector<std::string_view> fields;
  bool ok = false;
  return reader.next(fields, &ok) && ok && fields.size() == width && !reader.spans_lines();
}

int column_index(const std::vector<std::string_view>& header, const std::string& name, const std::string& path,
                 const std::string& role) {
  if (name.empty()) return -1;
  for (size_t i = 0; i < header.size(); ++i)
    if (trim(header[i]) == name) return static_cast<int>(i);
  throw InputError(path + ": header has no " + role + " column '" + name + "' (line 1 has " +
                   describe_header(header) + "); give the column's name exactly as in line 1");
}

namespace {

bool header_char(unsigned char c) {
  if (c >= 0x80) return true;  // UTF-8 letters (Année, Straße)
  if (std::isalnum(c)) return true;
  return std::string_view(" _-.()/#&%'").find(char(c)) != std::string_view::npos;
}

bool looks_like_header(const std::vector<std::string_view>& header) {
  if (header.size() < 2) return false;
  for (std::string_view h : header) {
    h = trim(h);
    if (h.size() > 64) return false;
    for (char c : h)
      if (!header_char(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string describe_header(const std::vector<std::string_view>& header) {
  const std::string n = std::to_string(header.size()) + (header.size() == 1 ? " column" : " columns");
  if (!looks_like_header(header)) return n + "; line 1 does not look like a header, so it is not shown";
  std::string have;
  for (auto h : header) have += (have.empty() ? "" : ", ") + std::string(trim(h));
  return n + ": " + have;
}

std::string describe_value(std::string_view value) {
  bool plain = value.size() <= 32;
  for (char c : value) plain = plain && static_cast<unsigned char>(c) >= 0x20 && c != '\'' && c != 0x7f;
  if (plain) return "'" + std::string(value) + "'";
  return "(a value of " + std::to_string(value.size()) + " characters, not shown)";
}

char guess_delimiter(std::string_view header_line) {
  const char candidates[] = {',', '\t', ';'};
  char best = ',';
  long best_count = 0;
  for (char c : candidates) {
    long count = std::count(header_line.begin(), header_line.end(), c);
    if (count > best_count) {
      best = c;
      best_count = count;
    }
  }
  return best;
}

void append_csv_field(std::string& out, std::string_view f) {
  // One pass with a switch, not f.find_first_of(",\"\n\r"): libstdc++'s
  // find_first_of calls memchr over the 4-character set for every character
  // of the field, ~25% of writing the national job's 2.3M-row counts_long.
  bool quote = false;
  for (char c : f) {
    switch (c) {
      case ',':
      case '"':
      case '\n':
      case '\r':
        quote = true;
        break;
      default:
        continue;
    }
    break;
  }
  if (!quote) {
    out.append(f);
    return;
  }
  out.push_back('"');
  for (char c : f) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string join_csv(const std::vector<std::string_view>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out.push_back(',');
    append_csv_field(out, fields[i]);
  }
  return out;
}

}  // namespace hotspot::io
