// Disclosure control for published count tables: primary suppression of small
// counts and secondary suppression so that a hidden count cannot be recovered
// by subtraction (docs/methods.md, "Disclosure control (public packs)"; the seed tables show
// counts of 1-5 as "x").
//
// Published lines. Every published sum is an additive constraint an attacker
// can subtract with; each is a "line" whose members are its parts and its
// total:
//   - row_totals:  each row's cells + that row's total;
//   - col_totals:  each column's cells + that column's total;
//   - grand_total: the column totals + the grand total (with col_totals), and
//     the row totals + the grand total (with row_totals). With neither margin
//     published, the grand total still constrains the table: its line is all
//     cells + the grand total.
//
// GUARANTEE. After suppress(), every published line has either no hidden
// member or at least two. Hence no hidden value can be recovered by
// subtracting published values along any single published line, and
// iterating does not help either: each step of the elimination attack needs a
// line with exactly one unknown, and there is none to start from.
//
// LIMITATIONS (what this does NOT guarantee):
//   - Interval (linear programming) attacks. Counts are non-negative, so an
//     attacker who minimises / maximises a hidden cell subject to all
//     published lines can narrow its range, sometimes to within 1..k and
//     sometimes to one value. In particular a line whose published total is 0
//     reveals all its hidden members as 0; a hidden zero chosen as a partner
//     (the fallback below) then protects nothing, and the cell it was meant
//     to protect may be solved exactly.
//   - Combinations of lines. Adding and subtracting whole lines can isolate a
//     hidden cell that no single line isolates, e.g. a hidden cell bridging
//     two otherwise separate blocks of hidden cells in a table with both
//     margins (rows {0,1} minus columns {0,1} of a 4x4 table). In 500
//     random tables of up to 12 x 12 this fixed a hidden value exactly in 7
//     tables, all with both margins published (about 1 in 18 of those).
// stats::protect (stats/disclosure.h) closes both with an LP audit of the
// whole system (stats/audit.h), hiding more until every small count keeps
// its range; this file alone does not.
//
// Thread safety: pure functions, safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::stats {

enum class CellState : uint8_t {
  kShown,
  kPrimary,    // value in 1..k
  kSecondary,  // hidden to protect another hidden value
};

// A table of non-negative counts with optional published margins.
struct CountTable {
  int rows = 0;                // >= 0
  int cols = 0;                // >= 0
  std::vector<int64_t> cells;  // row-major, rows * cols, each >= 0
  bool row_totals = false;     // each row's sum is published
  bool col_totals = false;     // each column's sum is published
  bool grand_total = false;    // the sum of all cells is published
};

// States of every value of a CountTable. Totals that are not published stay
// kShown; the caller must not print them.
struct Suppression {
  std::vector<CellState> cells;       // rows * cols, row-major
  std::vector<CellState> row_totals;  // rows entries
  std::vector<CellState> col_totals;  // cols entries
  CellState grand_total = CellState::kShown;
  int64_t primary = 0;    // hidden values (cells and totals) in 1..k
  int64_t secondary = 0;  // hidden values (cells and totals) that are 0 or > k
};

// Primary: every published value (cells and published totals) in 1..k is
// hidden; k = 0 hides nothing.
// Secondary: lines are visited in a fixed order (rows, columns, the column
// totals line, the row totals line, the all-cells line), repeated until no
// line changes. A line with exactly one hidden member gets a second: one of
// its shown non-zero parts, drawn pseudo-randomly with a seed digested from
// every value of the table (hidden ones included: a reader of the published
// table cannot replay the draw, and no "smallest first" rule bounds the
// partner); a shown zero part only if no non-zero part is shown; the line's
// total only if no part is shown.
// Deterministic: the same table always gives the same Suppression.
// Cost: O(passes x cells); passes is small unless hiding cascades far.
// Throws std::invalid_argument if rows or cols < 0, cells.size() != rows *
// cols, a cell < 0, k < 0, or a total overflows int64.
Suppression suppress(const CountTable& table, int64_t k = 5);

// The general form, for published values linked by any set of sums (several
// tables, nested area layers, roll-ups): every value is published, and each
// line says that values[parts] add up to values[total]. Parts are scanned in
// the order given (ties: the first). Same rules and guarantee as suppress().
// Throws std::invalid_argument for negative values or k, an index out of
// range, or a line whose parts do not add up to its total.
struct SumLine {
  std::vector<size_t> parts;
  size_t total = 0;
};
std::vector<CellState> suppress_lines(const std::vector<int64_t>& values, const std::vector<SumLine>& lines,
                                      int64_t k = 5);

// The secondary pass alone, on states already set (by suppress_lines, plus
// values the caller hid since, e.g. after an audit): gives every line with
// exactly one hidden member a second, as above. `salt` varies the draw
// between rounds. Same exceptions as suppress_lines.
void hide_secondary_lines(const std::vector<int64_t>& values, const std::vector<SumLine>& lines,
                          std::vector<CellState>& states, uint64_t salt = 0);

// A pseudo-random 64-bit number digested from every value (hidden ones
// included) and `salt`: the same for the same data, unknowable from the
// published values alone. For callers that draw their own choices.
uint64_t suppression_draw(const std::vector<int64_t>& values, uint64_t salt);

// Formats a count for publication: its decimal digits when shown, `marker`
// when hidden (kPrimary or kSecondary alike, so a reader cannot tell which is
// small). Never depends on the C or C++ locale.
std::string published(int64_t value, CellState state, std::string_view marker = "x");

}  // namespace hotspot::stats
