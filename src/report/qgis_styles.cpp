#include "report/qgis_styles.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "hotspot/errors.h"
#include "io/gdal_error_scope.h"

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

std::string read_text(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) throw OutputError(path + ": cannot read the " + what);
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) { write_style_file(path, text); }

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
  // Only that column is read: GDAL leaves the others and the geometry out of
  // its SELECT (all English LSOAs: their blobs and 100+ columns took ~0.5 s).
  OGRFeatureDefn* defn = layer.GetLayerDefn();
  CPLStringList ignored;
  for (int i = 0; i < defn->GetFieldCount(); ++i)
    if (i != field) ignored.AddString(defn->GetFieldDefn(i)->GetNameRef());
  ignored.AddString("OGR_GEOMETRY");
  ignored.AddString("OGR_STYLE");
  layer.SetIgnoredFields(const_cast<const char**>(ignored.List()));
  std::vector<double> values;
  layer.ResetReading();
  for (OGRFeatureUniquePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature()))
    if (f->IsFieldSetAndNotNull(field)) values.push_back(f->GetFieldAsDouble(field));
  layer.SetIgnoredFields(nullptr);
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

// The count field for a counts style: `preferred` if the layer has it, else
// n_all (no statistics), else none.
std::string count_field(OGRLayer& layer, const std::string& preferred) {
  for (const std::string& name : {preferred, std::string("n_all")})
    if (!name.empty() && layer.GetLayerDefn()->GetFieldIndex(name.c_str()) >= 0) return name;
  return "";
}

// A graduated QML (a counts.qml, or its copy in a project) with its classes
// recomputed from `layer`; unchanged if the layer has no count field or no
// values. `source` names the template in errors.
std::string fit_counts(const std::string& qml, OGRLayer& layer, const std::string& source) {
  return from_template(source, [&] {
    const std::string field = count_field(layer, get_attr(qml, require_tag(qml, "renderer-v2"), "attr"));
    if (field.empty()) return qml;
    const std::vector<double> bounds =
        quantile_bounds(field_values(layer, layer.GetLayerDefn()->GetFieldIndex(field.c_str())), count_ranges(qml));
    return bounds.empty() ? qml : with_classes(qml, field, bounds);
  });
}

// ---- rasters ----

}  // namespace

std::vector<fs::path> tifs_in(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> tifs;
  if (!fs::is_directory(dir, ec)) return tifs;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".tif") tifs.push_back(entry.path());
  if (ec) throw OutputError(dir.string() + ": cannot list: " + ec.message());
  std::sort(tifs.begin(), tifs.end());
  return tifs;
}

void write_style_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw OutputError(path.string() + ": cannot write the QGIS style");
}

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

