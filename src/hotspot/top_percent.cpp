// The top-percent threshold of a surface (hotspot/hotspot_areas.h), found by
// a radix select on the values' bit patterns instead of copying and ranking
// them.
//
// Why: ranking copied every positive value (on the Leicestershire heat map
// ~half its 7.8M cells, a fresh 30+ MB buffer whose page faults and
// nth_element were ~5% of the run's CPU; bench/RESULTS.md, "Heat maps and
// peers, round 5"). For doubles > 0 (+inf included) the order of the bit
// patterns read as unsigned integers is the order of the values, so one pass
// counts the positive values per top-16-bit bucket, the bucket holding the
// wanted rank is found from the counts, and a second pass copies only that
// bucket's values (a small share) to rank them. Same value as ranking every
// value (tests/hotspot/hotspot_areas_test.cpp).
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "hotspot/hotspot_areas.h"

namespace hotspot::kde {
namespace {

// Sign, the 11 exponent bits and the top 4 mantissa bits: 65,536 buckets,
// each 1/16 of a power of two wide.
constexpr int kBucketShift = 48;

size_t bucket_of(double positive) { return size_t(std::bit_cast<uint64_t>(positive) >> kBucketShift); }

struct Counts {
  size_t valid = 0;         // non-NaN cells
  size_t not_positive = 0;  // non-NaN cells <= 0
  double smallest_positive = INFINITY;
  std::vector<size_t> per_bucket = std::vector<size_t>(size_t(1) << (64 - kBucketShift));
};

Counts count(const std::vector<double>& values) {
  Counts c;
  for (double x : values) {
    if (std::isnan(x)) continue;
    ++c.valid;
    if (!(x > 0)) {
      ++c.not_positive;
      continue;
    }
    ++c.per_bucket[bucket_of(x)];
    c.smallest_positive = std::min(c.smallest_positive, x);
  }
  return c;
}

// The rank-th smallest (0-based) of the positive values.
double positive_at_rank(const std::vector<double>& values, const Counts& c, size_t rank) {
  size_t bucket = 0;
  while (rank >= c.per_bucket[bucket]) rank -= c.per_bucket[bucket++];
  std::vector<double> in_bucket;
  in_bucket.reserve(c.per_bucket[bucket]);
  for (double x : values)
    if (x > 0 && bucket_of(x) == bucket) in_bucket.push_back(x);
  std::nth_element(in_bucket.begin(), in_bucket.begin() + long(rank), in_bucket.end());
  return in_bucket[rank];
}

}  // namespace

double top_percent_threshold(const Grid& g, double percent) {
  // The k-th smallest of the non-NaN values. When k falls among the values
  // <= 0, the answer is the smallest positive value (zero cells are no
  // hotspot); no positive value at all: nothing is hot.
  const Counts c = count(g.values);
  if (c.valid == c.not_positive) return INFINITY;
  const size_t k = std::min(c.valid - 1, size_t(std::floor(double(c.valid) * (1 - percent / 100.0))));
  if (k < c.not_positive) return c.smallest_positive;
  return positive_at_rank(g.values, c, k - c.not_positive);
}

}  // namespace hotspot::kde
