// CRS handling on PROJ through GDAL's OGRSpatialReference.
//
// Every spatial reference made here uses OAMS_TRADITIONAL_GIS_ORDER: with
// PROJ >= 6, EPSG:4326 is latitude-first by the authority's definition,
// while CSVs, GeoJSON and analysts all give longitude first (x = east).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

class OGRSpatialReference;
class OGRCoordinateTransformation;

namespace hotspot::geo {

struct SrsDeleter { void operator()(OGRSpatialReference* s) const; };
struct TransformDeleter { void operator()(OGRCoordinateTransformation* t) const; };
using SrsPtr = std::unique_ptr<OGRSpatialReference, SrsDeleter>;
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

// srs, or null when it is null or GDAL's placeholder for a layer without a
// CRS (a GeoPackage srs_id 0/-1 reads back as "Undefined geographic SRS").
const OGRSpatialReference* defined_srs(const OGRSpatialReference* srs);

// Parses "EPSG:27700", a WKT, a PROJ string, ... Throws ConfigError naming
// `context` (e.g. the file or option it came from).
SrsPtr make_srs(const std::string& text, const std::string& context);

bool is_geographic(const std::string& crs);
bool is_projected(const std::string& crs);
// Metres per linear unit of a projected CRS (0.3048006096 for US survey ft).
double linear_units(const std::string& crs);
// The linear unit's name ("metre", "US survey foot"; "" when not projected).
std::string linear_unit_name(const std::string& crs);
// Projected with a linear unit of exactly one metre: what radii, cells and
// km2 are measured in.
bool is_metres(const std::string& crs);

// PROJ's area of use of a CRS (proj_get_area_of_use, through GDAL), in
// degrees of longitude/latitude; nullopt when PROJ does not know one.
struct AreaOfUse {
  double west = 0, south = 0, east = 0, north = 0;
  std::string name;  // e.g. "United Kingdom (UK) - offshore ... ; onshore - England; Scotland; Wales"
};
std::optional<AreaOfUse> area_of_use(const std::string& crs);
// A short name for messages: "EPSG:27700" or the CRS's name.
std::string crs_label(const std::string& crs);

// Creates a transform from -> to, the caller's own (a clone of the one PROJ
// made for the first caller of this pair; crs.cpp says why). Thread-safe.
// Throws ConfigError if PROJ has no path.
TransformPtr make_transform(const std::string& from, const std::string& to);

// Transforms the points in place on `threads` threads (one transform object
// each: they are not thread-safe). Points PROJ cannot transform become NaN.
// Results do not depend on the thread count.
void transform_points(const std::string& from, const std::string& to, std::vector<double>& x,
                      std::vector<double>& y, int threads);
// The same with a transform the caller keeps (one thread; a run reading
// thousands of files sets up PROJ's pipeline once, not once a file). Each
// distinct point is transformed once, as above.
void transform_points(OGRCoordinateTransformation& t, std::vector<double>& x, std::vector<double>& y);

// The working CRS, always projected in metres: `user` if given (a ConfigError
// when it is not projected or not in metres, naming the unit and a metre CRS
// for the data); else a projected source CRS in metres; else EPSG:27700 when
// the median lon/lat lies in EPSG:27700's area of use (a box around GB,
// which also takes in Northern Ireland), else the UTM zone of the median
// (WGS 84 / UTM, EPSG:326zz or 327zz). A source in feet is thus worked in
// the UTM zone (or EPSG:27700) of its points. `why`, when given, receives
// the reason in words (which zone and from what median).
std::string choose_working_crs(const std::string& user, const std::string& source_crs,
                               const std::vector<double>& x, const std::vector<double>& y,
                               std::string* why = nullptr);

int thread_count(int requested);  // 0 -> hardware concurrency, at least 1

}  // namespace hotspot::geo
