// RunSpecs for the real data the tests use: the Charnwood demo in data/ and
// the whole Leicestershire force in ../shared/data. One place, so every test
// reads the same layers the same way.
#pragma once

#include <string>

#include "hotspot/run_spec.h"
#include "test_paths.h"

namespace hotspot::testing {

inline const std::string kDemo = HOTSPOT_DATA_DIR;
inline const std::string kLeics = std::string(HOTSPOT_SHARED_DATA_DIR) + "/leicestershire";

inline IncidentSource police_uk(const std::string& path) {
  IncidentSource s;
  s.format = IncidentFormat::kPoliceUk;
  s.paths = {path};
  return s;
}

// Chicago's aggravated assaults 2010-2019 (../shared/data/chicago): dated
// to the minute, lon/lat, location category as the category.
inline IncidentSource chicago_assaults() {
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.paths = {std::string(HOTSPOT_SHARED_DATA_DIR) + "/chicago/aggravated_assaults_2010_2019.csv.gz"};
  s.x_field = "longitude", s.y_field = "latitude", s.date_field = "date", s.category_field = "loc_cat";
  return s;
}

inline AreaSource area(const std::string& name, const std::string& path, const std::string& code,
                       const std::string& label = "") {
  AreaSource a;
  a.name = name;
  a.paths = {path};
  a.code_field = code;
  a.name_field = label;
  return a;
}

inline AreaSource lsoas(const std::string& path, const std::string& population_csv) {
  AreaSource a = area("lsoa", path, "LSOA11CD", "LSOA11NM");
  a.population = PopulationSource{population_csv, "LSOA11CD", "pop_mid2015_excl_prisoners"};
  return a;
}

inline AreaSource beats_from_wards(const std::string& lookup_csv) {
  AreaSource a;
  a.name = "beat";
  a.dissolve = DissolveSpec{"ward", lookup_csv, "WD13CD", "beat", "beat_name"};
  return a;
}

// Charnwood: police.uk incidents, LSOAs with population, wards, beats from
// wards; statistics for the latest month against the month before.
inline RunSpec charnwood_spec() {
  RunSpec spec;
  spec.incidents = {police_uk(kDemo + "/police-uk")};
  spec.areas = {lsoas(kDemo + "/boundaries/lsoa2011_charnwood.geojson",
                      kDemo + "/population/lsoa2011_population_mid2015_charnwood.csv"),
                area("ward", kDemo + "/boundaries/wards2013_charnwood.geojson", "WD13CD", "WD13NM"),
                beats_from_wards(kDemo + "/charnwood_beats_from_wards2013.csv")};
  spec.stats.current = "latest_month";
  spec.stats.previous = "previous_period";
  return spec;
}

// The force: 5 months of police.uk data and its 611 LSOAs with population.
inline RunSpec leicestershire_spec() {
  RunSpec spec;
  spec.incidents = {police_uk(kLeics + "/police-uk")};
  spec.areas = {lsoas(kLeics + "/boundaries/lsoa2011", kLeics + "/population/lsoa2011_population_mid2015.csv")};
  spec.working_crs = "EPSG:27700";
  return spec;
}

}  // namespace hotspot::testing
