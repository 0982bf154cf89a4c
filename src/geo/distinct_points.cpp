#include "geo/distinct_points.h"

#include <cstring>
#include <limits>

namespace hotspot::geo {
namespace {

uint64_t bits(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

// SplitMix64's finaliser (Steele, Lea, Flood 2014): snapped coordinates
// differ in their low mantissa bits, which must reach the slot index.
uint64_t mix(uint64_t h) {
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

uint64_t hash_point(uint64_t bx, uint64_t by) { return mix(bx ^ mix(by)); }

// Open addressing over indices into the distinct points (index + 1, 0 =
// empty), kept at most half full. A std::unordered_map would cost a heap
// node per distinct point and a pointer chase per lookup.
class PointTable {
 public:
  explicit PointTable(DistinctPoints& d) : d_(d), slots_(1 << 16, 0) {}

  uint32_t index_of(double x, double y) {
    const uint64_t bx = bits(x), by = bits(y);
    size_t s = slot_for(bx, by);
    if (slots_[s]) return slots_[s] - 1;
    d_.x.push_back(x);
    d_.y.push_back(y);
    slots_[s] = uint32_t(d_.x.size());
    if (2 * d_.x.size() > slots_.size()) grow();
    return uint32_t(d_.x.size() - 1);
  }

 private:
  // The slot holding (bx, by), or the empty one where it would go.
  size_t slot_for(uint64_t bx, uint64_t by) const {
    const size_t mask = slots_.size() - 1;
    for (size_t s = hash_point(bx, by) & mask;; s = (s + 1) & mask) {
      const uint32_t v = slots_[s];
      if (v == 0 || (bits(d_.x[v - 1]) == bx && bits(d_.y[v - 1]) == by)) return s;
    }
  }
  void grow() {
    slots_.assign(slots_.size() * 2, 0);
    for (uint32_t k = 0; k < d_.x.size(); ++k) slots_[slot_for(bits(d_.x[k]), bits(d_.y[k]))] = k + 1;
  }

  DistinctPoints& d_;
  std::vector<uint32_t> slots_;
};

// Whether more than half of the points are distinct, judged from the
// points whose hash falls in one sixteenth of the hash range. Every copy of
// a point has the same hash, so such a sample holds each of its points with
// all their repeats, wherever they are in the list (a month's files, then
// the next month's repeats): its share of distinct points estimates the
// whole list's. On area boundaries (1.86M vertices of the English LSOAs,
// all distinct) the full table gave up only after 929k inserts; the sample
// hashes every point but inserts only ~1/16 of them.
bool mostly_distinct(const std::vector<double>& x, const std::vector<double>& y) {
  DistinctPoints sample;
  PointTable table(sample);
  size_t sampled = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (hash_point(bits(x[i]), bits(y[i])) >> 60) continue;  // the top 4 bits 0: 1 in 16
    ++sampled;
    table.index_of(x[i], y[i]);
  }
  return 2 * sample.x.size() > sampled;
}

// Below this many points the whole table is cheap and a sample too small to judge by.
constexpr size_t kSampleFrom = 1 << 16;

}  // namespace

std::optional<DistinctPoints> distinct_points(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() >= std::numeric_limits<uint32_t>::max()) return std::nullopt;  // indices are 32-bit
  if (x.size() >= kSampleFrom && mostly_distinct(x, y)) return std::nullopt;
  DistinctPoints d;
  PointTable table(d);
  d.of.resize(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    d.of[i] = table.index_of(x[i], y[i]);
    if (2 * d.x.size() > x.size()) return std::nullopt;
  }
  return d;
}

}  // namespace hotspot::geo
