// A one-band GeoTIFF's tiles go to GDAL one by one (WriteBlock, no block
// cache); the file must hold exactly the grid's float32 cells, edge tiles
// included, as the strip-by-strip RasterIO path writes them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <gdal_priv.h>

#include "io/geotiff_writer.h"

namespace hotspot::io {
namespace {

namespace fs = std::filesystem;

// 1031 x 777: the last tile column is 7 cells wide and the last tile row
// 9 cells high; NaN cells scattered and in a block over a tile edge.
Grid odd_grid() {
  Grid g{400000, 200000, 25, 1031, 777, {}};
  g.values.resize(size_t(g.nx) * size_t(g.ny));
  for (size_t i = 0; i < g.values.size(); ++i) {
    const size_t row = i / size_t(g.nx), col = i % size_t(g.nx);
    const bool hole = row >= 250 && row < 270 && col >= 1020;
    g.values[i] = (hole || i % 13 == 5) ? NAN : std::cos(double(i % 6007) * 0.021) * 777.7 + double(row % 3);
  }
  return g;
}

std::vector<float> read_band(GDALRasterBand* b) {
  std::vector<float> v(size_t(b->GetXSize()) * size_t(b->GetYSize()));
  EXPECT_EQ(b->RasterIO(GF_Read, 0, 0, b->GetXSize(), b->GetYSize(), v.data(), b->GetXSize(), b->GetYSize(),
                        GDT_Float32, 0, 0),
            CE_None);
  return v;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(GeoTiffTiles, OneBandTilesWrittenDirectlyHoldTheGridsCellsAsTheStripPathDoes) {
  GDALAllRegister();
  const Grid g = odd_grid();
  const std::string tag = std::to_string(getpid());
  const fs::path direct = fs::temp_directory_path() / ("hotspot_tiles_direct_" + tag + ".tif");
  const fs::path strips = fs::temp_directory_path() / ("hotspot_tiles_strips_" + tag + ".tif");
  write_geotiff(direct.string(), {&g}, {"density"}, "EPSG:27700", {{"k", "v"}});  // in memory: WriteBlock
  write_geotiff(strips.string(), {&g}, {"density"}, "EPSG:27700", {{"k", "v"}}, 0);  // strips: RasterIO

  std::vector<float> expected(g.size());
  for (size_t i = 0; i < g.size(); ++i) expected[i] = static_cast<float>(g.values[i]);
  GDALDatasetUniquePtr a(GDALDataset::Open(direct.c_str(), GDAL_OF_RASTER));
  GDALDatasetUniquePtr b(GDALDataset::Open(strips.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(a && b);
  GDALRasterBand* ba = a->GetRasterBand(1);
  GDALRasterBand* bb = b->GetRasterBand(1);
  int bx = 0, by = 0;
  ba->GetBlockSize(&bx, &by);
  EXPECT_EQ(bx, 256);
  EXPECT_EQ(by, 256);
  EXPECT_STREQ(ba->GetDescription(), "density");
  EXPECT_STREQ(a->GetMetadataItem("k"), "v");
  EXPECT_TRUE(same_bits(read_band(ba), expected)) << "the file holds the grid's float32 cells";
  EXPECT_TRUE(same_bits(read_band(ba), read_band(bb))) << "as the strip path writes them";
  ASSERT_EQ(ba->GetOverviewCount(), 2);
  ASSERT_EQ(bb->GetOverviewCount(), 2);
  for (int o = 0; o < 2; ++o)
    EXPECT_TRUE(same_bits(read_band(ba->GetOverview(o)), read_band(bb->GetOverview(o)))) << "overview " << o;
  a.reset();
  b.reset();
  fs::remove(direct);
  fs::remove(strips);
}

}  // namespace
}  // namespace hotspot::io
