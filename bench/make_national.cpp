// make_national: a synthetic national police.uk download built from the
// 32,844 English LSOAs (../shared/data/england/lsoa2011_england.gpkg), for
// the national benchmarks of issue 13 (bench/national.sh).
//
//   make_national LSOA.gpkg OUT_DIR ROWS [MONTHS] [SEED]
//
// OUT_DIR gets YYYY-MM/YYYY-MM-<force>-street.csv files, one per force and
// month, as police.uk bulk downloads come, in the exact 12-column format.
// Same arguments, same bytes (the random numbers are drawn by hand from
// SplitMix64, not through <random>'s distributions, whose output the C++
// standard leaves to the library).
//
// How the rows are made, to look like police.uk:
// - police.uk snaps every crime to an anonymous "map point" (a street or a
//   place) with a name "On or near ..."; so each LSOA gets a handful of map
//   points sampled uniformly inside its polygon (more in busier LSOAs), and
//   every crime takes one of its LSOA's points. Towns are denser because
//   LSOAs are about equal in population, hence small in towns.
// - LSOA weights are log-normal (sigma 0.8) and 1 LSOA in 200 is a very busy
//   one (x10, a town centre).
// - 14 crime types in Leicestershire's proportions; Crime ID 64 hex digits,
//   blank for anti-social behaviour (as police.uk); outcomes blank for ASB.
// - 3% of rows have no location (blank coordinates and LSOA, "No location"),
//   4% record a neighbouring LSOA's code instead of their own.
// - forces: 39 groups of local authorities (the name before the LSOA's
//   number, "Charnwood 003A") formed by nearest seed authority.
//
// Point-in-polygon is hand-written (even-odd rule over the rings): GDAL's
// Contains converts the polygon to GEOS on every call, which is 100x slower
// here and this tool only needs a yes/no for sampled points.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <ogrsf_frmts.h>

namespace {

// SplitMix64: tiny, fast and fully specified.
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  uint64_t below(uint64_t n) { return next() % n; }
  double normal() {  // Box-Muller
    const double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * v);
  }
};

struct Ring {
  std::vector<double> x, y;
};

struct Lsoa {
  std::string code, name, authority;
  std::vector<Ring> rings;  // every ring of every part: the even-odd rule handles holes
  double minx = 1e9, miny = 1e9, maxx = -1e9, maxy = -1e9;
  double weight = 1;
  int force = 0;
  std::vector<std::string> points;  // "lon,lat,On or near ...," per map point
};

bool inside(const Lsoa& a, double x, double y) {
  bool in = false;
  for (const Ring& r : a.rings) {
    const size_t n = r.x.size();
    for (size_t i = 0, j = n - 1; i < n; j = i++)
      if ((r.y[i] > y) != (r.y[j] > y) && x < (r.x[j] - r.x[i]) * (y - r.y[i]) / (r.y[j] - r.y[i]) + r.x[i]) in = !in;
  }
  return in;
}

void add_polygon(Lsoa& a, const OGRPolygon* p) {
  for (int k = -1; k < p->getNumInteriorRings(); ++k) {
    const OGRLinearRing* ring = k < 0 ? p->getExteriorRing() : p->getInteriorRing(k);
    if (!ring) continue;
    Ring r;
    for (int i = 0; i < ring->getNumPoints(); ++i) {
      r.x.push_back(ring->getX(i));
      r.y.push_back(ring->getY(i));
      a.minx = std::min(a.minx, ring->getX(i)), a.maxx = std::max(a.maxx, ring->getX(i));
      a.miny = std::min(a.miny, ring->getY(i)), a.maxy = std::max(a.maxy, ring->getY(i));
    }
    if (r.x.size() >= 4) a.rings.push_back(std::move(r));
  }
}

std::vector<Lsoa> read_lsoas(const std::string& path) {
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) throw std::runtime_error(path + ": cannot open");
  OGRLayer* layer = ds->GetLayer(0);
  std::vector<Lsoa> out;
  for (auto& f : *layer) {
    Lsoa a;
    a.code = f->GetFieldAsString("LSOA11CD");
    a.name = f->GetFieldAsString("LSOA11NM");
    a.authority = a.name.substr(0, a.name.rfind(' '));
    const OGRGeometry* g = f->GetGeometryRef();
    if (!g) continue;
    if (wkbFlatten(g->getGeometryType()) == wkbPolygon) add_polygon(a, g->toPolygon());
    else if (wkbFlatten(g->getGeometryType()) == wkbMultiPolygon)
      for (const OGRPolygon* p : *g->toMultiPolygon()) add_polygon(a, p);
    if (!a.rings.empty()) out.push_back(std::move(a));
  }
  // In code order, whatever order the file has.
  std::sort(out.begin(), out.end(), [](const Lsoa& a, const Lsoa& b) { return a.code < b.code; });
  return out;
}

