// Esri's emerging hot spot patterns and sfhotspot's simpler classes
// (docs/METHODS.md, "Change over time"; the reading used is in
// docs/config.md, [emerging]).
#include <cmath>

#include "hotspot/emerging.h"

namespace hotspot::emerging {
namespace {

// Whether `count` of `total` steps reach a share ("at least ceil(share T)";
// the small slack keeps 0.9 x 10 from rounding up to 10).
bool at_least(size_t count, size_t total, double share) {
  return double(count) >= std::ceil(share * double(total) - 1e-9);
}

struct History {
  size_t T = 0, marked = 0;
  bool last = false;          // marked at the final step
  bool other_before = false;  // the opposite mark at some step before the final one
  bool before_run = false;    // marked before the final unbroken run (or at all, when not last)
  size_t run = 0;             // length of the final unbroken run (0 when not last)
};

History history(const Marks& marks, int sign) {
  History h;
  h.T = marks.size();
  if (h.T == 0) return h;
  for (int m : marks) h.marked += m == sign;
  h.last = marks.back() == sign;
  for (size_t t = 0; t + 1 < h.T; ++t) h.other_before = h.other_before || marks[t] == -sign;
  size_t start = h.T;
  while (h.last && start > 0 && marks[start - 1] == sign) --start;
  h.run = h.T - start;
  for (size_t t = 0; t < (h.last ? start : h.T); ++t) h.before_run = h.before_run || marks[t] == sign;
  return h;
}

// Every pattern of one side (sign +1 hot, -1 cold) that fits, in order.
// Cold patterns mirror the hot ones: "intensifying" cold is a significant
// downward trend of z.
void fitting(const Marks& marks, int sign, const stats::MannKendall& trend, const PatternOptions& o,
             std::vector<Pattern>& out) {
  const History h = history(marks, sign);
  if (h.T == 0) return;
  const bool ninety = at_least(h.marked, h.T, o.share);
  const bool trend_sig = trend.var_s > 0 && trend.p <= o.trend_alpha;
  const int direction = (trend.s > 0) - (trend.s < 0);
  const int base = sign > 0 ? int(Pattern::kNewHot) : int(Pattern::kNewCold);
  auto add = [&](int offset) { out.push_back(Pattern(base + offset)); };
  // The documented order (docs/config.md): new, consecutive, intensifying,
  // diminishing, historical, persistent, sporadic, oscillating. Historical
  // goes before persistent so that a series no longer hot at the end (both
  // fit when there is no trend) is called historical.
  if (h.last && !h.before_run && h.run == 1) add(0);                           // new
  if (h.last && !h.before_run && h.run >= 2 && !ninety) add(1);                // consecutive
  if (ninety && h.last && trend_sig && direction == sign) add(2);              // intensifying
  if (ninety && h.last && trend_sig && direction == -sign) add(4);             // diminishing
  if (!h.last && ninety) add(7);                                               // historical
  if (ninety && !trend_sig) add(3);                                            // persistent
  if (h.last && !ninety && h.before_run && !h.other_before) add(5);            // sporadic
  if (h.last && !ninety && h.other_before) add(6);                             // oscillating
}

// sfhotspot's classes as its documentation defines them, for one side.
std::string one_side(const Marks& marks, int sign, const PatternOptions& o) {
  const size_t T = marks.size();
  const auto r = size_t(std::floor(o.recent_share * double(T) + 1e-9));
  size_t all = 0, recent = 0;
  for (size_t t = 0; t < T; ++t) {
    all += marks[t] == sign;
    if (t >= T - r) recent += marks[t] == sign;
  }
  const size_t older = all - recent;
  if (T > 0 && at_least(all, T, o.persistent_share)) return "persistent";
  if (r > 0) {
    const bool older_some = T > r && at_least(older, T - r, o.intermittent_share);
    const bool recent_some = at_least(recent, r, o.intermittent_share) && recent > 0;
    if (!older_some && recent_some) return "emerging";
    if (older_some && !recent_some) return "former";
  }
  if (all > 0 && at_least(all, T, o.intermittent_share)) return "intermittent";
  return "";
}

}  // namespace

std::string pattern_name(Pattern p) {
  static const char* kNames[] = {
      "no pattern",          "new hot spot",          "consecutive hot spot", "intensifying hot spot",
      "persistent hot spot", "diminishing hot spot",  "sporadic hot spot",    "oscillating hot spot",
      "historical hot spot", "new cold spot",         "consecutive cold spot", "intensifying cold spot",
      "persistent cold spot", "diminishing cold spot", "sporadic cold spot",  "oscillating cold spot",
      "historical cold spot"};
  return kNames[int(p)];
}

std::string simple_class(const Marks& marks, const PatternOptions& o) {
  const std::string hot = one_side(marks, 1, o), cold = one_side(marks, -1, o);
  if (!hot.empty() && !cold.empty()) return "mixed";
  if (!hot.empty()) return hot + " hot";
  if (!cold.empty()) return cold + " cold";
  return "no pattern";
}

LocationPattern classify(const Marks& marks, const std::vector<double>& z, const PatternOptions& o) {
  LocationPattern lp;
  lp.trend = stats::mann_kendall(z, o.continuity);
  std::vector<Pattern> fits;
  fitting(marks, 1, lp.trend, o, fits);
  fitting(marks, -1, lp.trend, o, fits);
  if (!fits.empty()) {
    lp.pattern = fits.front();
    lp.also.assign(fits.begin() + 1, fits.end());
  }
  size_t hot = 0, cold = 0;
  for (int m : marks) hot += m > 0, cold += m < 0;
  if (!marks.empty()) lp.hot_share = double(hot) / double(marks.size()), lp.cold_share = double(cold) / double(marks.size());
  lp.simple = simple_class(marks, o);
  return lp;
}

}  // namespace hotspot::emerging
