#include "stats/suppression.h"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <system_error>

namespace hotspot::stats {
namespace {

// Every value of the table in one array so that a line is just indices:
// cells [0, n), row totals [n, n + rows), column totals, then the grand total.
struct Member {
  int64_t value = 0;
  bool published = false;
  CellState state = CellState::kShown;
};

using Line = SumLine;

struct Layout {
  size_t rows, cols;
  size_t cell(size_t r, size_t c) const { return r * cols + c; }
  size_t row_total(size_t r) const { return rows * cols + r; }
  size_t col_total(size_t c) const { return rows * cols + rows + c; }
  size_t grand() const { return rows * cols + rows + cols; }
};

void validate(const CountTable& t, int64_t k) {
  if (t.rows < 0 || t.cols < 0) throw std::invalid_argument("suppress: negative table size");
  if (t.cells.size() != static_cast<size_t>(t.rows) * static_cast<size_t>(t.cols)) {
    throw std::invalid_argument("suppress: cells.size() != rows * cols");
  }
  for (int64_t v : t.cells) {
    if (v < 0) throw std::invalid_argument("suppress: negative count " + std::to_string(v));
  }
  if (k < 0) throw std::invalid_argument("suppress: negative threshold k");
}

void add_to(int64_t& sum, int64_t v) {
  if (v > std::numeric_limits<int64_t>::max() - sum) {
    throw std::invalid_argument("suppress: a total overflows int64");
  }
  sum += v;
}

std::vector<Member> build_members(const CountTable& t, const Layout& at) {
  std::vector<Member> m(at.grand() + 1);
  for (size_t r = 0; r < at.rows; ++r) {
    for (size_t c = 0; c < at.cols; ++c) {
      const int64_t v = t.cells[at.cell(r, c)];
      m[at.cell(r, c)] = {v, true, CellState::kShown};
      add_to(m[at.row_total(r)].value, v);
      add_to(m[at.col_total(c)].value, v);
      add_to(m[at.grand()].value, v);
    }
  }
  for (size_t r = 0; r < at.rows; ++r) m[at.row_total(r)].published = t.row_totals;
  for (size_t c = 0; c < at.cols; ++c) m[at.col_total(c)].published = t.col_totals;
  m[at.grand()].published = t.grand_total;
  return m;
}

std::vector<Line> build_lines(const CountTable& t, const Layout& at) {
  std::vector<Line> lines;
  if (t.row_totals) {
    for (size_t r = 0; r < at.rows; ++r) {
      Line& l = lines.emplace_back(Line{{}, at.row_total(r)});
      for (size_t c = 0; c < at.cols; ++c) l.parts.push_back(at.cell(r, c));
    }
  }
  if (t.col_totals) {
    for (size_t c = 0; c < at.cols; ++c) {
      Line& l = lines.emplace_back(Line{{}, at.col_total(c)});
      for (size_t r = 0; r < at.rows; ++r) l.parts.push_back(at.cell(r, c));
    }
  }
  if (!t.grand_total) return lines;
  if (t.col_totals) {
    Line& l = lines.emplace_back(Line{{}, at.grand()});
    for (size_t c = 0; c < at.cols; ++c) l.parts.push_back(at.col_total(c));
  }
  if (t.row_totals) {
    Line& l = lines.emplace_back(Line{{}, at.grand()});
    for (size_t r = 0; r < at.rows; ++r) l.parts.push_back(at.row_total(r));
  }
  if (!t.row_totals && !t.col_totals) {
    Line& l = lines.emplace_back(Line{{}, at.grand()});
    for (size_t i = 0; i < at.rows * at.cols; ++i) l.parts.push_back(i);
  }
  return lines;
}

bool hidden(const Member& m) { return m.state != CellState::kShown; }

int hidden_members(const Line& line, const std::vector<Member>& m) {
  int n = hidden(m[line.total]) ? 1 : 0;
  for (size_t i : line.parts) n += hidden(m[i]) ? 1 : 0;
  return n;
}

// A fixed, well-mixed 64-bit step (SplitMix64): the partner choice below
// must be the same on every machine and every run of the same data, so no
// std:: distribution (whose results the standard leaves to the library).
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The member hidden to give `line` its second hidden member: one of the
// shown non-zero parts, drawn with `seed`. Not the smallest: an attacker who
// knows a "smallest first" rule learns that the hidden partner is at most
// every part left shown (a bound on it, and through it on the value it
// protects). A zero is a weak partner (it bounds the protected value from
// above at its true value), so it is a last resort before the total.
size_t pick_partner(const Line& line, const std::vector<Member>& m, uint64_t seed) {
  const size_t kNone = m.size();
  std::vector<size_t> nonzero;
  size_t zero = kNone;
  for (size_t i : line.parts) {
    if (hidden(m[i])) continue;
    if (m[i].value != 0) nonzero.push_back(i);
    else if (zero == kNone) zero = i;
  }
  if (!nonzero.empty()) return nonzero[mix(seed ^ mix(line.total)) % nonzero.size()];
  if (zero != kNone) return zero;
  if (hidden(m[line.total])) throw std::logic_error("suppress: line has no member to hide");
  return line.total;
}

void hide_secondary(const std::vector<Line>& lines, std::vector<Member>& m, uint64_t seed) {
  for (bool changed = true; changed;) {
    changed = false;
    for (const Line& line : lines) {
      if (hidden_members(line, m) != 1) continue;
      m[pick_partner(line, m, seed)].state = CellState::kSecondary;
      changed = true;
    }
  }
}

// The default seed: a digest of every value, hidden ones included, so the
// choice is repeatable for the same data but cannot be replayed by someone
// who sees only the published values.
uint64_t seed_of(const std::vector<Member>& m) {
  uint64_t h = 0x5eed;
  for (const Member& x : m) h = mix(h ^ uint64_t(x.value));
  return h;
}

Suppression unpack(const std::vector<Member>& m, const Layout& at) {
  Suppression s;
  for (size_t i = 0; i < at.rows * at.cols; ++i) s.cells.push_back(m[i].state);
  for (size_t r = 0; r < at.rows; ++r) s.row_totals.push_back(m[at.row_total(r)].state);
  for (size_t c = 0; c < at.cols; ++c) s.col_totals.push_back(m[at.col_total(c)].state);
  s.grand_total = m[at.grand()].state;
  for (const Member& x : m) {
    s.primary += x.state == CellState::kPrimary ? 1 : 0;
    s.secondary += x.state == CellState::kSecondary ? 1 : 0;
  }
  return s;
}

}  // namespace

Suppression suppress(const CountTable& table, int64_t k) {
  validate(table, k);
  const Layout at{static_cast<size_t>(table.rows), static_cast<size_t>(table.cols)};
  std::vector<Member> members = build_members(table, at);
  for (Member& x : members) {
    if (x.published && x.value >= 1 && x.value <= k) x.state = CellState::kPrimary;
  }
  hide_secondary(build_lines(table, at), members, seed_of(members));
  return unpack(members, at);
}

std::vector<CellState> suppress_lines(const std::vector<int64_t>& values, const std::vector<SumLine>& lines,
                                      int64_t k) {
  if (k < 0) throw std::invalid_argument("suppress_lines: negative threshold k");
  std::vector<CellState> states;
  states.reserve(values.size());
  for (int64_t v : values) states.push_back(v >= 1 && v <= k ? CellState::kPrimary : CellState::kShown);
  hide_secondary_lines(values, lines, states);
  return states;
}

void hide_secondary_lines(const std::vector<int64_t>& values, const std::vector<SumLine>& lines,
                          std::vector<CellState>& states, uint64_t salt) {
  if (states.size() != values.size()) throw std::invalid_argument("suppress_lines: states.size() != values.size()");
  std::vector<Member> members;
  members.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] < 0) throw std::invalid_argument("suppress_lines: negative count " + std::to_string(values[i]));
    members.push_back({values[i], true, states[i]});
  }
  for (const SumLine& line : lines) {
    int64_t sum = 0;
    for (size_t i : line.parts) {
      if (i >= values.size()) throw std::invalid_argument("suppress_lines: part out of range");
      add_to(sum, values[i]);
    }
    if (line.total >= values.size() || sum != values[line.total])
      throw std::invalid_argument("suppress_lines: a line's parts do not sum to its total");
  }
  hide_secondary(lines, members, mix(seed_of(members) ^ salt));
  for (size_t i = 0; i < values.size(); ++i) states[i] = members[i].state;
}

uint64_t suppression_draw(const std::vector<int64_t>& values, uint64_t salt) {
  uint64_t h = 0x5eed;
  for (int64_t v : values) h = mix(h ^ uint64_t(v));
  return mix(h ^ salt);
}

std::string published(int64_t value, CellState state, std::string_view marker) {
  if (state != CellState::kShown) return std::string(marker);
  // std::to_chars never consults the locale (unlike printf / iostreams).
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) throw std::logic_error("published: to_chars failed");
  return std::string(buffer, end);
}

}  // namespace hotspot::stats
