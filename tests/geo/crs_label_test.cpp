// crs_label names a CRS for people: an authority code, else the full name,
// never a WKT fragment (the run summary printed "PROJCS["British_National_G").
#include <gtest/gtest.h>

#include "geo/crs.h"

namespace hotspot::geo {
namespace {

// A shapefile's .prj (ESRI WKT) carries no authority code.
const char* kEsriBng =
    "PROJCS[\"British_National_Grid\",GEOGCS[\"GCS_OSGB_1936\",DATUM[\"D_OSGB_1936\",SPHEROID[\"Airy_1830\","
    "6377563.396,299.3249646]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
    "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",400000.0],PARAMETER[\"False_Northing\","
    "-100000.0],PARAMETER[\"Central_Meridian\",-2.0],PARAMETER[\"Scale_Factor\",0.9996012717],"
    "PARAMETER[\"Latitude_Of_Origin\",49.0],UNIT[\"Meter\",1.0]]";

TEST(CrsLabel, EsriWktIsNamedByItsAuthorityCode) { EXPECT_EQ(crs_label(kEsriBng), "EPSG:27700"); }

TEST(CrsLabel, UnknownCrsIsNamedInFull) {
  const std::string label = crs_label("+proj=tmerc +lat_0=50 +lon_0=-3 +k=1 +x_0=1000 +y_0=0 +ellps=GRS80 +units=m");
  EXPECT_EQ(label.find("PROJCS"), std::string::npos) << label;
  EXPECT_FALSE(label.empty());
}

}  // namespace
}  // namespace hotspot::geo
