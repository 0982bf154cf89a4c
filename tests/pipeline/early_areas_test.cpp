// With the working CRS given, the area layers are read on a second thread
// while the incidents are (pipeline.cpp, areas_readable_early). The run must
// be the one that reads them in turn: the same layers, counts, ledger and
// warnings in the same order, and the same error when an area source fails.
// "In turn" is the run whose working CRS is chosen from the data (Leicestershire
// is in lon/lat, so EPSG:27700 is chosen: the same CRS).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "common/specs.h"
#include "hotspot/pipeline.h"
#include "temp_dir.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;
using testing::kLeics;

// Sets HOTSPOT_WHOLE_TABLE for one scope (a run without an incidents layer
// is otherwise in aggregate mode, whose stream reads the areas itself).
class WholeTable {
 public:
  WholeTable() { setenv("HOTSPOT_WHOLE_TABLE", "1", 1); }
  ~WholeTable() { unsetenv("HOTSPOT_WHOLE_TABLE"); }
};

// LSOAs (four repaired with MakeValid: warnings), wards and beats dissolved
// from them (the dissolve needs the ward layer read first, on the same
// thread); and a second source whose two spellings of one category give a
// warning while the incidents are read, before the areas' warnings.
RunSpec leicestershire(const std::string& working_crs, const std::string& extra_csv) {
  RunSpec spec = testing::leicestershire_spec();
  spec.areas.push_back(testing::area("ward", kLeics + "/boundaries/wards2013/E07000130.json", "WD13CD", "WD13NM"));
  spec.areas.push_back(testing::beats_from_wards(kLeics + "/charnwood_beats_from_wards2013.csv"));
  IncidentSource extra;
  extra.format = IncidentFormat::kDelimited;
  extra.paths = {extra_csv};
  extra.crs = "EPSG:27700";
  extra.date_field = "month", extra.category_field = "category";
  spec.incidents.push_back(extra);
  spec.checks.min_match_share = 0.1;
  spec.working_crs = working_crs;
  spec.threads = 2;
  return spec;
}

const char* kExtraCsv =
    "x,y,month,category\n"
    "454100,319200,2019-01,Anti-social behaviour\n"
    "454300,319400,2019-02,Anti-social Behaviour\n";

// Every ring's points, each ring led by its size.
std::vector<double> coordinates(const AreaLayer& layer) {
  std::vector<double> xy;
  for (const MultiPolygon& m : layer.geometry)
    for (const Polygon& p : m)
      for (const Ring& ring : p) {
        xy.push_back(double(ring.size()));
        for (const Point& q : ring) xy.push_back(q.x), xy.push_back(q.y);
      }
  return xy;
}

void expect_same_run(const RunResult& early, const RunResult& in_turn) {
  EXPECT_EQ(early.working_crs, in_turn.working_crs);
  EXPECT_EQ(early.ledger.to_text(), in_turn.ledger.to_text());
  EXPECT_EQ(early.ledger.warnings, in_turn.ledger.warnings);
  ASSERT_EQ(early.layers.size(), in_turn.layers.size());
  for (size_t l = 0; l < early.layers.size(); ++l) {
    const AreaLayer &a = early.layers[l], &b = in_turn.layers[l];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.code, b.code);
    EXPECT_EQ(a.label, b.label);
    EXPECT_EQ(a.repaired_codes, b.repaired_codes);
    EXPECT_EQ(a.parts, b.parts);
    const std::vector<double> x = coordinates(a), y = coordinates(b);
    ASSERT_EQ(x.size(), y.size()) << a.name;
    EXPECT_TRUE(x == y) << a.name;  // (bit for bit: the same reads in the same CRS)
  }
  ASSERT_EQ(early.counts.size(), in_turn.counts.size());
  for (size_t l = 0; l < early.counts.size(); ++l) EXPECT_EQ(early.counts[l].cells, in_turn.counts[l].cells);
}

class EarlyAreas : public testing::TempDirTest {};

// Runs `check` once as a whole-table run and once in aggregate mode (which
// reads the areas as its first file settles, the CRS given or not: the
// two runs must agree there too).
template <class Check>
void in_both_modes(Check check) {
  for (bool whole : {true, false}) {
    SCOPED_TRACE(whole ? "whole table" : "aggregate mode");
    std::optional<WholeTable> env;
    if (whole) env.emplace();
    check();
  }
}

TEST_F(EarlyAreas, ReadBesideTheIncidentsTheRunIsTheOneReadingThemInTurn) {
  if (!fs::exists(kLeics)) GTEST_SKIP() << "shared data not found at " << kLeics;
  in_both_modes([&] {
    const std::string csv = write("extra.csv", kExtraCsv);
    const RunResult early = run_pipeline(leicestershire("EPSG:27700", csv));
    const RunResult in_turn = run_pipeline(leicestershire("", csv));
    ASSERT_EQ(in_turn.working_crs, "EPSG:27700");  // (else the comparison means nothing)
    ASSERT_EQ(early.layers.size(), 3u);
    EXPECT_EQ(early.layers[0].repaired, 4);  // the warnings compared include repairs
    EXPECT_EQ(early.layers[2].dissolved_from, "ward");
    ASSERT_FALSE(early.ledger.warnings.empty());  // the spellings' warning comes first
    EXPECT_NE(early.ledger.warnings[0].find("differ only in case"), std::string::npos) << early.ledger.warnings[0];
    expect_same_run(early, in_turn);
  });
}

TEST_F(EarlyAreas, AnAreaSourceThatFailsStopsTheRunWithItsOwnError) {
  if (!fs::exists(kLeics)) GTEST_SKIP() << "shared data not found at " << kLeics;
  in_both_modes([&] {
    const std::string csv = write("extra.csv", kExtraCsv);
    auto error_of = [&](const std::string& crs) {
      RunSpec spec = leicestershire(crs, csv);
      spec.areas[1].paths = {kLeics + "/boundaries/no-such-wards.json"};
      try {
        run_pipeline(spec);
      } catch (const InputError& e) {
        return std::string(e.what());
      }
      return std::string("no InputError");
    };
    const std::string early = error_of("EPSG:27700");
    EXPECT_NE(early.find("no-such-wards.json"), std::string::npos) << early;
    EXPECT_EQ(early, error_of(""));
  });
}

}  // namespace
}  // namespace hotspot
