#include "stats/categories.h"

#include <gtest/gtest.h>

#include "hotspot/errors.h"

namespace hotspot::stats {
namespace {

const std::vector<std::string> kSource = {"Burglary", "Anti-social behaviour", "Vehicle crime", "Robbery",
                                          "Burglary - Residential"};

const StatCategory& find(const std::vector<StatCategory>& cats, const std::string& name) {
  for (const auto& c : cats)
    if (c.name == name) return c;
  throw std::runtime_error("no category " + name);
}

TEST(Categories, DefaultAllCrimeExcludesAsb) {
  const auto cats = build_categories(kSource, StatsSpec{});
  ASSERT_EQ(cats.size(), 6u);  // 5 canonical + All crime
  EXPECT_EQ(cats[0].name, "Anti-social behaviour");  // canonical names sorted
  const StatCategory& all = find(cats, "All crime");
  EXPECT_TRUE(all.rollup);
  EXPECT_EQ(all.members, (std::vector<bool>{true, false, true, true, true}));
}

TEST(Categories, AliasesMergeNames) {
  StatsSpec spec;
  spec.aliases["Burglary - Residential"] = "Burglary";
  const auto cats = build_categories(kSource, spec);
  ASSERT_EQ(cats.size(), 5u);
  EXPECT_EQ(find(cats, "Burglary").members, (std::vector<bool>{true, false, false, false, true}));
}

TEST(Categories, SeriousAcquisitiveCrimeBothWays) {
  StatsSpec narrow, wide;
  narrow.rollups = {{"Serious acquisitive crime", {"Burglary", "Vehicle crime"}, {}}};
  wide.rollups = {{"Serious acquisitive crime", {"Burglary", "Vehicle crime", "Robbery"}, {}}};
  EXPECT_EQ(find(build_categories(kSource, narrow), "Serious acquisitive crime").members,
            (std::vector<bool>{true, false, true, false, false}));
  EXPECT_EQ(find(build_categories(kSource, wide), "Serious acquisitive crime").members,
            (std::vector<bool>{true, false, true, true, false}));
}

TEST(Categories, UnknownIncludedCategoryIsAnError) {
  StatsSpec spec;
  spec.rollups = {{"Serious acquisitive crime", {"Burglery"}, {}}};
  EXPECT_THROW(build_categories(kSource, spec), ConfigError);
}

TEST(Categories, RollupCannotShadowACategory) {
  StatsSpec spec;
  spec.rollups = {{"Robbery", {"Burglary"}, {}}};
  EXPECT_THROW(build_categories(kSource, spec), ConfigError);
}

}  // namespace
}  // namespace hotspot::stats
