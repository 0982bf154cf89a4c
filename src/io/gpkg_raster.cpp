#include "io/gpkg_raster.h"

#include <gdal_priv.h>

#include <cmath>
#include <limits>
#include <vector>

#include "geo/crs.h"
#include "hotspot/errors.h"
#include "io/gdal_error_scope.h"

namespace hotspot::io {

void append_gpkg_raster(const std::string& gpkg_path, const std::string& table, const Grid& g, const std::string& crs,
                        const std::string& description) {
  const std::string where = gpkg_path + " (raster table " + table + ")";
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  GDALDriver* gpkg = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!mem || !gpkg) throw OutputError(where + ": GDAL has no MEM or GPKG driver");
  GdalErrorScope errors;
  // The grid as an in-memory float32 dataset, then GDAL's own copy into the
  // GeoPackage: the driver makes the tiles, the tile matrix and the
  // gridded-coverage tables the standard asks for.
  GDALDatasetUniquePtr src(mem->Create("", g.nx, g.ny, 1, GDT_Float32, nullptr));
  if (!src) throw OutputError(where + ": cannot make the in-memory raster: " + CPLGetLastErrorMsg());
  double transform[6] = {g.x0, g.cell, 0, g.y_top(), 0, -g.cell};
  src->SetGeoTransform(transform);
  geo::SrsPtr srs = geo::make_srs(crs, gpkg_path);
  src->SetSpatialRef(srs.get());
  GDALRasterBand* band = src->GetRasterBand(1);
  std::vector<float> values(g.values.size());
  bool has_nan = false;
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = static_cast<float>(g.values[i]);
    has_nan = has_nan || std::isnan(values[i]);
  }
  if (has_nan) band->SetNoDataValue(std::numeric_limits<double>::quiet_NaN());
  if (band->RasterIO(GF_Write, 0, 0, g.nx, g.ny, values.data(), g.nx, g.ny, GDT_Float32, 0, 0) != CE_None)
    throw OutputError(where + ": cannot fill the in-memory raster: " + CPLGetLastErrorMsg());
  CPLStringList options;
  options.AddNameValue("RASTER_TABLE", table.c_str());
  options.AddNameValue("RASTER_DESCRIPTION", description.c_str());
  options.AddNameValue("APPEND_SUBDATASET", "YES");  // keep the vector layers already there
  options.AddNameValue("TILE_FORMAT", "TIFF");       // lossless float32 tiles (PNG would quantise)
  GDALDatasetUniquePtr out(gpkg->CreateCopy(gpkg_path.c_str(), src.get(), FALSE, options.List(), nullptr, nullptr));
  if (!out) throw OutputError(where + ": cannot write: " + CPLGetLastErrorMsg());
  GDALClose(GDALDataset::ToHandle(out.release()));
  if (errors.failed()) throw OutputError(where + ": write failed: " + errors.first_failure());
}

}  // namespace hotspot::io
