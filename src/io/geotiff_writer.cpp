#include "io/geotiff_writer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <cpl_conv.h>
#include <gdal_priv.h>

#include "geo/crs.h"
#include "hotspot/errors.h"
#include "io/gdal_error_scope.h"

namespace hotspot::io {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw OutputError(path + ": " + what + ": " + CPLGetLastErrorMsg());
}

}  // namespace

void write_geotiff(const std::string& path, const std::vector<const Grid*>& bands,
                   const std::vector<std::string>& band_names, const std::string& crs,
                   const std::map<std::string, std::string>& metadata) {
  if (bands.empty()) throw OutputError(path + ": no bands to write");
  const Grid& g = *bands.front();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (!driver) throw OutputError(path + ": GDAL has no GTiff driver");
  CPLStringList options;
  options.AddNameValue("TILED", "YES");
  options.AddNameValue("BLOCKXSIZE", "256");
  options.AddNameValue("BLOCKYSIZE", "256");
  // DEFLATE at level 1 with horizontal differencing: lossless and read by
  // every GeoTIFF reader. Profiled (bench/RESULTS.md, "Heat maps and
  // peers"): the floating-point predictor (3) at the default level 6 spent
  // about twice the CPU for files only 5-10% smaller. Tiles are compressed
  // on all cores (each tile alone, so the file does not depend on threads).
  options.AddNameValue("COMPRESS", "DEFLATE");
  options.AddNameValue("ZLEVEL", "1");
  options.AddNameValue("PREDICTOR", "2");
  options.AddNameValue("NUM_THREADS", "ALL_CPUS");
  options.AddNameValue("BIGTIFF", "IF_SAFER");
  GdalErrorScope errors;  // libtiff reports a full disk only through CPLError
  GDALDatasetUniquePtr ds(driver->Create(path.c_str(), g.nx, g.ny, int(bands.size()), GDT_Float32, options.List()));
  if (!ds) fail(path, "cannot create");
  double transform[6] = {g.x0, g.cell, 0, g.y_top(), 0, -g.cell};
  if (ds->SetGeoTransform(transform) != CE_None) fail(path, "cannot set the geotransform");
  geo::SrsPtr srs = geo::make_srs(crs, path);
  if (ds->SetSpatialRef(srs.get()) != CE_None) fail(path, "cannot set the CRS");
  for (const auto& [k, v] : metadata) ds->SetMetadataItem(k.c_str(), v.c_str());
  for (size_t b = 0; b < bands.size(); ++b) {
    GDALRasterBand* band = ds->GetRasterBand(int(b) + 1);
    band->SetNoDataValue(std::numeric_limits<double>::quiet_NaN());
    if (b < band_names.size()) band->SetDescription(band_names[b].c_str());
  }
  // One strip of 256 rows (a row of tiles) at a time, every band of it
  // before the next strip: the tiles (pixel-interleaved when there are
  // several bands) are then complete and GDAL compresses and writes them
  // instead of holding the whole raster in its cache.
  constexpr int kStrip = 256;
  std::vector<float> strip(size_t(g.nx) * kStrip);
  for (int r0 = 0; r0 < g.ny; r0 += kStrip) {
    const int rows = std::min(kStrip, g.ny - r0);
    const size_t n = size_t(rows) * size_t(g.nx);
    for (size_t b = 0; b < bands.size(); ++b) {
      const double* from = bands[b]->values.data() + size_t(r0) * size_t(g.nx);
      for (size_t i = 0; i < n; ++i) strip[i] = static_cast<float>(from[i]);
      if (ds->GetRasterBand(int(b) + 1)->RasterIO(GF_Write, 0, r0, g.nx, rows, strip.data(), g.nx, rows, GDT_Float32,
                                                  0, 0) != CE_None)
        fail(path, "cannot write rows from " + std::to_string(r0));
    }
  }
  GDALClose(GDALDataset::ToHandle(ds.release()));
  if (errors.failed()) throw OutputError(path + ": write failed: " + errors.first_failure());
  // Overviews down to ~256 pixels; NaN-aware averaging. Built on the file
  // opened again WITHOUT GDAL's worker threads: GDAL 3.6 (Debian 12)
  // deadlocks when BuildOverviews reads tiles on the thread pool and the
  // bounded block cache makes one of those workers flush a dirty overview
  // tile, which waits for a free worker (seen on the England 100 m Gi* file:
  // every thread on a futex; fixed upstream in GDAL 3.8, #8729). The
  // overviews are a third of the pixels, so one thread costs little.
  std::vector<int> levels;
  for (int f = 2; std::max(g.nx, g.ny) / f >= 256; f *= 2) levels.push_back(f);
  if (levels.empty()) return;
  GDALDatasetUniquePtr again(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
  if (!again) fail(path, "cannot open again to build overviews");
  // A file opened again does not remember its DEFLATE level (not a TIFF
  // tag); the overviews get level 1 like the full-resolution tiles.
  CPLConfigOptionSetter overview_level("ZLEVEL_OVERVIEW", "1", false);
  if (again->BuildOverviews("AVERAGE", int(levels.size()), levels.data(), 0, nullptr, nullptr, nullptr) != CE_None)
    fail(path, "cannot build overviews");
  GDALClose(GDALDataset::ToHandle(again.release()));
  if (errors.failed()) throw OutputError(path + ": overviews failed: " + errors.first_failure());
}

}  // namespace hotspot::io
