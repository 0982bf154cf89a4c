#include "io/geotiff_writer.h"

#include <cmath>
#include <limits>

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
  options.AddNameValue("COMPRESS", "DEFLATE");
  options.AddNameValue("PREDICTOR", "3");  // floating-point predictor: smaller files
  options.AddNameValue("BIGTIFF", "IF_SAFER");
  GdalErrorScope errors;  // libtiff reports a full disk only through CPLError
  GDALDatasetUniquePtr ds(driver->Create(path.c_str(), g.nx, g.ny, int(bands.size()), GDT_Float32, options.List()));
  if (!ds) fail(path, "cannot create");
  double transform[6] = {g.x0, g.cell, 0, g.y_top(), 0, -g.cell};
  if (ds->SetGeoTransform(transform) != CE_None) fail(path, "cannot set the geotransform");
  geo::SrsPtr srs = geo::make_srs(crs, path);
  if (ds->SetSpatialRef(srs.get()) != CE_None) fail(path, "cannot set the CRS");
  for (const auto& [k, v] : metadata) ds->SetMetadataItem(k.c_str(), v.c_str());
  std::vector<float> row(size_t(g.nx));
  for (size_t b = 0; b < bands.size(); ++b) {
    GDALRasterBand* band = ds->GetRasterBand(int(b) + 1);
    band->SetNoDataValue(std::numeric_limits<double>::quiet_NaN());
    if (b < band_names.size()) band->SetDescription(band_names[b].c_str());
    for (int r = 0; r < g.ny; ++r) {
      for (int c = 0; c < g.nx; ++c) row[size_t(c)] = static_cast<float>(bands[b]->at(c, r));
      if (band->RasterIO(GF_Write, 0, r, g.nx, 1, row.data(), g.nx, 1, GDT_Float32, 0, 0) != CE_None)
        fail(path, "cannot write row " + std::to_string(r));
    }
  }
  // Overviews down to ~256 pixels; NaN-aware averaging.
  std::vector<int> levels;
  for (int f = 2; std::max(g.nx, g.ny) / f >= 256; f *= 2) levels.push_back(f);
  if (!levels.empty() &&
      ds->BuildOverviews("AVERAGE", int(levels.size()), levels.data(), 0, nullptr, nullptr, nullptr) != CE_None)
    fail(path, "cannot build overviews");
  GDALClose(GDALDataset::ToHandle(ds.release()));
  if (errors.failed()) throw OutputError(path + ": write failed: " + errors.first_failure());
}

}  // namespace hotspot::io