const char* const kStreets[] = {"High Street", "Church Lane", "Station Road", "Park Road", "London Road",
                                "Victoria Road", "Green Lane", "Manor Road", "Church Street", "Mill Lane",
                                "Queens Road", "New Road", "Kings Road", "School Lane", "The Avenue",
                                "Grange Road", "Springfield Road", "North Street", "Chapel Street", "Main Street",
                                "Albert Road", "Windsor Road", "Highfield Road", "Stanley Road", "Alexandra Road"};
const char* const kPlaces[] = {"Supermarket", "Petrol Station", "Parking Area", "Nightclub", "Sports/Recreation Area",
                               "Shopping Area", "Further/Higher Educational Building", "Hospital", "Pedestrian Subway",
                               "Conference/Exhibition Centre", "Bus/Coach Station", "Theatre/Concert Hall"};
const char* const kPrefixes[] = {"Ash", "Oak", "Elm", "Birch", "Willow", "Beech", "Cedar", "Holly", "Maple", "Rowan",
                                 "Hawthorn", "Chestnut", "Poplar", "Larch", "Alder", "Hazel", "Yew", "Pine"};
const char* const kSuffixes[] = {"Close", "Drive", "Way", "Gardens", "Crescent", "Court", "Grove", "Walk", "Rise",
                                 "Place", "Terrace", "Mews"};

// Leicestershire 2018-10's proportions (per 10,000), ASB first.
struct CrimeType {
  const char* name;
  int share;
};
const CrimeType kTypes[] = {{"Anti-social behaviour", 1166},       {"Violence and sexual offences", 2678},
                            {"Vehicle crime", 1206},               {"Criminal damage and arson", 1017},
                            {"Burglary", 802},                     {"Other theft", 791},
                            {"Public order", 687},                 {"Shoplifting", 622},
                            {"Bicycle theft", 269},                {"Drugs", 203},
                            {"Other crime", 194},                  {"Theft from the person", 142},
                            {"Robbery", 106},                      {"Possession of weapons", 117}};
const char* const kOutcomes[] = {"Investigation complete; no suspect identified",
                                 "Unable to prosecute suspect",
                                 "Under investigation",
                                 "Status update unavailable",
                                 "Offender given a caution",
                                 "Local resolution",
                                 "Awaiting court outcome",
                                 "Court result unavailable",
                                 "Offender sent to prison",
                                 "Further investigation is not in the public interest",
                                 "Formal action is not in the public interest",
                                 "Action to be taken by another organisation",
                                 "Offender given community sentence",
                                 "Offender fined"};

std::string location_name(Rng& rng) {
  const uint64_t kind = rng.below(10);
  if (kind < 6) return std::string("On or near ") + kStreets[rng.below(std::size(kStreets))];
  if (kind < 8)
    return std::string("On or near ") + kPrefixes[rng.below(std::size(kPrefixes))] + " " +
           kSuffixes[rng.below(std::size(kSuffixes))];
  return std::string("On or near ") + kPlaces[rng.below(std::size(kPlaces))];
}

// Groups local authorities into `n` forces: each authority goes to the
// nearest of n seed authorities (by the mean of its LSOAs' box centres).
std::vector<std::string> assign_forces(std::vector<Lsoa>& lsoas, int n) {
  std::map<std::string, std::pair<double, double>> centre;
  std::map<std::string, int> count;
  for (const Lsoa& a : lsoas) {
    auto& c = centre[a.authority];
    c.first += (a.minx + a.maxx) / 2, c.second += (a.miny + a.maxy) / 2;
    ++count[a.authority];
  }
  std::vector<std::string> names;
  std::vector<std::pair<double, double>> where;
  for (auto& [name, c] : centre) {
    c.first /= count[name], c.second /= count[name];
    names.push_back(name);
    where.push_back(c);
  }
  // Seeds: every k-th authority in name order.
  std::vector<size_t> seeds;
  for (int f = 0; f < n; ++f) seeds.push_back(size_t(f) * names.size() / size_t(n));
  std::map<std::string, int> force_of;
  for (size_t i = 0; i < names.size(); ++i) {
    int best = 0;
    double best_d = 1e300;
    for (int f = 0; f < n; ++f) {
      const auto& s = where[seeds[size_t(f)]];
      const double dx = (where[i].first - s.first) * std::cos(where[i].second * M_PI / 180), dy = where[i].second - s.second;
      if (dx * dx + dy * dy < best_d) best_d = dx * dx + dy * dy, best = f;
    }
    force_of[names[i]] = best;
  }
  for (Lsoa& a : lsoas) a.force = force_of[a.authority];
  std::vector<std::string> force_names;
  for (int f = 0; f < n; ++f) force_names.push_back(names[seeds[size_t(f)]]);
  return force_names;
}

