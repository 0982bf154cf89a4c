// Tests for geo/crs: axis order, round trips, units, the working-CRS choice
// and thread-count independence of transform_points.
#include "geo/crs.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gdal.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include "hotspot/errors.h"

namespace hotspot::geo {
namespace {

class CrsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GDALAllRegister(); }
};

// A spread of points across Great Britain (lon, lat): Leicester, London,
// Edinburgh, Cornwall, Norfolk, Anglesey, Inverness.
const std::vector<double> kGbLon = {-1.2, -0.1276, -3.1883, -5.05, 1.30, -4.35, -4.2247};
const std::vector<double> kGbLat = {52.6, 51.5072, 55.9533, 50.10, 52.63, 53.27, 57.4778};

// Re-projects lon/lat (in `geographic`) -> `projected` -> lon/lat and checks
// the round trip by projecting the result again: the two projected positions
// must agree within `tol_m` (the projected CRS's units converted to metres),
// and so must the two lon/lat positions (degrees converted to metres).
void expect_round_trip(const std::string& geographic, const std::string& projected, const std::vector<double>& lon,
                       const std::vector<double>& lat, double tol_m) {
  std::vector<double> x = lon, y = lat;
  transform_points(geographic, projected, x, y, 1);
  std::vector<double> back_lon = x, back_lat = y;
  transform_points(projected, geographic, back_lon, back_lat, 1);
  std::vector<double> x2 = back_lon, y2 = back_lat;
  transform_points(geographic, projected, x2, y2, 1);
  const double metres_per_unit = linear_units(projected);
  for (size_t i = 0; i < lon.size(); ++i) {
    SCOPED_TRACE("point " + std::to_string(i) + " in " + projected);
    ASSERT_TRUE(std::isfinite(x[i]) && std::isfinite(y[i]));
    EXPECT_LT(std::hypot(x2[i] - x[i], y2[i] - y[i]) * metres_per_unit, tol_m);
    // The same check in degrees, converted to metres on the sphere
    // (R = 6371 km; 1 degree of latitude is about 111.2 km).
    const double m_per_deg = 6371000.0 * M_PI / 180.0;
    const double dn = (back_lat[i] - lat[i]) * m_per_deg;
    const double de = (back_lon[i] - lon[i]) * m_per_deg * std::cos(lat[i] * M_PI / 180.0);
    EXPECT_LT(std::hypot(de, dn), tol_m);
  }
}

TEST_F(CrsTest, OsgbProjectionRoundTripWithinOneMillimetre) {
  // OSGB36 lon/lat <-> British National Grid is the Transverse Mercator
  // projection alone, whose inverse is exact to far below a millimetre.
  expect_round_trip("EPSG:4277", "EPSG:27700", kGbLon, kGbLat, 1e-3);
}

TEST_F(CrsTest, Wgs84ToBritishNationalGridRoundTripWithinThreeMillimetres) {
  // WGS 84 -> BNG adds a datum shift. Without the OSTN15 grid PROJ uses
  // "OSGB36 to WGS 84 (6)", a 7-parameter Helmert whose reverse is, by EPSG's
  // convention (IOGP Guidance Note 7-2, 4.4.3), the same formula with the
  // signs of the parameters flipped. That is exact only to first order: the
  // round trip misses by O(s^2 R) ~ 1 mm here (s = 20.5 ppm; cs2cs shows the
  // same 1.0 mm for London). So 1 mm cannot hold on this path; 3 mm still
  // catches any real error (a swapped axis or a wrong datum is >= 100 m).
  expect_round_trip("EPSG:4326", "EPSG:27700", kGbLon, kGbLat, 3e-3);
}

TEST_F(CrsTest, LongitudeIsXSoLeicesterLandsOnItsEastingAndNorthing) {
  // Leicester is at about SK 59 03 (E 459 000, N 303 000). A latitude-first
  // axis order would read 52.6 as a longitude and give millions of metres.
  std::vector<double> x = {-1.2}, y = {52.6};
  transform_points("EPSG:4326", "EPSG:27700", x, y, 1);
  EXPECT_GT(x[0], 450000.0);
  EXPECT_LT(x[0], 462000.0);
  EXPECT_GT(y[0], 295000.0);
  EXPECT_LT(y[0], 310000.0);
}

TEST_F(CrsTest, MakeTransformUsesTraditionalAxisOrder) {
  TransformPtr t = make_transform("EPSG:4326", "EPSG:27700");
  ASSERT_NE(t, nullptr);
  double x = -1.2, y = 52.6;
  ASSERT_TRUE(t->Transform(1, &x, &y));
  EXPECT_NEAR(x, 454281.0, 2000.0);
  EXPECT_NEAR(y, 300546.0, 2000.0);
}

