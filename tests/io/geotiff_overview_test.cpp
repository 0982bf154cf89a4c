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
#include <filesystem>
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
      write_geotiff(path.string(), {&a, &b, &c}, {"a", "b", "c"}, "EPSG:27700", {});
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

}  // namespace
}  // namespace hotspot::io
