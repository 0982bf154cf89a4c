// Percentage change between two period counts, as the Community Safety
// Partnership (CSP) seed tables publish it (docs/methods.md,
// "Percent variance").
//
// Thread safety: pure functions, safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hotspot::stats {

// Largest count either function accepts. Counts above it are rejected so
// that format_variance's exact integer rounding (which forms 2000 * |c - p|)
// cannot overflow int64; real crime counts are many orders of magnitude
// smaller.
inline constexpr int64_t kMaxVarianceCount = 1'000'000'000'000'000;  // 1e15

// (current - previous) / previous x 100, unrounded. nullopt when
// previous == 0: a change from nothing has no percentage.
// Throws std::invalid_argument unless 0 <= previous, current <= kMaxVarianceCount.
std::optional<double> percent_variance(int64_t previous, int64_t current);

// The published text of the same quantity: rounded to 1 dp half away from
// zero, trailing ".0" dropped, "+" on increases, e.g. "-16.8%", "+20%",
// "+12.5%". "0%" when the rounded value is zero (no change, or a change of
// under 0.05%). previous == 0: "0%" when current == 0, else "n/a" (the CSP
// tables have no such cell; "new" would read as a category).
// Rounding is done in exact integer arithmetic, so x.x5 cases (1/8 ->
// 12.5%, 1/2000 -> 0.05% -> 0.1%) never fall the wrong way through binary
// floating point. Output never depends on the C or C++ locale.
// Throws std::invalid_argument unless 0 <= previous, current <= kMaxVarianceCount.
std::string format_variance(int64_t previous, int64_t current);

}  // namespace hotspot::stats
