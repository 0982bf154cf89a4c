// Aggregate mode (pipeline/stream.h): a run with no incidents layer joins
// and reduces each file as it settles, keeping no whole per-incident table.
// Its results must be the whole-table run's, on real data: Leicestershire's
// police.uk (5 months, 42,855 rows, blank-coordinate rejects, recorded LSOA
// codes that disagree, rows outside Charnwood's wards) and the demo (every
// output file, heat maps included), on 1 and 2 threads.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/specs.h"
#include "hotspot/pipeline.h"
#include "pipeline/stream.h"
#include "run_cli.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
const std::string kLeics = std::string(HOTSPOT_SHARED_DATA_DIR) + "/leicestershire";

// Sets HOTSPOT_WHOLE_TABLE for one scope.
class WholeTable {
 public:
  WholeTable() { setenv("HOTSPOT_WHOLE_TABLE", "1", 1); }
  ~WholeTable() { unsetenv("HOTSPOT_WHOLE_TABLE"); }
};

RunSpec leicestershire(int threads) {
  RunSpec spec = testing::leicestershire_spec();
  spec.areas.push_back(testing::area("ward", kLeics + "/boundaries/wards2013/E07000130.json", "WD13CD", "WD13NM"));
  spec.areas.push_back(testing::beats_from_wards(kLeics + "/charnwood_beats_from_wards2013.csv"));
  spec.checks.min_match_share = 0.1;
  spec.output.incidents = false;  // no incidents layer: aggregate mode
  spec.threads = threads;
  return spec;
}

void expect_same_ledger(const Ledger& a, const Ledger& b) {
  EXPECT_EQ(a.to_text(), b.to_text());
  EXPECT_EQ(a.warnings, b.warnings);
  ASSERT_EQ(a.rejects.size(), b.rejects.size());
  for (size_t i = 0; i < a.rejects.size(); ++i) {
    EXPECT_EQ(a.rejects[i].file, b.rejects[i].file) << i;
    EXPECT_EQ(a.rejects[i].row, b.rejects[i].row) << i;
    EXPECT_EQ(a.rejects[i].reason, b.rejects[i].reason) << i;
    EXPECT_EQ(a.rejects[i].raw, b.rejects[i].raw) << i;
  }
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t l = 0; l < a.layers.size(); ++l) {
    const LayerLedger &x = a.layers[l], &y = b.layers[l];
    EXPECT_EQ(x.layer, y.layer);
    EXPECT_EQ(x.matched, y.matched);
    EXPECT_EQ(x.unmatched, y.unmatched);
    EXPECT_EQ(x.multiple, y.multiple);
    EXPECT_EQ(x.has_agreement, y.has_agreement);
    EXPECT_EQ(x.agreement.compared, y.agreement.compared);
    EXPECT_EQ(x.agreement.agree, y.agreement.agree);
    EXPECT_EQ(x.agreement.disagree, y.agreement.disagree);
    EXPECT_EQ(x.agreement.recorded_blank, y.agreement.recorded_blank);
    ASSERT_EQ(x.agreement.rows.size(), y.agreement.rows.size());
    for (size_t i = 0; i < x.agreement.rows.size(); ++i) {
      EXPECT_EQ(x.agreement.rows[i].incident, y.agreement.rows[i].incident);
      EXPECT_EQ(x.agreement.rows[i].recorded, y.agreement.rows[i].recorded);
      EXPECT_EQ(x.agreement.rows[i].spatial, y.agreement.rows[i].spatial);
    }
  }
}

// What the outputs read of the table: every column but the ids and recorded
// codes, and the ids of the rows the disagreement table names.
void expect_same_rows(const RunResult& a, const RunResult& whole) {
  const IncidentTable &t = a.incidents, &w = whole.incidents;
  ASSERT_EQ(t.size(), w.size());
  EXPECT_EQ(t.x, w.x);
  EXPECT_EQ(t.y, w.y);
  EXPECT_EQ(t.month, w.month);
  EXPECT_EQ(t.minute, w.minute);
  EXPECT_EQ(t.category, w.category);
  EXPECT_EQ(t.categories, w.categories);
  EXPECT_EQ(t.source, w.source);
  EXPECT_EQ(t.sources, w.sources);
  EXPECT_EQ(t.source_row, w.source_row);
  EXPECT_EQ(t.location.strings(), w.location.strings());
  for (const LayerLedger& l : whole.ledger.layers)
    for (const Agreement::Row& row : l.agreement.rows)
      EXPECT_EQ(t.id_at(size_t(row.incident)), w.id_at(size_t(row.incident)));
  ASSERT_EQ(a.assignments.size(), whole.assignments.size());
  for (size_t l = 0; l < a.assignments.size(); ++l) {
    EXPECT_EQ(a.assignments[l].layer, whole.assignments[l].layer);
    EXPECT_EQ(a.assignments[l].area, whole.assignments[l].area);
  }
  EXPECT_EQ(a.working_crs, whole.working_crs);
  EXPECT_EQ(a.working_crs_reason, whole.working_crs_reason);
}

