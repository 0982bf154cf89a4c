#include "pipeline/hotspot_rules.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "io/format.h"

namespace hotspot::pipeline {
namespace {

std::string num(double v) { return io::format_number(v, std::chars_format::general, 10); }

// The commonest value (ties: the smallest) of `key` over the members;
// "" when no member has a non-empty value.
template <typename Key>
std::string commonest(const std::vector<uint32_t>& members, Key key) {
  std::map<std::string, int64_t> n;
  for (uint32_t i : members) {
    std::string k = key(i);
    if (!k.empty()) ++n[std::move(k)];
  }
  std::string best;
  int64_t most = 0;
  for (const auto& [k, c] : n)  // ascending: a tie keeps the first
    if (c > most) best = k, most = c;
  return best;
}

}  // namespace

void apply_size_rule(Surface& s, std::vector<std::vector<uint32_t>>& members, const KdeSpec& k, size_t study_cells) {
  std::vector<HotspotArea> kept;
  std::vector<std::vector<uint32_t>> kept_members;
  size_t dropped = 0;
  for (size_t i = 0; i < s.hotspots.size(); ++i) {
    HotspotArea& h = s.hotspots[i];
    if (h.incidents < k.hotspot_min_incidents || h.cells < k.hotspot_min_cells) {
      ++dropped;
      continue;
    }
    kept.push_back(std::move(h));
    kept_members.push_back(i < members.size() ? std::move(members[i]) : std::vector<uint32_t>{});
  }
  auto& p = s.parameters;
  p["hotspot_min_size"] = "at least " + std::to_string(k.hotspot_min_incidents) + " incidents and " +
                          std::to_string(k.hotspot_min_cells) + " cells";
  p["hotspots_found"] = std::to_string(s.hotspots.size());
  p["hotspots_dropped_small"] = std::to_string(dropped);
  s.hotspots = std::move(kept);
  members = std::move(kept_members);
  for (size_t i = 0; i < s.hotspots.size(); ++i) {
    HotspotArea& h = s.hotspots[i];
    h.rank = int(i) + 1;
    h.study_share = study_cells ? double(h.cells) / double(study_cells) : 0;
    h.large = h.study_share > k.hotspot_max_share;
    if (h.large)
      s.warnings.push_back("surface " + s.name + ": hotspot area " + std::to_string(h.rank) + " covers " +
                           num(std::round(h.study_share * 1000) / 10) + "% of the study area (over " +
                           num(k.hotspot_max_share * 100) +
                           "%, kde.hotspot_max_share): too large to point a patrol anywhere; a higher threshold "
                           "(kde.hotspot_top_percent) or a smaller radius would split it");
  }
  p["hotspot_max_share"] = num(k.hotspot_max_share * 100) + "% of the study area's cells (larger areas flagged)";
}

int place_layer(const RunSpec& spec, const RunResult& r) {
  auto index = [&](const std::string& name) {
    for (size_t i = 0; i < r.layers.size(); ++i)
      if (!name.empty() && r.layers[i].name == name) return int(i);
    return -1;
  };
  if (!spec.report.hotspot_place_layer.empty()) return index(spec.report.hotspot_place_layer);
  for (const AreaLayer& l : r.layers)
    if (index(l.dissolved_from) >= 0) return index(l.dissolved_from);
  if (index(spec.kde.study_layer) >= 0) return index(spec.kde.study_layer);
  return int(r.layers.size()) - 1;
}

void name_hotspots(Surface& s, const std::vector<std::vector<uint32_t>>& members, const RunResult& r, int place) {
  const IncidentTable& t = r.incidents;
  const bool has_place = place >= 0 && size_t(place) < r.assignments.size();
  for (size_t h = 0; h < s.hotspots.size(); ++h) {
    const std::vector<uint32_t> none;
    const std::vector<uint32_t>& m = h < members.size() ? members[h] : none;
    const std::string location = commonest(m, [&](uint32_t i) { return t.location_at(i); });
    std::string area;
    if (has_place) {
      const AreaLayer& l = r.layers[size_t(place)];
      area = commonest(m, [&](uint32_t i) {
        const int32_t a = r.assignments[size_t(place)].area[i];
        return a < 0 ? std::string() : l.label[size_t(a)].empty() ? l.code[size_t(a)] : l.label[size_t(a)];
      });
    }
    std::string& name = s.hotspots[h].name;
    name = location.empty() ? area : area.empty() ? location : location + ", " + area;
    if (name.empty()) name = m.empty() ? "no incidents inside" : "hotspot " + std::to_string(s.hotspots[h].rank);
  }
}

double gistar_band_by_rule(kde::Kernel kernel, double bandwidth, double cell) {
  const double r = kernel == kde::Kernel::kGaussian ? std::sqrt(8.0) * bandwidth : bandwidth;
  return std::max(r, cell * std::sqrt(2.0));
}

}  // namespace hotspot::pipeline
