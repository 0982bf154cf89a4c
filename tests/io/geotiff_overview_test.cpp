// The GeoTIFF writer's overviews must not hang. GDAL 3.6 (Debian 12)
// deadlocked in BuildOverviews on a file written with NUM_THREADS when the
// block cache was small for the file (the England 100 m Gi* file with the
// run's 256 MB cache): tile reads on GDAL's thread pool each waited for a
// free worker to flush a dirty overview tile. A 3-band 3000 x 3000 file with
// a 16 MB cache hung the same way in GDAL's own Python bindings. The write
// runs in a child process so a hang fails this test instead of the suite.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>
#include <thread>

#include <gdal_priv.h>

#include "io/geotiff_writer.h"

namespace hotspot::io {
namespace {

namespace fs = std::filesystem;

Grid ramp(int n, double scale) {
  Grid g{400000, 200000, 100, n, n, {}};
  g.values.resize(size_t(n) * size_t(n));
  for (size_t i = 0; i < g.values.size(); ++i) g.values[i] = std::sin(double(i % 9973) * scale) + double(i % 7);
  return g;
}

TEST(GeoTiffOverviews, ThreeBandsWithASmallBlockCacheFinishWithEqualOverviews) {
  const fs::path path = fs::temp_directory_path() / ("hotspot_ovr_" + std::to_string(getpid()) + ".tif");
  constexpr int n = 3000;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    GDALAllRegister();
    GDALSetCacheMax64(16 << 20);
    const Grid a = ramp(n, 0.01), b = ramp(n, 0.02), c = ramp(n, 0.03);
    try {
      // Limit 0: the large-grid path, whose overviews are built on the file
      // (where GDAL hung); the in-memory path reads nothing back.
      write_geotiff(path.string(), {&a, &b, &c}, {"a", "b", "c"}, "EPSG:27700", {}, 0);
    } catch (...) {
      _exit(3);
    }
    _exit(0);
  }
  int status = 0;
  bool done = false;
  for (int i = 0; i < 1200 && !done; ++i) {  // 120 s; a healthy write takes ~1-3 s
    done = waitpid(child, &status, WNOHANG) == child;
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!done) {
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    fs::remove(path);
    FAIL() << "writing the GeoTIFF with overviews did not finish in 120 s (GDAL deadlock)";
  }
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;