TEST_F(CrsTest, OrdnanceSurveyWorkedExampleProjectsToTheMillimetre) {
  // Ordnance Survey, "A guide to coordinate systems in Great Britain",
  // annex C.1 (Transverse Mercator worked example): OSGB36 latitude
  // 52 39' 27.2531" N, longitude 1 43' 4.5177" E projects to
  // E 651409.903 m, N 313177.270 m. OSGB36 -> BNG is a pure projection (no
  // datum shift), so the result is exact to the printed millimetre.
  std::vector<double> x = {1.0 + 43.0 / 60 + 4.5177 / 3600}, y = {52.0 + 39.0 / 60 + 27.2531 / 3600};
  transform_points("EPSG:4277", "EPSG:27700", x, y, 1);
  EXPECT_NEAR(x[0], 651409.903, 1e-3);
  EXPECT_NEAR(y[0], 313177.270, 1e-3);
}

TEST_F(CrsTest, UsSurveyFootUnitsAndRoundTrip) {
  // US survey foot = 1200/3937 m exactly.
  EXPECT_DOUBLE_EQ(linear_units("EPSG:2227"), 1200.0 / 3937.0);
  EXPECT_NEAR(linear_units("EPSG:2227"), 0.30480060960121924, 1e-15);
  EXPECT_DOUBLE_EQ(linear_units("EPSG:27700"), 1.0);
  // San Francisco, Oakland, San Jose, Stockton (California zone III).
  expect_round_trip("EPSG:4326", "EPSG:2227", {-122.4194, -122.2711, -121.8863, -121.2908},
                    {37.7749, 37.8044, 37.3382, 37.9577}, 1e-3);
}

TEST_F(CrsTest, GeographicAndProjectedAreTold) {
  EXPECT_TRUE(is_geographic("EPSG:4326"));
  EXPECT_FALSE(is_projected("EPSG:4326"));
  EXPECT_TRUE(is_projected("EPSG:27700"));
  EXPECT_FALSE(is_geographic("EPSG:27700"));
  EXPECT_TRUE(is_projected("EPSG:2227"));
  EXPECT_TRUE(is_geographic("OGC:CRS84"));
}

TEST_F(CrsTest, LabelIsTheEpsgCode) {
  EXPECT_EQ(crs_label("EPSG:27700"), "EPSG:27700");
  EXPECT_EQ(crs_label("EPSG:4326"), "EPSG:4326");
}

TEST_F(CrsTest, UnknownCrsThrowsConfigError) {
  EXPECT_THROW(make_srs("EPSG:999999", "test"), ConfigError);
  EXPECT_THROW(make_srs("not a crs", "test"), ConfigError);
  EXPECT_THROW(make_transform("EPSG:999999", "EPSG:27700"), ConfigError);
  try {
    make_srs("EPSG:999999", "config.toml");
    FAIL() << "no exception";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("config.toml"), std::string::npos) << e.what();
  }
}

TEST_F(CrsTest, ChooseWorkingCrsPrefersTheUsersProjectedCrs) {
  EXPECT_EQ(choose_working_crs("EPSG:3857", "EPSG:4326", kGbLon, kGbLat), "EPSG:3857");
  EXPECT_EQ(choose_working_crs("EPSG:32630", "EPSG:27700", {}, {}), "EPSG:32630");
}

// Radii, cells and area_km2 are metres: a CRS in feet is refused by name, with
// a metre CRS suggested for the data (issue 8).
TEST_F(CrsTest, ChooseWorkingCrsRefusesAUserCrsInFeet) {
  try {
    choose_working_crs("EPSG:2227", "EPSG:4326", {-122.42}, {37.77});
    FAIL() << "no exception";
  } catch (const ConfigError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("US survey foot"), std::string::npos) << m;
    EXPECT_NE(m.find("EPSG:32610"), std::string::npos) << m;  // San Francisco: UTM zone 10 north
  }
}

TEST_F(CrsTest, MetresAreTold) {
  EXPECT_TRUE(is_metres("EPSG:27700"));
  EXPECT_TRUE(is_metres("EPSG:32616"));
  EXPECT_FALSE(is_metres("EPSG:2227"));
  EXPECT_FALSE(is_metres("EPSG:4326"));
  EXPECT_EQ(linear_unit_name("EPSG:2227"), "US survey foot");
}

TEST_F(CrsTest, AreaOfUseFromProj) {
  const auto bng = area_of_use("EPSG:27700");
  ASSERT_TRUE(bng.has_value());
  EXPECT_NEAR(bng->west, -9.0, 0.5);
  EXPECT_NEAR(bng->north, 61.0, 0.5);
  EXPECT_FALSE(bng->name.empty());
}

