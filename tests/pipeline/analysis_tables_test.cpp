// The shared table pieces of the analyses' outputs (pipeline/analysis_tables.h).
#include <gtest/gtest.h>

#include <cmath>

#include "pipeline/analysis_tables.h"

namespace hotspot::pipeline {
namespace {

// A pack keeps the rows near its area whole: the first rows too (a row
// moved onto itself used to come out empty).
TEST(AnalysisTables, KeepRowsNearKeepsTheRowsWhole) {
  Grid g;
  g.x0 = 0, g.y0 = 0, g.cell = 10, g.nx = 4, g.ny = 1;
  io::OutTable t = new_table("cells", {{"id"}, {"value", io::ColumnType::kReal}}, io::GeometryKind::kPolygon);
  for (size_t c = 0; c < 4; ++c) {
    t.rows.push_back({std::to_string(c), number_text(double(c) / 3, 6)});
    t.polygons.push_back(cell_square(g, c));
  }
  keep_rows_near(t, Box{0, 0, 12, 10});  // cells 0 and 1 meet it; 2 and 3 do not
  ASSERT_EQ(t.rows.size(), 2u);
  ASSERT_EQ(t.polygons.size(), 2u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"0", "0"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"1", "0.333333"}));
  const Ring& square = t.polygons[1][0][0];
  ASSERT_EQ(square.size(), 5u);
  EXPECT_EQ(square[0].x, 10);
  EXPECT_EQ(square[0].y, 0);
  EXPECT_EQ(square[2].x, 20);
  EXPECT_EQ(square[2].y, 10);
  keep_rows_near(t, Box{11, 0, 30, 10});  // drops the first, moves the second up
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][0], "1");
}

TEST(AnalysisTables, ParameterRowsAndNumbers) {
  io::OutTable p = parameters_table("x_parameters", "cube");
  ASSERT_EQ(p.columns.size(), 3u);
  EXPECT_EQ(p.columns[0].name, "cube");
  add_parameter_rows(p, "a", {{"seed", "7"}, {"alpha", "0.05"}}, {"a note"}, {"a warning"});
  ASSERT_EQ(p.rows.size(), 4u);
  EXPECT_EQ(p.rows[0], (std::vector<std::string>{"a", "alpha", "0.05"}));  // keys in order
  EXPECT_EQ(p.rows[2], (std::vector<std::string>{"a", "note", "a note"}));
  EXPECT_EQ(p.rows[3], (std::vector<std::string>{"a", "warning", "a warning"}));
  EXPECT_EQ(number_text(NAN, 6), "");
  EXPECT_EQ(number_text(1.0 / 3, 8), "0.33333333");
}

}  // namespace
}  // namespace hotspot::pipeline
