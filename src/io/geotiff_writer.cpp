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

// A one-band file's tiles handed to the driver one by one (WriteBlock), from
// one reused tile buffer, bypassing GDAL's block cache. Profiled
// (bench/RESULTS.md, "Heat maps and peers, round 4"): RasterIO copied every
// tile into a freshly allocated cache block first (a page fault per 4 KiB of
// the raster, then a copy), ~8% of the Leicestershire heat map's CPU. GTiff
// writes a one-band block straight to its compression jobs. Edge tiles are
// padded with 0, as RasterIO pads a block it creates; the cells are the
// same (tests/io/geotiff_tiles_test.cpp). Several bands are pixel-interleaved
// in one tile, which GTiff assembles from its cache, so they keep RasterIO.
void write_tiles(GDALRasterBand& band, const Grid& g, const std::string& path) {
  constexpr int kTile = 256;
  const int nx = g.nx, ny = g.ny;
  std::vector<float> tile(size_t(kTile) * kTile);
  for (int r0 = 0; r0 < ny; r0 += kTile)
    for (int c0 = 0; c0 < nx; c0 += kTile) {
      const int rows = std::min(kTile, ny - r0), cols = std::min(kTile, nx - c0);
      if (rows < kTile || cols < kTile) std::fill(tile.begin(), tile.end(), 0.0f);
      for (int r = 0; r < rows; ++r) {
        const double* from = g.values.data() + size_t(r0 + r) * size_t(nx) + size_t(c0);
        float* to = tile.data() + size_t(r) * kTile;
        for (int c = 0; c < cols; ++c) to[c] = static_cast<float>(from[c]);
      }
      if (band.WriteBlock(c0 / kTile, r0 / kTile, tile.data()) != CE_None)
        fail(path, "cannot write the tile at row " + std::to_string(r0) + ", column " + std::to_string(c0));
    }
}

// A grid of doubles seen by GDAL as a read-only band of `type`, one row a
// block (as a MEM band). Whole-resolution reads of that type (all GDAL's
// resampler makes) are converted straight into the caller's buffer by
// read_window; anything else goes through GDAL's block path (IReadBlock).
class GridBand : public GDALRasterBand {
 protected:
  GridBand(const Grid& g, GDALDataType type) : grid_(g) {
    nRasterXSize = g.nx;
    nRasterYSize = g.ny;
    eDataType = type;
    nBlockXSize = g.nx;
    nBlockYSize = 1;
  }
  // Cells [x, x + w) x [y, y + h) into out: `pixel` bytes between cells,
  // `line` bytes between rows.
  virtual void read_window(int x, int y, int w, int h, GByte* out, GSpacing pixel, GSpacing line) const = 0;

  CPLErr IReadBlock(int, int row, void* out) override {
    const int size = GDALGetDataTypeSizeBytes(eDataType);
    read_window(0, row, nRasterXSize, 1, static_cast<GByte*>(out), size, GSpacing(size) * nBlockXSize);
    return CE_None;
  }
  CPLErr IRasterIO(GDALRWFlag rw, int x, int y, int w, int h, void* data, int bw, int bh, GDALDataType type,
                   GSpacing pixel, GSpacing line, GDALRasterIOExtraArg* extra) override {
    if (rw != GF_Read) return CE_Failure;
    if (type != eDataType || bw != w || bh != h)
      return GDALRasterBand::IRasterIO(rw, x, y, w, h, data, bw, bh, type, pixel, line, extra);
    read_window(x, y, w, h, static_cast<GByte*>(data), pixel, line);
    return CE_None;
  }
  const double* row_of(int x, int y) const { return grid_.values.data() + size_t(y) * size_t(grid_.nx) + size_t(x); }

 private:
  const Grid& grid_;
};

// The nodata mask of a GridAsFloat32 band (below): 0 where the cell is NaN,
// 255 elsewhere, what GDAL's own nodata mask (GDALNoDataMaskBand) gives for
// a float32 band with NaN nodata (a double is NaN exactly when its float32
// cast is). Why our own: GDAL's read the whole band a second time as float32
// into a fresh buffer of its own for every chunk of rows, only to compare it
// with NaN; profiled (bench/RESULTS.md, "perf-small6"), the band's reads
// and their page faults were ~12% of the Leicestershire heat map's CPU, on
// the thread every other step waits for. The bytes are made straight from
// the doubles here. Same overviews (tests/io/geotiff_overview_test.cpp).
class NanMask final : public GridBand {
 public:
  explicit NanMask(const Grid& g) : GridBand(g, GDT_Byte) {}

 protected:
  void read_window(int x, int y, int w, int h, GByte* out, GSpacing pixel, GSpacing line) const override {
    for (int r = 0; r < h; ++r) {
      const double* from = row_of(x, y + r);
      GByte* row = out + r * line;
      for (int c = 0; c < w; ++c) row[c * pixel] = std::isnan(from[c]) ? 0 : 255;
    }
  }
};

