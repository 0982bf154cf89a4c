// GeoPackage geometry blobs (GeoPackage 1.2 section 2.1.3: header, envelope,
// then standard WKB), written by hand because GDAL's encoder needs an
// OGRGeometry per row, and building 32,844 OGRMultiPolygons with 100+
// field OGRFeatures around them was most of the GeoPackage thread.
// The layout was read off GDAL 3.6's output and is checked against it byte
// for byte (tests/io/gpkg_geometry_test.cpp).
#include "io/gpkg_blob.h"

#include <bit>
#include <cmath>
#include <cstring>

#include "geo/geos_util.h"

namespace hotspot::io {
namespace {

static_assert(std::endian::native == std::endian::little, "blobs are written in the machine's (little-endian) order");

template <typename T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

void header(std::string& out, uint8_t flags, int32_t srs_id) {
  out.assign("GP");
  out.push_back(0);  // version 1 of the blob format is written as 0
  out.push_back(static_cast<char>(flags));
  put(out, srs_id);
}

constexpr uint32_t kWkbPoint = 1, kWkbPolygon = 3, kWkbMultiPolygon = 6;

}  // namespace

bool gpkg_blob_writable(const Point& p) { return std::isfinite(p.x) && std::isfinite(p.y); }

bool gpkg_blob_writable(const MultiPolygon& mp) {
  if (mp.empty()) return false;
  for (const Polygon& poly : mp) {
    if (poly.empty()) return false;
    for (const Ring& ring : poly) {
      if (ring.empty()) return false;
      for (const Point& p : ring)
        if (!gpkg_blob_writable(p)) return false;
    }
  }
  return true;
}

void gpkg_point_blob(const Point& p, int32_t srs_id, std::string& out) {
  header(out, 0x01, srs_id);
  out.push_back(1);  // WKB: little-endian
  put(out, kWkbPoint);
  put(out, p.x);
  put(out, p.y);
}

Box gpkg_multipolygon_blob(const MultiPolygon& mp, int32_t srs_id, std::string& out) {
  const Box e = geo::bounds(mp);
  header(out, 0x03, srs_id);  // little-endian, envelope [minx, maxx, miny, maxy]
  put(out, e.min_x);
  put(out, e.max_x);
  put(out, e.min_y);
  put(out, e.max_y);
  out.push_back(1);
  put(out, kWkbMultiPolygon);
  put(out, static_cast<uint32_t>(mp.size()));
  for (const Polygon& poly : mp) {
    out.push_back(1);
    put(out, kWkbPolygon);
    put(out, static_cast<uint32_t>(poly.size()));
    for (const Ring& ring : poly) {
      put(out, static_cast<uint32_t>(ring.size() + 1));
      for (const Point& p : ring) {
        put(out, p.x);
        put(out, p.y);
      }
      put(out, ring.front().x);  // closed, as to_ogr closes it for GDAL
      put(out, ring.front().y);
    }
  }
  return e;
}

}  // namespace hotspot::io
