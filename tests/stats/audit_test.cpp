// The disclosure audit against ranges worked out by hand.
#include "stats/audit.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace hotspot::stats {
namespace {

// Values [0..n) with the sums given; `hidden` the withheld ones; every
// withheld value of 1..5 is sensitive.
AuditResult run(const std::vector<int64_t>& values, const std::vector<SumLine>& lines,
                const std::vector<bool>& hidden) {
  std::vector<bool> sensitive(values.size());
  for (size_t i = 0; i < values.size(); ++i) sensitive[i] = hidden[i] && values[i] >= 1 && values[i] <= 5;
  return audit(values, lines, hidden, sensitive, AuditRule{});
}

TEST(Audit, ProtectionRule) {
  const AuditRule rule;  // at least 3 values, and 0 possible or spanning 1..5
  EXPECT_TRUE(is_protected({0, 2, false}, rule));
  EXPECT_TRUE(is_protected({1, 7, false}, rule));
  EXPECT_TRUE(is_protected({1, 0, true}, rule));
  EXPECT_FALSE(is_protected({0, 1, false}, rule));
  EXPECT_FALSE(is_protected({1, 3, false}, rule));
  EXPECT_FALSE(is_protected({2, 2, false}, rule));
  EXPECT_FALSE(is_protected({2, 0, true}, rule));  // 0 and 1 impossible: not 1..5
}

TEST(Audit, RectangleInATableWithMargins) {
  // 2 | 20 | 22       All four cells hidden, margins shown. With t the
  // 30| 40 | 70       top-left: 22 - t, 32 - t and 38 + t are the others,
  // 32| 60 | 92       all >= 0, so t is anywhere in [0, 22].
  const std::vector<int64_t> v = {2, 20, 30, 40, 22, 70, 32, 60, 92};
  const std::vector<SumLine> lines = {{{0, 1}, 4}, {{2, 3}, 5}, {{0, 2}, 6}, {{1, 3}, 7}, {{4, 5}, 8}, {{6, 7}, 8}};
  const AuditResult a = run(v, lines, {true, true, true, true, false, false, false, false, false});
  EXPECT_EQ(a.withheld, 4);
  EXPECT_EQ(a.sensitive, 1);
  EXPECT_TRUE(a.exposed.empty());
  EXPECT_EQ(a.range[0].lo, 0);
  EXPECT_GE(a.range[0].hi, 2);  // witnessed at least; the exact top is 22
  EXPECT_EQ(a.range[4].lo, 22);  // shown: itself
}

TEST(Audit, TwoSumsPinAValueAndNameTheHelper) {
  // Every sum holds two withheld values or none, yet two sums together pin
  // a:  a + b = 5,  a + c + d = 3 with c = 1 shown,  d + e = 0 with e = 0
  // shown. The last forces d = 0, so a = 2 and b = 3 exactly.
  //   index: a0 b1 c2 d3 e4 | totals t5 = 5, t6 = 3, t7 = 0
  const std::vector<int64_t> v = {2, 3, 1, 0, 0, 5, 3, 0};
  const std::vector<SumLine> lines = {{{0, 1}, 5}, {{0, 2, 3}, 6}, {{3, 4}, 7}};
  const std::vector<bool> hidden = {true, true, false, true, false, false, false, false};
  const AuditResult a = run(v, lines, hidden);
  ASSERT_EQ(a.exposed, (std::vector<size_t>{0, 1}));  // a = 2 and b = 3, both pinned
  EXPECT_EQ(a.range[0].lo, 2);
  EXPECT_EQ(a.range[0].hi, 2);
  EXPECT_FALSE(a.range[0].unbounded);
  // Releasing c (index 2) frees a: it is among a's helpers.
  ASSERT_EQ(a.helpers.size(), 2u);
  EXPECT_NE(std::find(a.helpers[0].begin(), a.helpers[0].end(), 2u), a.helpers[0].end());

  // Hide c as well: a + c = 3, so a is in [0, 3] (safe), but b = 5 - a is
  // in [2, 5]: neither 0 nor 1 possible, so b is still exposed.
  std::vector<bool> more = hidden;
  more[2] = true;
  const AuditResult b = run(v, lines, more);
  EXPECT_EQ(b.range[0].lo, 0);
  EXPECT_GE(b.range[0].hi, 2);  // enough to pass: not solved further
  EXPECT_EQ(b.exposed, (std::vector<size_t>{1}));
  EXPECT_EQ(b.range[1].lo, 2);
  EXPECT_EQ(b.range[1].hi, 5);
}

TEST(Audit, UnboundedWhenNothingCapsAValue) {
  // a + b = t with all three hidden: a can be anything >= 0.
  const AuditResult a = run({3, 4, 7}, {{{0, 1}, 2}}, {true, true, true});
  EXPECT_TRUE(a.exposed.empty());
  EXPECT_EQ(a.range[0].lo, 0);
}

TEST(Audit, SolverIsNamed) { EXPECT_NE(audit_solver().find("GLPK"), std::string::npos); }

}  // namespace
}  // namespace hotspot::stats