namespace {

// The heat map's hotspot threshold, from the GeoTIFF's metadata (the
// surface parameters); NaN when absent.
double hotspot_threshold(const std::string& path) {
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  const char* v = ds ? ds->GetMetadataItem("hotspot_threshold") : nullptr;
  double t = NAN;
  if (v) std::from_chars(v, v + std::strlen(v), t);
  return t;
}

// The ramp's top and the hotspot threshold stated together in the legend
// (issue 9): the last colour stop reads "350 and above (ramp top); hotspot
// areas from 123".
std::string ramp_with_threshold(const std::string& qml, double top, double threshold) {
  std::string out = scale_ramp(qml, top);
  if (!std::isfinite(threshold)) return out;
  const size_t end = out.find("</colorrampshader>");
  std::optional<Tag> last;
  for (auto t = find_tag(out, "item", 0, end); t; t = find_tag(out, "item", t->end, end)) last = t;
  if (!last) return out;
  set_attr(out, *last, "label",
           num(top, std::chars_format::general, 6) + " and above (ramp top); hotspot areas from " +
               num(threshold, std::chars_format::general, 6));
  return out;
}

// ---- the project ----

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string between(const std::string& text, const std::string& open, const std::string& close) {
  const size_t b = text.find(open);
  if (b == std::string::npos) return "";
  const size_t e = text.find(close, b + open.size());
  return e == std::string::npos ? "" : text.substr(b + open.size(), e - b - open.size());
}

// Fits one <maplayer> of the template to the pack in `dir` as the sidecars
// and default styles are fitted; false when the pack lacks its file or
// table (or has the table without geometry, as public packs' repeat_locations).
bool fit_map_layer(std::string& block, const fs::path& dir, GDALDataset* gpkg, const std::string& source_name) {
  const std::string source = between(block, "<datasource>", "</datasource>");
  const std::string kGpkg = "./hotspot.gpkg|layername=";
  if (source.rfind("./kde/", 0) == 0) {
    const fs::path tif = dir / source.substr(2);
    std::error_code ec;
    if (!fs::exists(tif, ec)) return false;
    if (!ends_with(tif.stem().string(), "_gistar") && block.find("\"singlebandpseudocolor\"") != std::string::npos) {
      const double top = ramp_top(tif.string());
      const double threshold = hotspot_threshold(tif.string());
      if (top > 0) block = from_template(source_name, [&] { return ramp_with_threshold(block, top, threshold); });
    }
    return true;
  }
  if (source.rfind(kGpkg, 0) != 0) return true;  // not ours: left to QGIS
  if (!gpkg) return false;
  const std::string name = source.substr(kGpkg.size(), source.find('|', kGpkg.size()) - kGpkg.size());
  OGRLayer* layer = gpkg->GetLayerByName(name.c_str());
  if (!layer) return false;
  if (wkbFlatten(layer->GetGeomType()) == wkbNone && block.find("geometry=\"No geometry\"") == std::string::npos)
    return false;
  if (block.find("type=\"graduatedSymbol\"") != std::string::npos) block = fit_counts(block, *layer, source_name);
  return true;
}

bool refers_to(const std::string& line, const std::set<std::string>& ids) {
  for (const std::string& id : ids)
    if (line.find("\"" + id + "\"") != std::string::npos || line.find(">" + id + "<") != std::string::npos) return true;
  return false;
}

std::vector<std::string> split_lines(const std::string& text) {  // each keeps its '\n'
  std::vector<std::string> lines;
  for (size_t b = 0; b < text.size();) {
    const size_t e = std::min(text.find('\n', b), text.size() - 1);
    lines.push_back(text.substr(b, e + 1 - b));
    b = e + 1;
  }
  return lines;
}

using Blocks = std::map<size_t, std::pair<size_t, std::string>>;  // first line -> (last line, new text)

// The project's text with each block replaced and every line referring to
// a dropped layer left out (a <layer-tree-layer> with its children).
std::string assemble(const std::vector<std::string>& lines, const Blocks& blocks, const std::set<std::string>& dropped) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (const auto b = blocks.find(i); b != blocks.end()) {
      out += b->second.second;
      i = b->second.first;
    } else if (lines[i].find("<layer-tree-layer ") != std::string::npos && refers_to(lines[i], dropped)) {
      const bool self_closing = lines[i].find("/>") != std::string::npos;  // the tag is the whole line
      while (!self_closing && lines[i].find("</layer-tree-layer>") == std::string::npos && i + 1 < lines.size()) ++i;
    } else if (!refers_to(lines[i], dropped)) {
      out += lines[i];
    }
  }
  return out;
}

}  // namespace

void write_layer_styles(const std::string& gpkg_path, const std::vector<LayerStyle>& styles) {
  io::GdalErrorScope errors;
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
  GDALClose(GDALDataset::ToHandle(ds.release()));
  if (errors.failed()) throw OutputError(gpkg_path + ": " + errors.first_failure());
}

