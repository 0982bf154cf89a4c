#include "report/qgis_styles.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "hotspot/pipeline.h"

namespace hotspot::report {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStyleTable = "layer_styles";  // the name QGIS looks for

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw OutputError(path + ": " + what + ": " + CPLGetLastErrorMsg());
}

// QML is XML: numbers never take the locale's decimal comma.
std::string num(double v) {
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

std::string num(double v, std::chars_format format, int precision) {
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v, format, precision).ptr);
}

std::string quoted(const std::string& s) {  // an OGR SQL string literal
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

// A start tag "<name ...>" in xml: [begin, end). The templates are QGIS's
// own output, whose attribute values in the tags edited here hold no '>'.
struct Tag {
  size_t begin, end;
};

std::optional<Tag> find_tag(const std::string& xml, const std::string& name, size_t from,
                            size_t limit = std::string::npos) {
  const size_t b = xml.find("<" + name + " ", from);
  if (b == std::string::npos || b >= limit) return std::nullopt;
  const size_t e = xml.find('>', b);
  if (e == std::string::npos) return std::nullopt;
  return Tag{b, e + 1};
}

size_t value_pos(const std::string& xml, const Tag& tag, const std::string& attr) {
  const std::string key = " " + attr + "=\"";
  const size_t p = xml.find(key, tag.begin);
  if (p == std::string::npos || p >= tag.end) throw OutputError("QML: a tag has no attribute " + attr);
  return p + key.size();
}

std::string get_attr(const std::string& xml, const Tag& tag, const std::string& attr) {
  const size_t v = value_pos(xml, tag, attr);
  return xml.substr(v, xml.find('"', v) - v);
}

void set_attr(std::string& xml, Tag& tag, const std::string& attr, const std::string& value) {
  const size_t v = value_pos(xml, tag, attr);
  const size_t old_len = xml.find('"', v) - v;
  xml.replace(v, old_len, value);
  tag.end = tag.end + value.size() - old_len;
}

double to_double(const std::string& s) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) throw OutputError("QML: not a number: " + s);
  return v;
}

Tag require_tag(const std::string& xml, const std::string& name, size_t from = 0) {
  const auto tag = find_tag(xml, name, from);
  if (!tag) throw OutputError("QML: no <" + name + "> element");
  return *tag;
}

int count_ranges(const std::string& qml) {
  int n = 0;
  const size_t end = qml.find("</ranges>");
  for (auto t = find_tag(qml, "range", 0, end); t; t = find_tag(qml, "range", t->end, end)) ++n;
  return n;
}

// The same text with `path` in front of a template error.
template <typename F>
std::string from_template(const std::string& path, F&& edit) {
  try {
    return edit();
  } catch (const OutputError& e) {
    throw OutputError(path + ": " + e.what());
  }
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw OutputError(path.string() + ": cannot write the QGIS style");
}

// ---- layer_styles ----

OGRLayer* create_style_table(GDALDataset& ds, const std::string& path) {
  // QGIS's own schema (QgsOgrProviderMetadata::saveStyle), so QGIS can add
  // and edit rows in the table we create.
  CPLStringList options;
  options.SetNameValue("FID", "id");
  OGRLayer* t = ds.CreateLayer(kStyleTable, nullptr, wkbNone, options.List());
  if (!t) fail(path, "cannot create table layer_styles");
  struct Column {
    const char* name;
    OGRFieldType type;
    int width;
  };
  const Column columns[] = {{"f_table_catalog", OFTString, 256},
                            {"f_table_schema", OFTString, 256},
                            {"f_table_name", OFTString, 256},
                            {"f_geometry_column", OFTString, 256},
                            {"styleName", OFTString, 30},
                            {"styleQML", OFTString, 0},
                            {"styleSLD", OFTString, 0},
                            {"useAsDefault", OFTInteger, 0},
                            {"description", OFTString, 0},
                            {"owner", OFTString, 30},
                            {"ui", OFTString, 30},
                            {"update_time", OFTDateTime, 0}};
  for (const Column& c : columns) {
    OGRFieldDefn field(c.name, c.type);
    field.SetWidth(c.width);
    if (c.type == OFTInteger) field.SetSubType(OFSTBoolean);
    if (c.type == OFTDateTime) field.SetDefault("CURRENT_TIMESTAMP");
    if (t->CreateField(&field) != OGRERR_NONE) fail(path, std::string("cannot create layer_styles.") + c.name);
  }
  return t;
}

