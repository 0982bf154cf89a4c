// join_layer's recorded-code comparison (pipeline/join.cpp).
#include <gtest/gtest.h>

#include <string>

#include "pipeline/join.h"

namespace hotspot::pipeline {
namespace {

MultiPolygon square(double x, double y) { return MultiPolygon{{{{x, y}, {x + 10, y}, {x + 10, y + 10}, {x, y + 10}}}}; }

// The disagreeing rows were collected by push_back (the vector regrown
// and moved about 25 times for a national year); they are now counted
// first and the vector sized once. Guards that the rows, their order and
// the counts are what a row-by-row comparison gives.
TEST(JoinLayer, DisagreeingRowsAreSizedOnceAndKeepRowOrder) {
  AreaLayer layer;
  layer.name = "lsoa";
  layer.code = {"A", "B"};
  layer.label = {"", ""};
  layer.geometry = {square(0, 0), square(10, 0)};
  IncidentTable t;
  // Rows in A, in B and outside both; recorded codes that agree, disagree and are blank.
  const double xs[] = {5, 15, 50, 5, 15, 50, 5};
  const char* recorded[] = {"A", "A", "A", "", "B", "", "C"};
  for (size_t i = 0; i < 7; ++i) {
    t.x.push_back(xs[i]);
    t.y.push_back(5);
    t.recorded["lsoa"].push_back(recorded[i]);
  }
  LayerLedger ledger;
  const Assignment a = join_layer(t, layer, 1, ledger);
  const Agreement& g = ledger.agreement;
  EXPECT_EQ(g.compared, 5);
  EXPECT_EQ(g.agree, 2);     // rows 0 (A in A) and 4 (B in B)
  EXPECT_EQ(g.disagree, 3);  // rows 1 (A in B), 2 (A outside), 6 (C in A)
  EXPECT_EQ(g.recorded_blank, 2);
  ASSERT_EQ(g.rows.size(), 3u);
  EXPECT_EQ(g.rows.capacity(), 3u);  // sized once, exactly
  EXPECT_EQ(g.rows[0].incident, 1);
  EXPECT_EQ(g.rows[0].recorded, "A");
  EXPECT_EQ(g.rows[0].spatial, "B");
  EXPECT_EQ(g.rows[1].incident, 2);
  EXPECT_EQ(g.rows[1].spatial, "");
  EXPECT_EQ(g.rows[2].incident, 6);
  EXPECT_EQ(g.rows[2].recorded, "C");
  EXPECT_EQ(g.rows[2].spatial, "A");
  EXPECT_EQ(a.area[2], -1);
}

}  // namespace
}  // namespace hotspot::pipeline
