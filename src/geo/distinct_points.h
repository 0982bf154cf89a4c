// The distinct points of a list, for transforming each only once (issue 13).
// police.uk snaps every crime to an anonymous "map point", so a national
// year of 6M rows has only ~500k distinct (lon, lat) pairs: PROJ's datum
// transform, ~19% of the read stage, need only see those.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace hotspot::geo {

struct DistinctPoints {
  std::vector<double> x, y;  // each distinct point once, in first-seen order
  std::vector<uint32_t> of;  // per input point: its index in x/y
};

// Points are the same when their coordinates are the same bits (so -0.0 and
// 0.0, or two NaNs of different payloads, are different points: PROJ may
// treat them differently). Returns nullopt, early, when repeats are too rare
// to pay for the table: more than half of all the points are distinct. (Not
// judged from the first points: files come month by month, and within one
// month most map points occur once.) From 65,536 points on, that is first
// judged from a sample chosen by hash (every copy of a sampled point is in
// it), so a list of boundary vertices, all distinct, is refused after one
// pass of hashing instead of half a table; either answer gives the caller
// the same transformed points.
std::optional<DistinctPoints> distinct_points(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace hotspot::geo