// A grid of doubles seen by GDAL as a float32 band with NaN nodata, each
// value converted when GDAL reads it (static_cast<float>, as the file's
// cells are). Why: the overviews are computed by GDAL's own resampler
// (below) from a source band; a MEM band over a float32 copy of every grid
// was that source before, and the copy (31 MB on the Leicestershire heat
// map, fresh memory) and its page faults were ~8% of that run's CPU
// (bench/RESULTS.md, "Heat maps and peers, round 5"). GDAL reads the source
// a chunk of rows at a time into its own float32 buffers, so the values it
// averages are the same floats either way (tests/io/geotiff_overview_test.cpp
// compares with BuildOverviews on the written file, bit for bit).
class GridAsFloat32 final : public GridBand {
 public:
  GridAsFloat32(GDALDataset* ds, int number, const Grid& g) : GridBand(g, GDT_Float32), mask_(g) {
    poDS = ds;
    nBand = number;
  }
  double GetNoDataValue(int* has) override {
    if (has) *has = TRUE;
    return std::numeric_limits<double>::quiet_NaN();
  }
  // The nodata mask GDAL would derive (GMF_NODATA), made from the doubles.
  GDALRasterBand* GetMaskBand() override { return &mask_; }
  int GetMaskFlags() override { return GMF_NODATA; }

 protected:
  // Packed rows (GDAL's usual request) take a loop the compiler vectorises;
  // a runtime pixel stride kept the conversion scalar (~5 ns a cell).
  void read_window(int x, int y, int w, int h, GByte* out, GSpacing pixel, GSpacing line) const override {
    for (int r = 0; r < h; ++r) {
      const double* from = row_of(x, y + r);
      GByte* row = out + r * line;
      if (pixel == GSpacing(sizeof(float))) {
        auto* to = reinterpret_cast<float*>(row);
        for (int c = 0; c < w; ++c) to[c] = static_cast<float>(from[c]);
      } else {
        for (int c = 0; c < w; ++c) *reinterpret_cast<float*>(row + c * pixel) = static_cast<float>(from[c]);
      }
    }
  }

 private:
  NanMask mask_;
};

// The grids as a dataset of GridAsFloat32 bands (GDAL's resampler takes
// bands that belong to a dataset).
class GridsAsFloat32 final : public GDALDataset {
 public:
  explicit GridsAsFloat32(const std::vector<const Grid*>& grids) {
    nRasterXSize = grids.front()->nx;
    nRasterYSize = grids.front()->ny;
    for (size_t b = 0; b < grids.size(); ++b) SetBand(int(b) + 1, new GridAsFloat32(this, int(b) + 1, *grids[b]));
  }
};

// Overview factors 2, 4, 8, ... down to ~256 pixels on the longer side.
std::vector<int> overview_factors(int nx, int ny) {
  std::vector<int> levels;
  for (int f = 2; std::max(nx, ny) / f >= 256; f *= 2) levels.push_back(f);
  return levels;
}

// Overviews down to ~256 pixels, NaN-aware AVERAGE, computed by GDAL's own
// resampler (GDALRegenerateOverviewsMultiBand, what GTiff's BuildOverviews
// calls) from the bands in memory, into overview levels created empty
// ("NONE") in the open file. Profiled (bench/RESULTS.md, "Heat maps and
// peers, round 3"): building them from the file, as before, was 20% of the
// Leicestershire heat map's CPU, reading back and decompressing every tile
// on one thread and compressing the overview tiles on one thread too (the
// file had to be opened again without GDAL's worker threads: GDAL 3.6
// deadlocks when BuildOverviews reads tiles on the pool and the bounded
// block cache makes a worker flush a dirty tile, GDAL #8729). Nothing is
// read from the file now, and the overview tiles are compressed on all
// cores like the others. Same values (tests/io/geotiff_overview_test.cpp
// compares with GDAL's BuildOverviews band by band, level by level).
void write_overviews(GDALDataset& ds, const std::vector<const Grid*>& bands, const std::string& path) {
  const int nx = bands.front()->nx, ny = bands.front()->ny;
  std::vector<int> levels = overview_factors(nx, ny);  // GDAL takes int*
  if (levels.empty()) return;
  if (ds.BuildOverviews("NONE", int(levels.size()), levels.data(), 0, nullptr, nullptr, nullptr) != CE_None)
    fail(path, "cannot create overviews");
  GridsAsFloat32 source(bands);
  std::vector<GDALRasterBand*> from;
  std::vector<std::vector<GDALRasterBand*>> to(bands.size());
  std::vector<GDALRasterBand**> to_ptrs;
  for (size_t b = 0; b < bands.size(); ++b) {
    from.push_back(source.GetRasterBand(int(b) + 1));
    GDALRasterBand* band = ds.GetRasterBand(int(b) + 1);
    if (band->GetOverviewCount() != int(levels.size())) fail(path, "overviews not created");
    for (int o = 0; o < band->GetOverviewCount(); ++o) to[b].push_back(band->GetOverview(o));
    to_ptrs.push_back(to[b].data());
  }
  if (GDALRegenerateOverviewsMultiBand(int(from.size()), from.data(), int(levels.size()), to_ptrs.data(), "AVERAGE",
                                       nullptr, nullptr, nullptr) != CE_None)
    fail(path, "cannot build overviews");
}

