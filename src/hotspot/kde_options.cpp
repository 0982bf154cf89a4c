#include "hotspot/kde_options.h"

#include <string>
#include <vector>

#include "hotspot/errors.h"
#include "hotspot/names.h"

namespace hotspot::kde {
namespace {

// One table per choice: the spellings in the order the messages list them.
template <typename E>
struct Spelling {
  std::string_view name;
  E value;
};

template <typename E, size_t N>
E parse(std::string_view name, const Spelling<E> (&table)[N], const std::string& what) {
  for (const Spelling<E>& s : table)
    if (s.name == name) return s.value;
  std::vector<std::string> valid;
  for (const Spelling<E>& s : table) valid.emplace_back(s.name);
  throw ConfigError(unknown_name(what, std::string(name), valid));
}

template <typename E, size_t N>
std::string_view spell(E value, const Spelling<E> (&table)[N]) {
  for (const Spelling<E>& s : table)
    if (s.value == value) return s.name;
  return "unknown";
}

constexpr Spelling<Kernel> kKernels[] = {
    {"quartic", Kernel::kQuartic},         {"triweight", Kernel::kTriweight},
    {"epanechnikov", Kernel::kEpanechnikov}, {"uniform", Kernel::kUniform},
    {"triangular", Kernel::kTriangular},   {"gaussian", Kernel::kGaussian},
    {"biweight", Kernel::kQuartic},  // another name for the quartic; listed last so to_string says "quartic"
};
constexpr Spelling<Units> kUnits[] = {{"per_km2", Units::kPerKm2}, {"per_cell", Units::kPerCell}, {"raw", Units::kRaw}};
constexpr Spelling<Mode> kModes[] = {{"exact", Mode::kExact}, {"fast", Mode::kFast}};
constexpr Spelling<BandwidthRule> kBandwidthRules[] = {
    {"silverman", BandwidthRule::kSilverman}, {"nrd", BandwidthRule::kNrd}, {"scott", BandwidthRule::kScott}};
constexpr Spelling<CellRule> kCellRules[] = {{"sfhotspot", CellRule::kSfhotspot}, {"arcgis", CellRule::kArcgis}};
constexpr Spelling<HotspotRule> kHotspotRules[] = {
    {"top_percent", HotspotRule::kTopPercent}, {"value", HotspotRule::kValue}, {"gistar", HotspotRule::kGistar}};

}  // namespace

Kernel parse_kernel(std::string_view name) { return parse(name, kKernels, "kernel"); }
Units parse_units(std::string_view name) { return parse(name, kUnits, "units"); }
Mode parse_mode(std::string_view name) { return parse(name, kModes, "kde mode"); }
BandwidthRule parse_bandwidth_rule(std::string_view name) { return parse(name, kBandwidthRules, "bandwidth rule"); }
CellRule parse_cell_rule(std::string_view name) { return parse(name, kCellRules, "cell rule"); }
HotspotRule parse_hotspot_rule(std::string_view name) { return parse(name, kHotspotRules, "hotspot rule"); }

std::string_view to_string(Kernel k) { return spell(k, kKernels); }
std::string_view to_string(Units u) { return spell(u, kUnits); }
std::string_view to_string(Mode m) { return spell(m, kModes); }
std::string_view to_string(BandwidthRule r) { return spell(r, kBandwidthRules); }
std::string_view to_string(CellRule r) { return spell(r, kCellRules); }
std::string_view to_string(HotspotRule r) { return spell(r, kHotspotRules); }

}  // namespace hotspot::kde
