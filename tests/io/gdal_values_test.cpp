// The strict number readings the GDAL-bypassing writers rely on
// (gdal_values.h): they decide whether a value is bound as a number or the
// table goes through GDAL, so they must not change with how they are coded.
#include "io/gdal_values.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

namespace hotspot::io {
namespace {

// gdal_integer reads with std::from_chars since it was found to be half of
// binding counts_long's counts; it must accept and refuse what its earlier
// strtoll reading did, with the same values, at the edges of the range too.
TEST(GdalValues, IntegerFromCharsReadsWhatStrtollRead) {
  // Plain integers, the range's ends, just out of it, not integers.
  // clang-format off
  const std::vector<std::string> cases = {
      "0", "7", "-0", "-7", "007", "1234567890123",
      "9223372036854775807", "-9223372036854775808",
      "9223372036854775808", "-9223372036854775809", "99999999999999999999", "123456789012345678901",
      "", "-", "+1", " 1", "1 ", "1.0", "1e3", "--1", "0x10", "١"};
  // clang-format on
  for (const std::string& s : cases) {
    // The earlier reading: digits (an optional leading '-') then strtoll.
    bool digits = !s.empty() && s.size() <= 20 && s != "-";
    for (size_t i = (!s.empty() && s[0] == '-') ? 1 : 0; digits && i < s.size(); ++i)
      digits = s[i] >= '0' && s[i] <= '9';
    long long expected = 0;
    bool expected_ok = false;
    if (digits) {
      errno = 0;
      char* end = nullptr;
      expected = std::strtoll(s.c_str(), &end, 10);
      expected_ok = errno == 0 && *end == '\0';
    }
    long long v = 0;
    EXPECT_EQ(gdal_integer(s, v), expected_ok) << "'" << s << "'";
    if (expected_ok) {
      EXPECT_EQ(v, expected) << "'" << s << "'";
    }
  }
  long long v = 0;
  ASSERT_TRUE(gdal_integer("-9223372036854775808", v));
  EXPECT_EQ(v, -9223372036854775807LL - 1);
  EXPECT_FALSE(gdal_integer("9223372036854775808", v));  // out of range: text, as GDAL
  EXPECT_FALSE(gdal_integer("+1", v));
}

}  // namespace
}  // namespace hotspot::io