// Why a limit (kGeoTiffInMemoryLimit): when the in-memory way copied the
// bands to float32, the England 100 m Gi* file (3 bands x 37.7M cells, 452 MB
// of copies) took the national heat map from 3.58 to 3.97 GB peak. Without
// the copies, GDAL's own chunk buffers on that file were measured: the run's
// peak did not move (1.98 GB), so the limit was raised to 1 GB (the header
// says what it bought). Grids larger still keep the file way.

size_t float32_bytes(const std::vector<const Grid*>& bands) {
  return bands.size() * bands.front()->size() * sizeof(float);
}

// One strip of 256 rows (a row of tiles) at a time, every band of it before
// the next strip, converted to float32 a strip at a time (no full copies).
void write_strips(GDALDataset& ds, const std::vector<const Grid*>& bands, const std::string& path) {
  const Grid& g = *bands.front();
  constexpr int kStrip = 256;
  std::vector<float> strip(size_t(g.nx) * kStrip);
  for (int r0 = 0; r0 < g.ny; r0 += kStrip) {
    const int rows = std::min(kStrip, g.ny - r0);
    const size_t n = size_t(rows) * size_t(g.nx);
    for (size_t b = 0; b < bands.size(); ++b) {
      const double* from = bands[b]->values.data() + size_t(r0) * size_t(g.nx);
      for (size_t i = 0; i < n; ++i) strip[i] = static_cast<float>(from[i]);
      if (ds.GetRasterBand(int(b) + 1)->RasterIO(GF_Write, 0, r0, g.nx, rows, strip.data(), g.nx, rows, GDT_Float32, 0,
                                                 0) != CE_None)
        fail(path, "cannot write rows from " + std::to_string(r0));
    }
  }
}

// Overviews built on the closed file opened again WITHOUT GDAL's worker
// threads: GDAL 3.6 (Debian 12) deadlocks when BuildOverviews reads tiles on
// the thread pool and the bounded block cache makes one of those workers
// flush a dirty overview tile (seen on the England 100 m Gi* file; fixed
// upstream in GDAL 3.8, #8729).
void build_overviews_from_file(const std::string& path, int nx, int ny) {
  std::vector<int> levels = overview_factors(nx, ny);  // GDAL takes int*
  if (levels.empty()) return;
  GDALDatasetUniquePtr again(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
  if (!again) fail(path, "cannot open again to build overviews");
  // A file opened again does not remember its DEFLATE level (not a TIFF
  // tag); the overviews get level 1 like the full-resolution tiles.
  CPLConfigOptionSetter overview_level("ZLEVEL_OVERVIEW", "1", false);
  if (again->BuildOverviews("AVERAGE", int(levels.size()), levels.data(), 0, nullptr, nullptr, nullptr) != CE_None)
    fail(path, "cannot build overviews");
  GDALClose(GDALDataset::ToHandle(again.release()));
}

}  // namespace

void write_geotiff(const std::string& path, const std::vector<const Grid*>& bands,
                   const std::vector<std::string>& band_names, const std::string& crs,
                   const std::map<std::string, std::string>& metadata, size_t in_memory_limit) {
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
  if (float32_bytes(bands) <= in_memory_limit) {
    // The full-resolution tiles converted to float32 a tile (one band) or
    // a strip (several) at a time, the overviews computed by GDAL from the
    // grids read as float32 (GridAsFloat32): no full-size copies.
    if (bands.size() == 1)
      write_tiles(*ds->GetRasterBand(1), g, path);
    else
      write_strips(*ds, bands, path);
    write_overviews(*ds, bands, path);
    GDALClose(GDALDataset::ToHandle(ds.release()));
    if (errors.failed()) throw OutputError(path + ": write failed: " + errors.first_failure());
    return;
  }
  write_strips(*ds, bands, path);
  GDALClose(GDALDataset::ToHandle(ds.release()));
  if (errors.failed()) throw OutputError(path + ": write failed: " + errors.first_failure());
  build_overviews_from_file(path, g.nx, g.ny);
  if (errors.failed()) throw OutputError(path + ": overviews failed: " + errors.first_failure());
}

}  // namespace hotspot::io
