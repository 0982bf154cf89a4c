// Rows of a GeoPackage's attribute tables inserted with SQLite directly.
//
// Why not GDAL for these rows: at national scale counts_long alone is 2.3M
// rows (and comparison_<layer> 0.5M); through OGR each row was an
// OGRFeature, its text parsed into typed fields, and GDAL's per-feature
// insert path (statement checks, re-prepares when the set of null fields
// changes, a feature_count trigger per row): most of the GeoPackage thread,
// which had become the run's critical path. GDAL still creates every table,
// its columns and the GeoPackage's own tables; here the rows go in through
// one prepared statement in one transaction, typed as GDAL would bind them
// (TEXT, INTEGER, REAL; empty = NULL), and gpkg_ogr_contents gets the count
// GDAL would have written. `ogrinfo -al` shows the same file either way.
//
// Layers with geometry (the area layers: 32,844 LSOAs with 100+ columns;
// incidents) go the same way: each geometry as the blob GDAL writes
// (gpkg_blob.h), its envelope into the layer's R-tree (rtree_<t>_<geom>,
// which GDAL created empty with its triggers; packed in one pass once the
// rows are in, gpkg_rtree.h) and into the layer's extent in gpkg_contents.
// GDAL's R-tree insert trigger calls SQL functions only GDAL registers
// (ST_IsEmpty, ST_MinX, ...), so it is dropped while the rows go in and put
// back as it was, like the feature-count trigger.
#include "io/gpkg_rows.h"

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "hotspot/errors.h"
#include "io/gdal_values.h"
#include "io/gpkg_blob.h"
#include "io/gpkg_rtree.h"

namespace hotspot::io {
namespace {

struct Db {
  sqlite3* db = nullptr;
  std::string path;
  ~Db() { sqlite3_close(db); }
  [[noreturn]] void fail(const std::string& what) const {
    throw OutputError(path + ": " + what + ": " + (db ? sqlite3_errmsg(db) : "cannot open"));
  }
  void exec(const std::string& sql) const {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  sqlite3_stmt* prepare(const std::string& sql) const {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) fail(sql);
    return s;
  }
};

using Statement = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>;

// Drops the trigger `name` if it exists and returns its SQL ("" if none),
// to be run again once the rows are in.
std::string take_trigger(const Db& db, const std::string& name) {
  std::string sql;
  {
    Statement q(db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?"), &sqlite3_finalize);
    sqlite3_bind_text(q.get(), 1, name.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q.get()) == SQLITE_ROW) sql = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0));
  }
  if (!sql.empty()) db.exec("DROP TRIGGER " + quoted_identifier(name));
  return sql;
}

int32_t srs_id_of(const Db& db, const GpkgRows& t) {
  Statement q(db.prepare("SELECT srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)"),
              &sqlite3_finalize);
  sqlite3_bind_text(q.get(), 1, t.table_name.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q.get()) != SQLITE_ROW) db.fail("no gpkg_geometry_columns row for " + t.table_name);
  return static_cast<int32_t>(sqlite3_column_int(q.get(), 0));
}

