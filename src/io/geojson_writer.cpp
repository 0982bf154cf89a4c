// write_geojson: a table as RFC 7946 GeoJSON, byte for byte the file GDAL
// 3.6's GeoJSON driver writes (RFC7946=YES, WRITE_NAME=NO), but streamed
// and formatted on all cores.
//
// Why hand-written instead of GDAL's driver: on the national job (32,844
// LSOAs with 100+ count columns) GDAL's writer was ~41% of the whole run's
// CPU, on one thread: a json-c object tree per feature, a copy of every
// feature (with its field map rebuilt), an ostringstream per coordinate and
// a full re-parse of the file afterwards. Our layers are simple (text,
// integer and real columns; points or multipolygons), so the features are
// formatted here directly, in chunks on `threads` threads, and written in
// order. The rules below are GDAL's (ogrgeojsonwriter.cpp, GDAL 3.6) and
// json-c 0.16's; the tests compare whole files with GDAL's.
//
// Where a table holds something this writer does not reproduce exactly (a
// text value GDAL would parse as JSON, a number GDAL would read differently,
// duplicate column names, empty rings, geometries near the antimeridian or
// outside lon/lat bounds) the whole table goes through GDAL's driver
// instead, so the file is the same either way.
#include "io/geojson_writer.h"

#include <ogr_geometry.h>
#include <ogr_p.h>

#include <atomic>
#include <charconv>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <thread>

#include "geo/crs.h"
#include "hotspot/errors.h"
#include "io/gdal_values.h"

namespace hotspot::io {

namespace {

// v as snprintf's "%.7f" writes it; the length, or -1 if it does not fit.
int fixed7(char* buf, size_t size, double v) {
  const auto r = std::to_chars(buf, buf + size - 1, v, std::chars_format::fixed, 7);
  if (r.ec != std::errc()) return -1;
  *r.ptr = '\0';
  return static_cast<int>(r.ptr - buf);
}

}  // namespace

void append_geojson_coordinate(std::string& out, double v) {
  // "%.7f" by std::to_chars: the same characters as snprintf (both give the
  // exact decimal value correctly rounded, ties to even) without printf's
  // format parsing and multi-precision digit loop; snprintf was ~55% of
  // formatting the national job's lsoa GeoJSON (~10M coordinates).
  char buf[80];
  int n = fixed7(buf, sizeof buf, v);
  // GDAL's OGRFormatDouble prints "%.7f" too (as an ostringstream in fixed
  // notation), then "intelliround"s strings of more than 10 characters
  // (trailing 0000x / 9999x runs). Shorter ones, every lon/lat in the UK,
  // are only trimmed; longer ones are handed to GDAL's function itself.
  if (n <= 0 || n > 10) {
    OGRFormatDouble(buf, sizeof buf, v, '.', 7, 'f');
    out += buf;
    return;
  }
  while (n > 0 && buf[n - 1] == '0') --n;
  out.append(buf, static_cast<size_t>(n));
  if (n > 0 && buf[n - 1] == '.') out += '0';
}

void append_geojson_real(std::string& out, double v) {
  char buf[80];
  int n = std::snprintf(buf, sizeof buf, "%.17g", v);
  const auto has_run = [&buf] {
    const char* dot = std::strchr(buf, '.');
    return dot && (std::strstr(dot, "999999") || std::strstr(dot, "000000"));
  };
  if (has_run()) {
    bool ok = false;
    for (int digits = 16; digits >= 14 && !ok; --digits) {
      n = std::snprintf(buf, sizeof buf, "%.*g", digits, v);
      ok = std::strchr(buf, '.') && !has_run();
    }
    if (!ok) n = std::snprintf(buf, sizeof buf, "%.17g", v);
  }
  out.append(buf, static_cast<size_t>(n));
  if (!std::strchr(buf, '.') && !std::strchr(buf, 'e')) out += ".0";
}

void append_geojson_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const char* esc = nullptr;
    switch (c) {
      case '\b':
        esc = "\\b";
        break;
      case '\n':
        esc = "\\n";
        break;
      case '\r':
        esc = "\\r";
        break;
      case '\t':
        esc = "\\t";
        break;
      case '\f':
        esc = "\\f";
        break;
      case '"':
        esc = "\\\"";
        break;
      case '\\':
        esc = "\\\\";
        break;
      default:
        if (c >= 0x20) continue;
    }
    out.append(s.data() + start, i - start);
    if (esc) {
      out += esc;
    } else {
      const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      out.append(u, sizeof u);
    }
    start = i + 1;
  }
  out.append(s.data() + start, s.size() - start);
  out += '"';
}

