#include "pipeline/gates.h"

#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "geo/crs.h"
#include "geo/geos_util.h"
#include "hotspot/errors.h"
#include "io/format.h"

namespace hotspot::pipeline {
namespace {

std::string num(double v) { return io::format_number(v, std::chars_format::general, 10); }
std::string deg(double v) { return io::format_number(v, std::chars_format::fixed, 3); }
std::string metres(double v) { return io::format_number(v, std::chars_format::fixed, 0); }

std::string percent(int64_t part, int64_t whole) {
  return whole ? io::format_number(100.0 * double(part) / double(whole), std::chars_format::fixed, 1) + "%" : "-";
}

// Share of the pairs for which `test` holds.
template <class Test>
double share(const std::vector<std::pair<double, double>>& xy, Test test) {
  if (xy.empty()) return 0;
  return double(std::count_if(xy.begin(), xy.end(), [&](const auto& p) { return test(p.first, p.second); })) /
         double(xy.size());
}

// British National Grid's practical extent: eastings 0..700 km, northings 0..1300 km.
bool bng_like(double x, double y) { return x >= 0 && x <= 700000 && y >= 0 && y <= 1300000; }
bool gb_lon_lat(double lon, double lat) { return lon > -8.7 && lon < 1.9 && lat > 49.8 && lat < 60.9; }

std::string example(const std::pair<double, double>& p) { return "x = " + num(p.first) + ", y = " + num(p.second); }

// Where the fix goes: a config block (or the --police-uk flag, which has none).
std::string block_of(const SourceSample& s) { return "the [[incidents]] block that reads " + s.path; }

Box extent_of(const IncidentTable& t) {
  Box b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (size_t i = 0; i < t.size(); ++i) {
    b.min_x = std::min(b.min_x, t.x[i]), b.max_x = std::max(b.max_x, t.x[i]);
    b.min_y = std::min(b.min_y, t.y[i]), b.max_y = std::max(b.max_y, t.y[i]);
  }
  return b;
}

Box extent_of(const AreaLayer& layer) {
  Box b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (const MultiPolygon& mp : layer.geometry) {
    if (mp.empty()) continue;
    const Box x = geo::bounds(mp);
    b.min_x = std::min(b.min_x, x.min_x), b.max_x = std::max(b.max_x, x.max_x);
    b.min_y = std::min(b.min_y, x.min_y), b.max_y = std::max(b.max_y, x.max_y);
  }
  return b;
}

bool inside(const Box& b, double x, double y) { return x >= b.min_x && x <= b.max_x && y >= b.min_y && y <= b.max_y; }
bool overlap(const Box& a, const Box& b) {
  return !(a.min_x > b.max_x || a.max_x < b.min_x || a.min_y > b.max_y || a.max_y < b.min_y);
}

// "x 455000..460000, y 300000..310000 (centre lon -1.200, lat 52.700)".
std::string describe(const Box& b, const std::string& working_crs) {
  if (!(b.min_x <= b.max_x)) return "empty";
  std::string out = "x " + metres(b.min_x) + ".." + metres(b.max_x) + ", y " + metres(b.min_y) + ".." + metres(b.max_y);
  std::vector<double> x = {(b.min_x + b.max_x) / 2}, y = {(b.min_y + b.max_y) / 2};
  geo::transform_points(working_crs, "EPSG:4326", x, y, 1);
  if (!std::isnan(x[0])) out += " (centre lon " + deg(x[0]) + ", lat " + deg(y[0]) + ")";
  return out;
}

}  // namespace

std::string out_of_range_hint(const SourceSample& s) {
  const auto& xy = s.out_of_range;
  if (xy.empty()) return "";
  const std::string e = example(xy.front());
  if (share(xy, bng_like) >= 0.9)
    return s.path + ": the coordinates (e.g. " + e +
           ") are not longitude/latitude: they look like metres in British National Grid (EPSG:27700). "
           "Add this line to " +
           block_of(s) + ":\n    crs = \"EPSG:27700\"";
  const bool swapped = share(xy, [](double x, double y) {
                         return std::fabs(x) <= 90 && std::fabs(y) > 90 && std::fabs(y) <= 180;
                       }) >= 0.9;
  if (swapped && s.source)
    return s.path + ": the coordinates (e.g. " + e + ") look like longitude and latitude swapped: the y column '" +
           s.source->y_field + "' holds values over 90, which only a longitude can have. In " + block_of(s) +
           " set:\n    x = \"" + s.source->y_field + "\"\n    y = \"" + s.source->x_field + "\"";
  return s.path + ": the coordinates (e.g. " + e +
         ") are outside the longitude/latitude range: they look like projected coordinates. Name their CRS in " +
         block_of(s) + ", e.g.\n    crs = \"EPSG:27700\"   (British National Grid; or the EPSG code of yours)";
}

std::string swapped_hint(const SourceSample& s) {
  if (s.accepted.empty() || !geo::is_geographic(s.crs)) return "";
  const double as_given = share(s.accepted, gb_lon_lat);
  const double as_swapped = share(s.accepted, [](double x, double y) { return gb_lon_lat(y, x); });
  if (as_swapped < 0.5 || as_given > 0.1) return "";
  const std::string fields =
      s.source ? "\n    x = \"" + s.source->y_field + "\"\n    y = \"" + s.source->x_field + "\"" : std::string();
  return s.path + ": the coordinates (e.g. " + example(s.accepted.front()) +
         ") look like latitude and longitude swapped: read as given they lie outside Great Britain, swapped "
         "they lie inside it. Swap the x and y columns in " +
         block_of(s) + ":" + fields;
}

void require_incidents(const Ledger& ledger, const std::vector<SourceSample>& samples) {
  if (ledger.accepted > 0) return;
  std::string msg = ledger.rows_read == 0 ? "no incident was accepted: the inputs hold no data rows.\n"
                                          : "no incident was accepted: all " + std::to_string(ledger.rows_read) +
                                                " rows read were rejected, so there is nothing to count or map.\n";
  msg += ledger.to_text();
  // The first reject of each reason, so the user can look at one row.
  std::map<RejectReason, const Reject*> first;
  for (const Reject& r : ledger.rejects) first.emplace(r.reason, &r);
  for (const auto& [reason, r] : first)
    msg += "  first " + std::string(to_string(reason)) + ": " + r->file + " row " + std::to_string(r->row) +
           ", field " + r->field + "\n";
  for (const SourceSample& s : samples)
    if (std::string hint = out_of_range_hint(s); !hint.empty()) msg += hint + "\n";
  if (!msg.empty() && msg.back() == '\n') msg.pop_back();
  throw InputError(msg);
}

void check_match_share(const IncidentTable& incidents, const AreaLayer& layer, const AreaSource& source,
                       const LayerLedger& entry, const std::string& working_crs,
                       const std::vector<SourceSample>& samples, const CheckSpec& checks, Ledger& ledger) {
  const int64_t accepted = entry.matched + entry.unmatched;
  if (source.dissolve || accepted == 0 || checks.min_match_share <= 0) return;
  if (double(entry.matched) >= checks.min_match_share * double(accepted)) return;
  const Box in = extent_of(incidents), areas = extent_of(layer);
  std::string msg = "layer '" + layer.name + "': only " + std::to_string(entry.matched) + " of " +
                    std::to_string(accepted) + " accepted incidents (" + percent(entry.matched, accepted) +
                    ") lie in its areas; at least " +
                    io::format_number(100 * checks.min_match_share, std::chars_format::general, 4) +
                    "% are expected ([checks] min_match_share).\n";
  msg += "  incidents' extent (" + geo::crs_label(working_crs) + "): " + describe(in, working_crs) + "\n";
  msg += "  layer's extent    (" + geo::crs_label(working_crs) + "): " + describe(areas, working_crs) + "\n";
  msg += overlap(in, areas) ? "  the extents overlap, but most incidents lie outside the areas.\n"
                            : "  the extents do not overlap.\n";
  // Likely causes, most specific first.
  std::vector<std::string> causes;
  for (const SourceSample& s : samples) {
    if (std::string h = swapped_hint(s); !h.empty()) causes.push_back("x and y swapped: " + h);
    if (!s.accepted.empty() && geo::is_geographic(s.crs) && areas.min_x <= areas.max_x) {
      // Swapped lon/lat that land in the layer's extent tell the same, anywhere in the world.
      std::vector<double> x, y;
      for (const auto& [a, b] : s.accepted) x.push_back(b), y.push_back(a);
      geo::transform_points(s.crs, working_crs, x, y, 1);
      size_t hits = 0;
      for (size_t i = 0; i < x.size(); ++i) hits += !std::isnan(x[i]) && inside(areas, x[i], y[i]);
      if (swapped_hint(s).empty() && double(hits) >= 0.5 * double(x.size()))
        causes.push_back("x and y swapped: " + s.path + ": with x and y exchanged " +
                         percent(int64_t(hits), int64_t(x.size())) +
                         " of its points fall in the layer's extent. Swap the x and y columns in " + block_of(s));
    }
    if (!s.out_of_range.empty()) causes.push_back("coordinates given as lon/lat that are not: " + out_of_range_hint(s));
  }
  if (!source.crs.empty())
    causes.push_back("a wrong CRS override on the boundary file: layer '" + layer.name + "' sets crs = \"" +
                     source.crs + "\"; remove it to use the file's own CRS, or name the right one");
  causes.push_back(overlap(in, areas)
                       ? "the boundaries cover only part of the incidents' area (a district's areas with force-wide "
                         "incidents)"
                       : "boundaries of another place (another city's or force's), or a wrong crs on the incidents");
  msg += "Likely cause" + std::string(causes.size() > 1 ? "s" : "") + ":\n";
  for (const std::string& c : causes) msg += "  - " + c + "\n";
  msg +=
      "If the incidents are meant to cover a wider area than this layer, lower [checks] min_match_share, or set "
      "[checks] on_low_match = \"warn\".";
  if (checks.on_low_match == GateAction::kWarn) {
    ledger.warnings.push_back(msg);
    return;
  }
  for (const std::string& w : ledger.warnings) msg += "\nwarning: " + w;  // e.g. how the working CRS was chosen
  throw InputError(msg);
}

void check_area_of_use(const IncidentTable& t, const std::string& working_crs, Ledger& ledger) {
  if (t.size() == 0) return;
  const auto use = geo::area_of_use(working_crs);
  if (!use) return;
  const double m = kAreaOfUseMargin;
  // The area of use (plus the margin) as a box in the working CRS. Taken
  // from the working CRS's own lon/lat (its datum, e.g. OSGB36), not WGS 84:
  // a pure map projection, which PROJ sets up in a few milliseconds instead
  // of searching its database for datum shifts (~0.1-0.2 s of every run,
  // bench/RESULTS.md), and the datums differ by metres against a 1-degree margin.
  geo::SrsPtr working = geo::make_srs(working_crs, "working CRS");
  geo::SrsPtr lonlat(working->CloneGeogCS());
  if (!lonlat) return;
  lonlat->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  geo::TransformPtr to_working(OGRCreateCoordinateTransformation(lonlat.get(), working.get()));
  if (!to_working) return;
  Box box;
  if (!to_working->TransformBounds(std::max(-180.0, use->west - m), std::max(-90.0, use->south - m),
                                   std::min(180.0, use->east + m), std::min(90.0, use->north + m), &box.min_x,
                                   &box.min_y, &box.max_x, &box.max_y, 21))
    return;
  std::vector<double> x, y;
  size_t first = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (inside(box, t.x[i], t.y[i])) continue;
    if (x.empty()) first = i;
    x.push_back(t.x[i]);
    y.push_back(t.y[i]);
  }
  if (x.empty()) return;
  geo::transform_points(working_crs, "EPSG:4326", x, y, 1);
  Box ll{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i])) continue;
    ll.min_x = std::min(ll.min_x, x[i]), ll.max_x = std::max(ll.max_x, x[i]);
    ll.min_y = std::min(ll.min_y, y[i]), ll.max_y = std::max(ll.max_y, y[i]);
  }
  std::string where = ll.min_x <= ll.max_x ? "lon " + deg(ll.min_x) + ".." + deg(ll.max_x) + ", lat " + deg(ll.min_y) +
                                                 ".." + deg(ll.max_y)
                                           : "not transformable to lon/lat";
  ledger.warnings.push_back(
      std::to_string(x.size()) + " of " + std::to_string(t.size()) +
      " incidents lie more than 1 degree outside the area of use of the working CRS " + geo::crs_label(working_crs) +
      " (" + use->name + ": lon " + deg(use->west) + ".." + deg(use->east) + ", lat " + deg(use->south) + ".." +
      deg(use->north) + "); they lie at " + where + " (first: " + t.sources[t.source[first]] + " row " +
      std::to_string(t.source_row[first]) +
      "). Distances and areas there are distorted: check their coordinates, or choose a working CRS that covers them");
}

}  // namespace hotspot::pipeline