TEST_F(CrsTest, ChooseWorkingCrsRejectsAGeographicUserCrs) {
  EXPECT_THROW(choose_working_crs("EPSG:4326", "EPSG:4326", kGbLon, kGbLat), ConfigError);
  EXPECT_THROW(choose_working_crs("EPSG:999999", "EPSG:4326", kGbLon, kGbLat), ConfigError);
}

TEST_F(CrsTest, ChooseWorkingCrsKeepsAProjectedSource) {
  EXPECT_EQ(choose_working_crs("", "EPSG:27700", {459000}, {305000}), "EPSG:27700");
}

// A source in US survey feet is worked in the metre CRS of its points, and
// the reason says so (issue 8: "radius 300 m" were feet).
TEST_F(CrsTest, ChooseWorkingCrsReplacesASourceInFeet) {
  std::vector<double> x = {-122.4194}, y = {37.7749};
  transform_points("EPSG:4326", "EPSG:2227", x, y, 1);
  std::string why;
  EXPECT_EQ(choose_working_crs("", "EPSG:2227", x, y, &why), "EPSG:32610");
  EXPECT_NE(why.find("US survey foot"), std::string::npos) << why;
  EXPECT_NE(why.find("zone 10 north"), std::string::npos) << why;
}

TEST_F(CrsTest, ChooseWorkingCrsGreatBritainIsBritishNationalGrid) {
  EXPECT_EQ(choose_working_crs("", "EPSG:4326", kGbLon, kGbLat), "EPSG:27700");
}

TEST_F(CrsTest, ChooseWorkingCrsElsewhereIsTheUtmZoneOfTheMedian) {
  // Chicago: zone floor((-87.6 + 180) / 6) + 1 = 16, north.
  EXPECT_EQ(choose_working_crs("", "EPSG:4326", {-87.6, -87.7, -87.65}, {41.8, 41.9, 41.85}), "EPSG:32616");
  // Sydney: zone 56, south.
  EXPECT_EQ(choose_working_crs("", "EPSG:4326", {151.2}, {-33.87}), "EPSG:32756");
  // Sao Paulo: zone 23, south.
  EXPECT_EQ(choose_working_crs("", "EPSG:4326", {-46.63}, {-23.55}), "EPSG:32723");
  // The median, not the mean: one far outlier does not move the zone.
  EXPECT_EQ(choose_working_crs("", "EPSG:4326", {-87.6, -87.7, 170.0}, {41.8, 41.9, -40.0}), "EPSG:32616");
}

TEST_F(CrsTest, ChosenZoneProjectsItsPointsSensibly) {
  const std::string crs = choose_working_crs("", "EPSG:4326", {-87.6}, {41.8});
  std::vector<double> x = {-87.6}, y = {41.8};
  transform_points("EPSG:4326", crs, x, y, 1);
  // Zone 16's central meridian is 87 W: Chicago lies ~50 km west of it.
  EXPECT_NEAR(x[0], 500000.0 - 50000.0, 5000.0);
  EXPECT_NEAR(y[0], 4.63e6, 0.02e6);
}

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

TEST_F(CrsTest, TransformPointsIsIdenticalOnOneAndFourThreads) {
  std::mt19937_64 rng(20240601);
  std::uniform_real_distribution<double> lon(-6.0, 1.8), lat(50.0, 58.5);
  std::vector<double> x(100000), y(100000);
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = lon(rng);
    y[i] = lat(rng);
  }
  std::vector<double> x1 = x, y1 = y, x4 = x, y4 = y;
  transform_points("EPSG:4326", "EPSG:27700", x1, y1, 1);
  transform_points("EPSG:4326", "EPSG:27700", x4, y4, 4);
  EXPECT_TRUE(bitwise_equal(x1, x4));
  EXPECT_TRUE(bitwise_equal(y1, y4));
  size_t finite = 0;
  for (size_t i = 0; i < x1.size(); ++i) finite += std::isfinite(x1[i]) && std::isfinite(y1[i]);
  EXPECT_EQ(finite, x1.size());
}