void check_style_table(OGRLayer& t, const std::string& path) {
  for (const char* name : {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                           "styleQML", "styleSLD", "useAsDefault", "description", "owner"})
    if (t.GetLayerDefn()->GetFieldIndex(name) < 0)
      throw OutputError(path + ": layer_styles has no column " + name + " (not QGIS's schema)");
}

// Applies `change` to every row matching `where` (collected first: no
// writes while reading).
template <typename F>
void for_rows(OGRLayer& t, const std::string& where, const std::string& path, F&& change) {
  if (t.SetAttributeFilter(where.c_str()) != OGRERR_NONE) fail(path, "cannot query layer_styles");
  std::vector<OGRFeatureUniquePtr> rows;
  t.ResetReading();
  for (OGRFeatureUniquePtr f(t.GetNextFeature()); f; f.reset(t.GetNextFeature())) rows.push_back(std::move(f));
  t.SetAttributeFilter(nullptr);
  for (OGRFeatureUniquePtr& f : rows) change(*f);
}

void put_style(OGRLayer& t, const LayerStyle& s, const std::string& path) {
  // QGIS reads a layer's styles by f_table_schema = '' (an empty string, not
  // NULL), table name and geometry column; one row per style name.
  const std::string key = "f_table_schema = '' AND f_table_name = " + quoted(s.layer) +
                          " AND f_geometry_column = " + quoted(s.geometry_column);
  for_rows(t, key + " AND styleName = " + quoted(s.name), path, [&](OGRFeature& f) {
    if (t.DeleteFeature(f.GetFID()) != OGRERR_NONE) fail(path, "cannot replace style " + s.name);
  });
  if (s.use_as_default) {
    for_rows(t, key + " AND useAsDefault = 1", path, [&](OGRFeature& f) {
      f.SetField("useAsDefault", 0);
      if (t.SetFeature(&f) != OGRERR_NONE) fail(path, "cannot unset the default style of " + s.layer);
    });
  }
  OGRFeatureUniquePtr f(OGRFeature::CreateFeature(t.GetLayerDefn()));
  f->SetField("f_table_catalog", "");
  f->SetField("f_table_schema", "");
  f->SetField("f_table_name", s.layer.c_str());
  f->SetField("f_geometry_column", s.geometry_column.c_str());
  f->SetField("styleName", s.name.c_str());
  f->SetField("styleQML", s.qml.c_str());
  f->SetField("styleSLD", "");
  f->SetField("useAsDefault", s.use_as_default ? 1 : 0);
  f->SetField("description", ("hotspot engine: " + s.name).c_str());
  f->SetField("owner", "");
  // update_time: the column's default, CURRENT_TIMESTAMP.
  if (t.CreateFeature(f.get()) != OGRERR_NONE) fail(path, "cannot store style " + s.name + " for " + s.layer);
}

// ---- which style for which layer ----

std::vector<double> field_values(OGRLayer& layer, int field) {
  std::vector<double> values;
  layer.ResetReading();
  for (OGRFeatureUniquePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature()))
    if (f->IsFieldSetAndNotNull(field)) values.push_back(f->GetFieldAsDouble(field));
  return values;
}

bool has_significance_classes(OGRLayer& layer, const std::string& path) {
  if (layer.GetLayerDefn()->GetFieldIndex("significance") < 0) return false;
  const std::string where =
      "significance IS NOT NULL AND significance NOT IN ('not applicable', 'withheld (small count)')";
  if (layer.SetAttributeFilter(where.c_str()) != OGRERR_NONE)
    fail(path, std::string("cannot query ") + layer.GetName());
  layer.ResetReading();
  const OGRFeatureUniquePtr f(layer.GetNextFeature());
  layer.SetAttributeFilter(nullptr);
  return f != nullptr;
}

// ---- rasters ----

