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

}  // namespace

std::optional<DistinctPoints> distinct_points(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() >= std::numeric_limits<uint32_t>::max()) return std::nullopt;  // indices are 32-bit
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
