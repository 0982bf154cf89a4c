// The PostGIS test server: CTest's "postgis" fixture starts one
// (scripts/pg_test_cluster.sh) and writes its PG* settings to a state file;
// each test reads it, exports PGHOST/PGPORT/PGDATABASE/PGUSER (so the CLI
// it runs finds the server too) and talks to it through libpq.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace hotspot::testing {

// "" when the server is there (and PG* are exported), else why not.
inline std::string pg_test_server() {
  std::ifstream in(HOTSPOT_PG_STATE);
  if (!in) return std::string("no PostGIS test server: ") + HOTSPOT_PG_STATE +
                  " is missing (run the tests through ctest, which starts one; scripts/pg_test_cluster.sh)";
  std::string line, skip;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string value;
    for (size_t i = eq + 1; i < line.size(); ++i) {  // undo printf %q's backslashes
      if (line[i] == '\\' && i + 1 < line.size()) ++i;
      value += line[i];
    }
    const std::string key = line.substr(0, eq);
    if (key == "HOTSPOT_PG_SKIP") skip = value;
    else if (key.rfind("PG", 0) == 0) setenv(key.c_str(), value.c_str(), 1);
  }
  return skip.empty() ? "" : "no PostGIS test server: " + skip;
}

// Skips the test with the reason, or fails it where the server is required
// (HOTSPOT_REQUIRE_POSTGIS=1, set by .ci/run).
#define HOTSPOT_REQUIRE_PG_SERVER()                                                       \
  do {                                                                                    \
    const std::string why_ = ::hotspot::testing::pg_test_server();                        \
    if (!why_.empty()) {                                                                  \
      const char* req_ = std::getenv("HOTSPOT_REQUIRE_POSTGIS");                          \
      if (req_ && std::string(req_) == "1") FAIL() << why_ << " (HOTSPOT_REQUIRE_POSTGIS=1)"; \
      GTEST_SKIP() << why_;                                                               \
    }                                                                                     \
  } while (0)

// A libpq session for checking what the engine wrote.
class Pg {
 public:
  explicit Pg(const std::string& conninfo = "") : c_(PQconnectdb(conninfo.c_str())) {}
  ~Pg() { PQfinish(c_); }
  bool ok() const { return PQstatus(c_) == CONNECTION_OK; }
  std::string error() const { return PQerrorMessage(c_); }
  // Rows as text; on error, one row holding "ERROR: ...".
  std::vector<std::vector<std::string>> query(const std::string& sql) {
    std::unique_ptr<PGresult, void (*)(PGresult*)> r(PQexec(c_, sql.c_str()), PQclear);
    std::vector<std::vector<std::string>> rows;
    const ExecStatusType s = PQresultStatus(r.get());
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) return {{std::string("ERROR: ") + PQresultErrorMessage(r.get())}};
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      rows.emplace_back();
      for (int j = 0; j < PQnfields(r.get()); ++j) rows.back().emplace_back(PQgetvalue(r.get(), i, j));
    }
    return rows;
  }
  // The first value of the first row ("" if none).
  std::string value(const std::string& sql) {
    const auto rows = query(sql);
    return rows.empty() || rows[0].empty() ? "" : rows[0][0];
  }

 private:
  PGconn* c_;
};

}  // namespace hotspot::testing
