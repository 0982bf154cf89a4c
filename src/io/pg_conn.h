// A PostgreSQL connection through libpq, for what GDAL's PostgreSQL driver
// cannot do: one transaction over many tables (the swap that makes a run
// land whole), advisory locks (two runs into one schema), schema DDL and
// QGIS's public.layer_styles. Rows themselves go through GDAL (PG_USE_COPY).
#pragma once

#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace hotspot::io {

// The connection string with its password replaced by "***" (key=value
// form "password=..." and URI form "postgresql://user:secret@host"): the
// only form of it that may be printed, logged or stored.
std::string redact_connection(const std::string& connection);

// `text` (e.g. a GDAL error message) with every occurrence of the
// connection's password, and of the connection string itself, redacted.
std::string scrub_password(const std::string& text, const std::string& connection);

// "PG:dbname=crime host=db" -> libpq's conninfo: the "PG:" prefix and GDAL's
// own keys (schemas=, tables=, active_schema=) removed. Credentials come from
// libpq's usual places when the string has none: PGHOST/PGUSER/PGPASSWORD...,
// ~/.pgpass, the service file (service=name).
std::string libpq_conninfo(const std::string& connection);

// How an input table or query of a database is named in the outputs, rejects
// and manifest (never the connection string): "postgis:crime:public.incidents"
// or "postgis:crime:query" (the database from dbname=, else PGDATABASE).
std::string postgis_source_name(const std::string& connection, const std::string& table);

// True for a GDAL PostgreSQL connection string ("PG:..." any case).
bool is_pg_connection(const std::string& text);

class PgConnection {
 public:
  // Connects, or throws OutputError (or InputError when for_input) whose
  // message says what to fix: the host, the password, the database.
  explicit PgConnection(const std::string& connection, bool for_input = false);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs SQL; parameters $1.. as text. Returns the rows as text ("" = null).
  // Throws OutputError with the server's message (and `what`).
  std::vector<std::vector<std::string>> exec(const std::string& sql, const std::vector<std::string>& params = {},
                                             const std::string& what = "");
  // "name" quoted as an SQL identifier / string literal (PQescapeIdentifier).
  std::string ident(const std::string& name) const;
  std::string literal(const std::string& text) const;
  std::string database() const;

 private:
  pg_conn* conn_ = nullptr;
  std::string display_;  // redacted, for messages
  bool for_input_;
};

}  // namespace hotspot::io