// The value at the top 1% of a raster's valid cells (NaN and nodata
// excluded); its maximum if that is 0; 0 for an empty or all-zero raster.
double ramp_top(const std::string& path) {
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!ds) fail(path, "cannot open");
  GDALRasterBand* band = ds->GetRasterBand(1);
  if (!band) fail(path, "has no band 1");
  int has_nodata = 0;
  const double nodata = band->GetNoDataValue(&has_nodata);
  const int nx = band->GetXSize(), ny = band->GetYSize();
  std::vector<float> row(static_cast<size_t>(nx));
  std::vector<float> values;
  for (int r = 0; r < ny; ++r) {
    if (band->RasterIO(GF_Read, 0, r, nx, 1, row.data(), nx, 1, GDT_Float32, 0, 0) != CE_None)
      fail(path, "cannot read row " + std::to_string(r));
    for (float v : row)
      if (std::isfinite(v) && !(has_nodata && double(v) == nodata)) values.push_back(v);
  }
  if (values.empty()) return 0;
  const auto k = values.begin() + std::ptrdiff_t(0.99 * double(values.size() - 1));
  std::nth_element(values.begin(), k, values.end());
  const double top = *k > 0 ? *k : *std::max_element(values.begin(), values.end());
  if (!(top > 0)) return 0;
  const double unit = std::pow(10.0, std::floor(std::log10(top)) - 1);  // two significant digits:
  return std::round(top / unit) * unit;                                 // a legend that reads well
}

}  // namespace

