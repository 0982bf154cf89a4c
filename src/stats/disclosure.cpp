#include "stats/disclosure.h"

#include <algorithm>
#include <stdexcept>

#include "stats/suppression.h"

namespace hotspot::stats {
namespace {

// Base category b counts towards roll-up c when all its sources do.
bool within(const StatCategory& base, const StatCategory& rollup) {
  for (size_t i = 0; i < base.members.size(); ++i)
    if (base.members[i] && !rollup.members[i]) return false;
  return true;
}

// All published values of all layers and both periods in one array.
class System {
 public:
  System(const StatsResult& r) : r_(r), nc_(size_t(r.categories.size())) {
    for (const LayerStats& s : r.layers)
      for (int p = 0; p < 2; ++p) {
        offset_.push_back(values_.size());
        const auto& v = p ? s.current : s.previous;
        values_.insert(values_.end(), v.begin(), v.end());
        for (int c = 0; c < s.categories; ++c) values_.push_back(p ? s.total_cur(c) : s.total_prev(c));
      }
  }
  size_t cell(size_t layer, int p, int area, int cat) const {
    return offset_[layer * 2 + size_t(p)] + size_t(area) * nc_ + size_t(cat);
  }
  size_t total(size_t layer, int p, int cat) const {
    return offset_[layer * 2 + size_t(p)] + size_t(r_.layers[layer].areas) * nc_ + size_t(cat);
  }
  // A value that is never published but that an attacker reasons with
  // (see add_outside_lines); returns its index.
  size_t add_unpublished(int64_t value) {
    values_.push_back(value);
    return values_.size() - 1;
  }
  size_t published_count() const { return published_; }
  void finish_published() { published_ = values_.size(); }
  void add(SumLine line) {
    int64_t sum = 0;
    for (size_t i : line.parts) sum += values_[i];
    if (sum == values_[line.total]) lines_.push_back(std::move(line));
    else ++skipped_;
  }
  const std::vector<int64_t>& values() const { return values_; }
  const std::vector<SumLine>& lines() const { return lines_; }
  int64_t skipped() const { return skipped_; }