std::string read_qml(const std::string& maps_dir, const std::string& name) {
  return read_text((fs::path(maps_dir) / (name + ".qml")).string(), "QGIS style");
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
    if (name.rfind("context_", 0) == 0) {  // the user's context layers (qgis_context.h)
      out.push_back(style(l, type == wkbPoint || type == wkbMultiPoint           ? "context_points"
                             : type == wkbLineString || type == wkbMultiLineString ? "context_lines"
                                                                                   : "context_polygons",
                          true));
    } else if (type == wkbPoint || type == wkbMultiPoint) {
      out.push_back(style(l, "points", true));
    } else if ((type == wkbPolygon || type == wkbMultiPolygon) && name.rfind("hotspots_", 0) == 0) {
      out.push_back(style(l, "hotspots", true));
    } else if ((type == wkbPolygon || type == wkbMultiPolygon) && name.rfind("cocoons_", 0) == 0) {
      out.push_back(style(l, "cocoons", true));  // with the temporal controller's settings
    } else if ((type == wkbPolygon || type == wkbMultiPolygon) && name.rfind("risk_", 0) == 0) {
      out.push_back(style(l, "risk_top", true));  // the top X% cells of a risk surface
    } else if ((type == wkbPolygon || type == wkbMultiPolygon) && name.rfind("emerging_", 0) == 0) {
      out.push_back(style(l, "emerging", true));
    } else if (type == wkbPolygon || type == wkbMultiPolygon) {
      const bool counts = !count_field(l, "cur_all_crime").empty();
      const bool significance = has_significance_classes(l, gpkg_path);
      if (significance) out.push_back(style(l, "significance", true));
      if (counts) {
        LayerStyle s = style(l, "counts", !significance);
        s.qml = fit_counts(s.qml, l, maps_dir + "/counts.qml");
        out.push_back(std::move(s));
      }
      // % variance of All crime on a diverging scale (an alternative style).
      if (l.GetLayerDefn()->GetFieldIndex("pctv_all_crime") >= 0 && fs::exists(fs::path(maps_dir) / "change.qml"))
        out.push_back(style(l, "change", false));
      if (l.GetLayerDefn()->GetFieldIndex("gi_bin") >= 0) out.push_back(style(l, "gistar", false));
      out.push_back(style(l, "boundaries", !significance && !counts));
    }
  }
  return out;
}

std::vector<std::string> write_raster_styles(const std::string& out_dir, const std::string& maps_dir) {
  std::error_code ec;
  std::vector<std::string> written;
  const std::vector<fs::path> tifs = tifs_in(fs::path(out_dir) / "kde");
  if (tifs.empty()) return written;
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
      if (!has_gistar) continue;
      write_text(sidecar, gistar);
    } else {
      const double top = ramp_top(tif.string());
      const double threshold = hotspot_threshold(tif.string());
      write_text(sidecar,
                 top > 0 ? from_template(heat_path, [&] { return ramp_with_threshold(heat, top, threshold); }) : heat);
    }
    written.push_back("kde/" + sidecar.filename().string());
  }
  return written;
}

// The template has layers for the demo's surfaces ("all", "burglary", ...)
// and areas ("lsoa", "ward", "beat"). A run whose surfaces have other names
// gets copies of the "all" layers (density raster, Gi* raster, hotspot
// polygons), one set per surface the template does not name; a run whose
// area layers have other names gets copies of "beat (boundaries)" (an
// outline labelled by name, which suits any area layer). Each copy is placed
// right after its original with its own id, name and source, unticked (but
// for the area the maps outline: ticked). fit_map_layer then fits each copy
// (its ramp to its own raster) or drops it when its file is absent.
struct LayerTemplate {
  std::string source, name;  // as in the template
  std::string base;          // the name part a copy replaces ("all", "beat")
  std::string source_for(const std::string& s) const { return replaced(source, base, s); }
  std::string name_for(const std::string& s) const { return replaced(name, base, s); }
  static std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const size_t at = text.rfind(from);  // the last: "hotspots_all", "all_gistar", "./kde/all.tif"
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
  }
};
const LayerTemplate kSurfaceLayers[] = {{"./kde/all.tif", "all", "all"},
                                        {"./kde/all_gistar.tif", "all_gistar", "all"},
                                        {"./hotspot.gpkg|layername=hotspots_all", "hotspots_all", "all"}};
const LayerTemplate kAreaLayer = {"./hotspot.gpkg|layername=beat", "beat (boundaries)", "beat"};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
  return text;
}

// A deterministic id for a copied layer (QGIS wants them unique, not random).
std::string copy_id(const std::string& name) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  std::string id;
  for (unsigned char c : name) {
    h = (h ^ c) * 1099511628211ULL;
    id += std::isalnum(c) ? char(c) : '_';  // "sector (boundaries)" -> "sector__boundaries_"
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return id + "_" + hex;
}

// The area layers of the pack's GeoPackage (polygon tables other than
// hotspots_*), in table order.
std::vector<std::string> area_tables(const fs::path& dir) {
  std::vector<std::string> out;
  const std::string path = (dir / "hotspot.gpkg").string();
  std::error_code ec;
  if (!fs::exists(path, ec)) return out;
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) fail(path, "cannot open");
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer& l = *ds->GetLayer(i);
    const OGRwkbGeometryType type = wkbFlatten(l.GetGeomType());
    const std::string name = l.GetName();
    if ((type == wkbPolygon || type == wkbMultiPolygon) && name.rfind("hotspots_", 0) != 0) out.push_back(name);
  }
  return out;
}

