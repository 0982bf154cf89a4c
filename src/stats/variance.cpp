#include "stats/variance.h"

#include <charconv>
#include <stdexcept>
#include <string>
#include <system_error>

namespace hotspot::stats {
namespace {

void check_count(int64_t count, const char* what) {
  if (count < 0 || count > kMaxVarianceCount) {
    throw std::invalid_argument(std::string("variance: ") + what + " count " +
                                std::to_string(count) + " outside [0, 1e15]");
  }
}

// round(n / d) with ties upwards, for n >= 0 and d > 0: floor((2n + d) / 2d),
// exact in integers. A double quotient lands next to a tie rather than on it
// (0.05 has no exact double; (29 - 80) / 80.0 * 100 * 10 is -637.4999999999999)
// and then rounds the wrong way.
int64_t round_half_up_ratio(int64_t numerator, int64_t denominator) {
  return (2 * numerator + denominator) / (2 * denominator);
}

// std::to_chars never consults the locale (unlike printf / iostreams).
std::string to_decimal(int64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) throw std::logic_error("variance: to_chars failed");
  return std::string(buffer, end);
}

// "12.5" from 125 tenths, "20" from 200 tenths.
std::string format_tenths(int64_t tenths) {
  std::string text = to_decimal(tenths / 10);
  const int64_t fraction = tenths % 10;
  if (fraction != 0) text += "." + to_decimal(fraction);
  return text;
}

}  // namespace

std::optional<double> percent_variance(int64_t previous, int64_t current) {
  check_count(previous, "previous");
  check_count(current, "current");
  if (previous == 0) return std::nullopt;
  return static_cast<double>(current - previous) * 100.0 / static_cast<double>(previous);
}

std::string format_variance(int64_t previous, int64_t current) {
  check_count(previous, "previous");
  check_count(current, "current");
  if (previous == 0) return current == 0 ? "0%" : "n/a";
  // percent x 10 = 1000 (c - p) / p; rounding the magnitude half up is
  // rounding the signed value half away from zero. Bounds: |c - p| <= 1e15,
  // so 2 * 1000 * |c - p| <= 2e18 < 2^63.
  const int64_t change = current - previous;
  const int64_t magnitude = change < 0 ? -change : change;
  const int64_t tenths = round_half_up_ratio(1000 * magnitude, previous);
  if (tenths == 0) return "0%";
  return (change > 0 ? "+" : "-") + format_tenths(tenths) + "%";
}

}  // namespace hotspot::stats
