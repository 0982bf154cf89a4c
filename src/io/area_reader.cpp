#include "io/area_reader.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "geo/chunk_transformer.h"
#include "geo/crs.h"
#include "geo/geos_util.h"
#include "hotspot/errors.h"
#include "hotspot/names.h"
#include "io/field_parse.h"
#include "io/gdal_error_scope.h"
#include "io/incident_batch.h"
#include "io/ogr_names.h"
#include "io/pg_conn.h"

namespace hotspot::io {
namespace {

Ring to_ring(const OGRLinearRing* ring) {
  Ring out;
  const int n = ring->getNumPoints();
  out.reserve(size_t(std::max(n, 0)));  // one allocation per ring, not ~log2(n) regrowths
  for (int i = 0; i < n; ++i) out.push_back({ring->getX(i), ring->getY(i)});
  if (out.size() > 1 && out.front().x == out.back().x && out.front().y == out.back().y) out.pop_back();
  return out;
}

void append_polygon(const OGRPolygon* poly, MultiPolygon& out) {
  if (poly->IsEmpty()) return;
  Polygon p;
  p.push_back(to_ring(poly->getExteriorRing()));
  for (int i = 0; i < poly->getNumInteriorRings(); ++i) p.push_back(to_ring(poly->getInteriorRing(i)));
  out.push_back(std::move(p));
}

// Returns false when the geometry holds no polygon at all.
bool to_multipolygon(const OGRGeometry* g, MultiPolygon& out) {
  std::unique_ptr<OGRGeometry> linear;
  if (g->hasCurveGeometry()) {
    linear.reset(g->getLinearGeometry());
    g = linear.get();
  }
  switch (wkbFlatten(g->getGeometryType())) {
    case wkbPolygon:
      append_polygon(g->toPolygon(), out);
      return true;
    case wkbMultiPolygon:
      for (const OGRPolygon* p : *g->toMultiPolygon()) append_polygon(p, out);
      return true;
    default:
      return false;
  }
}

struct RawArea {
  std::string code, label;
  double population = std::numeric_limits<double>::quiet_NaN();
  MultiPolygon geometry;
  // geometry's polygons as read, while every feature came from a WGS 84
  // lon/lat source without curves (AreaLayer::lonlat).
  MultiPolygon lonlat;
  bool lonlat_kept = true;
  std::vector<std::string> features;  // "path: feature FID" of every feature with this code
};

// EPSG:4326 or OGC:CRS84 (the same datum and axes once read in traditional
// GIS order, x = longitude): a source whose coordinates are already what a
// GeoJSON holds.
bool is_wgs84_lon_lat(const std::string& crs) {
  const geo::SrsPtr srs = geo::make_srs(crs, "CRS");
  const geo::SrsPtr wgs84 = geo::make_srs("EPSG:4326", "CRS");
  const char* const options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
                                 "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", nullptr};
  return srs->IsSame(wgs84.get(), options);
}

// The polygons [first, end) of an area read from one feature, still in the
// source's CRS.
struct Pending {
  RawArea* area;
  size_t first, end;
  size_t feature;  // index into area->features, for the error message
};

// Calls visit(p, point) for every point of the pending polygons [first, end).
template <class Visit>
void each_point(const std::vector<Pending>& pending, size_t first, size_t end, Visit visit) {
  for (size_t i = first; i < end; ++i) {
    const Pending& p = pending[i];
    for (size_t k = p.first; k < p.end; ++k)
      for (Ring& ring : p.area->geometry[k])
        for (Point& pt : ring) visit(p, pt);
  }
}

// Queues the points of the pending polygons [first, end) as one chunk.
void queue_points(const std::vector<Pending>& pending, size_t first, size_t end, geo::ChunkTransformer& transformer) {
  size_t points = 0;
  each_point(pending, first, end, [&](const Pending&, Point&) { ++points; });
  std::vector<double> x, y;
  x.reserve(points);
  y.reserve(points);
  each_point(pending, first, end, [&](const Pending&, Point& pt) {
    x.push_back(pt.x);
    y.push_back(pt.y);
  });
  transformer.add(std::move(x), std::move(y));
}

// Puts the transformed chunks' points back into the pending polygons (the
// chunks hold them in pending order). Throws InputError naming the first
// feature with a point PROJ cannot transform.
void write_back(const std::vector<Pending>& pending, const std::deque<geo::ChunkTransformer::Chunk>& chunks) {
  size_t c = 0, i = 0;
  each_point(pending, 0, pending.size(), [&](const Pending& p, Point& pt) {
    while (i == chunks[c].x.size()) ++c, i = 0;
    const double x = chunks[c].x[i], y = chunks[c].y[i];
    if (std::isnan(x))
      throw InputError(p.area->features[p.feature] + " (" + p.area->code + "): cannot transform to the working CRS");
    pt = {x, y};
    ++i;
  });
}

// Points per chunk transformed beside the reading (all English LSOAs: 1.86M
// points in ~29 chunks); small enough that little is left when reading ends.
constexpr size_t kChunkPoints = 65536;

void read_one_source(const AreaSource& s, const std::string& source, const std::string& working_crs, int threads,
                     std::map<std::string, RawArea>& areas, std::vector<std::string>& warnings) {
  // A PostGIS table ("PG:dbname=crime tables=gis.beats") is named in messages
  // and outputs with its password redacted.
  const std::string path = is_pg_connection(source) ? redact_connection(source) : source;
  CPLErrorReset();  // so a failed open reports its own reason, not an older one
  GDALDatasetUniquePtr ds(GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) throw InputError(path + ": cannot open as a vector source: " + scrub_password(ogr_open_failure(), source));
  OGRLayer* layer = ds->GetLayer(0);
  if (!layer) throw InputError(path + ": has no layer");
  std::string crs = s.crs;
  if (crs.empty()) {
    const OGRSpatialReference* srs = geo::defined_srs(layer->GetSpatialRef());
    if (!srs) throw InputError(path + ": layer has no CRS; name one with the area's crs option");
    char* wkt = nullptr;
    srs->exportToWkt(&wkt);
    crs = wkt ? wkt : "";
    CPLFree(wkt);
  }
  geo::TransformPtr to_working = geo::make_transform(crs, working_crs);
  const bool lonlat_source = is_wgs84_lon_lat(crs);
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  // A missing field is named with its config key, and the layer's fields listed.
  auto field = [&](const std::string& name, const char* key) {
    if (name.empty()) return -1;
    int i = defn->GetFieldIndex(name.c_str());
    if (i < 0) {
      std::vector<std::string> fields;
      for (int f = 0; f < defn->GetFieldCount(); ++f) fields.push_back(defn->GetFieldDefn(f)->GetNameRef());
      throw InputError(path + ": [[areas]] '" + s.name + "' " + key + ": " + unknown_name("field", name, fields));
    }
    return i;
  };
  // Plain polygons' points are transformed in chunks while the features
  // are read (geo::ChunkTransformer: OGR reads on one core).
  std::vector<Pending> pending;
  geo::ChunkTransformer transformer(crs, working_crs, threads);
  size_t queued = 0, unqueued_points = 0;  // pending [queued, end) not yet queued
  const int code_i = field(s.code_field, "code"), name_i = field(s.name_field, "name_field"),
            pop_i = field(s.population_field, "population_field");
  if (code_i < 0) throw ConfigError("area layer '" + s.name + "': code_field is required");
  GdalErrorScope trap;  // a broken file ends the loop early, reporting only a CPLError
  int64_t features = 0, converted = 0;
  for (auto& f : *layer) {
    ++features;
    const std::string where = path + ": feature " + std::to_string(f->GetFID());
    // Codes and names go into GeoJSON and GeoPackage: valid UTF-8 only
    // (other bytes read as Windows-1252, counted below).
    bool code_converted = false, name_converted = false;
    std::string code = to_utf8(trim(f->GetFieldAsString(code_i)), &code_converted);
    if (code.empty()) throw InputError(where + ": blank " + s.code_field);
    OGRGeometry* g = f->GetGeometryRef();
    if (!g || g->IsEmpty()) throw InputError(where + " (" + code + "): no geometry");
    // Curves are transformed before they are cut into segments (as before);
    // plain polygons are transformed below, all together.
    const bool curved = g->hasCurveGeometry();
    if (curved && g->transform(to_working.get()) != OGRERR_NONE)
      throw InputError(where + " (" + code + "): cannot transform to the working CRS");
    RawArea& area = areas[code];
    area.code = code;
    area.features.push_back(where);
    if (name_i >= 0) area.label = to_utf8(f->GetFieldAsString(name_i), &name_converted);
    converted += code_converted || name_converted;
    if (pop_i >= 0) {
      auto v = parse_number(f->GetFieldAsString(pop_i));
      if (!v) throw InputError(where + ": field " + s.population_field + " is not a number");
      area.population = (std::isnan(area.population) ? 0.0 : area.population) + *v;
    }
    const size_t first = area.geometry.size();
    if (!to_multipolygon(g, area.geometry)) throw InputError(where + " (" + code + "): not a polygon");
    area.lonlat_kept = area.lonlat_kept && lonlat_source && !curved;
    if (area.lonlat_kept)
      area.lonlat.insert(area.lonlat.end(), area.geometry.begin() + long(first), area.geometry.end());
    else
      area.lonlat.clear();
    if (curved) continue;
    pending.push_back({&area, first, area.geometry.size(), area.features.size() - 1});
    for (size_t k = first; k < area.geometry.size(); ++k)
      for (const Ring& ring : area.geometry[k]) unqueued_points += ring.size();
    if (unqueued_points >= kChunkPoints) {
      queue_points(pending, queued, pending.size(), transformer);
      queued = pending.size();
      unqueued_points = 0;
    }
  }
  if (trap.failed())
    throw InputError(path + ": read error after " + std::to_string(features) +
                     " features (truncated or corrupt file?) (GDAL: " + trap.first_failure() + ")");
  if (converted)
    warnings.push_back(path + ": the code or name of " + std::to_string(converted) +
                       " features was not valid UTF-8 and was read as Windows-1252");
  queue_points(pending, queued, pending.size(), transformer);
  write_back(pending, transformer.finish());
}

// Repairs each area and moves the map (sorted by code) into a layer.
AreaLayer finish_layer(const std::string& name, std::map<std::string, RawArea>& areas, bool has_population,
                       int threads, Ledger& ledger) {
  AreaLayer layer;
  layer.name = name;
  // Validity checks (and the rare repair) on `threads` threads, each area
  // on its own; the layer and its warnings are then built in code order.
  std::vector<RawArea*> raws;
  for (auto& entry : areas) raws.push_back(&entry.second);
  std::vector<geo::RepairResult> repaired(raws.size());
  std::vector<std::string> failures(size_t(std::max(threads, 1)));
  std::atomic<size_t> next{0};
  auto work = [&](size_t part) {
    try {
      for (size_t i = next++; i < raws.size(); i = next++) repaired[i] = geo::repair(std::move(raws[i]->geometry));
    } catch (const std::exception& e) {
      failures[part] = e.what();
      next = raws.size();
    }
  };
  std::vector<std::thread> pool;
  for (size_t p = 1; p < failures.size() && p < raws.size(); ++p) pool.emplace_back(work, p);
  work(0);
  for (std::thread& t : pool) t.join();
  for (const std::string& f : failures)
    if (!f.empty()) throw std::runtime_error(f);
  for (size_t a = 0; a < raws.size(); ++a) {
    RawArea& raw = *raws[a];
    const std::string& code = raw.code;
    // Documented rule (docs/config.md): features sharing a code are one area. Say which.
    if (raw.features.size() > 1) {
      std::string list;
      for (size_t i = 0; i < raw.features.size() && i < 5; ++i) list += (i ? "; " : "") + raw.features[i];
      if (raw.features.size() > 5) list += "; ...";
      ledger.warnings.push_back("layer " + name + ": code " + code + " is shared by " +
                                std::to_string(raw.features.size()) + " features (" + list +
                                "), merged into one area" + (has_population ? " with their populations summed" : ""));
    }
    geo::RepairResult& r = repaired[a];
    if (r.repaired) {
      ++layer.repaired;
      layer.repaired_codes.push_back(code);
      ledger.warnings.push_back("layer " + name + ": area " + code + " was invalid (" + r.reason +
                                "); repaired with GEOS MakeValid");
    }
    layer.code.push_back(code);
    layer.label.push_back(raw.label);
    if (has_population) layer.population.push_back(raw.population);
    layer.geometry.push_back(std::move(r.geometry));
    layer.lonlat.push_back(raw.lonlat_kept && !r.repaired ? std::move(raw.lonlat) : MultiPolygon{});
  }
  const bool any_lonlat =
      std::any_of(layer.lonlat.begin(), layer.lonlat.end(), [](const MultiPolygon& m) { return !m.empty(); });
  if (!any_lonlat) layer.lonlat.clear();
  return layer;
}

}  // namespace

AreaLayer read_area_layer(const AreaSource& source, const std::string& working_crs, Ledger& ledger, int threads) {
  threads = geo::thread_count(threads);
  std::map<std::string, RawArea> areas;
  for (const std::string& path : expand_paths(source.paths, {".geojson", ".json", ".gpkg", ".shp"}))
    read_one_source(source, path, working_crs, threads, areas, ledger.warnings);
  if (areas.empty()) ledger.warnings.push_back("layer " + source.name + " has no areas");
  AreaLayer layer = finish_layer(source.name, areas, !source.population_field.empty(), threads, ledger);
  if (source.population) join_population(layer, *source.population, ledger);
  return layer;
}

}  // namespace hotspot::io
