// What an incident reader hands to the pipeline: one input file's accepted
// rows, coordinates still in the source CRS.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hotspot/incidents.h"
#include "hotspot/ledger.h"
#include "hotspot/run_spec.h"
#include "io/id_set.h"

namespace hotspot::io {

struct IncidentBatch {
  IncidentTable table;   // x/y in `crs`; sources has one entry: the file
  std::string crs;       // the source CRS as a user string (EPSG:4326, WKT, ...)
  // (x, y) of the first rows rejected as outside the lon/lat range: from them
  // the pipeline tells the user which CRS the values are really in.
  std::vector<std::pair<double, double>> out_of_range;
  static constexpr size_t kOutOfRangeSample = 200;
};

// State shared by all readers of one run.
struct ReadContext {
  Ledger* ledger = nullptr;
  IdSet seen_ids;  // for duplicate-id rejects
};

// Returns the category's index in table.categories, adding it if new.
uint16_t intern_category(IncidentTable& table, std::string_view name);

// Appends src to dst, remapping category and source indices.
void append_table(IncidentTable& dst, IncidentTable&& src);

// Reserves room for `rows` rows in every column the table has (ids: about
// `id_bytes` of text), so appending files does not regrow them.
void reserve_rows(IncidentTable& t, size_t rows, size_t id_bytes);

// Where the next `rows` rows of every column the table has will be written
// (ids: about `id_bytes` of text), within the room reserve_rows made: for
// io::populate on another thread (the ranges are taken here, on the
// table's own thread).
std::vector<std::pair<const void*, size_t>> room_for_rows(const IncidentTable& t, size_t rows, size_t id_bytes);

// Keeps the rows whose kept[i] is true (kept has one entry per row), in order.
void keep_rows(IncidentTable& t, const std::vector<bool>& kept);

// Files named by paths: a file, a directory (its files with one of the
// extensions, sorted) or a glob pattern (sorted). Throws InputError if a path
// names nothing.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths,
                                      const std::vector<std::string>& extensions);

// The files of a police.uk source. Like expand_paths, but a folder is read
// as a police.uk download comes: its files and those of its YYYY-MM
// subfolders, leaving out the *-outcomes.csv and *-stop-and-search.csv files
// that sit beside the *-street.csv ones (their paths go to *skipped).
std::vector<std::string> expand_police_uk_paths(const std::vector<std::string>& paths,
                                                std::vector<std::string>* skipped);

// The files of an incident source, by its format. Skipped police.uk
// outcomes and stop-and-search files are counted in ledger->warnings.
std::vector<std::string> incident_files(const IncidentSource& source, Ledger* ledger = nullptr);

}  // namespace hotspot::io
