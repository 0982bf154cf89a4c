#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "geo/crs.h"
#include "hotspot/errors.h"
#include "io/out_table.h"

namespace hotspot::io {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw OutputError(path + ": " + what + ": " + CPLGetLastErrorMsg());
}

OGRFieldType ogr_type(ColumnType t) {
  switch (t) {
    case ColumnType::kInteger: return OFTInteger64;
    case ColumnType::kReal: return OFTReal;
    case ColumnType::kText: break;
  }
  return OFTString;
}

OGRPolygon* to_ogr(const Polygon& poly) {
  auto* p = new OGRPolygon();
  for (const Ring& ring : poly) {
    auto* r = new OGRLinearRing();
    for (const Point& pt : ring) r->addPoint(pt.x, pt.y);
    if (!ring.empty()) r->addPoint(ring.front().x, ring.front().y);
    p->addRingDirectly(r);
  }
  return p;
}

void write_layer(GDALDataset& ds, const std::string& path, const OutTable& t, OGRSpatialReference* srs,
                 const std::vector<std::string>& options) {
  const OGRwkbGeometryType type = t.kind == GeometryKind::kPoint     ? wkbPoint
                                  : t.kind == GeometryKind::kPolygon ? wkbMultiPolygon
                                                                     : wkbNone;
  CPLStringList opts;
  for (const std::string& o : options) opts.AddString(o.c_str());
  OGRLayer* layer = ds.CreateLayer(t.name.c_str(), type == wkbNone ? nullptr : srs, type, opts.List());
  if (!layer) fail(path, "cannot create layer " + t.name);
  for (const Column& c : t.columns) {
    OGRFieldDefn field(c.name.c_str(), ogr_type(c.type));
    if (layer->CreateField(&field) != OGRERR_NONE) fail(path, "cannot create field " + c.name);
  }
  const bool transaction = ds.StartTransaction() == OGRERR_NONE;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    for (size_t c = 0; c < t.columns.size(); ++c)
      if (!t.rows[r][c].empty()) f->SetField(int(c), t.rows[r][c].c_str());
    if (t.kind == GeometryKind::kPoint) {
      f->SetGeometryDirectly(new OGRPoint(t.points[r].x, t.points[r].y));
    } else if (t.kind == GeometryKind::kPolygon) {
      auto* mp = new OGRMultiPolygon();
      for (const Polygon& poly : t.polygons[r]) mp->addGeometryDirectly(to_ogr(poly));
      f->SetGeometryDirectly(mp);
    }
    if (layer->CreateFeature(f.get()) != OGRERR_NONE) fail(path, "cannot write to layer " + t.name);
  }
  if (transaction && ds.CommitTransaction() != OGRERR_NONE) fail(path, "cannot commit layer " + t.name);
}

}  // namespace

void write_ogr(const std::string& path, const std::string& driver_name, const std::vector<const OutTable*>& tables,
               const std::string& crs, const std::vector<std::string>& layer_options) {
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
  if (!driver) throw OutputError(path + ": GDAL has no " + driver_name + " driver");
  GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) fail(path, "cannot create");
  geo::SrsPtr srs = geo::make_srs(crs, path);
  for (const OutTable* t : tables) write_layer(*ds, path, *t, srs.get(), layer_options);
  // Close explicitly so a failed flush is an error, not a silent loss.
  CPLErrorReset();
  GDALClose(GDALDataset::ToHandle(ds.release()));
  if (CPLGetLastErrorType() == CE_Failure) fail(path, "cannot close");
}

}  // namespace hotspot::io
