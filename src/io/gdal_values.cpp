#include "io/gdal_values.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace hotspot::io {

bool gdal_integer(const std::string& s, long long& v) {
  if (s.empty() || s.size() > 20 || s == "-") return false;
  for (size_t i = (s[0] == '-') ? 1 : 0; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  errno = 0;
  char* end = nullptr;
  v = std::strtoll(s.c_str(), &end, 10);
  return errno == 0 && *end == '\0';
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
