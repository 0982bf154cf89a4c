#include "report/change_styles.h"

#include <gdal_priv.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "hotspot/errors.h"
#include "report/qgis_styles.h"

namespace hotspot::report {
namespace {

namespace fs = std::filesystem;

std::string num(double v) {  // QML is XML: never the locale's decimal comma
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void replace_once(std::string& text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at == std::string::npos) throw OutputError("change_raster.qml: no " + from);
  text.replace(at, from.size(), to);
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::string diverging_ramp(const std::string& qml, double top) {
  std::string out = scale_ramp(qml, top);  // the maximum and every stop, negative ones too
  replace_once(out, "classificationMin=\"-1\"", "classificationMin=\"" + num(-top) + "\"");
  replace_once(out, "minimumValue=\"-1\"", "minimumValue=\"" + num(-top) + "\"");
  return out;
}

double symmetric_top(const std::string& path) {
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!ds || !ds->GetRasterBand(1)) throw OutputError(path + ": cannot open: " + CPLGetLastErrorMsg());
  GDALRasterBand* band = ds->GetRasterBand(1);
  const int nx = band->GetXSize(), ny = band->GetYSize();
  std::vector<float> row(static_cast<size_t>(nx));
  std::vector<float> values;
  for (int r = 0; r < ny; ++r) {
    if (band->RasterIO(GF_Read, 0, r, nx, 1, row.data(), nx, 1, GDT_Float32, 0, 0) != CE_None)
      throw OutputError(path + ": cannot read row " + std::to_string(r) + ": " + CPLGetLastErrorMsg());
    for (float v : row)
      if (std::isfinite(v) && v != 0) values.push_back(std::fabs(v));
  }
  return symmetric_top(std::move(values));
}

double symmetric_top(std::vector<float> values) {
  if (values.empty()) return 0;
  const auto k = values.begin() + std::ptrdiff_t(0.99 * double(values.size() - 1));
  std::nth_element(values.begin(), k, values.end());
  const double top = *k;
  if (!(top > 0)) return 0;
  const double unit = std::pow(10.0, std::floor(std::log10(top)) - 1);  // two significant digits
  return std::max(unit, std::round(top / unit) * unit);
}

std::vector<std::string> write_change_styles(const std::string& out_dir, const std::string& maps_dir) {
  const fs::path dir = fs::path(out_dir) / "change";
  std::error_code ec;
  std::vector<std::string> written;
  if (!fs::is_directory(dir, ec)) return written;
  std::vector<fs::path> tifs;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".tif") tifs.push_back(entry.path());
  if (ec) throw OutputError(dir.string() + ": cannot list: " + ec.message());
  std::sort(tifs.begin(), tifs.end());
  const std::string ramp = read_qml(maps_dir, "change_raster"), p = read_qml(maps_dir, "change_p");
  for (const fs::path& tif : tifs) {
    fs::path qml = tif;
    qml.replace_extension(".qml");  // QGIS loads <basename>.qml with the raster
    std::string text = p;
    if (!ends_with(tif.stem().string(), "_p") && !ends_with(tif.stem().string(), "_p_fdr")) {
      const double top = symmetric_top(tif.string());
      text = top > 0 ? diverging_ramp(ramp, top) : ramp;
    }
    std::ofstream out(qml, std::ios::binary | std::ios::trunc);
    if (!(out << text) || !out.flush()) throw OutputError(qml.string() + ": cannot write");
    written.push_back("change/" + qml.filename().string());
  }
  return written;
}

}  // namespace hotspot::report
