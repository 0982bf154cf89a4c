#include "report/page_text.h"

#include <cstdint>

#include "report/svg_map.h"

namespace hotspot::report {

std::string link_target(const std::string& file) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : file) {
    if (c == ' ' || c == '#' || c == '?' || c == '%' || uint8_t(c) < 0x20)
      out += {'%', kHex[uint8_t(c) >> 4], kHex[uint8_t(c) & 15]};
    else
      out += c;
  }
  return html_escape(out);
}

std::string period_words(const stats::Period& p) {
  return p.label + " (" + stats::day_label(p.first_day) + " to " + stats::day_label(p.last_day) + ")";
}

}  // namespace hotspot::report