std::string slug(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    else if (!out.empty() && out.back() != '-') out.push_back('-');
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: make_national LSOA.gpkg OUT_DIR ROWS [MONTHS=12] [SEED=13]\n");
    return 2;
  }
  const std::string gpkg = argv[1], out_dir = argv[2];
  const int64_t rows = std::stoll(argv[3]);
  const int months = argc > 4 ? std::stoi(argv[4]) : 12;
  const uint64_t seed = argc > 5 ? std::stoull(argv[5]) : 13;
  const int kForces = 39;
  GDALAllRegister();
  std::vector<Lsoa> lsoas = read_lsoas(gpkg);
  const std::vector<std::string> forces = assign_forces(lsoas, kForces);

  // Weights and map points.
  Rng rng{seed};
  double total = 0;
  for (Lsoa& a : lsoas) {
    a.weight = std::exp(0.8 * rng.normal()) * (rng.below(200) == 0 ? 10.0 : 1.0);
    total += a.weight;
  }
  const double mean = total / double(lsoas.size());
  for (Lsoa& a : lsoas) {
    const int k = std::clamp(int(std::lround(4 + 10 * a.weight / mean)), 4, 80);
    for (int tries = 0; int(a.points.size()) < k && tries < 100000; ++tries) {
      const double x = a.minx + rng.uniform() * (a.maxx - a.minx), y = a.miny + rng.uniform() * (a.maxy - a.miny);
      if (!inside(a, x, y)) continue;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6f,%.6f,", x, y);
      std::string loc = location_name(rng);
      a.points.push_back(buf + loc + ",");
    }
  }
  // Cumulative weights for drawing an LSOA; crime types likewise.
  std::vector<double> cum(lsoas.size());
  double run = 0;
  for (size_t i = 0; i < lsoas.size(); ++i) cum[i] = (run += lsoas[i].weight);
  int type_cum[std::size(kTypes)], type_total = 0;
  for (size_t i = 0; i < std::size(kTypes); ++i) type_cum[i] = (type_total += kTypes[i].share);

  namespace fs = std::filesystem;
  const int start_year = 2019, start_month = 1;
  int64_t written = 0;
  for (int m = 0; m < months; ++m) {
    const int year = start_year + (start_month - 1 + m) / 12, month = (start_month - 1 + m) % 12 + 1;
    char label[16];
    std::snprintf(label, sizeof label, "%04d-%02d", year, month);
    const int64_t n = rows * (m + 1) / months - rows * m / months;
    // Draw this month's rows, then bucket them by force.
    std::vector<std::vector<uint32_t>> by_force(kForces);
    for (int64_t r = 0; r < n; ++r) {
      const double u = rng.uniform() * run;
      const size_t i = size_t(std::upper_bound(cum.begin(), cum.end(), u) - cum.begin());
      const uint32_t a = uint32_t(std::min(i, lsoas.size() - 1));
      by_force[size_t(lsoas[a].force)].push_back(a);
    }
    fs::create_directories(fs::path(out_dir) / label);
    for (int f = 0; f < kForces; ++f) {
      const std::string force = forces[size_t(f)] + " Police";
      const fs::path path = fs::path(out_dir) / label / (std::string(label) + "-" + slug(forces[size_t(f)]) + "-street.csv");
      FILE* out = std::fopen(path.c_str(), "wb");
      if (!out) throw std::runtime_error(path.string() + ": cannot write");
      std::setvbuf(out, nullptr, _IOFBF, 1 << 20);
      std::fputs("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
                 "Last outcome category,Context\n", out);
      std::string line;
      for (uint32_t a : by_force[size_t(f)]) {
        const Lsoa& l = lsoas[a];
        const int t = int(std::upper_bound(type_cum, type_cum + std::size(kTypes), int(rng.below(uint64_t(type_total)))) - type_cum);
        const bool asb = t == 0;
        line.clear();
        if (!asb) {
          char id[65];
          for (int k = 0; k < 4; ++k) std::snprintf(id + 16 * k, 17, "%016llx", static_cast<unsigned long long>(rng.next()));
          line.append(id, 64);
        }
        line += ',';
        line += label;
        line += ',' + force + ',' + force + ',';
        if (rng.below(100) < 3) {
          line += ",,No location,,,";
        } else {
          line += l.points[rng.below(l.points.size())];
          const Lsoa& rec = rng.below(100) < 4 ? lsoas[(a + 1) % lsoas.size()] : l;  // 4%: another LSOA's code
          line += rec.code + ',' + rec.name + ',';
        }
        line += kTypes[t].name;
        line += ',';
        if (!asb) line += kOutcomes[rng.below(std::size(kOutcomes))];
        line += ",\n";
        std::fwrite(line.data(), 1, line.size(), out);
        ++written;
      }
      if (std::fclose(out) != 0) throw std::runtime_error(path.string() + ": write failed");
    }
  }
  std::printf("%lld rows, %d months x %d forces, %zu LSOAs -> %s\n", static_cast<long long>(written), months, kForces,
              lsoas.size(), out_dir.c_str());
  return 0;
}
