// Readers for delimited text: police.uk street CSVs and generic CSV/TSV.
#pragma once

#include <string>

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

// The police.uk preset as a generic source (columns, lsoa recorded code).
IncidentSource police_uk_columns(const IncidentSource& user);

// Reads a whole file into memory. Throws InputError naming the path.
std::string read_file(const std::string& path);

// read_file, made valid UTF-8: lines that are not are read as Windows-1252
// (what UK police and council extracts use), counted in ledger.warnings.
// A UTF-16 file is an InputError (save it as UTF-8).
std::string read_text_utf8(const std::string& path, Ledger& ledger);

}  // namespace hotspot::io
