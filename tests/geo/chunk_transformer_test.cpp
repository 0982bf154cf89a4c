// Tests for geo/chunk_transformer: chunks transformed beside their producer
// give the bits of one transform_points call over all the points, in the
// order added, on 1, 2 and 3 threads; untransformable points are NaN; a
// transformer dropped before finish() stops its workers.
#include "geo/chunk_transformer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "geo/crs.h"

namespace hotspot::geo {
namespace {

TEST(ChunkTransformerTest, ChunksOnAnyThreadsGiveTheBitsOfOneCall) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> lon(-5.5, 1.7), lat(50.0, 55.8);
  std::vector<double> x, y;
  for (int i = 0; i < 120000; ++i) x.push_back(lon(rng)), y.push_back(lat(rng));
  x[7] = 0.0, y[7] = 95.0;  // no such latitude: NaN
  std::vector<double> ex = x, ey = y;
  transform_points("EPSG:4326", "EPSG:27700", ex, ey, 1);
  ASSERT_TRUE(std::isnan(ex[7]));
  for (int threads : {1, 2, 3}) {
    ChunkTransformer t("EPSG:4326", "EPSG:27700", threads);
    // Chunks of uneven sizes, one of them empty.
    const std::vector<size_t> ends{1000, 1000, 50000, 50001, x.size()};
    size_t begin = 0;
    for (size_t end : ends) {
      t.add({x.begin() + long(begin), x.begin() + long(end)}, {y.begin() + long(begin), y.begin() + long(end)});
      begin = end;
    }
    const std::deque<ChunkTransformer::Chunk>& chunks = t.finish();
    ASSERT_EQ(chunks.size(), ends.size());
    size_t i = 0, nans = 0;
    for (const ChunkTransformer::Chunk& c : chunks)
      for (size_t k = 0; k < c.x.size(); ++k, ++i) {
        if (std::isnan(ex[i])) {
          EXPECT_TRUE(std::isnan(c.x[k]) && std::isnan(c.y[k]));
          ++nans;
          continue;
        }
        ASSERT_EQ(c.x[k], ex[i]) << "point " << i << ", threads " << threads;
        ASSERT_EQ(c.y[k], ey[i]) << "point " << i << ", threads " << threads;
      }
    EXPECT_EQ(i, x.size());
    EXPECT_EQ(nans, 1u);
  }
}

TEST(ChunkTransformerTest, DroppedBeforeFinishStopsItsWorkers) {
  std::vector<double> x(30000, -1.1), y(30000, 52.6);
  {
    ChunkTransformer t("EPSG:4326", "EPSG:27700", 3);
    t.add(x, y);
    t.add(x, y);
  }  // (a reader that threw): returns without waiting for the rest
  ChunkTransformer t("EPSG:4326", "EPSG:27700", 2);
  t.add(x, y);
  const auto& chunks = t.finish();
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_NEAR(chunks[0].x[0], 460000, 20000);  // Leicester, in metres on the National Grid
  EXPECT_NEAR(chunks[0].y[0], 304000, 20000);
}

}  // namespace
}  // namespace hotspot::geo