std::vector<std::string> with_surface_copies(const std::vector<std::string>& lines, const fs::path& dir,
                                             const std::string& shown_area, const std::string& shown_surface) {
  // Surfaces and areas of this run the template does not name: kde/<name>.tif,
  // and the GeoPackage's area tables.
  std::set<std::string> named, named_tables;
  for (const std::string& l : lines) {
    if (l.find("<datasource>./kde/") != std::string::npos) named.insert(between(l, "<datasource>./kde/", ".tif"));
    if (l.find("<datasource>./hotspot.gpkg|layername=") != std::string::npos)
      named_tables.insert(between(l, "<datasource>./hotspot.gpkg|layername=", "</datasource>"));
  }
  std::map<const LayerTemplate*, std::vector<std::string>> extra;
  std::error_code ec;
  std::vector<std::string> surfaces;
  for (const auto& e : fs::directory_iterator(dir / "kde", ec)) {
    const std::string stem = e.path().stem().string();
    if (e.path().extension() == ".tif" && !ends_with(stem, "_gistar") && !named.count(stem)) surfaces.push_back(stem);
  }
  std::sort(surfaces.begin(), surfaces.end());
  for (const LayerTemplate& t : kSurfaceLayers)
    if (!surfaces.empty()) extra[&t] = surfaces;
  for (const std::string& table : area_tables(dir))
    if (!named_tables.count(table)) extra[&kAreaLayer].push_back(table);
  if (extra.empty()) return lines;
  // The template's id of each copied layer, from its <maplayer> block.
  std::map<std::string, const LayerTemplate*> by_id;
  for (size_t i = 0; i < lines.size(); ++i)
    for (const auto& [t, names] : extra)
      if (lines[i].find("<datasource>" + t->source + "</datasource>") != std::string::npos)
        for (size_t k = i; k-- > 0 && k + 12 > i;)
          if (lines[k].find("<id>") != std::string::npos) by_id[between(lines[k], "<id>", "</id>")] = t;
  auto copy = [&](const std::string& text, const std::string& id, const LayerTemplate& t, const std::string& s) {
    std::string out = replace_all(text, id, copy_id(t.name_for(s)));
    out = replace_all(out, t.source, t.source_for(s));
    out = replace_all(out, "name=\"" + t.name + "\"", "name=\"" + t.name_for(s) + "\"");
    out = replace_all(out, ">" + t.name + "<", ">" + t.name_for(s) + "<");
    // Shown as the template shows its original: the maps' area, and the
    // maps' heat map when the template's own ("all") is not in the pack.
    const bool shown = &t == &kAreaLayer ? s == shown_area
                                         : s == shown_surface && !fs::exists(dir / "kde" / "all.tif", ec);
    return shown ? out : replace_all(out, "Qt::Checked", "Qt::Unchecked");
  };
  std::vector<std::string> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    // The element a line opens: a <maplayer> block, a <layer-tree-layer>
    // element, or the line alone (layer order, legend, snapping entries).
    size_t j = i;
    const char* close = lines[i].find("<maplayer ") != std::string::npos ? "</maplayer>"
                        : lines[i].find("<layer-tree-layer ") != std::string::npos &&
                                  lines[i].find("/>") == std::string::npos
                            ? "</layer-tree-layer>"
                            : nullptr;
    if (close)
      while (j + 1 < lines.size() && lines[j].find(close) == std::string::npos) ++j;
    std::string element;
    for (size_t k = i; k <= j; ++k) element += lines[k];
    for (size_t k = i; k <= j; ++k) out.push_back(lines[k]);
    for (const auto& [id, t] : by_id)
      if (element.find(id) != std::string::npos)
        for (const std::string& s : extra[t]) {
          const std::vector<std::string> copied = split_lines(copy(element, id, *t, s));
          out.insert(out.end(), copied.begin(), copied.end());
        }
    i = j;
  }
  return out;
}

