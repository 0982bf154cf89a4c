#include "io/delimited_reader.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include <cpl_vsi.h>

#include "hotspot/errors.h"
#include "io/csv_parser.h"
#include "io/field_parse.h"
#include "io/gdal_error_scope.h"
#include "io/huge_pages.h"

namespace hotspot::io {

const char* const kPoliceUkHeader[12] = {
    "Crime ID",  "Month",     "Reported by", "Falls within", "Longitude",             "Latitude",
    "Location",  "LSOA code", "LSOA name",   "Crime type",   "Last outcome category", "Context"};

IncidentSource police_uk_columns(const IncidentSource& user) {
  IncidentSource s = user;
  s.delimiter = ',';
  s.x_field = "Longitude";
  s.y_field = "Latitude";
  s.date_field = "Month";
  s.year_field = s.month_field = s.day_field = "";  // the preset's Month column is the date
  s.category_field = "Crime type";
  s.id_field = "Crime ID";  // blank for ASB rows: blank ids are never duplicates
  s.location_field = "Location";
  if (s.recorded_fields.empty()) s.recorded_fields["lsoa"] = "LSOA code";
  return s;
}

std::string read_file(const std::string& path) {
  std::string text;
  read_file_into(path, text);
  return text;
}

void read_file_into(const std::string& path, std::string& text) {
  // Through GDAL's virtual file system so "x.csv.gz" is read as text too.
  const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  const std::string vsi = gz ? "/vsigzip/" + path : path;
  // A cut or corrupt .gz only shows as a GDAL error: the reads just stop
  // early and VSIFEofL says "end of file" (issue 8).
  GdalErrorScope trap;
  VSILFILE* f = VSIFOpenL(vsi.c_str(), "rb");
  if (!f) throw InputError(path + ": cannot open for reading");
  VSIStatBufL st;
  // Read straight into the string, not through a buffer then append (a
  // second copy of every byte: half the read stage's memmove, perf 1M rows).
  // Reads until a read returns nothing (a short read is not the end for
  // every VSI handle: /vsigzip/ sets its end-of-file flag only then).
  // The text's bytes are read over, never cleared first: resize() only
  // to grow (it writes zeros into every new byte; with a reused buffer,
  // into the growth alone).
  size_t used = 0;
  if (!gz && VSIStatL(vsi.c_str(), &st) == 0 && text.size() < static_cast<size_t>(st.st_size) + 1)
    text.resize(static_cast<size_t>(st.st_size) + 1);
  if (text.size() < (1 << 16)) text.resize(1 << 16);
  while (true) {
    if (used == text.size()) text.resize(text.size() * 2);  // more than the size said (a .gz, a growing file)
    const size_t n = VSIFReadL(text.data() + used, 1, text.size() - used, f);
    if (n == 0) break;
    used += n;
  }
  text.resize(used);
  const bool failed = VSIFEofL(f) == 0 || trap.failed();
  VSIFCloseL(f);
  if (failed) {
    const auto lines = std::count(text.begin(), text.end(), '\n');
    const std::string what = gz ? "truncated or corrupt compressed file" : "read error (truncated or corrupt file?)";
    const std::string how = gz ? "check it with 'gzip -t' and download or compress it again"
                               : "check the file can be read and copy it again";
    throw InputError(path + ": " + what + ": reading stopped after " + std::to_string(lines) + " lines (" +
                     std::to_string(text.size()) + " bytes); no row of this file was used; " + how +
                     (trap.failed() ? " (GDAL: " + trap.first_failure() + ")" : ""));
  }
}

std::string read_text_utf8(const std::string& path, Ledger& ledger) {
  std::string text;
  read_text_utf8_into(path, ledger, text);
  return text;
}

void read_text_utf8_into(const std::string& path, Ledger& ledger, std::string& text) {
  read_file_into(path, text);
  if (text.rfind("\xFF\xFE", 0) == 0 || text.rfind("\xFE\xFF", 0) == 0)
    throw InputError(path + ": the file is UTF-16 text; save it as CSV UTF-8 (in Excel: Save As, \"CSV UTF-8\")");
  std::vector<int64_t> first;
  if (const int64_t n = lines_to_utf8(text, &first)) {
    std::string lines;
    for (int64_t l : first) lines += (lines.empty() ? "" : ", ") + std::to_string(l);
    ledger.warnings.push_back(path + ": " + std::to_string(n) + (n == 1 ? " line was" : " lines were") +
                              " not valid UTF-8 and " + (n == 1 ? "was" : "were") + " read as Windows-1252 (line" +
                              (n == 1 ? " " : "s ") + lines + (n > int64_t(first.size()) ? ", ..." : "") +
                              "); save the file as UTF-8 to be sure of its accents and symbols");
  }
}

namespace {

// Column positions of one file, -1 where the source has no such column.
struct Columns {
  int x = -1, y = -1, date = -1, category = -1, id = -1, location = -1, weight = -1;
  int year = -1, month = -1, day = -1;  // a date split over columns
  std::vector<std::pair<std::string, int>> recorded;  // layer -> column
};

void check_police_uk_header(const std::vector<std::string_view>& header, const std::string& path) {
  bool ok = header.size() == 12;
  for (size_t i = 0; ok && i < 12; ++i) ok = header[i] == kPoliceUkHeader[i];
  if (ok) return;
  // Name the expected columns that are not where they should be: only our
  // own names, never the file's line (it may be any file given by mistake).
  std::string want, wrong;
  int right = 0;
  for (size_t i = 0; i < 12; ++i) {
    want += (want.empty() ? "" : ",") + std::string(kPoliceUkHeader[i]);
    if (i < header.size() && header[i] == kPoliceUkHeader[i]) ++right;
    else wrong += (wrong.empty() ? "" : ", ") + std::to_string(i + 1) + " '" + kPoliceUkHeader[i] + "'";
  }
  // Which columns differ helps with a near miss; when none is right it is noise.
  if (right > 0) wrong = "; columns not as expected: " + wrong;
  else wrong.clear();
  throw InputError(path + ": not a police.uk street CSV: line 1 must be exactly '" + want + "' but has " +
                   describe_header(header) + wrong +
                   ". Use the *-street.csv files of a police.uk download, or format = \"csv\" with named columns");
}

Columns find_columns(const IncidentSource& s, const std::vector<std::string_view>& header,
                     const std::string& path) {
  Columns c;
  c.x = column_index(header, s.x_field, path, "x/longitude");
  c.y = column_index(header, s.y_field, path, "y/latitude");
  c.date = column_index(header, s.date_field, path, "date");
  c.year = column_index(header, s.year_field, path, "year");
  c.month = column_index(header, s.month_field, path, "month");
  c.day = column_index(header, s.day_field, path, "day");
  c.category = column_index(header, s.category_field, path, "category");
  c.id = column_index(header, s.id_field, path, "id");
  c.location = column_index(header, s.location_field, path, "location");
  c.weight = column_index(header, s.weight_field, path, "weight");
  for (const auto& [layer, field] : s.recorded_fields)
    c.recorded.emplace_back(layer, column_index(header, field, path, "recorded area"));
  if (c.x < 0 || c.y < 0) throw InputError(path + ": x and y columns must be named");
  return c;
}

// "year,month,day": the columns of a split date, for rejects.
std::string date_parts_name(const IncidentSource& s) {
  return s.year_field + "," + s.month_field + (s.day_field.empty() ? "" : "," + s.day_field);
}

// Checks one row; returns the reason and the field at fault, or nullopt.
struct RowCheck {
  RejectReason reason;
  std::string field;
};

// Rejects the physical lines of a record whose quote ran over line ends:
// its first line and every following line that is not on its own a whole
// record of `width` fields. Each line counts as one row read and rejected,
// so the ledger counts what the file holds, not one row for 30 lines.
void reject_runaway_quote(CsvReader& reader, const std::string& path, size_t width, int64_t& row,
                          Ledger& ledger) {
  const int64_t first = reader.line();
  std::vector<std::pair<int64_t, std::string_view>> lines = {{first, reader.record_first_line()}};
  reader.restart_after_record_start();
  std::string_view line;
  while (reader.peek_line(line) && !is_whole_record(line, reader.delimiter(), width)) {
    reader.skip_line();
    if (!line.empty()) lines.emplace_back(reader.line(), line);  // blank lines are never rows
  }
  const int64_t last = lines.back().first;
  const std::string where = last > first ? "lines " + std::to_string(first) + "-" + std::to_string(last)
                                         : "line " + std::to_string(first);
  for (const auto& numbered : lines) {
    ++row;
    ++ledger.rows_read;
    ledger.add_reject(
        {path, row, RejectReason::kMalformedRow, where + ": unterminated quote", std::string(numbered.second)});
  }
  ledger.warnings.push_back(path + ": " + where + " rejected (" + std::to_string(lines.size()) +
                            " rows): a quote opened on line " + std::to_string(first) +
                            " is not closed before its line ends; fix the quoting there and run again");
}

}  // namespace

ParsedFile parse_delimited(const IncidentSource& user_source, const std::string& path, bool geographic,
                           std::string buffer) {
  const bool police_uk = user_source.format == IncidentFormat::kPoliceUk;
  const IncidentSource s = police_uk ? police_uk_columns(user_source) : user_source;
  check_date_fields(s, path);
  ParsedFile file;
  file.path = path;
  file.id_field = s.id_field;
  Ledger& ledger = file.ledger;
  file.text = std::move(buffer);
  read_text_utf8_into(path, ledger, file.text);
  const std::string& text = file.text;
  std::string_view first_line = std::string_view(text).substr(0, text.find_first_of("\r\n"));
  file.delimiter = s.delimiter ? s.delimiter : guess_delimiter(first_line);
  CsvReader reader(text, file.delimiter);
  // NUL bytes are looked for row by row only in the rare file that has one.
  const bool has_nul = text.find('\0') != std::string::npos;

  std::vector<std::string_view> fields;
  bool ok = true;
  if (!reader.next(fields, &ok) || !ok) throw InputError(path + ": empty file or unreadable header");
  if (police_uk) check_police_uk_header(fields, path);
  const Columns col = find_columns(s, fields, path);
  const size_t width = fields.size();

  IncidentBatch& batch = file.batch;
  batch.crs = s.crs.empty() ? "EPSG:4326" : s.crs;
  IncidentTable& t = batch.table;
  t.sources.push_back(path);
  // The recorded-code columns, looked up once rather than per row.
  std::vector<std::pair<InternedColumn*, int>> recorded;
  for (const auto& [layer, column] : col.recorded) recorded.emplace_back(&t.recorded[layer], column);
  // Reserve from the header's share of the file: avoids regrowing columns.
  const size_t rows_guess = text.size() / std::max<size_t>(first_line.size(), 16);
  reserve_rows(t, rows_guess, 0);
  if (col.id >= 0) file.record_begin.reserve(rows_guess);
  int64_t row = 0;

  auto reject = [&](RejectReason reason, const std::string& field) {
    ledger.add_reject({path, row, reason, field, join_csv(fields)});
  };
  while (reader.next(fields, &ok)) {
    ++row;
    ++ledger.rows_read;
    if ((!ok || fields.size() != width) && reader.spans_lines()) {
      // A quote ran on over line ends: one record would swallow many (to
      // the end of the file if it never closes). Reject each physical line
      // from the bad quote up to the next line that is a whole record.
      --row;
      --ledger.rows_read;
      reject_runaway_quote(reader, path, width, row, ledger);
      continue;
    }
    if (!ok || fields.size() != width) {
      reject(RejectReason::kMalformedRow,
             ok ? "expected " + std::to_string(width) + " fields, found " + std::to_string(fields.size())
                : "unterminated quote");
      continue;
    }
    if (has_nul && std::any_of(fields.begin(), fields.end(),
                               [](std::string_view f) { return f.find('\0') != std::string_view::npos; })) {
      // A NUL never belongs in text (and would cut strings in the outputs);
      // the raw text shows it as \0.
      std::string raw = join_csv(fields);
      for (size_t at; (at = raw.find('\0')) != std::string::npos;) raw.replace(at, 1, "\\0");
      ledger.add_reject({path, row, RejectReason::kMalformedRow, "NUL byte", raw});
      continue;
    }
    std::string_view xs = trim(fields[col.x]), ys = trim(fields[col.y]);
    if (xs.empty() || ys.empty()) {
      reject(RejectReason::kBlankCoordinates, xs.empty() ? s.x_field : s.y_field);
      continue;
    }
    auto x = parse_number(xs), y = parse_number(ys);
    if (!x || !y) {
      reject(RejectReason::kBadNumber, !x ? s.x_field : s.y_field);
      continue;
    }
    if (*x == 0.0 && *y == 0.0) {
      reject(RejectReason::kZeroCoordinates, s.x_field + "," + s.y_field);
      continue;
    }
    if (const char* axis = implausible_axis(*x, *y, geographic); *axis) {
      reject(RejectReason::kOutOfRange, *axis == 'x' ? s.x_field : s.y_field);
      if (batch.out_of_range.size() < IncidentBatch::kOutOfRangeSample) batch.out_of_range.emplace_back(*x, *y);
      continue;
    }
    ParsedDate date;
    if (col.date >= 0 || col.year >= 0) {
      std::string why;
      auto d = col.date >= 0 ? parse_date(fields[col.date], &why)
                             : parse_date_parts(fields[col.year], fields[col.month],
                                                col.day >= 0 ? fields[col.day] : std::string_view(), col.day >= 0, &why);
      if (!d) {
        const std::string field = col.date >= 0 ? s.date_field : date_parts_name(s);
        reject(RejectReason::kBadDate, why.empty() ? field : field + ": " + why);
        continue;
      }
      date = *d;
    }
    std::string_view category = col.category >= 0 ? trim(fields[col.category]) : "Incident";
    if (category.empty()) {
      reject(RejectReason::kMissingCategory, s.category_field);
      continue;
    }
    double weight = 1;
    if (col.weight >= 0) {
      auto w = parse_number(fields[col.weight]);
      if (!w || *w < 0) {
        reject(RejectReason::kBadNumber, s.weight_field);
        continue;
      }
      weight = *w;
    }
    // Duplicate ids are rejected later, by settle_duplicates, in file order.
    ++ledger.accepted;
    t.x.push_back(*x);
    t.y.push_back(*y);
    t.month.push_back(date.month);
    t.minute.push_back(date.minute);
    t.category.push_back(intern_category(t, category));
    t.source.push_back(0);
    t.source_row.push_back(row);
    if (col.id >= 0) {
      t.id.push_back(trim(fields[col.id]));
      file.record_begin.push_back(reader.record_begin());
    }
    if (col.location >= 0) t.location.push_back(trim(fields[col.location]));
    if (col.weight >= 0) t.weight.push_back(weight);
    for (const auto& [codes, column] : recorded) codes->push_back(trim(fields[column]));
  }
  ledger.read_by_file[path] += row;
  // The non-blank ids, encoded here (in parallel) for settle_duplicates.
  std::vector<std::string_view> ids;
  for (size_t i = 0; i < t.id.size(); ++i)
    if (!t.id[i].empty()) ids.push_back(t.id[i]), file.id_rows.push_back(i);
  file.ids = IdSet::encode_all(ids);
  return file;
}

namespace {

// The raw text of the record starting at `begin`, as a reject shows it.
std::string raw_record(const ParsedFile& file, uint64_t begin) {
  CsvReader reader(std::string_view(file.text).substr(begin), file.delimiter);
  std::vector<std::string_view> fields;
  bool ok = true;
  reader.next(fields, &ok);
  return join_csv(fields);
}

}  // namespace

void settle_duplicates(ParsedFile& file, IdSet& seen, Ledger& ledger) {
  IncidentTable& t = file.batch.table;
  std::vector<Reject> duplicates;
  std::vector<bool> kept;
  // The file's non-blank ids in row order, added to `seen` in one batch.
  std::vector<char> fresh;
  seen.insert_encoded(file.ids, fresh);
  for (size_t k = 0; k < file.ids.size(); ++k) {
    if (fresh[k]) continue;
    const size_t i = file.id_rows[k];
    if (kept.empty()) kept.assign(t.size(), true);
    kept[i] = false;
    duplicates.push_back(
        {file.path, t.source_row[i], RejectReason::kDuplicateId, file.id_field, raw_record(file, file.record_begin[i])});
  }
  if (!duplicates.empty()) {
    keep_rows(t, kept);
    // Categories were numbered as rows were parsed, duplicates included:
    // number them again by first use among the rows kept, as when each
    // row was checked for duplicates as it was read.
    std::vector<int> to(t.categories.size(), -1);
    std::vector<std::string> used;
    for (uint16_t& c : t.category) {
      if (to[c] < 0) {
        to[c] = int(used.size());
        used.push_back(t.categories[c]);
      }
      c = uint16_t(to[c]);
    }
    t.categories = std::move(used);
  }
  // file.text is left as it is: read_delimited_files reads the next file
  // into its memory (cleared, its bytes would be zeroed again by resize).
  file.record_begin = {};
  file.ids = {};
  file.id_rows = {};
  // The ledger: counts, then the rejects merged by row (both lists are in row order).
  Ledger& from = file.ledger;
  ledger.rows_read += from.rows_read;
  ledger.accepted += from.accepted - int64_t(duplicates.size());
  for (const auto& [path, n] : from.read_by_file) ledger.read_by_file[path] += n;
  size_t d = 0;
  for (Reject& r : from.rejects) {
    while (d < duplicates.size() && duplicates[d].row < r.row) ledger.add_reject(std::move(duplicates[d++]));
    ledger.add_reject(std::move(r));
  }
  while (d < duplicates.size()) ledger.add_reject(std::move(duplicates[d++]));
  for (std::string& w : from.warnings) ledger.warnings.push_back(std::move(w));
  from = Ledger();
}

IncidentBatch read_delimited(const IncidentSource& source, const std::string& path, bool geographic,
                             ReadContext& ctx) {
  ParsedFile file = parse_delimited(source, path, geographic);
  settle_duplicates(file, ctx.seen_ids, *ctx.ledger);
  return std::move(file.batch);
}

namespace {

// What the first file says of all of them: its rows, ids and id text per
// byte of file, scaled to the bytes of all the files.
struct Shape {
  double rows = 0, ids = 0, id_bytes = 0;
};

Shape shape_of(const ParsedFile& file) {
  const double bytes = double(std::max<size_t>(file.text.size(), 1));
  Shape s;
  s.rows = double(file.ledger.rows_read) / bytes;
  for (size_t i = 0; i < file.batch.table.id.size(); ++i) {
    const size_t n = file.batch.table.id[i].size();
    s.ids += n > 0;
    s.id_bytes += double(n);
  }
  s.ids /= bytes;
  s.id_bytes /= bytes;
  return s;
}

// The bytes of all the files (a .gz at its compressed size).
double total_bytes(const std::vector<std::string>& files) {
  double bytes = 0;
  for (const std::string& path : files) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    if (!ec) bytes += double(n);
  }
  return bytes;
}

// Reserves the table and the id set for all the files, from the first
// one's shape. Appending file after file otherwise regrows every column
// and the id set by doubling, copying them and faulting in fresh pages
// each time: with the id set's rehashing, half the CPU of a national
// year's read (perf, 6M rows). Room reserved beyond what is used is
// address space, never touched, so the estimate is generous (a .gz counts
// at its compressed size: too low, and the columns then grow as before).
// The id set's slots are zeroed when made, so they get no margin.
constexpr double kMargin = 1.25;

void reserve_table(double bytes, const Shape& shape, IncidentTable& into) {
  reserve_rows(into, size_t(kMargin * shape.rows * bytes), size_t(kMargin * shape.id_bytes * bytes));
}

void reserve_ids(double bytes, const Shape& shape, IdSet& seen) {
  // Stored keys: 33 bytes a police.uk id, 5 + its length for others (more).
  const double ids = shape.ids * bytes;
  seen.reserve(size_t(ids), size_t(kMargin * (5 * ids + shape.id_bytes * bytes)));
}

// Makes the pages of the table's room for all the files (by the first
// one's shape, without the margin) present on a thread of its own: the
// appends on the calling thread then neither fault nor clear pages (they
// were 20% of a national read's CPU on that one thread, perf). The id text
// is estimated from what the first file appended, after on_file (aggregate
// mode keeps only a few ids: populating room for all of them would add
// ~0.4 GB to a national year's peak).
std::jthread prefault_table(double bytes, const Shape& shape, const IncidentTable& into) {
  const double rows = std::max(0.0, shape.rows * bytes - double(into.size()));
  const double id_bytes_per_row = into.size() ? double(into.id.text_bytes()) / double(into.size()) : 0.0;
  std::vector<Room> rooms = room_for_rows(into, size_t(rows), size_t(id_bytes_per_row * rows));
  return std::jthread([rooms = std::move(rooms)] {
    for (const Room& room : rooms) populate(room);
  });
}

}  // namespace

