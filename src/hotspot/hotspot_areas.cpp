#include "hotspot/hotspot_areas.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "geo/geos_util.h"
#include "hotspot/errors.h"
#include "hotspot/hot_runs.h"

namespace hotspot::kde {
namespace {

void append(const OGRGeometry* geom, MultiPolygon& out) {
  auto ring = [](const OGRLinearRing* r) {
    Ring out_ring;
    for (int i = 0; i + 1 < r->getNumPoints(); ++i) out_ring.push_back({r->getX(i), r->getY(i)});
    return out_ring;
  };
  if (wkbFlatten(geom->getGeometryType()) == wkbPolygon) {
    const OGRPolygon* p = geom->toPolygon();
    Polygon poly{ring(p->getExteriorRing())};
    for (int i = 0; i < p->getNumInteriorRings(); ++i) poly.push_back(ring(p->getInteriorRing(i)));
    out.push_back(std::move(poly));
  } else if (wkbFlatten(geom->getGeometryType()) == wkbMultiPolygon) {
    for (const OGRPolygon* p : *geom->toMultiPolygon()) append(p, out);
  }
}

// Polygons per label via GDALPolygonize on an in-memory raster.
std::vector<MultiPolygon> polygonise(const Grid& g, const std::vector<int32_t>& lab, int count) {
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  // The band reads the labels in place (the MEM driver's DATAPOINTER), not
  // a copy: on a national grid that is 150 MB less and no copying.
  GDALDatasetUniquePtr raster(mem->Create("", g.nx, g.ny, 0, GDT_Int32, nullptr));
  double transform[6] = {g.x0, g.cell, 0, g.y_top(), 0, -g.cell};
  raster->SetGeoTransform(transform);
  char pointer[128] = {};
  pointer[CPLPrintPointer(pointer, const_cast<int32_t*>(lab.data()), sizeof(pointer) - 1)] = 0;
  CPLStringList band_options;
  band_options.SetNameValue("DATAPOINTER", pointer);
  if (raster->AddBand(GDT_Int32, band_options.List()) != CE_None)
    throw std::runtime_error(std::string("hotspot areas: ") + CPLGetLastErrorMsg());
  GDALRasterBand* band = raster->GetRasterBand(1);
  GDALDriver* vmem = GetGDALDriverManager()->GetDriverByName("Memory");
  GDALDatasetUniquePtr vec(vmem->Create("", 0, 0, 0, GDT_Unknown, nullptr));
  OGRLayer* layer = vec->CreateLayer("hot", nullptr, wkbPolygon, nullptr);
  OGRFieldDefn field("label", OFTInteger);
  layer->CreateField(&field);
  char* options[] = {const_cast<char*>("8CONNECTED=8"), nullptr};
  // The band is its own mask: label 0 (not hot) is left out.
  if (GDALPolygonize(band, band, layer, 0, options, nullptr, nullptr) != CE_None)
    throw std::runtime_error(std::string("hotspot areas: polygonize failed: ") + CPLGetLastErrorMsg());
  std::vector<MultiPolygon> out(static_cast<size_t>(count) + 1);
  for (auto& f : *layer) append(f->GetGeometryRef(), out[size_t(f->GetFieldAsInteger(0))]);
  return out;
}

}  // namespace

std::vector<HotspotArea> hotspot_areas(const Grid& g, double threshold, const IncidentTable& t,
                                       const std::vector<bool>& used, std::vector<std::vector<uint32_t>>* members,
                                       bool with_geometry) {
  if (members) members->clear();
  const HotRuns hot = hot_runs(g, threshold);
  const int count = hot.count;
  if (count == 0) return {};
  std::vector<HotspotArea> areas(static_cast<size_t>(count));
  for (const HotRun& run : hot.runs) {  // row-major: each area's mean sums its cells in row-major order
    HotspotArea& a = areas[size_t(run.label - 1)];
    const double* v = g.values.data() + size_t(run.row) * size_t(g.nx);
    for (int c = run.begin; c < run.end; ++c) {
      ++a.cells;
      a.peak = std::max(a.peak, v[c]);
      a.mean += v[c];
    }
  }
  std::vector<std::map<std::string, int64_t>> categories(static_cast<size_t>(count));
  std::vector<std::vector<uint32_t>> inside(members ? size_t(count) : 0);
  for (size_t i = 0; i < t.size(); ++i) {
    if (!used[i]) continue;
    const int c = g.col_of(t.x[i]), r = g.row_of(t.y[i]);
    if (c < 0 || r < 0) continue;
    const int32_t l = hot.at(r, c);
    if (!l) continue;
    ++areas[size_t(l - 1)].incidents;
    if (members) inside[size_t(l - 1)].push_back(uint32_t(i));
    ++categories[size_t(l - 1)][t.categories[t.category[i]]];
  }
  std::vector<MultiPolygon> polygons =
      with_geometry ? polygonise(g, hot.grid(g.nx, g.ny), count) : std::vector<MultiPolygon>{};
  for (int l = 1; l <= count; ++l) {
    HotspotArea& a = areas[size_t(l - 1)];
    a.mean /= a.cells;
    a.area_km2 = a.cells * g.cell * g.cell / 1e6;
    if (with_geometry) a.geometry = geo::repair(polygons[size_t(l)]).geometry;  // 8-connected rings may self-touch
    std::vector<std::pair<int64_t, std::string>> top;
    for (const auto& [name, n] : categories[size_t(l - 1)]) top.push_back({-n, name});
    std::sort(top.begin(), top.end());
    for (size_t k = 0; k < top.size() && k < 3; ++k)
      a.top_categories += (k ? "; " : "") + top[k].second + " " + std::to_string(-top[k].first);
  }
  std::vector<size_t> order(areas.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return areas[x].peak > areas[y].peak; });
  std::vector<HotspotArea> sorted;
  for (size_t i = 0; i < order.size(); ++i) {
    sorted.push_back(std::move(areas[order[i]]));
    sorted.back().rank = int(i + 1);
    if (members) members->push_back(std::move(inside[order[i]]));
  }
  return sorted;
}

}  // namespace hotspot::kde