// Binds one value as GDAL would: empty = NULL, a plain-decimal integer or
// real in its column's type, else text. `v` must outlive the step. A table
// whose producer promised its numbers (OutTable::numbers_formatted) and
// breaks the promise is an error, never a silently different file.
void bind_value(const Db& db, sqlite3_stmt* s, int i, const OutTable& table, size_t column, const std::string& v) {
  const ColumnType type = table.columns[column].type;
  long long n = 0;
  double d = 0;
  if (v.empty())
    sqlite3_bind_null(s, i);
  else if (type == ColumnType::kInteger && gdal_integer(v, n))
    sqlite3_bind_int64(s, i, n);
  else if (type == ColumnType::kReal && gdal_real(v, d))
    sqlite3_bind_double(s, i, d);
  else if (table.numbers_formatted && (type == ColumnType::kInteger || type == ColumnType::kReal))
    throw OutputError(db.path + ": table " + table.name + ", column " + table.columns[column].name + ": '" + v +
                      "' is not a number");
  else
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

// "INSERT INTO t (c1, c2) VALUES (?, ?), (?, ?)...": `rows` rows a statement.
std::string insert_sql(const GpkgRows& t, size_t rows) {
  std::string sql = "INSERT INTO " + quoted_identifier(t.table_name) + " (";
  for (size_t c = 0; c < t.column_names.size(); ++c) sql += (c ? ", " : "") + quoted_identifier(t.column_names[c]);
  std::string one = "(";
  for (size_t c = 0; c < t.column_names.size(); ++c) one += c ? ", ?" : "?";
  sql += ") VALUES " + one + ")";
  for (size_t r = 1; r < rows; ++r) sql += ", " + one + ")";
  return sql;
}

// A table without geometry, many rows per INSERT. Why: each INSERT
// statement of a table GDAL made (fid INTEGER PRIMARY KEY AUTOINCREMENT)
// ends by writing sqlite_sequence, and each step has its own statement
// set-up; 64 rows a statement took a 2.3M-row, 6-column insert (counts_long)
// from 2.5 to 0.9 CPU-s in a micro-benchmark. The rows, their fids (in
// order, from 1) and the final sqlite_sequence are the same as one at a time.
void insert_attribute_rows(const Db& db, const GpkgRows& t) {
  const OutTable& table = *t.table;
  const size_t columns = std::max<size_t>(t.column_names.size(), 1);
  const size_t max_rows = static_cast<size_t>(sqlite3_limit(db.db, SQLITE_LIMIT_VARIABLE_NUMBER, -1)) / columns;
  const size_t batch = std::clamp<size_t>(max_rows, 1, 64);
  Statement many(db.prepare(insert_sql(t, batch)), &sqlite3_finalize);
  Statement one(db.prepare(insert_sql(t, 1)), &sqlite3_finalize);
  // The rows of the statement being filled: stored rows are bound where they
  // are; generated rows are made straight into `made` (one slot per row of
  // the statement), not into for_each_row's one reused row and then copied
  // (the copy was ~10% of counts_long's 2.3M rows on the GeoPackage thread).
  std::vector<std::vector<std::string>> made(table.generate ? batch : 0,
                                             std::vector<std::string>(table.columns.size()));
  std::vector<const std::vector<std::string>*> bound(batch);
  size_t filled = 0;
  auto step = [&](sqlite3_stmt* s) {
    if (sqlite3_step(s) != SQLITE_DONE) db.fail("cannot write to table " + t.table_name);
    sqlite3_reset(s);
  };
  for (size_t i = 0; i < table.row_count(); ++i) {
    if (table.generate) table.generate(i, made[filled]);
    const std::vector<std::string>& row = table.generate ? made[filled] : table.rows[i];
    bound[filled] = &row;
    for (size_t c = 0; c < row.size(); ++c)
      bind_value(db, many.get(), static_cast<int>(filled * columns + c) + 1, table, c, row[c]);
    if (++filled == batch) {
      step(many.get());
      filled = 0;
    }
  }
  for (size_t r = 0; r < filled; ++r) {  // the last rows, one at a time
    for (size_t c = 0; c < bound[r]->size(); ++c)
      bind_value(db, one.get(), static_cast<int>(c) + 1, table, c, (*bound[r])[c]);
    step(one.get());
  }
}

// A layer's rows, each with its geometry blob, then its R-tree (what GDAL's
// dropped trigger would have inserted row by row) packed in one pass
// (gpkg_rtree.h). Returns the layer's extent.
Box insert_layer_rows(const Db& db, const GpkgRows& t, const std::string& rtree) {
  const OutTable& table = *t.table;
  std::string sql = "INSERT INTO " + quoted_identifier(t.table_name) + " (" + quoted_identifier(t.geometry_column);
  std::string values = "?";
  for (const std::string& name : t.column_names) {
    sql += ", " + quoted_identifier(name);
    values += ", ?";
  }
  Statement insert(db.prepare(sql + ") VALUES (" + values + ")"), &sqlite3_finalize);
  const int32_t srs_id = srs_id_of(db, t);
  std::string blob;
  Box extent;
  std::vector<RtreeEntry> entries;
  entries.reserve(table.row_count());
  table.for_each_row([&](size_t r, const std::vector<std::string>& row) {
    Box e;
    if (table.kind == GeometryKind::kPoint) {
      const Point& p = table.points[r];
      gpkg_point_blob(p, srs_id, blob);
      e = {p.x, p.y, p.x, p.y};
    } else {
      e = gpkg_multipolygon_blob(table.polygons[r], srs_id, blob);
    }
    sqlite3_bind_blob(insert.get(), 1, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
    for (size_t c = 0; c < row.size(); ++c)
      bind_value(db, insert.get(), static_cast<int>(c) + 2, table, c, row[c]);
    if (sqlite3_step(insert.get()) != SQLITE_DONE) db.fail("cannot write to table " + t.table_name);
    sqlite3_reset(insert.get());
    entries.push_back(rtree_entry(sqlite3_last_insert_rowid(db.db), e));
    if (r == 0) extent = e;
    extent = {std::min(extent.min_x, e.min_x), std::min(extent.min_y, e.min_y), std::max(extent.max_x, e.max_x),
              std::max(extent.max_y, e.max_y)};
  });
  if (bulk_load_rtree(db.db, db.path, rtree, entries)) return extent;
  // An R-tree that was not empty: one entry at a time, as the trigger would.
  Statement index(db.prepare("INSERT INTO " + quoted_identifier(rtree) + " VALUES (?, ?, ?, ?, ?)"), &sqlite3_finalize);
  for (const RtreeEntry& e : entries) {
    sqlite3_bind_int64(index.get(), 1, e.id);
    sqlite3_bind_double(index.get(), 2, e.min_x);
    sqlite3_bind_double(index.get(), 3, e.max_x);
    sqlite3_bind_double(index.get(), 4, e.min_y);
    sqlite3_bind_double(index.get(), 5, e.max_y);
    if (sqlite3_step(index.get()) != SQLITE_DONE) db.fail("cannot write to " + rtree);
    sqlite3_reset(index.get());
  }
  return extent;
}

void insert_table(const Db& db, const GpkgRows& t) {
  const OutTable& table = *t.table;
  const bool geometry = table.kind != GeometryKind::kNone;
  // GDAL keeps gpkg_ogr_contents.feature_count with a trigger per insert;
  // it is set once below instead, and the trigger put back as it was.
  const std::string count_trigger = take_trigger(db, "trigger_insert_feature_count_" + t.table_name);
  const std::string rtree = "rtree_" + t.table_name + "_" + t.geometry_column;
  const std::string rtree_trigger = geometry ? take_trigger(db, rtree + "_insert") : "";
  Box extent;
  if (geometry)
    extent = insert_layer_rows(db, t, rtree);
  else
    insert_attribute_rows(db, t);
  Statement count(db.prepare("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)"),
                  &sqlite3_finalize);
  sqlite3_bind_int64(count.get(), 1, static_cast<sqlite3_int64>(table.row_count()));
  sqlite3_bind_text(count.get(), 2, t.table_name.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(count.get()) != SQLITE_DONE) db.fail("cannot count table " + t.table_name);
  if (geometry && table.row_count() > 0) {  // GDAL leaves an empty layer's extent NULL
    // As GDAL 3.6 writes it (SaveExtent): %.18g text read back by SQLite,
    // which does not always give back the same double; bound as a double
    // the last digit could differ from GDAL's file.
    std::unique_ptr<char, void (*)(void*)> update(
        sqlite3_mprintf("UPDATE gpkg_contents SET min_x = %.18g, min_y = %.18g, max_x = %.18g, max_y = %.18g "
                        "WHERE lower(table_name) = lower('%q') AND Lower(data_type) = 'features'",
                        extent.min_x, extent.min_y, extent.max_x, extent.max_y, t.table_name.c_str()),
        &sqlite3_free);
    if (!update) db.fail("out of memory");
    db.exec(update.get());
  }
  if (!count_trigger.empty()) db.exec(count_trigger);
  if (!rtree_trigger.empty()) db.exec(rtree_trigger);
}

}  // namespace

std::string quoted_identifier(const std::string& name) {
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

bool rows_insertable_directly(const OutTable& t) {
  // GDAL rewrites date-times on the way in ("...T10:00:00" -> "...T10:00:00.000Z"):
  // tables with one stay with GDAL.
  for (const Column& c : t.columns)
    if (c.type == ColumnType::kDateTime) return false;
  if (t.kind == GeometryKind::kPoint) {
    if (t.points.size() != t.row_count()) return false;
    for (const Point& p : t.points)
      if (!gpkg_blob_writable(p)) return false;
  } else if (t.kind == GeometryKind::kPolygon) {
    if (t.polygons.size() != t.row_count()) return false;
    for (const MultiPolygon& mp : t.polygons)
      if (!gpkg_blob_writable(mp)) return false;
  }
  if (t.numbers_formatted) return true;
  bool ok = true;
  t.for_each_row([&](size_t, const std::vector<std::string>& row) {
    for (size_t c = 0; c < row.size() && ok; ++c) {
      if (row[c].empty()) continue;
      long long n = 0;
      double d = 0;
      if (t.columns[c].type == ColumnType::kInteger && !gdal_integer(row[c], n)) ok = false;
      if (t.columns[c].type == ColumnType::kReal && !gdal_real(row[c], d)) ok = false;
    }
  });
  return ok;
}

void insert_gpkg_rows(const std::string& path, const std::vector<GpkgRows>& tables) {
  if (tables.empty()) return;
  Db db;
  db.path = path;
  // One connection on one thread: SQLite's own mutexes are not needed (they
  // were ~6% of this thread's time at national scale).
  if (sqlite3_open_v2(path.c_str(), &db.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
    db.fail("cannot open");
  // The file is a staged output, renamed into place only once whole: no
  // fsync per commit is needed for it to be safe.
  db.exec("PRAGMA synchronous = OFF");
  db.exec("BEGIN");
  for (const GpkgRows& t : tables) insert_table(db, t);
  db.exec("COMMIT");
  if (sqlite3_close(db.db) != SQLITE_OK) db.fail("cannot close");
  db.db = nullptr;
}

}  // namespace hotspot::io
