#include "io/pg_conn.h"

#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>
#include <memory>

#include "hotspot/errors.h"

namespace hotspot::io {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

// The value of a "key=value" at `pos` ends at the next unquoted space; a
// quoted value ('...') may hold spaces and \' escapes (libpq's rules).
size_t value_end(const std::string& s, size_t pos) {
  if (pos < s.size() && s[pos] == '\'') {
    for (size_t i = pos + 1; i < s.size(); ++i) {
      if (s[i] == '\\') ++i;
      else if (s[i] == '\'') return i + 1;
    }
    return s.size();
  }
  size_t i = pos;
  while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

// Walks the key=value pairs of a conninfo string: f(key, begin of key, end of value, value begin).
template <typename F>
void each_pair(const std::string& s, F f) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const size_t key_begin = i;
    while (i < s.size() && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const std::string key = lower(s.substr(key_begin, i - key_begin));
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size() || s[i] != '=') {
      if (i == key_begin) ++i;
      continue;
    }
    ++i;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const size_t v = i;
    i = value_end(s, v);
    f(key, key_begin, i, v);
  }
}

std::string strip_prefix(const std::string& connection) {
  return is_pg_connection(connection) ? connection.substr(3) : connection;
}

}  // namespace

std::string postgis_source_name(const std::string& connection, const std::string& table) {
  std::string db;
  each_pair(strip_prefix(connection), [&](const std::string& key, size_t, size_t end, size_t v) {
    if (key == "dbname") db = strip_prefix(connection).substr(v, end - v);
  });
  if (db.size() >= 2 && db.front() == '\'' && db.back() == '\'') db = db.substr(1, db.size() - 2);
  if (db.empty() && std::getenv("PGDATABASE")) db = std::getenv("PGDATABASE");
  for (char& c : db)
    if (c == '/' || c == ':') c = '_';
  return "postgis:" + (db.empty() ? std::string("database") : db) + ":" + (table.empty() ? "query" : table);
}

bool is_pg_connection(const std::string& text) { return text.size() >= 3 && lower(text.substr(0, 3)) == "pg:"; }

std::string redact_connection(const std::string& connection) {
  const std::string l = lower(connection);
  // URI form: postgresql://user:secret@host/db
  for (const char* scheme : {"postgresql://", "postgres://"}) {
    const size_t s = l.find(scheme);
    if (s == std::string::npos) continue;
    const size_t start = s + std::string(scheme).size();
    const size_t at = connection.find('@', start);
    const size_t colon = connection.find(':', start);
    std::string out = connection;
    if (at != std::string::npos && colon != std::string::npos && colon < at)
      out = connection.substr(0, colon + 1) + "***" + connection.substr(at);
    // and a password= query parameter
    const size_t q = lower(out).find("password=");
    if (q != std::string::npos) {
      const size_t e = out.find('&', q);
      out = out.substr(0, q + 9) + "***" + (e == std::string::npos ? "" : out.substr(e));
    }
    return out;
  }
  std::string out;
  size_t copied = 0;
  each_pair(connection, [&](const std::string& key, size_t, size_t end, size_t v) {
    if (key != "password" && key != "pg:password") return;
    out += connection.substr(copied, v - copied) + "***";
    copied = end;
  });
  return out + connection.substr(copied);
}

std::string scrub_password(const std::string& text, const std::string& connection) {
  std::string out = text;
  const auto replace_all = [&out](const std::string& what, const std::string& with) {
    if (what.empty()) return;
    for (size_t p = out.find(what); p != std::string::npos; p = out.find(what, p + with.size()))
      out.replace(p, what.size(), with);
  };
  replace_all(connection, redact_connection(connection));
  std::vector<std::string> secrets;
  each_pair(connection, [&](const std::string& key, size_t, size_t end, size_t v) {
    if (key == "password" || key == "pg:password") {
      std::string value = connection.substr(v, end - v);
      if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') value = value.substr(1, value.size() - 2);
      secrets.push_back(value);
    }
  });
  for (const std::string& s : secrets)
    if (s.size() >= 3) replace_all(s, "***");  // shorter ones would blank ordinary words
  return out;
}

