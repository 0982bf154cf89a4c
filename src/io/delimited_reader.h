// Readers for delimited text: police.uk street CSVs and generic CSV/TSV.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "io/incident_batch.h"

namespace hotspot::io {

// The exact police.uk street-level header, in order.
extern const char* const kPoliceUkHeader[12];

// Reads one delimited file. Rows that fail a check are rejected into
// ctx.ledger with the file, row, reason, field and raw text; the rest are
// returned. `geographic` enables the lon/lat range check.
// Throws InputError if the file cannot be read or lacks a named column.
IncidentBatch read_delimited(const IncidentSource& source, const std::string& path,
                             bool geographic, ReadContext& ctx);

// One file parsed and checked but for duplicate ids (which depend on the
// files before it): parse_delimited's result, for settle_duplicates.
struct ParsedFile {
  IncidentBatch batch;
  Ledger ledger;                        // this file's rows read, rejects and warnings
  std::string path, id_field;
  std::string text;                     // the file's text: a duplicate's raw row comes from it
  char delimiter = ',';
  std::vector<uint64_t> record_begin;   // where each accepted row starts in text (sources with ids)
  EncodedIds ids;                       // the non-blank ids, encoded on the parsing thread
  std::vector<size_t> id_rows;          // the row of each of them in batch.table
};

// Reads and checks one file on its own (thread-safe: shares nothing). The
// file's text is read into `buffer`'s memory (a buffer reused from file to
// file is written over, not allocated, faulted in and cleared again).
ParsedFile parse_delimited(const IncidentSource& source, const std::string& path, bool geographic,
                           std::string buffer = {});

// Rejects file's rows whose id is in `seen` or earlier in the file (adding
// the others to seen) and moves the file's counts, rejects (in row order)
// and warnings into `ledger`. file.text is left for the caller to reuse.
void settle_duplicates(ParsedFile& file, IdSet& seen, Ledger& ledger);

// Reads the files of one source into `into` (one table, rows in file
// order), parsing up to `threads` files at a time (0 = all cores): the
// table, the ledger and its rejects come out the same on any number of
// threads (duplicate ids are settled on the workers, one file at a time
// in file order; on_file and the appends run on the calling thread, in
// file order). on_file (may be empty) sees each file's batch, in order, before
// it is appended, and may change it (aggregate mode transforms, joins and
// shrinks it there). If a file fails, `into` keeps the files before it and
// the error is thrown.
void read_delimited_files(const IncidentSource& source, const std::vector<std::string>& files, bool geographic,
                          int threads, ReadContext& ctx, IncidentBatch& into,
                          const std::function<void(IncidentBatch&)>& on_file);

// The police.uk preset as a generic source (columns, lsoa recorded code).
IncidentSource police_uk_columns(const IncidentSource& user);

// Reads a whole file into memory. Throws InputError naming the path.
std::string read_file(const std::string& path);
// read_file into `text`, reusing its memory: on return text.size() is the
// file's size (what text held before is overwritten).
void read_file_into(const std::string& path, std::string& text);

// read_file, made valid UTF-8: lines that are not are read as Windows-1252
// (what UK police and council extracts use), counted in ledger.warnings.
// A UTF-16 file is an InputError (save it as UTF-8).
std::string read_text_utf8(const std::string& path, Ledger& ledger);
void read_text_utf8_into(const std::string& path, Ledger& ledger, std::string& text);  // as read_file_into

}  // namespace hotspot::io
