// Tests for io/safe_name: names from configs and data become one safe path
// component, and two names that would share a file are an error.
#include "io/safe_name.h"

#include <gtest/gtest.h>

#include "hotspot/errors.h"

namespace hotspot::io {
namespace {

TEST(SafeComponent, KeepsPlainNamesAndReplacesTheRest) {
  EXPECT_EQ(safe_component("beat_56"), "beat_56");
  EXPECT_EQ(safe_component("E01025720"), "E01025720");
  EXPECT_EQ(safe_component("all-crime.v2"), "all-crime.v2");
  EXPECT_EQ(safe_component("beat 56"), "beat_56");
  EXPECT_EQ(safe_component("x/../../../victim"), "x_.._.._.._victim");
  EXPECT_EQ(safe_component("a\\b:c*d?e\"f<g>h|i"), "a_b_c_d_e_f_g_h_i");
  EXPECT_EQ(safe_component("<script>alert(1)</script>"), "_script_alert_1_script_");
  EXPECT_EQ(safe_component(std::string("nul\0byte", 8)), "nul_byte");
  EXPECT_EQ(safe_component("Sileby \xe2\x80\x93 north"), "Sileby_north");  // non-ASCII dash
}

TEST(SafeComponent, NeverClimbsHidesOrVanishes) {
  for (const char* bad : {"..", ".", "../", "../../x", "/", "", ".hidden", "-rf", "...", "/etc/passwd"}) {
    const std::string c = safe_component(bad);
    EXPECT_FALSE(c.empty()) << bad;
    EXPECT_NE(c, "..") << bad;
    EXPECT_NE(c, ".") << bad;
    EXPECT_EQ(c.find('/'), std::string::npos) << bad;
    EXPECT_NE(c.front(), '.') << bad;
    EXPECT_NE(c.front(), '-') << bad;
    EXPECT_TRUE(is_safe_component(c)) << bad;
  }
  EXPECT_EQ(safe_component("../../../x"), "_.._.._x");
  EXPECT_EQ(safe_component(""), "_");
}

TEST(SafeComponent, DeviceNamesAndLongNames) {
  EXPECT_EQ(safe_component("CON"), "_CON");
  EXPECT_EQ(safe_component("nul.txt"), "_nul.txt");
  EXPECT_EQ(safe_component("console"), "console");
  EXPECT_EQ(safe_component(std::string(5000, 'a')).size(), 100u);
}

TEST(ComponentSet, CollisionsAfterSanitisingAreErrors) {
  ComponentSet set;
  EXPECT_EQ(set.add("a/b", "surface name"), "a_b");
  EXPECT_EQ(set.add("burglary", "surface name"), "burglary");
  try {
    set.add("a_b", "surface name");
    ADD_FAILURE() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'a/b' and 'a_b'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(set.add("burglary", "surface name"), ConfigError);  // the same name twice
}

}  // namespace
}  // namespace hotspot::io