 private:
  const StatsResult& r_;
  size_t nc_;
  std::vector<size_t> offset_;
  std::vector<int64_t> values_;
  std::vector<SumLine> lines_;
  int64_t skipped_ = 0;
  size_t published_ = 0;
};

void add_layer_lines(System& sys, const StatsResult& r, size_t l) {
  const LayerStats& s = r.layers[l];
  for (int p = 0; p < 2; ++p) {
    for (int c = 0; c < s.categories; ++c) {
      SumLine column{{}, sys.total(l, p, c)};
      for (int a = 0; a < s.areas; ++a) column.parts.push_back(sys.cell(l, p, a, c));
      sys.add(std::move(column));
      const StatCategory& roll = r.categories[size_t(c)];
      if (!roll.rollup) continue;
      for (int a = -1; a < s.areas; ++a) {  // -1: the TOTAL row
        SumLine line{{}, a < 0 ? sys.total(l, p, c) : sys.cell(l, p, a, c)};
        for (int b = 0; b < s.categories; ++b)
          if (!r.categories[size_t(b)].rollup && within(r.categories[size_t(b)], roll))
            line.parts.push_back(a < 0 ? sys.total(l, p, b) : sys.cell(l, p, a, b));
        sys.add(std::move(line));
      }
    }
  }
}

void add_nesting_lines(System& sys, const StatsResult& r, const std::vector<AreaLayer>& layers, size_t l) {
  const AreaLayer& layer = layers[l];
  size_t from = layers.size();
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == layer.dissolved_from) from = i;
  if (from == layers.size()) return;
  std::vector<bool> in_some(layers[from].size(), false);
  for (const auto& parts : layer.parts)
    for (int32_t w : parts) in_some[size_t(w)] = true;
  for (int p = 0; p < 2; ++p)
    for (int c = 0; c < r.layers[l].categories; ++c) {
      for (size_t b = 0; b < layer.size(); ++b) {
        SumLine line{{}, sys.cell(l, p, int(b), c)};
        for (int32_t w : layer.parts[b]) line.parts.push_back(sys.cell(from, p, w, c));
        sys.add(std::move(line));
      }
      SumLine whole{{}, sys.total(from, p, c)};
      for (size_t b = 0; b < layer.size(); ++b) whole.parts.push_back(sys.cell(l, p, int(b), c));
      for (size_t w = 0; w < in_some.size(); ++w)
        if (!in_some[w]) whole.parts.push_back(sys.cell(from, p, int(w), c));
      sys.add(std::move(whole));
    }
}

// Layers that cover different incidents (a few points outside every ward,
// beats only for one district): per period and category, N incidents in
// all, of which each layer's TOTAL counts all but its "outside" ones:
// TOTAL_L + outside_L = N. Neither N nor outside_L is published, but the
// attacker is taken to know that the layer with the largest TOTAL covers
// everything (outside = 0, as LSOAs tile a force), so N = that TOTAL and a
// layer whose TOTAL falls short by 1..k gives away a small count by
// subtraction. These sums go to the audit only (not to the one-sum rule:
// N itself is no secret). The outside counts of 1..k must keep their range.
std::vector<SumLine> add_outside_lines(System& sys, const StatsResult& r, std::vector<int64_t>& kinds) {
  std::vector<SumLine> lines;
  if (r.layers.size() < 2) return lines;
  const size_t nc = r.categories.size(), nl = r.layers.size();
  auto exact = [&](const SumLine& line) {
    int64_t sum = 0;
    for (size_t i : line.parts) sum += sys.values()[i];
    return sum == sys.values()[line.total];
  };
  for (int p = 0; p < 2; ++p) {
    std::vector<size_t> all(nc), outside(nc * nl);
    for (size_t c = 0; c < nc; ++c) {
      int64_t n = 0;
      for (size_t l = 0; l < nl; ++l) n = std::max(n, sys.values()[sys.total(l, p, int(c))]);
      all[c] = sys.add_unpublished(n);
      kinds.push_back(-1);  // N: unknown to the attacker
      for (size_t l = 0; l < nl; ++l) {
        const int64_t o = n - sys.values()[sys.total(l, p, int(c))];
        outside[c * nl + l] = sys.add_unpublished(o);
        kinds.push_back(o == 0 ? 0 : 1);  // a zero is taken as known
        lines.push_back(SumLine{{sys.total(l, p, int(c)), outside[c * nl + l]}, all[c]});
      }
    }
    // A roll-up's N and outside counts are the sums of its categories'
    // (where the largest TOTALs come from one layer, so the sums hold).
    for (size_t c = 0; c < nc; ++c) {
      if (!r.categories[c].rollup) continue;
      SumLine n_line{{}, all[c]};
      std::vector<SumLine> o_lines(nl);
      for (size_t l = 0; l < nl; ++l) o_lines[l].total = outside[c * nl + l];
      for (size_t b = 0; b < nc; ++b) {
        if (r.categories[b].rollup || !within(r.categories[b], r.categories[c])) continue;
        n_line.parts.push_back(all[b]);
        for (size_t l = 0; l < nl; ++l) o_lines[l].parts.push_back(outside[b * nl + l]);
      }
      if (exact(n_line)) lines.push_back(n_line);
      for (const SumLine& o : o_lines)
        if (exact(o)) lines.push_back(o);
    }
  }
  return lines;
}

PeriodDisclosure unpack(const std::vector<CellState>& states, const System& sys, const LayerStats& s, size_t l,
                        int p) {
  PeriodDisclosure d;
  for (int a = 0; a < s.areas; ++a)
    for (int c = 0; c < s.categories; ++c) d.hidden.push_back(states[sys.cell(l, p, a, c)] != CellState::kShown);
  for (int c = 0; c < s.categories; ++c) d.hidden_total.push_back(states[sys.total(l, p, c)] != CellState::kShown);
  return d;
}


// Hides one more value for each exposed count: the best of the audit's
// helpers (the shown values whose release moves its failing bound most),
// a part before a total (TOTAL rows, roll-ups and beats are what readers
// look at first). Returns how many were hidden.
// Only published values (index < published) can be withheld: an unpublished
// value the attacker is taken to know (an outside count of 0) stays known.
int64_t widen(const AuditResult& a, const std::vector<SumLine>& lines, const std::vector<bool>& is_total,
              size_t published, std::vector<CellState>& states) {
  int64_t added = 0;
  for (size_t j = 0; j < a.exposed.size(); ++j) {
    size_t pick = states.size();
    for (size_t c : a.helpers[j])
      if (c < published && states[c] == CellState::kShown &&
          (pick == states.size() || (is_total[pick] && !is_total[c]))) {
        pick = c;
        if (!is_total[c]) break;
      }
    if (pick != states.size()) {
      states[pick] = CellState::kSecondary;
      ++added;
      continue;
    }
    // No single value helps: hide every shown part of every sum through it.
    const size_t e = a.exposed[j];
    for (const SumLine& line : lines) {
      if (line.total != e && std::find(line.parts.begin(), line.parts.end(), e) == line.parts.end()) continue;
      for (size_t c : line.parts)
        if (c < published && states[c] == CellState::kShown) states[c] = CellState::kSecondary, ++added;
    }
  }
  return added;
}

}  // namespace

