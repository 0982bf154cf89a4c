// PostGIS output (issue 12) against a real server (pg_test_server.h): the
// demo's every table and layer equal to the GeoPackage's, styles in
// public.layer_styles, runs accumulating and replacing, SIGKILL at random
// moments, two runs at once, hostile names, passwords never shown, and the
// errors a user meets (wrong host, password, database, no postgis, no privilege).
#include <fcntl.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "io/postgis_writer.h"
#include "pipeline/run_cli.h"
#include "pipeline/temp_dir.h"
#include "postgis/pg_test_server.h"
#include "test_paths.h"

namespace fs = std::filesystem;
using hotspot::testing::Pg;
using hotspot::testing::run_cli;
using hotspot::testing::run_cli_raw;

namespace {

const std::string kDemo = std::string(HOTSPOT_DATA_DIR) + "/demo.toml";

// Every vertex of a geometry, in order.
void vertices(const OGRGeometry* g, std::vector<OGRPoint>& out) {
  if (!g) return;
  const OGRwkbGeometryType t = wkbFlatten(g->getGeometryType());
  if (t == wkbPoint) {
    out.push_back(*g->toPoint());
  } else if (t == wkbLineString || t == wkbLinearRing) {
    const OGRSimpleCurve* c = g->toSimpleCurve();
    for (int i = 0; i < c->getNumPoints(); ++i) out.emplace_back(c->getX(i), c->getY(i));
  } else if (t == wkbPolygon) {
    const OGRPolygon* p = g->toPolygon();
    vertices(p->getExteriorRing(), out);
    for (int i = 0; i < p->getNumInteriorRings(); ++i) vertices(p->getInteriorRing(i), out);
  } else {
    const OGRGeometryCollection* c = g->toGeometryCollection();
    for (int i = 0; i < c->getNumGeometries(); ++i) vertices(c->getGeometryRef(i), out);
  }
}

std::string pg_dataset(const std::string& schema) { return "PG:dbname=hotspot_test schemas=" + schema; }

class PostgisOutput : public hotspot::testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    HOTSPOT_REQUIRE_PG_SERVER();
    GDALAllRegister();
    // A schema of this test's own (tests run in parallel), empty.
    schema_ = "t_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()).substr(0, 14);
    for (char& c : schema_) c = char(std::tolower(static_cast<unsigned char>(c)));
    drop_schema(schema_);
  }
  void drop_schema(const std::string& s) {
    Pg pg;
    ASSERT_TRUE(pg.ok()) << pg.error();
    pg.query("DROP SCHEMA IF EXISTS \"" + s + "\" CASCADE");
    pg.query("DROP SCHEMA IF EXISTS \"" + hotspot::io::staging_schema(s) + "\" CASCADE");
    pg.query("DELETE FROM public.layer_styles WHERE f_table_schema = '" + s + "'");
  }
  // The demo (heat maps and all) into schema_, as run `run_id`.
  std::string demo_args(const std::string& run_id, const std::string& extra = "") {
    return "run -q -c " + kDemo + " --postgis 'PG:dbname=hotspot_test' --postgis-schema " + schema_ + " --run-id " +
           run_id + " " + extra;
  }
  // The demo's incidents, LSOAs and wards, no heat maps: a quick run.
  std::string light_config() {
    const std::string d = HOTSPOT_DATA_DIR;
    return write("light.toml",
        "working_crs = \"EPSG:27700\"\n[[incidents]]\nformat = \"police_uk\"\npaths = [\"" + d + "/police-uk\"]\n"
        "[[areas]]\nname = \"lsoa\"\npaths = [\"" + d + "/boundaries/lsoa2011_charnwood.geojson\"]\ncode = \"LSOA11CD\"\n"
        "name_field = \"LSOA11NM\"\n[[areas]]\nname = \"ward\"\npaths = [\"" + d +
        "/boundaries/wards2013_charnwood.geojson\"]\ncode = \"WD13CD\"\nname_field = \"WD13NM\"\n");
  }
  std::string light_args(const std::string& run_id) {
    return "run -q -c " + light_config() + " --no-files --postgis PG:dbname=hotspot_test --postgis-schema " + schema_ + " --run-id " + run_id;
  }
  std::string schema_;
};