std::string libpq_conninfo(const std::string& connection) {
  const std::string s = strip_prefix(connection);
  if (lower(s).rfind("postgres", 0) == 0) return s;  // a URI: libpq reads it as is
  std::string out;
  each_pair(s, [&](const std::string& key, size_t begin, size_t end, size_t) {
    if (key == "schemas" || key == "tables" || key == "active_schema") return;  // GDAL's, not libpq's
    if (!out.empty()) out += ' ';
    out += s.substr(begin, end - begin);
  });
  return out;
}

PgConnection::PgConnection(const std::string& connection, bool for_input)
    : display_(redact_connection(connection)), for_input_(for_input) {
  conn_ = PQconnectdb(libpq_conninfo(connection).c_str());
  if (PQstatus(conn_) == CONNECTION_OK) {
    // Our messages are ours: the server's NOTICEs (e.g. "schema exists,
    // skipping") would only clutter the run's output.
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    return;
  }
  const std::string msg = trim(conn_ ? PQerrorMessage(conn_) : "out of memory");
  std::string hint;
  const std::string l = lower(msg);
  if (l.find("password authentication failed") != std::string::npos || l.find("no password supplied") != std::string::npos)
    hint = "check the user and password (PGPASSWORD, ~/.pgpass, a service file, or password= in the connection)";
  else if (l.find("database") != std::string::npos && l.find("does not exist") != std::string::npos)
    hint = "the database does not exist: create it (createdb) or fix dbname=";
  else if (l.find("role") != std::string::npos && l.find("does not exist") != std::string::npos)
    hint = "the user does not exist on the server: fix user= (or PGUSER)";
  else if (l.find("could not translate host name") != std::string::npos || l.find("connection refused") != std::string::npos ||
           l.find("no such file or directory") != std::string::npos || l.find("timeout") != std::string::npos ||
           l.find("no route to host") != std::string::npos)
    hint = "no PostgreSQL server there: check host= and port= (or PGHOST/PGPORT) and that the server is running";
  else if (l.find("permission denied") != std::string::npos || l.find("not permitted") != std::string::npos)
    hint = "the user may not connect to this database: ask its owner for CONNECT";
  PQfinish(conn_);
  conn_ = nullptr;
  const std::string text = "PostgreSQL connection '" + display_ + "' failed: " + msg + (hint.empty() ? "" : " (" + hint + ")");
  if (for_input_) throw InputError(text);
  throw OutputError(text);
}

PgConnection::~PgConnection() {
  if (conn_) PQfinish(conn_);
}

std::vector<std::vector<std::string>> PgConnection::exec(const std::string& sql, const std::vector<std::string>& params,
                                                         const std::string& what) {
  std::vector<const char*> values;
  for (const std::string& p : params) values.push_back(p.c_str());
  std::unique_ptr<PGresult, void (*)(PGresult*)> res(
      PQexecParams(conn_, sql.c_str(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0), PQclear);
  const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string msg = trim(res ? PQresultErrorMessage(res.get()) : PQerrorMessage(conn_));
    if (msg.empty()) msg = trim(PQerrorMessage(conn_));
    const char* state = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
    std::string hint;
    if (state && std::string(state) == "42501")
      hint = " (the user lacks a privilege here: ask the database owner for CREATE on the database or schema)";
    const std::string text = "PostgreSQL '" + display_ + "'" + (what.empty() ? "" : ", " + what) + ": " + msg + hint;
    if (for_input_) throw InputError(text);
    throw OutputError(text);
  }
  std::vector<std::vector<std::string>> rows;
  for (int r = 0; r < PQntuples(res.get()); ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < PQnfields(res.get()); ++c)
      row.emplace_back(PQgetisnull(res.get(), r, c) ? "" : PQgetvalue(res.get(), r, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string PgConnection::ident(const std::string& name) const {
  std::unique_ptr<char, void (*)(void*)> q(PQescapeIdentifier(conn_, name.c_str(), name.size()), PQfreemem);
  if (!q) throw OutputError("PostgreSQL: cannot quote the name '" + name + "'");
  return q.get();
}

std::string PgConnection::literal(const std::string& text) const {
  std::unique_ptr<char, void (*)(void*)> q(PQescapeLiteral(conn_, text.c_str(), text.size()), PQfreemem);
  if (!q) throw OutputError("PostgreSQL: cannot quote a value");
  return q.get();
}

std::string PgConnection::database() const { return PQdb(conn_); }

}  // namespace hotspot::io