// transform_points transforms each distinct point once and copies the
// result to its repeats (police.uk map points): every row must still get
// exactly the bits PROJ gives that point transformed on its own.
TEST_F(CrsTest, TransformPointsRepeatsGetTheBitsOfTheirPointAlone) {
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> lon(-6.0, 1.8), lat(50.0, 58.5);
  std::vector<double> px(2000), py(2000);
  for (size_t k = 0; k < px.size(); ++k) px[k] = lon(rng), py[k] = lat(rng);
  px[7] = -1.2, py[7] = 95.0;  // untransformable: NaN in every repeat
  std::vector<double> x, y;
  for (size_t i = 0; i < 40000; ++i) {
    const size_t k = rng() % px.size();
    x.push_back(px[k]);
    y.push_back(py[k]);
  }
  std::vector<double> tx = x, ty = y;
  transform_points("EPSG:4326", "EPSG:27700", tx, ty, 2);
  TransformPtr alone = make_transform("EPSG:4326", "EPSG:27700");
  size_t nan = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    double ax = x[i], ay = y[i];
    int ok = 0;
    alone->Transform(1, &ax, &ay, nullptr, &ok);
    if (!ok) {
      ++nan;
      EXPECT_TRUE(std::isnan(tx[i]) && std::isnan(ty[i])) << i;
      continue;
    }
    ASSERT_EQ(std::memcmp(&ax, &tx[i], sizeof ax), 0) << i;
    ASSERT_EQ(std::memcmp(&ay, &ty[i], sizeof ay), 0) << i;
  }
  EXPECT_GT(nan, 0u);
  EXPECT_LT(nan, x.size() / 100);
}

TEST_F(CrsTest, UntransformablePointsBecomeNaNAndTheOthersSurvive) {
  // Latitude 95 does not exist. Surround it with good points so a failure
  // cannot spill over onto its neighbours.
  std::vector<double> x = {-1.2, -1.2, -1.1}, y = {52.6, 95.0, 52.7};
  transform_points("EPSG:4326", "EPSG:27700", x, y, 1);
  EXPECT_TRUE(std::isfinite(x[0]) && std::isfinite(y[0]));
  EXPECT_TRUE(std::isnan(x[1]));
  EXPECT_TRUE(std::isnan(y[1]));
  EXPECT_TRUE(std::isfinite(x[2]) && std::isfinite(y[2]));
}

TEST_F(CrsTest, EmptyInputIsANoOp) {
  std::vector<double> x, y;
  EXPECT_NO_THROW(transform_points("EPSG:4326", "EPSG:27700", x, y, 4));
  EXPECT_TRUE(x.empty());
}

TEST_F(CrsTest, ThreadCount) {
  EXPECT_EQ(thread_count(3), 3);
  EXPECT_GE(thread_count(0), 1);
}

// make_transform clones one cached transform per CRS pair (crs.cpp,
// TransformCache): the clones must transform to the bits a transform made
// afresh by GDAL gives, in both directions, and each caller gets its own.
TEST_F(CrsTest, MakeTransformAClonedTransformGivesTheBitsOfAFreshOne) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> lon(-6.0, 1.8), lat(50.0, 58.0);
  std::vector<double> x0, y0;
  for (int i = 0; i < 2000; ++i) x0.push_back(lon(rng)), y0.push_back(lat(rng));
  for (const auto& [from, to] : {std::pair{"EPSG:4326", "EPSG:27700"}, std::pair{"EPSG:27700", "EPSG:4326"}}) {
    std::vector<double> fx = x0, fy = y0;
    if (std::string(from) == "EPSG:27700") transform_points("EPSG:4326", "EPSG:27700", fx, fy, 1);
    const std::vector<double> sx = fx, sy = fy;
    SrsPtr a = make_srs(from, "a"), b = make_srs(to, "b");
    TransformPtr fresh(OGRCreateCoordinateTransformation(a.get(), b.get()));
    ASSERT_TRUE(fresh);
    ASSERT_TRUE(fresh->Transform(int(fx.size()), fx.data(), fy.data()));
    TransformPtr first = make_transform(from, to), second = make_transform(from, to);
    ASSERT_TRUE(first && second);
    EXPECT_NE(first.get(), second.get()) << "each caller gets a transform of its own";
    for (TransformPtr* t : {&first, &second}) {
      std::vector<double> x = sx, y = sy;
      ASSERT_TRUE((*t)->Transform(int(x.size()), x.data(), y.data()));
      EXPECT_EQ(0, std::memcmp(x.data(), fx.data(), x.size() * sizeof(double))) << from << " -> " << to;
      EXPECT_EQ(0, std::memcmp(y.data(), fy.data(), y.size() * sizeof(double))) << from << " -> " << to;
      EXPECT_GT(std::fabs(x[0] - sx[0]), 1.0) << "the points were transformed";
    }
  }
}

// A pair PROJ cannot make is not cached as a success: asked again, it fails again.
TEST_F(CrsTest, MakeTransformOfAnUnknownCrsFailsEveryTime) {
  EXPECT_THROW(make_transform("EPSG:4326", "EPSG:999999"), ConfigError);
  EXPECT_THROW(make_transform("EPSG:4326", "EPSG:999999"), ConfigError);
}

}  // namespace
}  // namespace hotspot::geo
