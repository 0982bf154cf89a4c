// End-to-end on the real Leicestershire police.uk data (5 months) and its
// boundaries in ../shared/data: every row accounted for, recorded LSOA codes
// agree with the spatial join, cross-border rows reported unmatched,
// Charnwood beats built from wards.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "hotspot/pipeline.h"
#include "io/csv_parser.h"
#include "common/specs.h"
#include "test_paths.h"

namespace hotspot {
namespace {

const std::string kLeics = std::string(HOTSPOT_SHARED_DATA_DIR) + "/leicestershire";

RunSpec leicestershire_spec(int threads) {
  RunSpec spec = testing::leicestershire_spec();
  // Charnwood's 28 wards, and its beats built from them.
  spec.areas.push_back(testing::area("ward", kLeics + "/boundaries/wards2013/E07000130.json", "WD13CD", "WD13NM"));
  spec.areas.push_back(testing::beats_from_wards(kLeics + "/charnwood_beats_from_wards2013.csv"));
  // Force-wide incidents, one district's wards: 15% match by design
  // (the match-share gate would otherwise stop the run; docs/config.md [checks]).
  spec.checks.min_match_share = 0.1;
  spec.threads = threads;
  return spec;
}

class Leicestershire : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kLeics)) GTEST_SKIP() << "shared data not found at " << kLeics;
    result_ = new RunResult(run_pipeline(leicestershire_spec(0)));
  }
  static void TearDownTestSuite() {
    delete result_;
    result_ = nullptr;
  }
  void SetUp() override {
    if (!result_) GTEST_SKIP() << "shared data not found";
  }
  static const RunResult& r() { return *result_; }
  static RunResult* result_;
};
RunResult* Leicestershire::result_ = nullptr;

TEST_F(Leicestershire, EveryRowIsAccountedFor) {
  const Ledger& g = r().ledger;
  EXPECT_EQ(g.rows_read, 42855);
  EXPECT_EQ(g.rejected, 1288);
  EXPECT_EQ(g.rejected_by_reason.at(RejectReason::kBlankCoordinates), 1288);
  EXPECT_EQ(g.accepted, 42855 - 1288);
  EXPECT_EQ(int64_t(r().incidents.size()), g.accepted);
  EXPECT_TRUE(g.reconciles());
  for (const Reject& j : g.rejects) {
    EXPECT_FALSE(j.file.empty());
    EXPECT_GT(j.row, 0);
    EXPECT_EQ(j.field, "Longitude");
  }
  int64_t by_file = 0;
  for (const auto& [file, n] : g.read_by_file) by_file += n;
  EXPECT_EQ(by_file, 42855);
  EXPECT_EQ(g.read_by_file.size(), 5u);
}

TEST_F(Leicestershire, SpatialLsoaAgreesWithRecordedCode) {
  const LayerLedger& lsoa = r().ledger.layers[0];
  ASSERT_EQ(lsoa.layer, "lsoa");
  ASSERT_TRUE(lsoa.has_agreement);
  EXPECT_EQ(lsoa.agreement.compared, 41567);
  EXPECT_GE(lsoa.agreement.agree_share(), 0.96);
  EXPECT_EQ(int64_t(lsoa.agreement.rows.size()), lsoa.agreement.disagree);
  EXPECT_EQ(lsoa.multiple, 0) << "LSOAs must not overlap";
}

TEST_F(Leicestershire, CrossBorderRowsAreUnmatched) {
  const AreaLayer& lsoa = r().layers[0];
  ASSERT_EQ(lsoa.size(), 611u);
  const std::set<std::string> force(lsoa.code.begin(), lsoa.code.end());
  const auto& recorded = r().incidents.recorded.at("lsoa");
  const auto& area = r().assignments[0].area;
  int64_t outside_force = 0, unmatched = 0, both = 0;
  for (size_t i = 0; i < recorded.size(); ++i) {
    const bool out = !force.count(recorded[i]);
    outside_force += out;
    unmatched += area[i] < 0;
    both += out && area[i] < 0;
  }
  EXPECT_EQ(outside_force, 75);
  EXPECT_EQ(unmatched, 75);
  EXPECT_EQ(both, 75) << "the unmatched rows are exactly the rows recorded in other forces' LSOAs";
  EXPECT_EQ(r().ledger.layers[0].unmatched, 75);
}

TEST_F(Leicestershire, CharnwoodBeatsFromWards) {
  const AreaLayer& beat = r().layers[2];
  ASSERT_EQ(beat.size(), 10u);
  EXPECT_EQ(beat.code.front(), "56");
  EXPECT_EQ(beat.code.back(), "65");
  EXPECT_EQ(beat.label[0], "Woodhouse Eaves, Newtown Linford, Cropston, Rothley and Quorn");
  // Every incident inside Charnwood's wards lies in exactly one beat.
  const auto& ward = r().assignments[1].area;
  const auto& beats = r().assignments[2].area;
  int64_t in_charnwood = 0;
  for (size_t i = 0; i < ward.size(); ++i) {
    if (ward[i] < 0) continue;
    ++in_charnwood;
    EXPECT_GE(beats[i], 0) << "incident " << i;
  }
  EXPECT_GT(in_charnwood, 6000);
  EXPECT_EQ(r().ledger.layers[2].multiple, 0) << "beats must not overlap";
  EXPECT_EQ(r().ledger.layers[2].matched, in_charnwood);
}

TEST_F(Leicestershire, CountsSumToMatched) {
  for (size_t l = 0; l < r().layers.size(); ++l) {
    EXPECT_EQ(r().counts[l].total(), r().ledger.layers[l].matched) << r().layers[l].name;
    EXPECT_EQ(r().counts[l].months, 5);
    EXPECT_EQ(r().counts[l].first_month, make_month(2018, 10));
  }
  // Anti-social behaviour: 4,694 rows, all geocoded, 4,694 minus unmatched in LSOAs.
  const IncidentTable& t = r().incidents;
  auto asb = std::find(t.categories.begin(), t.categories.end(), "Anti-social behaviour") - t.categories.begin();
  ASSERT_LT(size_t(asb), t.categories.size());
  int64_t asb_rows = std::count(t.category.begin(), t.category.end(), uint16_t(asb));
  EXPECT_EQ(asb_rows, 4694);
}

TEST(LeicestershireThreads, SameNumbersOnOneOrManyThreads) {
  if (!std::filesystem::exists(kLeics)) GTEST_SKIP() << "shared data not found";
  const RunResult one = run_pipeline(leicestershire_spec(1));
  const RunResult many = run_pipeline(leicestershire_spec(7));
  ASSERT_EQ(one.assignments.size(), many.assignments.size());
  for (size_t l = 0; l < one.assignments.size(); ++l) {
    EXPECT_EQ(one.assignments[l].area, many.assignments[l].area);
    EXPECT_EQ(one.counts[l].cells, many.counts[l].cells);
  }
  EXPECT_EQ(one.incidents.x, many.incidents.x);
  EXPECT_EQ(one.incidents.y, many.incidents.y);
}

}  // namespace
}  // namespace hotspot
