#include "geo/crs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>

#include <ogr_spatialref.h>

#include "geo/distinct_points.h"
#include "hotspot/errors.h"
#include "io/format.h"

namespace hotspot::geo {

void SrsDeleter::operator()(OGRSpatialReference* s) const { OGRSpatialReference::DestroySpatialReference(s); }
void TransformDeleter::operator()(OGRCoordinateTransformation* t) const {
  OGRCoordinateTransformation::DestroyCT(t);
}

const OGRSpatialReference* defined_srs(const OGRSpatialReference* srs) {
  if (!srs) return nullptr;
  const char* name = srs->GetName();
  if (name && std::string_view(name).substr(0, 9) == "Undefined") return nullptr;
  return srs;
}

SrsPtr make_srs(const std::string& text, const std::string& context) {
  SrsPtr srs(new OGRSpatialReference());
  if (srs->SetFromUserInput(text.c_str()) != OGRERR_NONE)
    throw ConfigError(context + ": unknown CRS '" + text.substr(0, 80) + "'");
  // See the header: x is always easting/longitude.
  srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

bool is_geographic(const std::string& crs) { return make_srs(crs, "CRS")->IsGeographic(); }
bool is_projected(const std::string& crs) { return make_srs(crs, "CRS")->IsProjected(); }

double linear_units(const std::string& crs) { return make_srs(crs, "CRS")->GetLinearUnits(); }

std::string crs_label(const std::string& crs) {
  SrsPtr srs = make_srs(crs, "CRS");
  srs->AutoIdentifyEPSG();
  const char* auth = srs->GetAuthorityName(nullptr);
  const char* code = srs->GetAuthorityCode(nullptr);
  if (auth && code) return std::string(auth) + ":" + code;
  // A WKT without an authority (e.g. a shapefile's .prj): PROJ's best
  // match when it is near certain, else the CRS's own name.
  int matches = 0;
  int* confidence = nullptr;
  OGRSpatialReferenceH* found = srs->FindMatches(nullptr, &matches, &confidence);
  std::string matched;
  if (found && matches > 0 && confidence[0] >= 90) {
    const auto* best = OGRSpatialReference::FromHandle(found[0]);
    if (best->GetAuthorityName(nullptr) && best->GetAuthorityCode(nullptr))
      matched = std::string(best->GetAuthorityName(nullptr)) + ":" + best->GetAuthorityCode(nullptr);
  }
  OSRFreeSRSArray(found);
  CPLFree(confidence);
  if (!matched.empty()) return matched;
  const char* name = srs->GetName();
  return name ? name : "unnamed CRS";
}

namespace {

TransformPtr create_transform(const std::string& from, const std::string& to) {
  SrsPtr a = make_srs(from, "source CRS"), b = make_srs(to, "working CRS");
  TransformPtr t(OGRCreateCoordinateTransformation(a.get(), b.get()));
  if (!t) throw ConfigError("no transformation from " + crs_label(from) + " to " + crs_label(to));
  return t;
}

// One transform per (from, to) pair made by PROJ; every caller gets a clone
// of it. Why: OGRCreateCoordinateTransformation searches proj.db for the
// operations between the two CRSs every time, ~20 ms of CPU for EPSG:4326 ->
// EPSG:27700 even when PROJ has seen both CRSs before, and a run asks for
// the same pair several times (one per thread of transform_points, one per
// incident source, the gates): profiled on the Leicestershire join job
// (bench/RESULTS.md, "perf-small7"). A clone copies the operation already
// chosen (~0.5 ms), so it transforms to the same bits
// (MakeTransform.AClonedTransformGivesTheBitsOfAFreshOne). Clones are made
// under the lock and the prototype is never used to transform, so each
// caller's transform is its own, as before. Kept for the whole process (not
// destroyed at exit, after GDAL's PROJ contexts may be gone).
class TransformCache {
 public:
  TransformPtr get(const std::string& from, const std::string& to) {
    const std::pair<std::string, std::string> key{from, to};
    {
      std::lock_guard lock(mutex_);
      if (auto it = made_.find(key); it != made_.end()) return clone_or_create(*it->second, from, to);
    }
    TransformPtr fresh = create_transform(from, to);  // outside the lock: other pairs need not wait
    std::lock_guard lock(mutex_);
    const auto it = made_.emplace(key, std::move(fresh)).first;  // or the one another thread made meanwhile
    return clone_or_create(*it->second, from, to);
  }

 private:
  // GDAL may decline to clone (returns null): then a transform of its own.
  static TransformPtr clone_or_create(const OGRCoordinateTransformation& t, const std::string& from,
                                      const std::string& to) {
    TransformPtr copy(t.Clone());
    return copy ? std::move(copy) : create_transform(from, to);
  }

  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, TransformPtr> made_;
};

}  // namespace

TransformPtr make_transform(const std::string& from, const std::string& to) {
  static auto* cache = new TransformCache();  // never destroyed: see TransformCache
  return cache->get(from, to);
}

int thread_count(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

namespace {

// n points in place; those PROJ cannot transform (or that come out
// non-finite) become NaN.
void transform_span(OGRCoordinateTransformation& t, double* x, double* y, size_t n) {
  std::vector<int> ok(n);
  t.Transform(static_cast<int>(n), x, y, nullptr, ok.data());
  for (size_t i = 0; i < n; ++i)
    if (!ok[i] || !std::isfinite(x[i]) || !std::isfinite(y[i])) x[i] = y[i] = std::numeric_limits<double>::quiet_NaN();
}

// transform_points without looking for repeated points.
void transform_each(const std::string& from, const std::string& to, std::vector<double>& x, std::vector<double>& y,
                    int threads) {
  const size_t n = x.size();
  if (n == 0) return;
  threads = static_cast<int>(std::min<size_t>(size_t(thread_count(threads)), (n + 9999) / 10000));
  std::vector<TransformPtr> transforms;
  for (int i = 0; i < threads; ++i) transforms.push_back(make_transform(from, to));
  auto work = [&](int part) {
    size_t begin = n * size_t(part) / size_t(threads), end = n * size_t(part + 1) / size_t(threads);
    transform_span(*transforms[size_t(part)], x.data() + begin, y.data() + begin, end - begin);
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(work, i);
  work(0);
  for (auto& t : pool) t.join();
}

}  // namespace

void transform_points(const std::string& from, const std::string& to, std::vector<double>& x,
                      std::vector<double>& y, int threads) {
  // Each distinct point once: police.uk rows repeat their snapped map
  // points (a national year: 6M rows, 452k distinct points), and PROJ's
  // result for a point depends on that point alone, so copying it to the
  // repeats gives the same bits (TransformPoints.RepeatsGetTheBitsOfTheirPointAlone).
  std::optional<DistinctPoints> d = distinct_points(x, y);
  if (!d) {
    transform_each(from, to, x, y, threads);
    return;
  }
  transform_each(from, to, d->x, d->y, threads);
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = d->x[d->of[i]];
    y[i] = d->y[d->of[i]];
  }
}

void transform_points(OGRCoordinateTransformation& t, std::vector<double>& x, std::vector<double>& y) {
  std::optional<DistinctPoints> d = distinct_points(x, y);
  if (!d) {
    transform_span(t, x.data(), y.data(), x.size());
    return;
  }
  transform_span(t, d->x.data(), d->y.data(), d->x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = d->x[d->of[i]];
    y[i] = d->y[d->of[i]];
  }
}

namespace {

// The median lon/lat of (a sample of) points given in `source_crs`; nullopt
// when there are none or none transforms.
std::optional<std::pair<double, double>> median_lon_lat(const std::string& source_crs, const std::vector<double>& x,
                                                        const std::vector<double>& y) {
  std::vector<double> lon, lat;
  const size_t step = std::max<size_t>(1, x.size() / 10000);
  for (size_t i = 0; i < x.size(); i += step) {
    lon.push_back(x[i]);
    lat.push_back(y[i]);
  }
  transform_points(source_crs, "EPSG:4326", lon, lat, 1);
  std::vector<double> ok_lon, ok_lat;
  for (size_t i = 0; i < lon.size(); ++i)
    if (!std::isnan(lon[i])) ok_lon.push_back(lon[i]), ok_lat.push_back(lat[i]);
  if (ok_lon.empty()) return std::nullopt;
  auto median = [](std::vector<double>& v) {
    std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  return std::pair{median(ok_lon), median(ok_lat)};
}

bool in_gb_box(double lon, double lat) { return lon > -8.7 && lon < 1.9 && lat > 49.8 && lat < 60.9; }

// EPSG:27700 in GB, else the WGS 84 / UTM zone of the point.
std::string metre_crs_for(double lon, double lat) {
  if (in_gb_box(lon, lat)) return "EPSG:27700";
  const int zone = std::clamp(static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1, 1, 60);
  return "EPSG:" + std::to_string((lat >= 0 ? 32600 : 32700) + zone);
}

std::string degrees(double v) { return io::format_number(v, std::chars_format::fixed, 3); }

}  // namespace

std::string linear_unit_name(const std::string& crs) {
  SrsPtr srs = make_srs(crs, "CRS");
  if (!srs->IsProjected()) return "";
  const char* name = nullptr;
  srs->GetLinearUnits(&name);
  return name ? name : "";
}

bool is_metres(const std::string& crs) {
  SrsPtr srs = make_srs(crs, "CRS");
  return srs->IsProjected() && std::fabs(srs->GetLinearUnits() - 1.0) < 1e-12;
}

std::optional<AreaOfUse> area_of_use(const std::string& crs) {
  SrsPtr srs = make_srs(crs, "CRS");
  AreaOfUse a;
  const char* name = nullptr;
  if (!srs->GetAreaOfUse(&a.west, &a.south, &a.east, &a.north, &name) || a.west == -1000) return std::nullopt;
  a.name = name ? name : "";
  return a;
}

std::string choose_working_crs(const std::string& user, const std::string& source_crs,
                               const std::vector<double>& x, const std::vector<double>& y, std::string* why) {
  auto say = [&](const std::string& text) {
    if (why) *why = text;
  };
  if (!user.empty()) {
    if (!is_projected(user)) throw ConfigError("working CRS " + user + " is not projected (metres needed)");
    if (!is_metres(user)) {
      const auto m = x.empty() ? std::nullopt : median_lon_lat(source_crs, x, y);
      throw ConfigError("working CRS " + user + " (" + crs_label(user) + ") measures in " + linear_unit_name(user) +
                        " (1 unit = " + io::format_number(linear_units(user), std::chars_format::general, 10) +
                        " m), but radius, cell and area_km2 are in metres: give a CRS in metres, e.g. " +
                        (m ? metre_crs_for(m->first, m->second) + " for these data" : std::string("a UTM zone")) +
                        " (or leave working_crs out to have one chosen)");
    }
    say("given by the user");
    return user;
  }
  if (is_projected(source_crs) && is_metres(source_crs)) {
    say("the incidents' own CRS (projected, in metres)");
    return source_crs;
  }
  if (x.empty()) {
    say("no incident to choose from: British National Grid by default");
    return "EPSG:27700";
  }
  const auto m = median_lon_lat(source_crs, x, y);
  if (!m) {
    say("no incident transformable to lon/lat: British National Grid by default");
    return "EPSG:27700";
  }
  const std::string chosen = metre_crs_for(m->first, m->second);
  std::string reason = "the median incident (lon " + degrees(m->first) + ", lat " + degrees(m->second) + ") lies ";
  if (chosen == "EPSG:27700") reason += "in Great Britain";
  else
    reason += "in UTM zone " + chosen.substr(chosen.size() - 2) + (m->second >= 0 ? " north" : " south") +
              " (" + (m->second >= 0 ? "northern" : "southern") + " hemisphere)";
  if (is_projected(source_crs))
    reason += "; the incidents' own CRS " + crs_label(source_crs) + " is in " + linear_unit_name(source_crs) +
              ", not metres";
  say(reason);
  return chosen;
}

}  // namespace hotspot::geo