// A file is settled in two steps, each taken in file order: its duplicate
// ids (against the files before it: the id set and the ledger), then
// on_file and its append to the table. On many threads the first step runs
// on the worker that parsed the file, the second on the calling thread, so
// that the appends of one file overlap the duplicate ids of the next
// (with both on one thread, that thread set the wall time of a national
// year: 5.9 s of 9.3, perf-read3).
void read_delimited_files(const IncidentSource& source, const std::vector<std::string>& files, bool geographic,
                          int threads, ReadContext& ctx, IncidentBatch& into,
                          const std::function<void(IncidentBatch&)>& on_file) {
  into.crs = source.crs.empty() ? "EPSG:4326" : source.crs;
  const bool reserve = files.size() > 1;
  const double bytes = reserve ? total_bytes(files) : 0;
  // Step 1; returns the first file's shape (for the reserves).
  auto dedupe = [&](ParsedFile& file, size_t k) {
    const Shape shape = k == 0 && reserve ? shape_of(file) : Shape();
    settle_duplicates(file, ctx.seen_ids, *ctx.ledger);
    if (k == 0 && reserve) reserve_ids(bytes, shape, ctx.seen_ids);
    return shape;
  };
  const size_t workers = std::min(files.size(), size_t(std::max(1, threads)));
  std::jthread prefault;  // (joined when this returns or throws)
  // Step 2.
  auto append = [&](ParsedFile& file, size_t k, const Shape& shape) {
    if (on_file) on_file(file.batch);
    append_table(into.table, std::move(file.batch.table));
    if (k == 0 && reserve) {
      reserve_table(bytes, shape, into.table);
      if (workers > 1) prefault = prefault_table(bytes, shape, into.table);
    }
  };
  if (workers <= 1) {
    std::string buffer;  // each file's text, read into the last one's memory
    for (size_t k = 0; k < files.size(); ++k) {
      ParsedFile file = parse_delimited(source, files[k], geographic, std::move(buffer));
      const Shape shape = dedupe(file, k);
      buffer = std::move(file.text);
      append(file, k, shape);
    }
    return;
  }
  // Workers parse files in any order and settle their duplicate ids in
  // file order; this thread appends them in file order. At most `window`
  // parsed files wait, to bound the memory.
  struct Slot {
    std::optional<ParsedFile> file;
    std::exception_ptr error;
    Shape shape;
    bool done = false;
  };
  std::vector<Slot> slots(files.size());
  std::mutex mutex;
  std::condition_variable changed;
  size_t next = 0, deduped = 0, settled = 0;
  bool stop = false;
  const size_t window = 2 * workers + 2;
  auto work = [&] {
    std::string buffer;  // each file's text, read into the last one's memory
    std::unique_lock lock(mutex);
    while (true) {
      changed.wait(lock, [&] { return stop || next >= files.size() || next < settled + window; });
      if (stop || next >= files.size()) return;
      const size_t k = next++;
      lock.unlock();
      Slot result;
      try {
        result.file.emplace(parse_delimited(source, files[k], geographic, std::move(buffer)));
      } catch (...) {
        result.error = std::current_exception();
      }
      lock.lock();
      // The files before this one hold the turn until their ids are in.
      changed.wait(lock, [&] { return stop || deduped == k; });
      if (stop) return;
      if (!result.error) {
        lock.unlock();
        try {
          result.shape = dedupe(*result.file, k);
          buffer = std::move(result.file->text);
        } catch (...) {
          result.error = std::current_exception();
        }
        lock.lock();
      }
      // A failed file keeps the turn: no file after it reaches the ledger.
      if (!result.error) deduped = k + 1;
      slots[k] = std::move(result);
      slots[k].done = true;
      changed.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 0; w < workers; ++w) pool.emplace_back(work);
  auto finish = [&] {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
    for (std::thread& th : pool) th.join();
  };
  try {
    for (size_t k = 0; k < files.size(); ++k) {
      std::optional<ParsedFile> file;
      Shape shape;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return slots[k].done; });
        if (slots[k].error) std::rethrow_exception(slots[k].error);
        file = std::move(slots[k].file);
        shape = slots[k].shape;
        slots[k].file.reset();
      }
      append(*file, k, shape);
      {
        std::lock_guard lock(mutex);
        settled = k + 1;
      }
      changed.notify_all();
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
}

}  // namespace hotspot::io
