// The disclosure audit: the narrowest range an attacker can prove for every
// withheld count, given every published number (docs/config.md, "Disclosure
// control").
//
// Attacker model. The attacker knows every published value, every exact sum
// that links published values (SumLine: TOTAL rows, roll-ups, beats from
// wards), and that counts are whole numbers >= 0. For each withheld value
// they minimise and maximise it subject to all of that: two linear
// programmes, solved with GLPK's simplex on each connected block of withheld
// values (blocks share no sum, so they are independent). The bounds are
// rounded inwards to whole numbers.
//
// Not modelled: integer programming. In a system of sums over tables the LP
// bounds are usually the integer ones; where they are not, an integer
// attacker can do a little better than the audit says. Outside knowledge
// (who lives where, the police.uk download itself) is out of scope, as for
// any table release.
//
// Thread safety: audit() may be called from one thread at a time (GLPK
// keeps per-thread state; the engine calls it once per run).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stats/suppression.h"

namespace hotspot::stats {

// When a withheld count of 1..k counts as protected: the attacker's range
// holds at least `min_values` whole numbers, and either 0 is in it or it
// spans all of 1..k. ([0, 2] and [1, 7] pass; [1, 3] and [2, 2] do not.)
struct AuditRule {
  int64_t min_values = 3;
  int64_t k = 5;
};

struct Interval {
  int64_t lo = 0;
  int64_t hi = 0;
  bool unbounded = false;  // no upper bound (hi is then meaningless)
};

bool is_protected(const Interval& range, const AuditRule& rule);

struct AuditResult {
  std::vector<Interval> range;  // per value: shown [v, v]; sensitive withheld: the attacker's
                                // range, exact where it is narrow enough to matter; where
                                // solutions already found show it passes, the part they show
                                // (the true range is wider). Other withheld: [0, unbounded].
  std::vector<size_t> exposed;  // sensitive values whose range fails the rule, ascending
  // Per exposed value: the shown values whose hiding would widen its range,
  // best first (LP pricing: the sums that bind its failing bound, weighted by
  // how far the shown value could move). Empty when none would help.
  std::vector<std::vector<size_t>> helpers;
  int64_t withheld = 0;         // withheld values
  int64_t sensitive = 0;        // withheld values that must keep a range (true 1..k)
  int64_t blocks = 0;           // connected blocks with a sensitive value
  int64_t programs = 0;         // linear programmes solved
  Interval narrowest;           // of the sensitive values' ranges as computed (by width)
  double seconds = 0;
};

// values: every value's true count; hidden: withheld or not; sensitive: the
// withheld values that must stay protected (the counts 1..k). Throws
// std::invalid_argument on mismatched sizes and std::runtime_error if the
// solver fails (the published system always has the true values as a
// solution, so it cannot be infeasible).
AuditResult audit(const std::vector<int64_t>& values, const std::vector<SumLine>& lines,
                  const std::vector<bool>& hidden, const std::vector<bool>& sensitive, const AuditRule& rule);

// "GLPK 5.0 simplex (LP bounds rounded to whole numbers)".
std::string audit_solver();

}  // namespace hotspot::stats
