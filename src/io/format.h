// Numbers as text for outputs, never through the locale (std::to_chars):
// a comma-decimal locale must not change a CSV, a GeoPackage or a page.
#pragma once

#include <charconv>
#include <cmath>
#include <string>

namespace hotspot::io {

// `precision` digits in `format` (general = printf %g, fixed = %f);
// "" for NaN and infinity.
inline std::string format_number(double v, std::chars_format format, int precision) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, format, precision);
  return ec == std::errc() ? std::string(buf, end) : "";
}

}  // namespace hotspot::io