namespace {


bool lon_lat_ok(const Point& p, double max_abs_lon) {
  return std::isfinite(p.x) && std::isfinite(p.y) && std::fabs(p.x) <= max_abs_lon && std::fabs(p.y) <= 90.0;
}

// GDAL writes rings by the right-hand rule (RFC 7946: outer rings
// anticlockwise, holes clockwise), reversing those that are not, as its
// OGRLinearRing::isClockwise judges them: that test (with its fallbacks for
// degenerate rings) is asked of GDAL itself, on a ring reused per thread.
class RingWriter {
 public:
  bool append(std::string& out, const Ring& ring, bool exterior) {
    if (ring.empty()) return false;
    pts_.clear();
    for (const Point& p : ring) {
      if (!lon_lat_ok(p, 170.0)) return false;  // near the antimeridian GDAL may cut the polygon
      pts_.push_back({p.x, p.y});
    }
    pts_.push_back({ring.front().x, ring.front().y});  // closed, as GDAL is given it
    ogr_.setPoints(static_cast<int>(pts_.size()), pts_.data());
    const bool clockwise = ogr_.isClockwise();
    const bool reverse = exterior == clockwise;
    out += "[ ";
    for (size_t k = 0; k < pts_.size(); ++k) {
      const OGRRawPoint& p = pts_[reverse ? pts_.size() - 1 - k : k];
      if (k) out += ", ";
      out += "[ ";
      append_geojson_coordinate(out, p.x);
      out += ", ";
      append_geojson_coordinate(out, p.y);
      out += " ]";
    }
    out += " ]";
    return true;
  }

 private:
  std::vector<OGRRawPoint> pts_;
  OGRLinearRing ogr_;
};

struct Writer {
  const OutTable& table;
  const std::vector<Point>& points;
  const std::vector<const MultiPolygon*>& polygons;  // per row, in EPSG:4326
  std::vector<std::string> keys;  // "\"name\": " per column, escaped

  // Appends features [from, to) as GDAL writes them, each followed by
  // ",\n" but the table's last; false when GDAL must write the table.
  bool format(size_t from, size_t to, std::string& out, RingWriter& rings) const {
    for (size_t r = from; r < to; ++r) {
      out += "{ \"type\": \"Feature\", \"properties\": {";
      bool any = false;
      const std::vector<std::string>& row = table.rows[r];
      for (size_t c = 0; c < table.columns.size(); ++c) {
        const std::string& v = row[c];
        if (v.empty()) continue;  // unset in GDAL: left out
        out += any ? ", " : " ";
        any = true;
        out += keys[c];
        switch (table.columns[c].type) {
          case ColumnType::kText:
            // GDAL parses text that looks like a JSON object or array.
            if ((v.front() == '{' && v.back() == '}') || (v.front() == '[' && v.back() == ']')) return false;
            append_geojson_string(out, v);
            break;
          case ColumnType::kInteger: {
            long long i = 0;
            if (!gdal_integer(v, i)) return false;
            char buf[32];
            out.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, i).ptr - buf));  // as "%lld"
            break;
          }
          case ColumnType::kReal: {
            double d = 0;
            if (!gdal_real(v, d)) return false;
            append_geojson_real(out, d);
            break;
          }
          case ColumnType::kDateTime:
            return false;  // GDAL's own date-time formatting: left to its driver
        }
      }
      out += " }";  // json-c: "{ }" when empty
      out += ", \"geometry\": ";
      if (table.kind == GeometryKind::kPoint) {
        const Point& p = points[r];
        if (!lon_lat_ok(p, 180.0)) return false;
        out += "{ \"type\": \"Point\", \"coordinates\": [ ";
        append_geojson_coordinate(out, p.x);
        out += ", ";
        append_geojson_coordinate(out, p.y);
        out += " ] }";
      } else if (table.kind == GeometryKind::kPolygon) {
        // GDAL's date-line pass (WRAPDATELINE) rebuilds each multipolygon
        // part by part and returns a lone part as a Polygon.
        const MultiPolygon& mp = *polygons[r];
        if (mp.empty()) return false;
        const bool multi = mp.size() > 1;
        out +=
            multi ? "{ \"type\": \"MultiPolygon\", \"coordinates\": [ " : "{ \"type\": \"Polygon\", \"coordinates\": ";
        for (size_t p = 0; p < mp.size(); ++p) {
          if (mp[p].empty()) return false;
          if (p) out += ", ";
          out += "[ ";
          for (size_t k = 0; k < mp[p].size(); ++k) {
            if (k) out += ", ";
            if (!rings.append(out, mp[p][k], k == 0)) return false;
          }
          out += " ]";
        }
        out += multi ? " ] }" : " }";
      } else {
        out += "null";
      }
      out += " }";
      if (r + 1 < table.rows.size()) out += ",\n";
    }
    return true;
  }
};