void write_layer_styles(const std::string& gpkg_path, const std::vector<LayerStyle>& styles) {
  GDALDatasetUniquePtr ds(
      GDALDataset::Open(gpkg_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
  if (!ds) fail(gpkg_path, "cannot open for update");
  for (const LayerStyle& s : styles)
    if (!ds->GetLayerByName(s.layer.c_str())) throw OutputError(gpkg_path + ": no layer " + s.layer + " to style");
  OGRLayer* table = ds->GetLayerByName(kStyleTable);
  if (!table) table = create_style_table(*ds, gpkg_path);
  check_style_table(*table, gpkg_path);
  if (ds->StartTransaction() != OGRERR_NONE) fail(gpkg_path, "cannot start a transaction");
  try {
    for (const LayerStyle& s : styles) put_style(*table, s, gpkg_path);
  } catch (...) {
    ds->RollbackTransaction();
    throw;
  }
  if (ds->CommitTransaction() != OGRERR_NONE) fail(gpkg_path, "cannot commit the styles");
  CPLErrorReset();
  GDALClose(GDALDataset::ToHandle(ds.release()));
  if (CPLGetLastErrorType() == CE_Failure) fail(gpkg_path, "cannot close");
}

std::string read_qml(const std::string& maps_dir, const std::string& name) {
  const std::string path = (fs::path(maps_dir) / (name + ".qml")).string();
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) throw OutputError(path + ": cannot read the QGIS style");
  return text.str();
}

std::vector<LayerStyle> default_styles(const std::string& gpkg_path, const std::string& maps_dir) {
  GDALDatasetUniquePtr ds(
      GDALDataset::Open(gpkg_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) fail(gpkg_path, "cannot open");
  std::map<std::string, std::string> qml;
  const auto style = [&](OGRLayer& l, const std::string& name, bool use_as_default) {
    if (!qml.count(name)) qml[name] = read_qml(maps_dir, name);
    return LayerStyle{l.GetName(), l.GetGeometryColumn(), "hotspot " + name, qml[name], use_as_default};
  };
  std::vector<LayerStyle> out;
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer& l = *ds->GetLayer(i);
    const OGRwkbGeometryType type = wkbFlatten(l.GetGeomType());
    const std::string name = l.GetName();
    if (type == wkbPoint || type == wkbMultiPoint) {
      out.push_back(style(l, "points", true));
    } else if ((type == wkbPolygon || type == wkbMultiPolygon) && name.rfind("hotspots_", 0) == 0) {
      out.push_back(style(l, "hotspots", true));
    } else if (type == wkbPolygon || type == wkbMultiPolygon) {
      const OGRFeatureDefn& defn = *l.GetLayerDefn();
      const char* count_field = defn.GetFieldIndex("cur_all_crime") >= 0 ? "cur_all_crime"
                                : defn.GetFieldIndex("n_all") >= 0       ? "n_all"
                                                                         : nullptr;
      const bool significance = has_significance_classes(l, gpkg_path);
      if (significance) out.push_back(style(l, "significance", true));
      if (count_field) {
        LayerStyle counts = style(l, "counts", !significance);
        const std::vector<double> bounds =
            quantile_bounds(field_values(l, defn.GetFieldIndex(count_field)), count_ranges(counts.qml));
        if (!bounds.empty())
          counts.qml =
              from_template(maps_dir + "/counts.qml", [&] { return with_classes(counts.qml, count_field, bounds); });
        out.push_back(std::move(counts));
      }
      if (defn.GetFieldIndex("gi_bin") >= 0) out.push_back(style(l, "gistar", false));
      out.push_back(style(l, "boundaries", !significance && !count_field));
    }
  }
  return out;
}

void write_raster_styles(const std::string& out_dir, const std::string& maps_dir) {
  const fs::path kde = fs::path(out_dir) / "kde";
  std::error_code ec;
  if (!fs::is_directory(kde, ec)) return;
  std::vector<fs::path> tifs;
  for (const auto& entry : fs::directory_iterator(kde, ec))
    if (entry.path().extension() == ".tif") tifs.push_back(entry.path());
  if (ec) throw OutputError(kde.string() + ": cannot list: " + ec.message());
  std::sort(tifs.begin(), tifs.end());
  const std::string heat_path = (fs::path(maps_dir) / "heatmap.qml").string();
  const std::string heat = read_qml(maps_dir, "heatmap");
  const bool has_gistar = fs::exists(fs::path(maps_dir) / "gistar_raster.qml", ec);
  const std::string gistar = has_gistar ? read_qml(maps_dir, "gistar_raster") : "";
  for (const fs::path& tif : tifs) {
    const std::string stem = tif.stem().string();
    fs::path sidecar = tif;
    sidecar.replace_extension(".qml");  // QGIS looks for <basename>.qml
    const bool is_gistar = stem.size() > 7 && stem.compare(stem.size() - 7, 7, "_gistar") == 0;
    if (is_gistar) {
      if (has_gistar) write_text(sidecar, gistar);
      continue;
    }
    const double top = ramp_top(tif.string());
    write_text(sidecar, top > 0 ? from_template(heat_path, [&] { return scale_ramp(heat, top); }) : heat);
  }
}

std::string with_classes(const std::string& qml, const std::string& field, const std::vector<double>& bounds) {
  std::string out = qml;
  Tag renderer = require_tag(out, "renderer-v2");
  set_attr(out, renderer, "attr", field);  // a field name: no XML escaping needed
  size_t i = 0;
  for (auto t = find_tag(out, "range", renderer.end, out.find("</ranges>")); t;
       t = find_tag(out, "range", t->end, out.find("</ranges>")), ++i) {
    if (i + 1 >= bounds.size()) throw OutputError("QML: more <range> elements than classes");
    // QGIS's label: "%1 - %2" at the template's precision 0.
    const std::string label =
        num(bounds[i], std::chars_format::fixed, 0) + " - " + num(bounds[i + 1], std::chars_format::fixed, 0);
    set_attr(out, *t, "lower", num(bounds[i]));
    set_attr(out, *t, "upper", num(bounds[i + 1]));
    set_attr(out, *t, "label", label);
  }
  if (i + 1 != bounds.size()) throw OutputError("QML: fewer <range> elements than classes");
  return out;
}

std::vector<double> quantile_bounds(std::vector<double> values, int classes) {
  if (values.empty() || classes < 1) return {};
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  std::vector<double> bounds{values.front()};
  for (int i = 1; i < classes; ++i) {
    const double a = double(i) / double(classes) * double(n - 1);
    const size_t lo = size_t(a);
    const double r = a - double(lo);
    bounds.push_back((1 - r) * values[lo] + r * values[std::min(lo + 1, n - 1)]);
  }
  bounds.push_back(values.back());
  return bounds;
}

std::string scale_ramp(const std::string& qml, double max) {
  std::string out = qml;
  Tag renderer = require_tag(out, "rasterrenderer");
  const double old_max = to_double(get_attr(out, renderer, "classificationMax"));
  if (!(old_max > 0)) throw OutputError("QML: classificationMax is not positive");
  set_attr(out, renderer, "classificationMax", num(max));
  Tag shader = require_tag(out, "colorrampshader", renderer.end);
  set_attr(out, shader, "maximumValue", num(max));
  for (auto t = find_tag(out, "item", shader.end, out.find("</colorrampshader>")); t;
       t = find_tag(out, "item", t->end, out.find("</colorrampshader>"))) {
    const double v = to_double(get_attr(out, *t, "value")) * max / old_max;
    set_attr(out, *t, "value", num(v));
    set_attr(out, *t, "label", num(v, std::chars_format::general, 6));
  }
  return out;
}

}  // namespace hotspot::report
