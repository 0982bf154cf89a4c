// Cocooning zones (hotspot/cocoon.h) and the next-step risk surface with its
// backtest (hotspot/risk_surface.h) on hand-made events with known answers.
#include <gtest/gtest.h>

#include <cmath>

#include "hotspot/cocoon.h"
#include "hotspot/risk_surface.h"

namespace hotspot {
namespace {

constexpr int64_t kDay = 1440;

// A(0,0) day 0; B(150,0) day 1; C(0,250) day 2 (250 m from A); D(100,100)
// day 20 (after A's 14 days); E(0,0) at A's very minute; F(200,0) day 3,
// exactly 200 m from A (the edge is inside).
TEST(Cocoon, LaterIncidentsInsideEachZone) {
  const std::vector<double> x{0, 150, 0, 100, 0, 200}, y{0, 0, 250, 100, 0, 0};
  const std::vector<int64_t> t{0, 1 * kDay, 2 * kDay, 20 * kDay, 0, 3 * kDay};
  const cocoon::Result r = cocoon::build(x, y, t, 200, 14);
  ASSERT_EQ(r.zones.size(), 6u);
  EXPECT_EQ(r.zones[0].end, 14 * kDay);
  EXPECT_EQ(r.zones[0].later, (std::vector<uint32_t>{1, 5}));  // B, then F (on the edge)
  EXPECT_EQ(r.zones[4].later, (std::vector<uint32_t>{1, 5}));  // E: same place as A; A itself is not later
  EXPECT_EQ(r.zones[1].later, (std::vector<uint32_t>{5}));     // B: F 50 m, 2 days on; C is 292 m away
  EXPECT_TRUE(r.zones[2].later.empty());
  EXPECT_TRUE(r.zones[3].later.empty());
  EXPECT_EQ(r.inside_earlier, 2);  // B and F
  EXPECT_NEAR(r.share(), 2.0 / 6, 1e-12);
  // D is 141 m from A but 20 days on: outside; with 21 days it is inside.
  EXPECT_EQ(cocoon::build(x, y, t, 200, 21).zones[0].later, (std::vector<uint32_t>{1, 5, 3}));
  EXPECT_THROW(cocoon::build(x, y, t, 0, 14), std::invalid_argument);
  EXPECT_THROW(cocoon::build(x, y, t, 200, 0), std::invalid_argument);
}

TEST(Cocoon, DiscIsARingOfTheRadius) {
  const MultiPolygon d = cocoon::disc(1000, 2000, 200, 48);
  ASSERT_EQ(d.size(), 1u);
  ASSERT_EQ(d[0][0].size(), 49u);
  for (const Point& p : d[0][0]) EXPECT_NEAR(std::hypot(p.x - 1000, p.y - 2000), 200, 1e-9);
  EXPECT_EQ(d[0][0].front().x, d[0][0].back().x);
}

// Risk by the formula, recomputed here: the cell holding the latest events
// ranks first, and the backtest scores each step against known answers.
TEST(Risk, SurfaceFollowsTheFormula) {
  // Cells of 100 m; events at cell centres. Steps 0..3.
  const std::vector<double> x{50, 50, 350, 50, 350, 650}, y{50, 50, 50, 50, 50, 50};
  const std::vector<int32_t> step{0, 1, 1, 2, 3, 3};
  risk::Options o;
  o.cell = 100, o.distance = 150, o.lookback = 2, o.top_percent = 34, o.baseline_bandwidth = 150;
  const risk::Result r = risk::build(x, y, step, 4, o);
  ASSERT_EQ(r.grid.nx, 7);
  ASSERT_EQ(r.grid.ny, 1);
  EXPECT_EQ(r.study_cells, 3);  // cells 0, 3 and 6 hold events
  EXPECT_EQ(r.top_cells, 2);    // ceil(0.34 x 3)
  // Next step (4) from steps 2 (age 1) and 3 (age 0): cell 3 has the step-3
  // event at d = 0 (weight 1) and cell 0's step-2 event 300 m away (beyond 150 m).
  auto w = [](double d_cells, double age) { return 1 / (1 + d_cells) / (1 + age); };
  EXPECT_NEAR(r.grid.values[0], w(0, 1), 1e-12);
  EXPECT_NEAR(r.grid.values[1], w(1, 1), 1e-12);   // 100 m from cell 0's event
  EXPECT_NEAR(r.grid.values[3], w(0, 0), 1e-12);
  EXPECT_NEAR(r.grid.values[2], w(1, 0), 1e-12);   // 100 m from (350, 50)
  EXPECT_NEAR(r.grid.values[4], w(1, 0), 1e-12);
  EXPECT_NEAR(r.grid.values[6], w(0, 0), 1e-12);
  EXPECT_EQ(r.rank[3], 1);  // ties (cells 3 and 6) go to the lower index
  EXPECT_EQ(r.rank[6], 2);
  EXPECT_EQ(r.rank[0], 3);
  EXPECT_EQ(r.rank[1], 0);  // not a study cell
  // Backtest: steps 2 and 3. Step 2 (one event, cell 0) from steps 0-1:
  // cell 0 has 1/(1+1) + 1 = 1.5, cell 3 has 1: top 2 = {0, 3}: hit 1.
  ASSERT_EQ(r.backtest.size(), 2u);
  EXPECT_EQ(r.backtest[0].step, 2);
  EXPECT_DOUBLE_EQ(r.backtest[0].hit, 1.0);
  EXPECT_NEAR(r.backtest[0].pai, 1.0 / (2.0 / 3), 1e-12);
  EXPECT_DOUBLE_EQ(r.backtest[0].hit_counts, 1.0);  // step 1 counts: cells 0 and 3
  // Step 3 (cells 3 and 6) from steps 1-2: cell 0 = 1/2 + 1 = 1.5, cell 3 = 1/2,
  // cell 6 = 0: top 2 = {0, 3}: hit 1 of 2.
  EXPECT_DOUBLE_EQ(r.backtest[1].hit, 0.5);
  EXPECT_DOUBLE_EQ(r.backtest[1].hit_kde, 0.5);     // step 2: cell 0 only, then the tie 3 < 6
  EXPECT_DOUBLE_EQ(r.backtest[1].hit_counts, 0.5);
  EXPECT_NEAR(r.mean_hit, 0.75, 1e-12);
}

TEST(Risk, SameOnAnyThreadCountAndRefusesBadOptions) {
  std::vector<double> x, y;
  std::vector<int32_t> step;
  for (int i = 0; i < 3000; ++i) {
    x.push_back(std::fmod(i * 37.7, 3000.0)), y.push_back(std::fmod(i * 91.3, 2500.0));
    step.push_back(int32_t(i % 40));
  }
  risk::Options o;
  o.threads = 1;
  const risk::Result a = risk::build(x, y, step, 40, o);
  o.threads = 3;
  const risk::Result b = risk::build(x, y, step, 40, o);
  EXPECT_EQ(a.grid.values, b.grid.values);
  ASSERT_EQ(a.backtest.size(), 32u);
  for (size_t k = 0; k < a.backtest.size(); ++k) EXPECT_EQ(a.backtest[k].hit, b.backtest[k].hit);
  o.lookback = 0;
  EXPECT_THROW(risk::build(x, y, step, 40, o), std::invalid_argument);
}

}  // namespace
}  // namespace hotspot