// Row counts of every hotspot table in the schema for one run id.
std::map<std::string, std::string> run_counts(Pg& pg, const std::string& schema, const std::string& run_id) {
  std::map<std::string, std::string> counts;
  for (const auto& row : pg.query("SELECT table_name FROM information_schema.columns WHERE table_schema = '" + schema +
                                  "' AND column_name = 'run_id' AND table_name <> 'runs'"))
    counts[row[0]] = pg.value("SELECT count(*) FROM \"" + schema + "\".\"" + row[0] + "\" WHERE run_id = '" + run_id + "'");
  return counts;
}

TEST_F(PostgisOutput, DemoEqualsTheGeoPackageTableByTableWithStyles) {
  const auto r = run_cli(demo_args("2019-02", "--out " + (dir_ / "out").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  GDALDatasetUniquePtr gpkg(GDALDataset::Open((dir_ / "out/hotspot.gpkg").c_str(), GDAL_OF_VECTOR));
  GDALDatasetUniquePtr pgds(GDALDataset::Open(pg_dataset(schema_).c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(gpkg && pgds);
  Pg pg;
  int layers = 0, spatial = 0;
  for (int i = 0; i < gpkg->GetLayerCount(); ++i) {
    OGRLayer* g = gpkg->GetLayer(i);
    const std::string name = g->GetName();
    if (name == "layer_styles") continue;
    ++layers;
    SCOPED_TRACE(name);
    OGRLayer* p = pgds->ExecuteSQL(("SELECT * FROM \"" + schema_ + "\".\"" + name + "\" WHERE run_id = '2019-02' ORDER BY fid").c_str(),
                                   nullptr, nullptr);
    ASSERT_NE(p, nullptr) << name << " is missing in PostGIS";
    EXPECT_EQ(p->GetFeatureCount(), g->GetFeatureCount());
    const bool has_geom = g->GetGeomType() != wkbNone;
    spatial += has_geom;
    if (has_geom) {
      // Geometry column and spatial index.
      EXPECT_EQ(pg.value("SELECT type FROM geometry_columns WHERE f_table_schema = '" + schema_ + "' AND f_table_name = '" +
                         name + "' AND f_geometry_column = 'geom'") .empty(), false);
      EXPECT_EQ(pg.value("SELECT srid FROM geometry_columns WHERE f_table_schema = '" + schema_ + "' AND f_table_name = '" + name + "'"), "27700");
      // (pg_index for this table only: the pg_indexes view reads every
      // table's definition and trips over other tests' tables being dropped.)
      EXPECT_EQ(pg.value("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON "
                         "a.oid = c.relam WHERE a.amname = 'gist' AND i.indrelid = '\"" + schema_ + "\".\"" + name +
                         "\"'::regclass"), "1");
    }
    EXPECT_EQ(pg.value("SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_index i JOIN pg_attribute a ON "
                       "a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indisprimary AND i.indrelid = '\"" +
                       schema_ + "\".\"" + name + "\"'::regclass"), "pk");
    EXPECT_EQ(pg.value("SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_index i JOIN pg_attribute a ON "
                       "a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indisunique AND NOT i.indisprimary AND "
                       "i.indrelid = '\"" + schema_ + "\".\"" + name + "\"'::regclass"), "run_id,fid");
    g->ResetReading();
    OGRFeatureDefn* gd = g->GetLayerDefn();
    size_t compared = 0, moved = 0;
    for (auto& gf : *g) {
      OGRFeatureUniquePtr pf(p->GetNextFeature());
      ASSERT_TRUE(pf);
      ASSERT_EQ(pf->GetFieldAsInteger64("fid"), gf->GetFID());
      for (int f = 0; f < gd->GetFieldCount(); ++f) {
        const char* field = gd->GetFieldDefn(f)->GetNameRef();
        const int pi = pf->GetFieldIndex(field);
        ASSERT_GE(pi, 0) << field;
        ASSERT_EQ(std::string(pf->IsFieldSetAndNotNull(pi) ? pf->GetFieldAsString(pi) : "<null>"),
                  std::string(gf->IsFieldSetAndNotNull(f) ? gf->GetFieldAsString(f) : "<null>"))
            << field << " of fid " << gf->GetFID();
        ++compared;
      }
      if (has_geom) {
        std::vector<OGRPoint> a, b;
        vertices(gf->GetGeometryRef(), a);
        vertices(pf->GetGeometryRef(), b);
        ASSERT_EQ(a.size(), b.size());
        for (size_t v = 0; v < a.size(); ++v) {
          const double d = std::hypot(a[v].getX() - b[v].getX(), a[v].getY() - b[v].getY());
          ASSERT_LT(d, 0.001) << "vertex " << v << " of fid " << gf->GetFID();
          moved += d > 0;
        }
      }
    }
    EXPECT_FALSE(OGRFeatureUniquePtr(p->GetNextFeature())) << "PostGIS has more rows";
    EXPECT_EQ(compared, size_t(g->GetFeatureCount()) * size_t(gd->GetFieldCount()));
    pgds->ReleaseResultSet(p);
  }
  EXPECT_GE(layers, 15);
  EXPECT_GE(spatial, 7);  // incidents, 3 hotspot layers, 3 area layers
  // The same styles as the GeoPackage's layer_styles: names, defaults and QML.
  OGRLayer* styles = gpkg->GetLayerByName("layer_styles");
  ASSERT_NE(styles, nullptr);
  int n = 0;
  for (auto& s : *styles) {
    ++n;
    const std::string where = "f_table_schema = '" + schema_ + "' AND f_table_name = '" + s->GetFieldAsString("f_table_name") +
                              "' AND stylename = '" + s->GetFieldAsString("styleName") + "'";
    SCOPED_TRACE(where);
    EXPECT_EQ(pg.value("SELECT useasdefault FROM public.layer_styles WHERE " + where),
              s->GetFieldAsInteger("useAsDefault") ? "t" : "f");
    EXPECT_EQ(pg.value("SELECT f_geometry_column || ' ' || f_table_catalog FROM public.layer_styles WHERE " + where), "geom hotspot_test");
    const std::string qml = pg.value("SELECT styleqml::text FROM public.layer_styles WHERE " + where);
    EXPECT_NE(qml.find("<qgis"), std::string::npos);
    EXPECT_NE(qml.find("renderer-v2"), std::string::npos);
    const std::string gq = s->GetFieldAsString("styleQML");
    EXPECT_EQ(qml.size() > 1000, gq.size() > 1000);
    EXPECT_NE(gq.find(qml.substr(qml.find("<qgis"), 200)), std::string::npos);
  }
  EXPECT_GE(n, 7);
  EXPECT_EQ(pg.value("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = '" + schema_ + "'"), std::to_string(n));
  // The run register: ledger as JSONB, inputs with SHA-256, the rasters (files).
  EXPECT_EQ(pg.value("SELECT ledger->>'rows_read' FROM \"" + schema_ + "\".runs WHERE run_id = '2019-02'"), "7587");
  EXPECT_EQ(pg.value("SELECT ledger->>'rejected' FROM \"" + schema_ + "\".runs"), "1288");
  EXPECT_EQ(pg.value("SELECT count(*) FROM \"" + schema_ + "\".runs, jsonb_array_elements(inputs) i WHERE length(i->>'sha256') = 64"),
            pg.value("SELECT jsonb_array_length(inputs) FROM \"" + schema_ + "\".runs"));
  EXPECT_GE(std::stoi(pg.value("SELECT jsonb_array_length(inputs) FROM \"" + schema_ + "\".runs")), 8);
  const std::string rasters = pg.value("SELECT rasters::text FROM \"" + schema_ + "\".runs");
  EXPECT_NE(rasters.find("kde/all.tif"), std::string::npos) << rasters;
  EXPECT_NE(pg.value("SELECT parameters->>'config_toml' FROM \"" + schema_ + "\".runs").find("[[kde.surfaces]]"), std::string::npos);
  // No staging schema is left behind.
  EXPECT_EQ(pg.value("SELECT count(*) FROM pg_namespace WHERE nspname = '" + hotspot::io::staging_schema(schema_) + "'"), "0");
}

TEST_F(PostgisOutput, RunsAccumulateAndARunIdWrittenAgainIsReplaced) {
  ASSERT_EQ(run_cli(light_args("2019-01")).exit_code, 0);
  const auto second = run_cli(light_args("2019-02"));
  ASSERT_EQ(second.exit_code, 0) << second.output;
  Pg pg;
  const auto a = run_counts(pg, schema_, "2019-01"), b = run_counts(pg, schema_, "2019-02");
  EXPECT_EQ(a, b);
  EXPECT_GE(a.size(), 10u);
  EXPECT_EQ(a.at("lsoa"), "99");
  EXPECT_EQ(a.at("ward"), "28");
  EXPECT_EQ(pg.value("SELECT string_agg(run_id, ',' ORDER BY run_id) FROM " + schema_ + ".runs"), "2019-01,2019-02");
  // Again as 2019-01: replaced, not doubled; 2019-02 untouched.
  const std::string before = pg.value("SELECT finished_at FROM " + schema_ + ".runs WHERE run_id = '2019-01'");
  ASSERT_EQ(run_cli(light_args("2019-01")).exit_code, 0);
  EXPECT_EQ(run_counts(pg, schema_, "2019-01"), a);
  EXPECT_EQ(run_counts(pg, schema_, "2019-02"), b);
  EXPECT_NE(pg.value("SELECT finished_at FROM " + schema_ + ".runs WHERE run_id = '2019-01'"), before);
  EXPECT_EQ(pg.value("SELECT count(*) FROM " + schema_ + ".runs"), "2");
  // The default run id is the data's latest month.
  ASSERT_EQ(run_cli("run -q -c " + light_config() + " --no-files --postgis PG:dbname=hotspot_test --postgis-schema " + schema_).exit_code, 0);
  EXPECT_EQ(pg.value("SELECT count(*) FROM " + schema_ + ".runs"), "2");
  EXPECT_EQ(run_counts(pg, schema_, "2019-02"), b);
}

// Starts the CLI (no shell), output to /dev/null; returns its pid.
pid_t spawn(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(HOTSPOT_BINARY));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(HOTSPOT_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

TEST_F(PostgisOutput, SigkillAtRandomMomentsLeavesThePreviousRunsWhole) {
  const std::vector<std::string> base = {"run", "-q", "-c", light_config(), "--no-files", "--postgis", "PG:dbname=hotspot_test",
                                         "--postgis-schema", schema_, "--run-id"};
  ASSERT_EQ(run_cli(light_args("base")).exit_code, 0);
  Pg pg;
  const auto expected = run_counts(pg, schema_, "base");
  ASSERT_GE(expected.size(), 10u);
  // How long a whole run takes here (the kills spread over it).
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(run_cli(light_args("timing")).exit_code, 0);
  const double whole = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::mt19937 rng(12);
  // Kills spread over most of a run (most of it is before the write). On a
  // loaded machine a run's length varies, so a run that finished before its
  // kill does not count, and the window shrinks a little each time that
  // happens: the test goes on until it has its kills mid-run (at most 40 runs).
  double scale = 1.0;
  const std::string staging = hotspot::io::staging_schema(schema_);
  int killed = 0, finished = 0, while_staging = 0;
  for (int i = 0; i < 40 && (killed < 12 || while_staging < 8); ++i) {
    // What the previous kill left in staging is dropped, to count the next
    // one; the last one's is left for the run after the loop to clean.
    pg.query("DROP SCHEMA IF EXISTS \"" + staging + "\" CASCADE");
    // Alternate: a new run id, and the base run id (a replacement killed half-way).
    const std::string id = i % 2 ? "base" : "k" + std::to_string(i);
    std::vector<std::string> args = base;
    args.push_back(id);
    const double delay = std::uniform_real_distribution<double>(0.3 * whole * scale, 1.1 * whole * scale)(rng);
    const pid_t pid = spawn(args);
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    const bool was_killed = kill(pid, SIGKILL) == 0;
    int status = 0;
    waitpid(pid, &status, 0);
    const bool mid_run = was_killed && WIFSIGNALED(status);
    (mid_run ? killed : finished) += 1;
    if (!mid_run) scale *= 0.85;
    // Killed while its rows were being staged (the staging schema is left for the next run to drop)?
    while_staging += mid_run && pg.value("SELECT count(*) FROM pg_namespace WHERE nspname = '" + staging + "'") == "1";
    SCOPED_TRACE("kill " + std::to_string(i) + " after " + std::to_string(delay) + " s, run id " + id);
    // The base run is always whole; a new run id is either whole or absent.
    EXPECT_EQ(run_counts(pg, schema_, "base"), expected);
    EXPECT_EQ(pg.value("SELECT count(*) FROM " + schema_ + ".runs WHERE run_id = 'base'"), "1");
    const auto mine = run_counts(pg, schema_, id);
    const bool recorded = pg.value("SELECT count(*) FROM " + schema_ + ".runs WHERE run_id = '" + id + "'") == "1";
    std::map<std::string, std::string> none;
    for (const auto& [t, n] : expected) none[t] = "0";
    if (recorded) EXPECT_EQ(mine, expected);
    else EXPECT_EQ(mine, none);
  }
  std::cout << "SIGKILL: " << killed << " killed mid-run (" << while_staging << " of them while writing to PostGIS), "
            << finished << " had finished (whole run " << whole << " s)\n";
  EXPECT_GE(killed, 12);
  EXPECT_GE(while_staging, 8);  // most kills land inside the PostGIS write
  // The next run cleans what the killed ones left and succeeds.
  ASSERT_EQ(run_cli(light_args("after")).exit_code, 0);
  EXPECT_EQ(run_counts(pg, schema_, "after"), expected);
  EXPECT_EQ(pg.value("SELECT count(*) FROM pg_namespace WHERE nspname = '" + hotspot::io::staging_schema(schema_) + "'"), "0");
}

TEST_F(PostgisOutput, ASecondRunIntoTheSameSchemaFailsClearlyWhileOneWrites) {
  // A run holds the schema's advisory lock (as the engine takes it).
  Pg holder;
  ASSERT_EQ(holder.value("SELECT pg_try_advisory_lock(18515, hashtext('" + schema_ + "'))"), "t");
  auto r = run_cli(light_args("2019-02"));
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("another hotspot run is writing to PostgreSQL schema '" + schema_ + "'"), std::string::npos) << r.output;
  holder.query("SELECT pg_advisory_unlock_all()");
  ASSERT_EQ(run_cli(light_args("2019-02")).exit_code, 0);
  // Two real runs at once: each succeeds or fails with that message; never interleaved.
  std::vector<std::string> outputs(2);
  std::vector<int> codes(2);
  std::vector<std::thread> runs;
  for (int i = 0; i < 2; ++i)
    runs.emplace_back([&, i] {
      auto x = run_cli(light_args("c" + std::to_string(i)));
      codes[size_t(i)] = x.exit_code;
      outputs[size_t(i)] = x.output;
    });
  for (auto& t : runs) t.join();
  Pg pg;
  const auto expected = run_counts(pg, schema_, "2019-02");
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE(outputs[size_t(i)]);
    const std::string id = "c" + std::to_string(i);
    if (codes[size_t(i)] == 0) {
      EXPECT_EQ(run_counts(pg, schema_, id), expected);
    } else {
      EXPECT_EQ(codes[size_t(i)], 4);
      EXPECT_NE(outputs[size_t(i)].find("another hotspot run is writing"), std::string::npos);
      EXPECT_EQ(pg.value("SELECT count(*) FROM " + schema_ + ".runs WHERE run_id = '" + id + "'"), "0");
    }
  }
  EXPECT_TRUE(codes[0] == 0 || codes[1] == 0);
}

TEST_F(PostgisOutput, HostileNamesAreQuotedAndSurviveAsData) {
  // A ward named like an injection, a layer name with a space, a schema
  // name with quotes.
  std::string wards = slurp(std::string(HOTSPOT_DATA_DIR) + "/boundaries/wards2013_charnwood.geojson");
  const std::string hostile = "x'); DROP TABLE runs; --";
  const size_t at = wards.find("\"WD13NM\"");
  ASSERT_NE(at, std::string::npos);
  const size_t v0 = wards.find('"', wards.find(':', at)) + 1, v1 = wards.find('"', v0);
  const std::string original = wards.substr(v0, v1 - v0);
  wards.replace(v0, v1 - v0, "x'); DROP TABLE runs; --");
  const std::string path = write("wards.geojson", wards);
  const std::string schema = "we'ird \"" + schema_ + "\"";
  drop_schema(schema);
  const std::string conf = write("hostile.toml",
      "working_crs = \"EPSG:27700\"\n[output]\npostgis = \"PG:dbname=hotspot_test\"\npostgis_schema = \"we'ird \\\"" + schema_ +
      "\\\"\"\nrun_id = \"r'); DROP TABLE runs; --\"\n[[incidents]]\nformat = \"police_uk\"\npaths = [\"" + HOTSPOT_DATA_DIR +
      "/police-uk\"]\n[[areas]]\nname = \"my wards\"\npaths = [\"" + path + "\"]\ncode = \"WD13CD\"\nname_field = \"WD13NM\"\n");
  for (int twice = 0; twice < 2; ++twice) {
    const auto r = run_cli("run -q -c " + conf);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  Pg pg;
  std::string S = "\"we'ird \"\"" + schema_ + "\"\"\"";
  EXPECT_EQ(pg.value("SELECT count(*) FROM " + S + ".runs"), "1");
  EXPECT_EQ(pg.value("SELECT run_id FROM " + S + ".runs"), "r'); DROP TABLE runs; --");
  EXPECT_EQ(pg.value("SELECT count(*) FROM " + S + ".\"my wards\" WHERE name = 'x''); DROP TABLE runs; --'"), "1");
  EXPECT_EQ(pg.value("SELECT count(*) FROM " + S + ".\"my wards\""), "28");
  EXPECT_EQ(pg.value("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = 'we''ird \"" + schema_ + "\"' AND f_table_name = 'my wards' AND useasdefault"), "1");
  (void)original;
  (void)hostile;
  drop_schema(schema);
}

TEST_F(PostgisOutput, PasswordsNeverShownAndErrorsSayWhatToFix) {
  const std::string secret = "right-password";
  struct Case {
    std::string connection, expect;
  };
  const std::vector<Case> cases = {
      {"PG:dbname=hotspot_test host=/nonexistent-socket-dir", "check host= and port="},
      {"PG:dbname=hotspot_test user=hotspot_pw password=wrong-pass-123", "password authentication failed"},
      {"PG:dbname=no_such_db", "the database does not exist"},
      {"PG:dbname=hotspot_nopostgis", "has no postgis extension"},
      {"PG:dbname=hotspot_test user=hotspot_ro", "lacks a privilege"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.connection);
    const auto r = run_cli("run -c " + kDemo + " --no-incidents --no-files --postgis '" + c.connection + "' --postgis-schema " + schema_);
    EXPECT_EQ(r.exit_code, 4) << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("wrong-pass-123"), std::string::npos) << r.output;
  }
  // The right password works and is written nowhere: output, runs, styles.
  const auto r = run_cli("run -c " + kDemo + " --no-incidents --no-files --postgis 'PG:dbname=hotspot_test user=hotspot_pw password=" +
                         secret + "' --postgis-schema " + schema_);
  // hotspot_pw has no CREATE on the database either: exit 4, password not shown.
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_EQ(r.output.find(secret), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("password=***"), std::string::npos) << r.output;
  Pg admin;
  // hotspot_pw may create schemas and write QGIS's styles table.
  admin.query("SELECT pg_advisory_lock(18515, 0)");
  admin.query("CREATE TABLE IF NOT EXISTS public.layer_styles (id serial PRIMARY KEY, f_table_catalog varchar, "
              "f_table_schema varchar, f_table_name varchar, f_geometry_column varchar, stylename text, styleqml xml, "
              "stylesld xml, useasdefault boolean, description text, owner varchar(63) DEFAULT CURRENT_USER, ui xml, "
              "update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar)");
  admin.query("SELECT pg_advisory_unlock(18515, 0)");
  admin.query("GRANT ALL ON public.layer_styles TO hotspot_pw");
  admin.query("GRANT ALL ON SEQUENCE public.layer_styles_id_seq TO hotspot_pw");
  admin.query("GRANT CREATE ON DATABASE hotspot_test TO hotspot_pw");
  const auto ok = run_cli("run -c " + kDemo + " --no-incidents --out " + (dir_ / "out").string() +
                          " --postgis 'PG:dbname=hotspot_test user=hotspot_pw password=" + secret + "' --postgis-schema " + schema_);
  admin.query("REVOKE CREATE ON DATABASE hotspot_test FROM hotspot_pw");
  ASSERT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(ok.output.find(secret), std::string::npos) << ok.output;
  EXPECT_NE(ok.output.find("password=***"), std::string::npos) << ok.output;
  EXPECT_EQ(admin.value("SELECT count(*) FROM " + schema_ + ".runs WHERE manifest::text LIKE '%" + secret +
                        "%' OR parameters::text LIKE '%" + secret + "%'"), "0");
  EXPECT_EQ(admin.value("SELECT count(*) FROM " + schema_ + ".runs WHERE parameters->>'config_toml' LIKE '%password=***%'"), "1");
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "out"))
    if (e.is_regular_file()) {
      EXPECT_EQ(slurp(e.path()).find(secret), std::string::npos) << e.path();
    }
  admin.query("DROP SCHEMA \"" + schema_ + "\" CASCADE");
  admin.query("DELETE FROM public.layer_styles WHERE f_table_schema = '" + schema_ + "'");
}

TEST(PostgisFlags, OutIsAFolderAndPostgisConnectionsAreChecked) {
  const auto out = run_cli("run -q -c " + kDemo + " --out 'PG:dbname=crime password=abc123'");
  EXPECT_EQ(out.exit_code, 2) << out.output;
  EXPECT_NE(out.output.find("--postgis"), std::string::npos) << out.output;
  EXPECT_EQ(out.output.find("abc123"), std::string::npos) << out.output;
  const auto uri = run_cli("run -q -c " + kDemo + " --no-files --postgis 'PG:postgresql://u:abc123@h/db'");
  EXPECT_EQ(uri.exit_code, 2) << uri.output;
  EXPECT_NE(uri.output.find("key=value form"), std::string::npos) << uri.output;
  EXPECT_EQ(uri.output.find("abc123"), std::string::npos) << uri.output;
  const auto plain = run_cli("run -q -c " + kDemo + " --no-files --postgis 'dbname=crime'");
  EXPECT_EQ(plain.exit_code, 2) << plain.output;
}

}  // namespace
