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
#include "hotspot/fresh_buffer.h"

namespace hotspot::kde {
namespace {

// 8-connected component labels (0 = not hot), in row-major discovery order.
std::vector<int32_t> label(const Grid& g, double threshold, int& count) {
  std::vector<int32_t> lab;
  assign_fresh(lab, g.size(), int32_t{0});
  count = 0;
  std::vector<size_t> stack;
  for (size_t start = 0; start < g.size(); ++start) {
    const double v = g.values[start];
    if (lab[start] || !(v >= threshold && v > 0)) continue;
    lab[start] = ++count;
    stack.push_back(start);
    while (!stack.empty()) {
      const size_t i = stack.back();
      stack.pop_back();
      const int c = int(i % size_t(g.nx)), r = int(i / size_t(g.nx));
      for (int dr = -1; dr <= 1; ++dr)
        for (int dc = -1; dc <= 1; ++dc) {
          const int cc = c + dc, rr = r + dr;
          if (cc < 0 || rr < 0 || cc >= g.nx || rr >= g.ny) continue;
          const size_t j = size_t(rr) * size_t(g.nx) + size_t(cc);
          const double w = g.values[j];
          if (lab[j] || !(w >= threshold && w > 0)) continue;
          lab[j] = count;
          stack.push_back(j);
        }
    }
  }
  return lab;
}

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

double top_percent_threshold(const Grid& g, double percent) {
  // The k-th smallest of the non-NaN values. Most cells of a heat map are
  // 0, so only the positive values are copied and ranked: when k falls
  // among the values <= 0 the answer is the smallest positive value anyway
  // (below), so the result is that of ranking them all.
  size_t n = 0, not_positive = 0;
  for (double x : g.values) {
    if (std::isnan(x)) continue;
    ++n;
    if (!(x > 0)) ++not_positive;
  }
  if (n == 0) return INFINITY;
  const size_t k = std::min(n - 1, size_t(std::floor(double(n) * (1 - percent / 100.0))));
  std::vector<double> positive;
  reserve_fresh(positive, n - not_positive);
  for (double x : g.values)
    if (x > 0) positive.push_back(x);
  if (positive.empty()) return INFINITY;  // no positive value: nothing is hot
  if (k < not_positive)  // most of the surface is zero: the threshold is the smallest positive value
    return *std::min_element(positive.begin(), positive.end());
  const auto at = positive.begin() + long(k - not_positive);
  std::nth_element(positive.begin(), at, positive.end());
  return *at;
}

std::vector<HotspotArea> hotspot_areas(const Grid& g, double threshold, const IncidentTable& t,
                                       const std::vector<bool>& used, std::vector<std::vector<uint32_t>>* members,
                                       bool with_geometry) {
  if (members) members->clear();
  int count = 0;
  const std::vector<int32_t> lab = label(g, threshold, count);
  if (count == 0) return {};
  std::vector<HotspotArea> areas(static_cast<size_t>(count));
  for (size_t i = 0; i < g.size(); ++i) {
    if (!lab[i]) continue;
    HotspotArea& a = areas[size_t(lab[i] - 1)];
    ++a.cells;
    a.peak = std::max(a.peak, g.values[i]);
    a.mean += g.values[i];
  }
  std::vector<std::map<std::string, int64_t>> categories(static_cast<size_t>(count));
  std::vector<std::vector<uint32_t>> inside(members ? size_t(count) : 0);
  for (size_t i = 0; i < t.size(); ++i) {
    if (!used[i]) continue;
    const int c = g.col_of(t.x[i]), r = g.row_of(t.y[i]);
    if (c < 0 || r < 0) continue;
    const int32_t l = lab[size_t(r) * size_t(g.nx) + size_t(c)];
    if (!l) continue;
    ++areas[size_t(l - 1)].incidents;
    if (members) inside[size_t(l - 1)].push_back(uint32_t(i));
    ++categories[size_t(l - 1)][t.categories[t.category[i]]];
  }
  std::vector<MultiPolygon> polygons = with_geometry ? polygonise(g, lab, count) : std::vector<MultiPolygon>{};
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
