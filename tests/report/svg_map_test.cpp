// svg_map with an empty or non-finite extent: a blank frame, never infinite
// coordinates (hotspot batch with extent = [-inf, -inf, inf, inf] crashed here).
#include <gtest/gtest.h>

#include <cmath>

#include "report/svg_map.h"

namespace hotspot::report {
namespace {

TEST(SvgMap, NonFiniteExtentGivesAFiniteFrame) {
  for (const Box& b : {Box{-INFINITY, -INFINITY, INFINITY, INFINITY}, Box{INFINITY, INFINITY, -INFINITY, -INFINITY},
                       Box{NAN, 0, 1, 1}, Box{-1e308, -1e308, 1e308, 1e308}}) {
    const SvgFrame f = fit_frame(b, 0.03, 700, 620);
    EXPECT_TRUE(std::isfinite(f.scale) && f.scale > 0);
    EXPECT_TRUE(std::isfinite(f.width()) && std::isfinite(f.height()));
    AreaLayer empty;
    Choropleth c;
    c.layer = &empty;
    const std::string svg = choropleth_svg(c, f, {}, "m");
    EXPECT_EQ(svg.find("inf"), std::string::npos) << svg;
    EXPECT_EQ(svg.find("nan"), std::string::npos) << svg;
  }
}

TEST(SvgMap, FiniteExtentIsKept) {
  const SvgFrame f = fit_frame(Box{0, 0, 1000, 500}, 0, 700, 620);
  EXPECT_DOUBLE_EQ(f.extent.min_x, 0);
  EXPECT_DOUBLE_EQ(f.extent.max_x, 1000);
  EXPECT_DOUBLE_EQ(f.scale, 0.7);
}

}  // namespace
}  // namespace hotspot::report
