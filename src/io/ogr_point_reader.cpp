#include "io/ogr_point_reader.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hotspot/errors.h"
#include "geo/crs.h"
#include "io/field_parse.h"
#include "io/gdal_error_scope.h"
#include "io/ogr_names.h"
#include "io/pg_conn.h"

namespace hotspot::io {
namespace {

int field_index(OGRFeatureDefn* defn, const std::string& name, const std::string& path) {
  if (name.empty()) return -1;
  int i = defn->GetFieldIndex(name.c_str());
  if (i < 0)
    throw InputError(path + ": layer has no field '" + name + "' (fields: " + ogr_field_names(defn) + ")");
  return i;
}

// Date fields typed by OGR come back as "YYYY/MM/DD ..." strings; read them
// as numbers instead so parse_date sees one format.
std::optional<ParsedDate> feature_date(OGRFeature& f, int index, std::string* why) {
  OGRFieldType type = f.GetFieldDefnRef(index)->GetType();
  if (type == OFTDate || type == OFTDateTime) {
    int y, m, d, hh, mm, tz;
    float ss;
    if (!f.IsFieldSetAndNotNull(index) || !f.GetFieldAsDateTime(index, &y, &m, &d, &hh, &mm, &ss, &tz))
      return std::nullopt;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", y, m, d, hh, mm);
    return parse_date(buf, why);
  }
  return parse_date(f.GetFieldAsString(index), why);
}

// A coordinate from an attribute field: numeric fields as they are, text
// through parse_number. nullopt for a bad number; *blank for null or "".
std::optional<double> field_coordinate(OGRFeature& f, int index, bool* blank) {
  *blank = !f.IsFieldSetAndNotNull(index);
  if (*blank) return std::nullopt;
  const OGRFieldType type = f.GetFieldDefnRef(index)->GetType();
  if (type == OFTReal || type == OFTInteger || type == OFTInteger64) return f.GetFieldAsDouble(index);
  const std::string_view text = trim(f.GetFieldAsString(index));
  *blank = text.empty();
  return parse_number(text);
}

std::string feature_raw(OGRFeature& f) {
  std::string raw;
  for (int i = 0; i < f.GetFieldCount(); ++i) {
    if (i) raw += ',';
    raw += f.GetFieldAsString(i);
  }
  bool converted = false;
  return to_utf8(raw, &converted);  // the rejects table is written as UTF-8 too
}

}  // namespace

IncidentBatch read_ogr_points(const IncidentSource& s, const std::string& connection, ReadContext& ctx) {
  // A PostGIS source (format = "postgis") is named without its connection
  // string (it may hold a password) everywhere below: rejects, outputs, errors.
  const bool postgis = is_pg_connection(connection);
  const std::string path = postgis ? postgis_source_name(connection, s.layer_name) : connection;
  CPLErrorReset();  // so a failed open reports its own reason, not an older one
  GDALDatasetUniquePtr ds(GDALDataset::Open(connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds)
    throw InputError(path + ": cannot open as a vector source: " + scrub_password(ogr_open_failure(), connection));
  // A query's rows come as a result layer, released with the dataset.
  std::unique_ptr<OGRLayer, std::function<void(OGRLayer*)>> query(nullptr, [&ds](OGRLayer* l) { ds->ReleaseResultSet(l); });
  if (!s.sql.empty()) {
    query.reset(ds->ExecuteSQL(s.sql.c_str(), nullptr, nullptr));
    if (!query) throw InputError(path + ": the query failed: " + scrub_password(CPLGetLastErrorMsg(), connection));
  }
  OGRLayer* layer = query ? query.get()
                    : s.layer_name.empty() ? ds->GetLayer(0)
                                           : ds->GetLayerByName(s.layer_name.c_str());
  if (!layer)
    throw InputError(path + ": no " + (postgis ? "table" : "layer") + " '" + s.layer_name + "'" +
                     (postgis ? "" : " (layers: " + ogr_layer_names(*ds) + ")"));

  IncidentBatch batch;
  if (!s.crs.empty()) {
    batch.crs = s.crs;
  } else if (const OGRSpatialReference* srs = geo::defined_srs(layer->GetSpatialRef())) {
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    srs->exportToWkt(&wkt, options);
    batch.crs = wkt ? wkt : "";
    CPLFree(wkt);
  } else {
    throw InputError(path + ": layer '" + layer->GetName() +
                     "' has no CRS; name one (e.g. crs = \"EPSG:27700\")");
  }

  OGRFeatureDefn* defn = layer->GetLayerDefn();
  // x/y named: coordinates come from those fields (a table without
  // geometry, or columns preferred to the geometry), else from the points.
  if (s.x_field.empty() != s.y_field.empty())
    throw ConfigError(path + ": give both x and y fields, or neither to use the layer's point geometry");
  int x_i = -1, y_i = -1;
  try {
    x_i = field_index(defn, s.x_field, path);
    y_i = field_index(defn, s.y_field, path);
  } catch (const InputError& e) {
    throw InputError(std::string(e.what()) + "; x and y name coordinate fields: leave them out to use the points");
  }
  check_date_fields(s, path);
  const int date_i = field_index(defn, s.date_field, path);
  const int year_i = field_index(defn, s.year_field, path), month_i = field_index(defn, s.month_field, path),
            day_i = field_index(defn, s.day_field, path);
  const int cat_i = field_index(defn, s.category_field, path);
  const int id_i = field_index(defn, s.id_field, path);
  const int loc_i = field_index(defn, s.location_field, path);
  const int weight_i = field_index(defn, s.weight_field, path);
  std::vector<std::pair<std::string, int>> recorded;
  for (const auto& [name, field] : s.recorded_fields) recorded.emplace_back(name, field_index(defn, field, path));

  IncidentTable& t = batch.table;
  t.sources.push_back(path);
  for (const auto& [name, i] : recorded) t.recorded[name];
  Ledger& ledger = *ctx.ledger;
  int64_t count = 0, converted_rows = 0;
  const bool geographic = geo::is_geographic(batch.crs);
  // A driver that hits a broken file part way reports a CPLError and ends
  // the loop as if the layer were complete: fail loudly instead.
  GdalErrorScope trap;
  layer->ResetReading();
  for (auto& feature : *layer) {
    ++count;
    const int64_t row = feature->GetFID();  // the reject names the feature by its FID
    ++ledger.rows_read;
    auto reject = [&](RejectReason r, const std::string& field) {
      ledger.add_reject({path, row, r, field, feature_raw(*feature)});
    };
    // Text fields as valid UTF-8: a driver can hand back other bytes (a
    // Shapefile without .cpg, a hand-made GeoJSON); read them as Windows-1252.
    bool row_converted = false;
    auto text = [&](int i, bool trimmed) {
      bool converted = false;
      std::string_view raw = feature->GetFieldAsString(i);
      std::string out = to_utf8(trimmed ? trim(raw) : raw, &converted);
      row_converted |= converted;
      return out;
    };
    double x = 0, y = 0;
    if (x_i >= 0) {
      bool x_blank = false, y_blank = false;
      const auto fx = field_coordinate(*feature, x_i, &x_blank), fy = field_coordinate(*feature, y_i, &y_blank);
      if (x_blank || y_blank) {
        reject(RejectReason::kBlankCoordinates, x_blank ? s.x_field : s.y_field);
        continue;
      }
      if (!fx || !fy) {
        reject(RejectReason::kBadNumber, !fx ? s.x_field : s.y_field);
        continue;
      }
      x = *fx;
      y = *fy;
    } else {
      const OGRGeometry* g = feature->GetGeometryRef();
      if (!g || g->IsEmpty() || wkbFlatten(g->getGeometryType()) != wkbPoint) {
        reject(RejectReason::kMissingGeometry, "geometry");
        continue;
      }
      x = g->toPoint()->getX();
      y = g->toPoint()->getY();
    }
    const std::string coordinates = x_i >= 0 ? s.x_field + "," + s.y_field : "geometry";
    if (!std::isfinite(x) || !std::isfinite(y)) {
      reject(RejectReason::kBadNumber, coordinates);
      continue;
    }
    if (x == 0.0 && y == 0.0) {
      reject(RejectReason::kZeroCoordinates, coordinates);
      continue;
    }
    if (const char* axis = implausible_axis(x, y, geographic); *axis) {
      reject(RejectReason::kOutOfRange, x_i < 0 ? "geometry" : *axis == 'x' ? s.x_field : s.y_field);
      continue;
    }
    ParsedDate date;
    if (date_i >= 0 || year_i >= 0) {
      std::string why;
      auto d = date_i >= 0 ? feature_date(*feature, date_i, &why)
                           : parse_date_parts(feature->GetFieldAsString(year_i), feature->GetFieldAsString(month_i),
                                              day_i >= 0 ? feature->GetFieldAsString(day_i) : "", day_i >= 0, &why);
      if (!d) {
        const std::string field =
            date_i >= 0 ? s.date_field
                        : s.year_field + "," + s.month_field + (s.day_field.empty() ? "" : "," + s.day_field);
        reject(RejectReason::kBadDate, why.empty() ? field : field + ": " + why);
        continue;
      }
      date = *d;
    }
    std::string category = cat_i >= 0 ? text(cat_i, true) : "Incident";
    if (category.empty()) {
      reject(RejectReason::kMissingCategory, s.category_field);
      continue;
    }
    double weight = 1;
    if (weight_i >= 0) {
      auto w = parse_number(feature->GetFieldAsString(weight_i));
      if (!w || *w < 0) {
        reject(RejectReason::kBadNumber, s.weight_field);
        continue;
      }
      weight = *w;
    }
    std::string id = id_i >= 0 ? text(id_i, true) : "";
    if (!id.empty() && !ctx.seen_ids.insert(id)) {
      reject(RejectReason::kDuplicateId, s.id_field);
      continue;
    }
    ++ledger.accepted;
    t.x.push_back(x);
    t.y.push_back(y);
    t.month.push_back(date.month);
    t.minute.push_back(date.minute);
    t.category.push_back(intern_category(t, category));
    t.source.push_back(0);
    t.source_row.push_back(row);
    if (id_i >= 0) t.id.push_back(id);
    if (loc_i >= 0) t.location.push_back(text(loc_i, false));
    if (weight_i >= 0) t.weight.push_back(weight);
    for (const auto& [name, i] : recorded) t.recorded[name].push_back(text(i, true));
    converted_rows += row_converted;
  }
  if (trap.failed())
    throw InputError(path + ": read error after " + std::to_string(count) +
                     " features (truncated or corrupt file?); no feature of this file was used (GDAL: " +
                     trap.first_failure() + ")");
  if (converted_rows)
    ledger.warnings.push_back(path + ": text of " + std::to_string(converted_rows) +
                              " rows was not valid UTF-8 and was read as Windows-1252");
  ledger.read_by_file[path] += count;
  return batch;
}

}  // namespace hotspot::io