  // The overviews are there and hold the NaN-aware 2 x 2 averages of the
  // full-resolution band (one cell checked per level against the grid).
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  ASSERT_EQ(ds->GetRasterCount(), 3);
  GDALRasterBand* band = ds->GetRasterBand(2);
  ASSERT_EQ(band->GetOverviewCount(), 3);  // 1500, 750, 375 (>= 256)
  GDALRasterBand* half = band->GetOverview(0);
  ASSERT_EQ(half->GetXSize(), 1500);
  const Grid b = ramp(n, 0.02);
  float got = 0;
  ASSERT_EQ(half->RasterIO(GF_Read, 10, 20, 1, 1, &got, 1, 1, GDT_Float32, 0, 0), CE_None);
  auto f = [&](int col, int row) { return double(float(b.at(col, row))); };
  const double want = (f(20, 40) + f(21, 40) + f(20, 41) + f(21, 41)) / 4;
  EXPECT_NEAR(got, want, 1e-5);
  ds.reset();
  fs::remove(path);
}

// The writer computes the overviews from its own bands in memory (no
// reading back). They must hold exactly what GDAL's BuildOverviews
// ("AVERAGE") makes from the file's full-resolution band: every band, every
// level, odd-sized edges and NaN (nodata) cells included. The reference is a
// copy of the full-resolution bands with overviews built by GDAL the old way.
std::vector<float> read_level(GDALRasterBand* band) {
  std::vector<float> v(size_t(band->GetXSize()) * size_t(band->GetYSize()));
  EXPECT_EQ(band->RasterIO(GF_Read, 0, 0, band->GetXSize(), band->GetYSize(), v.data(), band->GetXSize(),
                           band->GetYSize(), GDT_Float32, 0, 0),
            CE_None);
  return v;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// The default test values: a wavy surface, NaN in 64 x 64 blocks that reach
// every level and in scattered cells.
double wavy_with_holes(size_t i, int nx, int band) {
  const double v = std::sin(double(i % 7919) * 0.013 * (band + 1)) * 1000.0 / 3.0 + double(i % 5);
  const size_t row = i / size_t(nx), col = i % size_t(nx);
  const bool block = (row / 64 + col / 64) % 5 == 0;
  return (block || i % 11 == 3) ? NAN : v;
}

void expect_overviews_as_gdal_builds_them(int nx, int ny, int bands, size_t in_memory_limit,
                                          double (*value)(size_t, int, int) = wavy_with_holes) {
  GDALAllRegister();
  const std::string tag = std::to_string(getpid()) + "_" + std::to_string(nx) + "x" + std::to_string(ny) + "_" +
                          std::to_string(in_memory_limit);
  const fs::path ours = fs::temp_directory_path() / ("hotspot_ovr_ours_" + tag + ".tif");
  const fs::path ref = fs::temp_directory_path() / ("hotspot_ovr_ref_" + tag + ".tif");
  std::vector<Grid> grids;
  for (int b = 0; b < bands; ++b) {
    Grid g{400000, 200000, 25, nx, ny, {}};
    g.values.resize(size_t(nx) * size_t(ny));
    for (size_t i = 0; i < g.values.size(); ++i) g.values[i] = value(i, nx, b);
    grids.push_back(std::move(g));
  }
  std::vector<const Grid*> ptrs;
  std::vector<std::string> names;
  for (const Grid& g : grids) ptrs.push_back(&g), names.push_back("band");
  write_geotiff(ours.string(), ptrs, names, "EPSG:27700", {{"k", "v"}}, in_memory_limit);

  GDALDatasetUniquePtr mine(GDALDataset::Open(ours.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(mine);
  // The reference: the same full-resolution pixels, overviews by GDAL's BuildOverviews on the file.
  {
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    const char* opts[] = {"TILED=YES", "COMPRESS=DEFLATE", "INTERLEAVE=PIXEL", nullptr};
    GDALDataset* base = GDALDataset::Open(ours.c_str(), GDAL_OF_RASTER);
    GDALDatasetUniquePtr copy(gtiff->CreateCopy(ref.c_str(), base, FALSE, const_cast<char**>(opts), nullptr, nullptr));
    GDALClose(base);
    ASSERT_TRUE(copy);
    ASSERT_EQ(copy->GetRasterBand(1)->GetOverviewCount(), 0);  // full resolution only
    GDALClose(GDALDataset::ToHandle(copy.release()));
    GDALDatasetUniquePtr again(GDALDataset::Open(ref.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
    std::vector<int> levels;
    for (int f = 2; std::max(nx, ny) / f >= 256; f *= 2) levels.push_back(f);
    ASSERT_EQ(again->BuildOverviews("AVERAGE", int(levels.size()), levels.data(), 0, nullptr, nullptr, nullptr),
              CE_None);
  }
  GDALDatasetUniquePtr theirs(GDALDataset::Open(ref.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(theirs);
  ASSERT_EQ(mine->GetRasterCount(), bands);
  EXPECT_STREQ(mine->GetMetadataItem("k"), "v");
  for (int b = 1; b <= bands; ++b) {
    GDALRasterBand* m = mine->GetRasterBand(b);
    GDALRasterBand* t = theirs->GetRasterBand(b);
    ASSERT_GT(m->GetOverviewCount(), 0);
    ASSERT_EQ(m->GetOverviewCount(), t->GetOverviewCount());
    EXPECT_TRUE(same_bits(read_level(m), read_level(t))) << "band " << b << " full resolution";
    for (int o = 0; o < m->GetOverviewCount(); ++o) {
      GDALRasterBand* mo = m->GetOverview(o);
      GDALRasterBand* to = t->GetOverview(o);
      ASSERT_EQ(mo->GetXSize(), to->GetXSize());
      ASSERT_EQ(mo->GetYSize(), to->GetYSize());
      const std::vector<float> a = read_level(mo), z = read_level(to);
      size_t nan_cells = 0;
      for (float v : a) nan_cells += std::isnan(v);
      EXPECT_GT(nan_cells, 0u) << "the nodata blocks reach every level";
      EXPECT_TRUE(same_bits(a, z)) << "band " << b << " overview " << o << " (" << mo->GetXSize() << " x "
                                   << mo->GetYSize() << ")";
    }
  }
  mine.reset();
  theirs.reset();
  fs::remove(ours);
  fs::remove(ref);
}

TEST(GeoTiffOverviews, FromMemoryEqualGdalsBuildOverviewsOneBandOddEdges) {
  expect_overviews_as_gdal_builds_them(1031, 777, 1, kGeoTiffInMemoryLimit);
}

TEST(GeoTiffOverviews, FromMemoryEqualGdalsBuildOverviewsThreeBandsOddEdges) {
  expect_overviews_as_gdal_builds_them(2049, 1301, 3, kGeoTiffInMemoryLimit);
}

// The England 100 m Gi* file (3 bands of 5759 x 6555 cells, 453 MB as
// float32) goes the in-memory way, whose overview tiles are compressed on
// all cores: the file way built them on one thread, 1.3 s of that job's
// write (geotiff_writer.h). Both ways give the same cells (the tests above
// and below run both).
TEST(GeoTiffOverviews, TheEnglandGiStarFileFitsTheInMemoryWay) {
  const size_t england_gistar = size_t(3) * 5759 * 6555 * sizeof(float);
  EXPECT_GE(kGeoTiffInMemoryLimit, england_gistar);
}

// The overviews' source is the grids read as float32 on demand (no float32
// copies, geotiff_writer.cpp's GridAsFloat32): GDAL must average the same
// floats the file's cells hold. A tall two-band grid whose values do not
// fit a float (every cell rounds), odd edges, NaN blocks: every level equal
// to BuildOverviews on the written file, bit for bit.
TEST(GeoTiffOverviews, FromGridsReadAsFloat32WithoutCopiesEqualGdalsBuildOverviews) {
  expect_overviews_as_gdal_builds_them(517, 1300, 2, kGeoTiffInMemoryLimit);
}

// The overviews' nodata mask is made from the doubles (geotiff_writer.cpp's
// NanMask), not by GDAL from the float32 values: it must mark the same cells.
// Doubles beyond float32's range become +-inf in the file (valid cells, not
// nodata), infinities stay valid, only NaN is nodata: every level equal to
// BuildOverviews on the written file, bit for bit.
TEST(GeoTiffOverviews, NanMaskFromDoublesMarksTheCellsGdalsNoDataMaskMarks) {
  expect_overviews_as_gdal_builds_them(1031, 777, 1, kGeoTiffInMemoryLimit, [](size_t i, int nx, int band) {
    const double v = wavy_with_holes(i, nx, band);
    if (i % 13 == 5) return 1e300;   // +inf as a float
    if (i % 17 == 6) return -1e300;  // -inf as a float
    if (i % 19 == 7) return double(INFINITY);
    if (i % 23 == 8) return 1e-300;  // 0 as a float, not nodata
    return v;
  });
}

// Grids too large to copy (a limit of 0 bytes here) go strip by strip and
// get their overviews from the file: the same values.
TEST(GeoTiffOverviews, LargeGridsWithoutCopiesEqualGdalsBuildOverviews) {
  expect_overviews_as_gdal_builds_them(1031, 777, 1, 0);
  expect_overviews_as_gdal_builds_them(2049, 1301, 3, 0);
}

}  // namespace
}  // namespace hotspot::io