// The project opens on `view`: a DefaultViewExtent in the template's
// <ProjectViewSettings>, with the project's own CRS.
std::string with_view(std::string text, const Box& view, const std::string& source_name) {
  const size_t settings = text.find("<ProjectViewSettings");
  const size_t crs_open = text.find("<spatialrefsys");
  const size_t crs_close = text.find("</spatialrefsys>", crs_open);
  if (settings == std::string::npos || crs_open == std::string::npos || crs_close == std::string::npos)
    throw OutputError(source_name + ": no <ProjectViewSettings> or project CRS to set the view in");
  const size_t after = text.find('>', settings) + 1;
  const std::string crs = text.substr(crs_open, crs_close + 16 - crs_open);
  char extent[200];
  std::snprintf(extent, sizeof extent, "<DefaultViewExtent xmin=\"%.3f\" ymin=\"%.3f\" xmax=\"%.3f\" ymax=\"%.3f\">",
                view.min_x, view.min_y, view.max_x, view.max_y);
  return text.insert(after, "\n    " + std::string(extent) + crs + "</DefaultViewExtent>");
}

// The layers of a project's layer tree, top first; `ticked` only those shown.
std::vector<ProjectLayer> tree_layers(const std::string& project, bool ticked) {
  std::vector<ProjectLayer> out;
  const size_t tree_end = project.find("</layer-tree-group>\n  <");  // the tree's root group ends first at this indent
  for (size_t at = project.find("<layer-tree-layer "); at < tree_end; at = project.find("<layer-tree-layer ", at + 1)) {
    const size_t end = project.find('>', at);
    const std::string tag = project.substr(at, end - at);
    auto attr = [&](const std::string& a) { return between(tag, " " + a + "=\"", "\""); };
    if (ticked && attr("checked") != "Qt::Checked") continue;
    out.push_back({attr("id"), attr("name"), attr("source"), attr("providerKey")});
  }
  return out;
}

// The project with its print layouts (qgis_layouts.h) in place of the
// template's empty <Layouts/>.
std::string with_layouts(const std::string& project, LayoutInfo info, const std::string& source_name) {
  const size_t at = project.find("<Layouts/>");
  if (at == std::string::npos) throw OutputError(source_name + ": no empty <Layouts/> to put the print layouts in");
  info.legend = tree_layers(project, true);
  info.atlas = {};
  if (!info.atlas_table.empty())
    for (const ProjectLayer& l : tree_layers(project, false))
      if (l.source == "./hotspot.gpkg|layername=" + info.atlas_table) info.atlas = l;
  const size_t line = project.rfind('\n', at) + 1;
  const size_t next = project.find('\n', at) + 1;
  return project.substr(0, line) + layouts_xml(info) + project.substr(next);
}

void write_project(const std::string& maps_dir, const std::string& out_dir, const Box* view, const LayoutInfo* layouts,
                   const ProjectExtras& extras) {
  const std::string source_name = (fs::path(maps_dir) / "pack.qgs").string();
  const std::string text = read_text(source_name, "QGIS project template");
  const fs::path dir(out_dir);
  const std::string gpkg_path = (dir / "hotspot.gpkg").string();
  std::error_code ec;
  GDALDatasetUniquePtr gpkg;
  if (fs::exists(gpkg_path, ec)) {
    gpkg.reset(GDALDataset::Open(gpkg_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!gpkg) fail(gpkg_path, "cannot open");
  }
  // QGIS writes one element per line: a <maplayer> spans lines up to its
  // </maplayer>; other references to a layer (layer tree, layer order,
  // snapping) are lines carrying its id.
  const std::vector<std::string> lines =
      with_surface_copies(split_lines(text), dir, layouts ? layouts->area_table : std::string(),
                          layouts ? layouts->surface : std::string());
  Blocks blocks;  // first line -> (last line, fitted text)
  std::set<std::string> dropped;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("<maplayer ") == std::string::npos) continue;
    size_t j = i;
    std::string block = lines[i];
    while (lines[j].find("</maplayer>") == std::string::npos) {
      if (++j == lines.size()) throw OutputError(source_name + ": a <maplayer> has no end");
      block += lines[j];
    }
    const bool keep = fit_map_layer(block, dir, gpkg.get(), source_name);
    if (!keep) dropped.insert(between(block, "<id>", "</id>"));
    blocks[i] = {j, keep ? block : ""};
    i = j;
  }
  std::string project = assemble(lines, blocks, dropped);
  project = from_template(source_name, [&] { return with_project_extras(project, extras, maps_dir); });
  if (view) project = with_view(project, *view, source_name);
  if (layouts) project = with_layouts(project, *layouts, source_name);
  write_text(dir / "project.qgs", project);
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
