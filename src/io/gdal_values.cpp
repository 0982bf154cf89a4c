#include "io/gdal_values.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace hotspot::io {

bool gdal_integer(const std::string& s, long long& v) {
  if (s.empty() || s.size() > 20 || s == "-") return false;
  for (size_t i = (s[0] == '-') ? 1 : 0; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  // std::from_chars, not strtoll: on the digits checked above both give the
  // same value and refuse the same overflows, but strtoll's locale and
  // errno handling was ~half of binding counts_long's 2.3M counts into the
  // GeoPackage (perf, national areas job).
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool gdal_real(const std::string& s, double& v) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return *end == '\0' && std::isfinite(v);
}

}  // namespace hotspot::io