TEST(AggregateMode, IsOnWithoutAnIncidentsLayerOnly) {
  RunSpec spec;
  EXPECT_FALSE(pipeline::aggregate_mode(spec));  // the incidents layer is on by default
  spec.output.incidents = false;
  EXPECT_TRUE(pipeline::aggregate_mode(spec));
  spec.dry_run = true;  // a dry run checks the whole table
  EXPECT_FALSE(pipeline::aggregate_mode(spec));
  spec.dry_run = false;
  {
    WholeTable whole;
    EXPECT_FALSE(pipeline::aggregate_mode(spec));
  }
  spec.output.incidents = true;
  spec.stats.public_mode = true;  // public packs have no incidents layer
  EXPECT_TRUE(pipeline::aggregate_mode(spec));
  // Nor has a run whose writers take no layers (a heat map to GeoTIFF, CSV
  // tables): no table of 6M rows of text is built for nobody.
  spec.stats.public_mode = false;
  spec.output.geopackage = false;
  spec.output.geojson = false;
  EXPECT_FALSE(pipeline::incidents_layer_written(spec));
  EXPECT_TRUE(pipeline::aggregate_mode(spec));
  spec.output.postgis.connection = "PG:dbname=crime";  // PostGIS takes the layer
  EXPECT_TRUE(pipeline::incidents_layer_written(spec));
  EXPECT_FALSE(pipeline::aggregate_mode(spec));
  spec.output.postgis.connection.clear();
  spec.output.geojson = true;
  EXPECT_TRUE(pipeline::incidents_layer_written(spec));
}

// Leicestershire: the ledger (rejects in order, warnings, every layer's
// matches and recorded-code disagreements), the join, the counts and the
// statistics as the whole-table run makes them, on 1 and 2 threads.
TEST(AggregateMode, LeicestershireGivesTheWholeTableRunsResults) {
  if (!fs::exists(kLeics)) GTEST_SKIP() << "shared data not found at " << kLeics;
  RunResult whole;
  {
    WholeTable on;
    whole = run_pipeline(leicestershire(2));
  }
  ASSERT_EQ(whole.ledger.rows_read, 42855);
  ASSERT_GT(whole.ledger.layers[0].agreement.disagree, 0);  // some ids must be kept
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    const RunResult agg = run_pipeline(leicestershire(threads));
    EXPECT_TRUE(agg.ledger.reconciles());
    expect_same_ledger(agg.ledger, whole.ledger);
    expect_same_rows(agg, whole);
    ASSERT_EQ(agg.counts.size(), whole.counts.size());
    for (size_t l = 0; l < agg.counts.size(); ++l) {
      EXPECT_EQ(agg.counts[l].cells, whole.counts[l].cells);
      EXPECT_EQ(agg.counts[l].first_month, whole.counts[l].first_month);
      EXPECT_EQ(agg.counts[l].months, whole.counts[l].months);
    }
    // Only the disagreeing rows keep their ids; the recorded codes are gone.
    EXPECT_TRUE(agg.incidents.recorded.empty());
    EXPECT_FALSE(whole.incidents.recorded.empty());
    std::set<int64_t> disagreeing;
    for (const LayerLedger& l : whole.ledger.layers)
      for (const Agreement::Row& row : l.agreement.rows) disagreeing.insert(row.incident);
    size_t kept = 0;
    for (size_t i = 0; i < agg.incidents.size(); ++i) {
      const bool named = disagreeing.count(int64_t(i)) > 0;
      kept += named;
      ASSERT_EQ(agg.incidents.id_at(i), named ? whole.incidents.id_at(i) : std::string()) << i;
    }
    EXPECT_GT(kept, 0u);
  }
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A file's bytes; run_summary.csv without its "threads," line (it says how
// many threads the run was given, the one thing that may differ).
std::string comparable(const fs::path& p) {
  std::string text = slurp(p);
  if (p.filename() != "run_summary.csv") return text;
  const size_t at = text.find("\nthreads,");
  if (at != std::string::npos) text.erase(at, text.find('\n', at + 1) - at);
  return text;
}

// The demo's every output file (CSV tables, GeoJSON layers, GeoTIFF heat
// maps, briefing, QGIS project), byte for byte, whole-table run against
// aggregate mode on 1 and 2 threads. The GeoPackage is left out: GDAL
// stamps its layers with the time; its tables are the CSVs'.
TEST(AggregateMode, TheDemosFilesAreByteIdentical) {
  const fs::path root = fs::temp_directory_path() / ("hotspot_aggregate_" + std::to_string(getpid()));
  fs::remove_all(root);
  const std::string run = std::string("run --config ") + HOTSPOT_DATA_DIR + "/demo.toml --no-incidents --out ";
  const auto whole = testing::run_cli_raw("HOTSPOT_WHOLE_TABLE=1 " + std::string(HOTSPOT_BINARY) + " " + run +
                                          (root / "whole").string() + " -j 2");
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  for (const char* threads : {"1", "2"}) {
    const fs::path out = root / (std::string("aggregate_j") + threads);
    const auto agg = testing::run_cli(run + out.string() + " -j " + threads);
    ASSERT_EQ(agg.exit_code, 0) << agg.output;
    size_t compared = 0, tiffs = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root / "whole")) {
      if (!entry.is_regular_file() || entry.path().extension() == ".gpkg") continue;
      const fs::path rel = fs::relative(entry.path(), root / "whole");
      ASSERT_TRUE(fs::exists(out / rel)) << rel;
      EXPECT_TRUE(comparable(entry.path()) == comparable(out / rel)) << rel << " differs (-j " << threads << ")";
      ++compared;
      tiffs += entry.path().extension() == ".tif";
    }
    EXPECT_GT(compared, 20u);
    EXPECT_GT(tiffs, 0u);
    EXPECT_FALSE(fs::exists(out / "csv/incidents.csv"));
  }
  fs::remove_all(root);
}

}  // namespace
}  // namespace hotspot