// Writes the features to `file` in chunks formatted on `threads` threads;
// false when a chunk needs GDAL (the file is then incomplete).
bool stream_features(const Writer& w, std::FILE* file, int threads, bool& write_failed) {
  const size_t rows = w.table.rows.size();
  constexpr size_t kChunk = 256;  // features per chunk
  const size_t chunks = (rows + kChunk - 1) / kChunk;
  threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), std::max<size_t>(chunks, 1)));
  // At most `wave` chunks are held in memory at a time.
  const size_t wave = static_cast<size_t>(threads) * 8;
  std::vector<std::string> text(wave);
  for (size_t first = 0; first < chunks; first += wave) {
    const size_t count = std::min(wave, chunks - first);
    std::atomic<size_t> next{0};
    std::atomic<bool> ok{true};
    auto work = [&] {
      RingWriter rings;
      for (size_t i; ok && (i = next++) < count;) {
        const size_t c = first + i;
        text[i].clear();
        if (!w.format(c * kChunk, std::min(rows, (c + 1) * kChunk), text[i], rings)) ok = false;
      }
    };
    if (threads == 1) {
      work();
    } else {
      std::vector<std::thread> pool;
      for (int t = 0; t < threads; ++t) pool.emplace_back(work);
      for (std::thread& t : pool) t.join();
    }
    if (!ok) return false;
    for (size_t i = 0; i < count; ++i)
      if (std::fwrite(text[i].data(), 1, text[i].size(), file) != text[i].size()) write_failed = true;
    if (write_failed) return true;
  }
  return true;
}

}  // namespace

void write_geojson(const std::string& path, const OutTable& table, const std::string& crs, int threads) {
  // Only tables without geometry are generated row by row (counts_long),
  // and those are never GeoJSON layers: say so rather than write no rows.
  if (table.generate) throw OutputError(path + ": " + table.name + " has generated rows; GeoJSON needs them stored");
  // One bulk geo::transform_points call over the whole layer gives the
  // coordinates GDAL's RFC 7946 writer would (same PROJ operation, point by
  // point) at a fraction of the cost. Rows whose polygon is already in
  // EPSG:4326 (OutTable::lonlat_polygons: an area's source coordinates) are
  // written as they are: no PROJ round trip for them.
  const bool has_lonlat = table.lonlat_polygons.size() == table.polygons.size();
  auto transformed = [&](size_t row) { return !has_lonlat || table.lonlat_polygons[row].empty(); };
  std::vector<double> x, y;
  for (const Point& p : table.points) x.push_back(p.x), y.push_back(p.y);
  for (size_t r = 0; r < table.polygons.size(); ++r)
    if (transformed(r))
      for (const Polygon& poly : table.polygons[r])
        for (const Ring& ring : poly)
          for (const Point& p : ring) x.push_back(p.x), y.push_back(p.y);
  geo::transform_points(crs, "EPSG:4326", x, y, threads);
  for (size_t i = 0; i < x.size(); ++i)
    if (std::isnan(x[i]))
      throw OutputError(path + ": a geometry of " + table.name + " cannot be transformed to EPSG:4326");
  std::vector<Point> points(table.points.size());
  // The transformed rows' copies; `polygons` points at them or, for a
  // lon/lat row, at the table's own copy (not copied again: ~30 MB for
  // all English LSOAs).
  std::vector<MultiPolygon> moved(table.polygons.size());
  std::vector<const MultiPolygon*> polygons(table.polygons.size());
  size_t i = 0;
  for (Point& p : points) p = {x[i], y[i]}, ++i;
  for (size_t r = 0; r < polygons.size(); ++r) {
    if (!transformed(r)) {
      polygons[r] = &table.lonlat_polygons[r];
      continue;
    }
    moved[r] = table.polygons[r];
    for (Polygon& poly : moved[r])
      for (Ring& ring : poly)
        for (Point& p : ring) p = {x[i], y[i]}, ++i;
    polygons[r] = &moved[r];
  }
  x = {}, y = {};

  Writer w{table, points, polygons, {}};
  std::set<std::string> names;
  bool simple = true;
  for (const Column& c : table.columns) {
    simple = simple && names.insert(c.name).second;  // GDAL would drop a repeated column
    std::string key;
    append_geojson_string(key, c.name);
    w.keys.push_back(key + ": ");
  }
  if (simple) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
    if (!file) throw OutputError(path + ": cannot create: " + std::strerror(errno));
    static constexpr char kHead[] = "{\n\"type\": \"FeatureCollection\",\n\"features\": [\n";
    static constexpr char kTail[] = "\n]\n}\n";
    bool failed = std::fwrite(kHead, 1, sizeof kHead - 1, file.get()) != sizeof kHead - 1;
    simple = stream_features(w, file.get(), threads, failed);
    if (simple) {
      failed = failed || std::fwrite(kTail, 1, sizeof kTail - 1, file.get()) != sizeof kTail - 1;
      failed = std::fclose(file.release()) != 0 || failed;
      if (failed)
        throw OutputError(path + ": the GeoJSON could not be written whole (disk full?): " + std::strerror(errno));
      return;
    }
  }
  std::filesystem::remove(path);
  std::vector<MultiPolygon> copies;
  for (const MultiPolygon* mp : polygons) copies.push_back(*mp);
  write_geojson_gdal(path, table, points, copies);
}

}  // namespace hotspot::io
