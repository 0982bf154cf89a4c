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
#include "io/gpkg_rows.h"

#include <sqlite3.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "hotspot/errors.h"
#include "io/gdal_values.h"

namespace hotspot::io {
namespace {

std::string quoted(const std::string& name) {  // an SQL identifier, as GDAL quotes it
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

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

void insert_table(const Db& db, const GpkgRows& t) {
  // GDAL keeps gpkg_ogr_contents.feature_count with a trigger per insert;
  // it is set once below instead, and the trigger put back as it was.
  const std::string trigger = "trigger_insert_feature_count_" + t.table_name;
  std::string trigger_sql;
  {
    Statement q(db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?"), &sqlite3_finalize);
    sqlite3_bind_text(q.get(), 1, trigger.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q.get()) == SQLITE_ROW)
      trigger_sql = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0));
  }
  if (!trigger_sql.empty()) db.exec("DROP TRIGGER " + quoted(trigger));
  std::string sql = "INSERT INTO " + quoted(t.table_name) + " (", values;
  for (size_t c = 0; c < t.column_names.size(); ++c) {
    sql += (c ? ", " : "") + quoted(t.column_names[c]);
    values += c ? ", ?" : "?";
  }
  sql += ") VALUES (" + values + ")";
  Statement insert(db.prepare(sql), &sqlite3_finalize);
  const OutTable& table = *t.table;
  for (const std::vector<std::string>& row : table.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      const int i = static_cast<int>(c) + 1;
      const std::string& v = row[c];
      long long n = 0;
      double d = 0;
      if (v.empty())
        sqlite3_bind_null(insert.get(), i);
      else if (table.columns[c].type == ColumnType::kInteger && gdal_integer(v, n))
        sqlite3_bind_int64(insert.get(), i, n);
      else if (table.columns[c].type == ColumnType::kReal && gdal_real(v, d))
        sqlite3_bind_double(insert.get(), i, d);
      else
        sqlite3_bind_text(insert.get(), i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    }
    if (sqlite3_step(insert.get()) != SQLITE_DONE) db.fail("cannot write to table " + t.table_name);
    sqlite3_reset(insert.get());
  }
  Statement count(db.prepare("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)"),
                  &sqlite3_finalize);
  sqlite3_bind_int64(count.get(), 1, static_cast<sqlite3_int64>(table.rows.size()));
  sqlite3_bind_text(count.get(), 2, t.table_name.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(count.get()) != SQLITE_DONE) db.fail("cannot count table " + t.table_name);
  if (!trigger_sql.empty()) db.exec(trigger_sql);
}

}  // namespace

bool rows_insertable_directly(const OutTable& t) {
  if (t.kind != GeometryKind::kNone) return false;
  for (const std::vector<std::string>& row : t.rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (row[c].empty()) continue;
      long long n = 0;
      double d = 0;
      if (t.columns[c].type == ColumnType::kInteger && !gdal_integer(row[c], n)) return false;
      if (t.columns[c].type == ColumnType::kReal && !gdal_real(row[c], d)) return false;
    }
  return true;
}

void insert_gpkg_rows(const std::string& path, const std::vector<GpkgRows>& tables) {
  if (tables.empty()) return;
  Db db;
  db.path = path;
  if (sqlite3_open_v2(path.c_str(), &db.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) db.fail("cannot open");
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
