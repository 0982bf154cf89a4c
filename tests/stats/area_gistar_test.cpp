// Gi* over areas with a distance band ([stats] gistar_distance): areas are
// placed at their area-weighted centroids, whatever the orientation of their
// rings (GeoJSON draws outer rings anticlockwise, shapefiles clockwise, and
// some files mix both within one multipolygon).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "stats/area_stats.h"

namespace hotspot::stats {
namespace {

Polygon square(double x0, double size, bool clockwise) {
  Ring r = {{x0, 0}, {x0 + size, 0}, {x0 + size, size}, {x0, size}};  // anticlockwise
  if (clockwise) std::reverse(r.begin(), r.end());
  return {r};
}

// Four areas along a line: A, a square centred at x = 5; B, two squares
// centred at x = 25 and 45 (its centroid: x = 35); C, a square centred at
// x = 58; D, a 20 m square (x 80..100) with a hole at x 91..99, so its
// centroid is at x = 87.19 (at 91.32 if the hole were added, not
// subtracted). With a 31 m band: A-B and B-C are neighbours (30 and 23 m),
// C-D too (29.6 m; 33.7 m with the hole added), A-C and B-D are not.
LayerStats gi_of(bool mixed_orientation, bool hole_drawn_like_its_shell) {
  AreaLayer layer;
  layer.name = "zone";
  layer.code = {"A", "B", "C", "D"};
  layer.label = layer.code;
  layer.geometry = {{square(0, 10, true)},
                    {square(20, 10, true), square(40, 10, mixed_orientation)},
                    {square(53, 10, true)},
                    {square(80, 20, true)}};
  Ring hole = {{91, 1}, {99, 1}, {99, 19}, {91, 19}};  // anticlockwise: opposite to its shell
  if (hole_drawn_like_its_shell) std::reverse(hole.begin(), hole.end());
  layer.geometry[3][0].push_back(hole);
  IncidentTable t;
  t.categories = {"Burglary"};
  t.sources = {"test"};
  Assignment asg;
  asg.layer = "zone";
  const int counts[] = {1, 9, 2, 0};
  for (int a = 0; a < 4; ++a)
    for (int i = 0; i < counts[a]; ++i) {
      t.x.push_back(5 + 20.0 * a);
      t.y.push_back(5);
      t.month.push_back(make_month(2019, 2));
      t.minute.push_back(IncidentTable::kNoTime);
      t.category.push_back(0);
      t.source.push_back(0);
      t.source_row.push_back(int64_t(t.size()));
      asg.area.push_back(a);
    }
  StatsSpec spec;
  spec.gistar_distance = 31;
  return compute_stats(t, {layer}, {asg}, spec).layers.at(0);
}

TEST(AreaGiStar, DistanceBandDoesNotDependOnRingOrientation) {
  const LayerStats same = gi_of(false, false);
  const LayerStats mixed = gi_of(true, false);
  const LayerStats hole_like_shell = gi_of(false, true);
  ASSERT_EQ(same.gi_z.size(), 4u);
  for (size_t a = 0; a < 4; ++a) {
    SCOPED_TRACE(a);
    ASSERT_TRUE(std::isfinite(same.gi_z[a]));
    EXPECT_DOUBLE_EQ(mixed.gi_z[a], same.gi_z[a]);
    EXPECT_DOUBLE_EQ(hole_like_shell.gi_z[a], same.gi_z[a]);
  }
  // By hand: counts 1 9 2 0, n = 4, mean 3, S = sqrt(86/4 - 9) = sqrt(12.5);
  // B's neighbourhood is A, B, C (sum 12, k = 3):
  // (12 - 3 x 3) / (S sqrt((4 x 3 - 9) / 3)) = 3 / S = 0.8485;
  // D's is C, D (sum 2, k = 2): (2 - 3 x 2) / (S sqrt((8 - 4) / 3)) = -0.9798.
  EXPECT_NEAR(same.gi_z[1], 3 / std::sqrt(12.5), 1e-12);
  EXPECT_NEAR(same.gi_z[3], (2 - 3.0 * 2) / (std::sqrt(12.5) * std::sqrt(4 / 3.0)), 1e-12);
}

}  // namespace
}  // namespace hotspot::stats
