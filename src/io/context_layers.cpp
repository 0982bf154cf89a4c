#include "io/context_layers.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <memory>

#include "geo/crs.h"
#include "hotspot/errors.h"
#include "hotspot/names.h"
#include "io/field_parse.h"
#include "io/gdal_error_scope.h"
#include "io/ogr_names.h"

namespace hotspot::io {
namespace {

std::vector<Point> points_of(const OGRSimpleCurve& c) {
  std::vector<Point> out;
  for (int i = 0; i < c.getNumPoints(); ++i) out.push_back({c.getX(i), c.getY(i)});
  return out;
}

// Every part of g as point lists: a point, a linestring, a polygon's rings.
void parts_of(const OGRGeometry* g, ContextKind kind, std::vector<std::vector<Point>>& out) {
  if (!g || g->IsEmpty()) return;
  const OGRwkbGeometryType t = wkbFlatten(g->getGeometryType());
  if (OGR_GT_IsSubClassOf(t, wkbGeometryCollection)) {
    for (const OGRGeometry* part : *g->toGeometryCollection()) parts_of(part, kind, out);
  } else if (t == wkbPoint) {
    out.push_back({{g->toPoint()->getX(), g->toPoint()->getY()}});
  } else if (OGR_GT_IsCurve(t)) {
    std::unique_ptr<OGRLineString> line(g->toCurve()->CurveToLine());
    if (kind == ContextKind::kPoints)
      for (const Point& p : points_of(*line)) out.push_back({p});
    else
      out.push_back(points_of(*line));
  } else if (OGR_GT_IsSurface(t)) {
    std::unique_ptr<OGRPolygon> poly(OGRSurface::CastToPolygon(g->clone()->toSurface()));
    if (!poly) return;
    for (const OGRLinearRing* ring : *poly) {
      if (kind == ContextKind::kPoints) {
        out.push_back({{ring->getX(0), ring->getY(0)}});
      } else {
        out.push_back(points_of(*ring));
      }
    }
  }
}

ContextLayer read_one(const ContextSpec& s, const std::string& working_crs, const Box& clip) {
  CPLErrorReset();
  GDALDatasetUniquePtr ds(GDALDataset::Open(s.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) throw InputError(s.path + ": [[context]] '" + s.name + "': cannot open as a vector source: " + ogr_open_failure());
  OGRLayer* layer = s.layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(s.layer.c_str());
  if (!layer) {
    std::vector<std::string> names;
    for (int i = 0; i < ds->GetLayerCount(); ++i) names.push_back(ds->GetLayer(i)->GetName());
    throw InputError(s.path + ": [[context]] '" + s.name + "' layer: " + unknown_name("layer", s.layer, names));
  }
  std::string crs = s.crs;
  if (crs.empty()) {
    const OGRSpatialReference* srs = geo::defined_srs(layer->GetSpatialRef());
    if (!srs) throw InputError(s.path + ": [[context]] '" + s.name + "': the layer has no CRS; give one with crs = ...");
    char* wkt = nullptr;
    srs->exportToWkt(&wkt);
    crs = wkt ? wkt : "";
    CPLFree(wkt);
  }
  const geo::TransformPtr to_working = geo::make_transform(crs, working_crs);
  int label_i = -1;
  if (!s.label_field.empty()) {
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    label_i = defn->GetFieldIndex(s.label_field.c_str());
    if (label_i < 0) {
      std::vector<std::string> fields;
      for (int f = 0; f < defn->GetFieldCount(); ++f) fields.push_back(defn->GetFieldDefn(f)->GetNameRef());
      throw InputError(s.path + ": [[context]] '" + s.name + "' label_field: " +
                       unknown_name("field", s.label_field, fields));
    }
  }
  OGRPolygon box;
  {
    OGRLinearRing ring;
    ring.addPoint(clip.min_x, clip.min_y);
    ring.addPoint(clip.max_x, clip.min_y);
    ring.addPoint(clip.max_x, clip.max_y);
    ring.addPoint(clip.min_x, clip.max_y);
    ring.addPoint(clip.min_x, clip.min_y);
    box.addRing(&ring);
  }
  OGREnvelope clip_env;
  box.getEnvelope(&clip_env);
  ContextLayer out{s.name, s.kind, {}};
  GdalErrorScope trap;
  for (auto& f : *layer) {
    OGRGeometry* g = f->GetGeometryRef();
    if (!g || g->IsEmpty()) continue;
    if (g->transform(to_working.get()) != OGRERR_NONE)
      throw InputError(s.path + ": [[context]] '" + s.name + "' feature " + std::to_string(f->GetFID()) +
                       ": cannot transform to the working CRS");
    OGREnvelope env;
    g->getEnvelope(&env);
    if (!env.Intersects(clip_env)) continue;
    std::unique_ptr<OGRGeometry> cut(clip_env.Contains(env) ? g->clone() : g->Intersection(&box));
    ContextFeature feat;
    bool converted = false;
    if (label_i >= 0) feat.label = to_utf8(f->GetFieldAsString(label_i), &converted);
    parts_of(cut.get(), s.kind, feat.parts);
    if (!feat.parts.empty()) out.features.push_back(std::move(feat));
  }
  if (trap.failed())
    throw InputError(s.path + ": [[context]] '" + s.name + "': read error (GDAL: " + trap.first_failure() + ")");
  return out;
}

}  // namespace

std::vector<ContextLayer> read_context_layers(const std::vector<ContextSpec>& specs, const std::string& working_crs,
                                              const Box& clip) {
  std::vector<ContextLayer> out;
  for (const ContextSpec& s : specs) out.push_back(read_one(s, working_crs, clip));
  return out;
}

void write_context_layers(const std::string& gpkg_path, const std::vector<ContextLayer>& layers,
                          const std::string& working_crs, const Box& view) {
  if (layers.empty()) return;
  GdalErrorScope errors;
  GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
  if (!ds) throw OutputError(gpkg_path + ": cannot open to add the context layers: " + CPLGetLastErrorMsg());
  const geo::SrsPtr srs = geo::make_srs(working_crs, "working CRS");
  for (const ContextLayer& l : layers) {
    const OGRwkbGeometryType type = l.kind == ContextKind::kPoints  ? wkbPoint
                                    : l.kind == ContextKind::kLines ? wkbMultiLineString
                                                                    : wkbMultiPolygon;
    OGRLayer* out = ds->CreateLayer(("context_" + l.name).c_str(), srs.get(), type, nullptr);
    if (!out) throw OutputError(gpkg_path + ": cannot create table context_" + l.name + ": " + CPLGetLastErrorMsg());
    OGRFieldDefn label("label", OFTString);
    out->CreateField(&label);
    if (ds->StartTransaction() != OGRERR_NONE) throw OutputError(gpkg_path + ": cannot start a transaction");
    for (const ContextFeature& feat : l.features) {
      bool near = false;
      for (const auto& part : feat.parts)
        for (const Point& p : part) near = near || (p.x >= view.min_x && p.x <= view.max_x && p.y >= view.min_y && p.y <= view.max_y);
      if (!near) continue;
      OGRFeatureUniquePtr f(OGRFeature::CreateFeature(out->GetLayerDefn()));
      f->SetField("label", feat.label.c_str());
      std::unique_ptr<OGRGeometry> g;
      if (l.kind == ContextKind::kPoints) {
        g = std::make_unique<OGRPoint>(feat.parts[0][0].x, feat.parts[0][0].y);
      } else if (l.kind == ContextKind::kLines) {
        auto m = std::make_unique<OGRMultiLineString>();
        for (const auto& part : feat.parts) {
          OGRLineString line;
          for (const Point& p : part) line.addPoint(p.x, p.y);
          m->addGeometry(&line);
        }
        g = std::move(m);
      } else {
        // Rings as read (outer then holes, per polygon): one polygon per ring
        // set is not kept through parts, so each ring becomes its own polygon
        // outline; the layer is drawn as outlines, which this preserves.
        auto m = std::make_unique<OGRMultiPolygon>();
        for (const auto& part : feat.parts) {
          OGRPolygon poly;
          OGRLinearRing ring;
          for (const Point& p : part) ring.addPoint(p.x, p.y);
          ring.closeRings();
          poly.addRing(&ring);
          m->addGeometry(&poly);
        }
        g = std::move(m);
      }
      f->SetGeometry(g.get());
      if (out->CreateFeature(f.get()) != OGRERR_NONE)
        throw OutputError(gpkg_path + ": cannot write context_" + l.name + ": " + CPLGetLastErrorMsg());
    }
    if (ds->CommitTransaction() != OGRERR_NONE) throw OutputError(gpkg_path + ": cannot commit context_" + l.name);
  }
  GDALClose(GDALDataset::ToHandle(ds.release()));
  if (errors.failed()) throw OutputError(gpkg_path + ": " + errors.first_failure());
}

}  // namespace hotspot::io