Disclosure protect(const StatsResult& r, const std::vector<AreaLayer>& layers, int64_t k, AuditRule rule) {
  System sys(r);
  for (size_t l = 0; l < r.layers.size(); ++l) {
    add_layer_lines(sys, r, l);
    add_nesting_lines(sys, r, layers, l);
  }
  sys.finish_published();
  std::vector<int64_t> kinds;  // per unpublished value: -1 unknown, 0 known zero, 1 unknown outside count
  const std::vector<SumLine> outside = add_outside_lines(sys, r, kinds);
  const std::vector<int64_t>& values = sys.values();
  const std::vector<SumLine>& lines = sys.lines();  // the published sums
  std::vector<SumLine> all_lines = lines;           // and those the audit adds
  all_lines.insert(all_lines.end(), outside.begin(), outside.end());
  // Primary and one-sum secondary suppression of the published values; the
  // unpublished ones are hidden (unknown) except the known zeros.
  std::vector<CellState> states = suppress_lines(values, lines, k);
  for (size_t i = sys.published_count(); i < values.size(); ++i)
    if (kinds[i - sys.published_count()] == 0) states[i] = CellState::kShown;
    else if (states[i] == CellState::kShown) states[i] = CellState::kSecondary;
  std::vector<bool> is_total(values.size(), false);  // a TOTAL, roll-up, beat or N
  for (const SumLine& line : all_lines) is_total[line.total] = true;
  std::vector<bool> sensitive(values.size());
  for (size_t i = 0; i < values.size(); ++i) sensitive[i] = values[i] >= 1 && values[i] <= k;

  Disclosure out;
  rule.k = k;
  out.rule = rule;
  // Each round hides at least one more value, or stops: the rounds are few
  // in practice (see the README's figures); the cap only guards a bug.
  constexpr int kMaxRounds = 100;
  int64_t first_withheld = 0;
  for (int round = 1;; ++round) {
    std::vector<bool> hidden(values.size());
    for (size_t i = 0; i < values.size(); ++i) hidden[i] = states[i] != CellState::kShown;
    out.audit = audit(values, all_lines, hidden, sensitive, rule);
    out.audit_rounds = round;
    if (round == 1) {
      out.exposed_first = int64_t(out.audit.exposed.size());
      first_withheld = out.audit.withheld;
    }
    if (out.audit.exposed.empty()) break;
    const int64_t added = widen(out.audit, all_lines, is_total, sys.published_count(), states);
    if (added == 0 || round == kMaxRounds)  // nothing left to hide, or a bug
      throw std::runtime_error("public mode: " + std::to_string(out.audit.exposed.size()) +
                               " withheld counts could not be protected after " + std::to_string(round) +
                               " audit rounds");
    hide_secondary_lines(values, lines, states, uint64_t(round));
  }
  out.hidden_by_audit = out.audit.withheld - first_withheld;  // unpublished values never change
  for (size_t l = 0; l < r.layers.size(); ++l)
    out.layers.push_back({unpack(states, sys, r.layers[l], l, 1), unpack(states, sys, r.layers[l], l, 0)});
  for (size_t i = 0; i < sys.published_count(); ++i) out.hidden += states[i] != CellState::kShown;
  out.nesting_sums_skipped = sys.skipped();
  out.sums = int64_t(all_lines.size());
  return out;
}

}  // namespace hotspot::stats
