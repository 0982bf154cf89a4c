#include "stats/audit.h"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <stdexcept>

namespace hotspot::stats {
namespace {

// Union-find over value indices: withheld values that share a sum end in
// one block.
class Blocks {
 public:
  explicit Blocks(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), size_t{0}); }
  size_t find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void join(size_t a, size_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<size_t> parent_;
};

struct ProbDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};

// One block as a GLPK problem: a column per withheld value (>= 0), a row per
// sum (fixed to what the shown values leave).
class BlockProgram {
 public:
  BlockProgram(const std::vector<size_t>& vars, const std::vector<size_t>& rows, const std::vector<int64_t>& values,
               const std::vector<SumLine>& lines, const std::vector<bool>& hidden, std::vector<int>& column_of)
      : prob_(glp_create_prob()) {
    glp_set_obj_dir(prob_.get(), GLP_MIN);
    glp_add_cols(prob_.get(), int(vars.size()));
    for (size_t j = 0; j < vars.size(); ++j) {
      column_of[vars[j]] = int(j) + 1;
      glp_set_col_bnds(prob_.get(), int(j) + 1, GLP_LO, 0.0, 0.0);
    }
    glp_add_rows(prob_.get(), int(rows.size()));
    std::vector<int> ia{0}, ja{0};
    std::vector<double> ar{0};
    for (size_t r = 0; r < rows.size(); ++r) {
      const SumLine& line = lines[rows[r]];
      // parts - total = 0, with the shown values moved to the right.
      double rhs = 0;
      auto term = [&](size_t i, double sign) {
        if (hidden[i]) {
          ia.push_back(int(r) + 1);
          ja.push_back(column_of[i]);
          ar.push_back(sign);
        } else {
          rhs -= sign * double(values[i]);
        }
      };
      for (size_t i : line.parts) term(i, 1.0);
      term(line.total, -1.0);
      glp_set_row_bnds(prob_.get(), int(r) + 1, GLP_FX, rhs, rhs);
    }
    glp_load_matrix(prob_.get(), int(ia.size()) - 1, ia.data(), ja.data(), ar.data());
    glp_init_smcp(&parm_);
    parm_.msg_lev = GLP_MSG_OFF;
    parm_.presolve = GLP_OFF;  // keep the basis between solves (warm starts)
  }

  // After a solve: the value of column j (1-based) in the solution found.
  double value(int j) const { return glp_get_col_prim(prob_.get(), j); }

  // After a solve: how much the objective moves per unit of each row's
  // right-hand side (the row duals), row r 1-based.
  double dual(int r) const { return glp_get_row_dual(prob_.get(), r); }

  // The smallest or largest value column `j` (1-based) can take.
  // Returns false when unbounded above.
  bool solve(int j, int direction, double& out) {
    glp_set_obj_coef(prob_.get(), j, 1.0);
    glp_set_obj_dir(prob_.get(), direction);
    int rc = glp_simplex(prob_.get(), &parm_);
    if (rc != 0) {  // a lost basis: start again from the standard one
      glp_std_basis(prob_.get());
      rc = glp_simplex(prob_.get(), &parm_);
    }
    glp_set_obj_coef(prob_.get(), j, 0.0);
    if (rc != 0) throw std::runtime_error("disclosure audit: GLPK simplex failed (code " + std::to_string(rc) + ")");
    const int status = glp_get_status(prob_.get());
    if (status == GLP_UNBND) return false;
    if (status != GLP_OPT)
      throw std::runtime_error("disclosure audit: GLPK found no optimum (status " + std::to_string(status) + ")");
    out = glp_get_obj_val(prob_.get());
    return true;
  }

 private:
  std::unique_ptr<glp_prob, ProbDeleter> prob_;
  glp_smcp parm_;
};

// Shown values on the block's sums whose release would move the failing
// bound: a shown value c in rows R with coefficients a (+1 part, -1 total)
// becomes a column whose reduced cost is -sum(dual_r a_rc). Released, it
// can move down by its value or up without limit, so any non-zero price
// helps; a value priced to move up (or big enough to move down) helps most.
// Sorted by that score, best first (ties: lower index).
std::vector<size_t> price_shown(const BlockProgram& program, const std::vector<size_t>& rows,
                                const std::vector<SumLine>& lines, const std::vector<bool>& hidden,
                                const std::vector<int64_t>& values, bool minimising) {
  std::map<size_t, double> rate;  // value index -> d(objective)/d(value)
  auto add = [&](size_t c, double d) { rate[c] += d; };
  for (size_t r = 0; r < rows.size(); ++r) {
    const double y = program.dual(int(r) + 1);
    if (std::abs(y) < 1e-9) continue;
    const SumLine& line = lines[rows[r]];
    // Row: sum(hidden parts) - hidden total = total - sum(shown parts). A
    // shown part c sits on the right with -1: releasing it, the objective
    // moves by -y per unit increase of c; a shown total by +y.
    for (size_t c : line.parts)
      if (!hidden[c]) add(c, -y);
    if (!hidden[line.total]) add(line.total, y);
  }
  std::vector<std::pair<double, size_t>> scored;
  for (const auto& [c, d] : rate) {
    if (std::abs(d) < 1e-9) continue;
    // Improving direction: down for a minimum when d > 0 (the value can
    // drop by at most itself), up when d < 0 (unlimited); mirrored for a maximum.
    const bool up = minimising ? d < 0 : d > 0;
    const double room = up ? 1e9 : double(values[c]);
    if (room <= 0) continue;
    scored.emplace_back(-std::abs(d) * std::min(room, 1e9), c);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<size_t> out;
  for (const auto& [score, c] : scored) out.push_back(c);
  return out;
}

int64_t width(const Interval& r) { return r.unbounded ? INT64_MAX : r.hi - r.lo + 1; }

}  // namespace

bool is_protected(const Interval& r, const AuditRule& rule) {
  if (width(r) < rule.min_values) return false;
  return r.lo <= 0 || (r.lo <= 1 && (r.unbounded || r.hi >= rule.k));
}

std::string audit_solver() {
  return std::string("GLPK ") + glp_version() + " simplex (LP bounds rounded to whole numbers)";
}

AuditResult audit(const std::vector<int64_t>& values, const std::vector<SumLine>& lines,
                  const std::vector<bool>& hidden, const std::vector<bool>& sensitive, const AuditRule& rule) {
  const auto start = std::chrono::steady_clock::now();
  const size_t n = values.size();
  if (hidden.size() != n || sensitive.size() != n) throw std::invalid_argument("audit: sizes differ");
  AuditResult out;
  out.range.resize(n);
  for (size_t i = 0; i < n; ++i) {
    out.range[i] = hidden[i] ? Interval{0, 0, true} : Interval{values[i], values[i], false};
    out.withheld += hidden[i];
    out.sensitive += hidden[i] && sensitive[i];
  }
  // Blocks: withheld values joined through the sums they share.
  Blocks blocks(n);
  std::vector<std::pair<size_t, size_t>> rows_with_hidden;  // sum, one of its withheld values
  for (size_t r = 0; r < lines.size(); ++r) {
    size_t first = n;
    auto link = [&](size_t i) {
      if (!hidden[i]) return;
      if (first == n) first = i;
      else blocks.join(first, i);
    };
    for (size_t i : lines[r].parts) link(i);
    link(lines[r].total);
    if (first != n) rows_with_hidden.emplace_back(r, first);
  }
  std::vector<std::vector<size_t>> vars_of(n), rows_of(n);
  for (size_t i = 0; i < n; ++i)
    if (hidden[i]) vars_of[blocks.find(i)].push_back(i);
  for (const auto& [r, member] : rows_with_hidden) rows_of[blocks.find(member)].push_back(r);

  std::vector<int> column_of(n, 0);
  bool have_narrowest = false;
  for (size_t root = 0; root < n; ++root) {
    const std::vector<size_t>& vars = vars_of[root];
    bool any_sensitive = false;
    for (size_t i : vars) any_sensitive = any_sensitive || sensitive[i];
    if (!any_sensitive) continue;
    ++out.blocks;
    BlockProgram program(vars, rows_of[root], values, lines, hidden, column_of);
    // Every solution found is a witness: each value's range holds at least
    // the smallest and largest it took in any of them (the true values are
    // the first). A value whose witnessed range already passes needs no
    // programme of its own; the others get exact bounds. Sound either way:
    // the true range contains the witnessed one.
    std::vector<double> seen_lo(vars.size()), seen_hi(vars.size());
    for (size_t j = 0; j < vars.size(); ++j) seen_lo[j] = seen_hi[j] = double(values[vars[j]]);
    auto witness = [&] {
      for (size_t j = 0; j < vars.size(); ++j) {
        const double v = program.value(int(j) + 1);
        seen_lo[j] = std::min(seen_lo[j], v);
        seen_hi[j] = std::max(seen_hi[j], v);
      }
    };
    for (size_t i : vars) {
      if (!sensitive[i]) continue;
      const size_t j = size_t(column_of[i]) - 1;
      Interval r;
      r.lo = std::max<int64_t>(0, int64_t(std::ceil(seen_lo[j] - 1e-6)));
      r.hi = int64_t(std::floor(seen_hi[j] + 1e-6));
      if (!is_protected(r, rule)) {
        double lo = 0;
        program.solve(column_of[i], GLP_MIN, lo);
        ++out.programs;
        witness();
        r.lo = std::max<int64_t>(0, int64_t(std::ceil(lo - 1e-6)));
        r.hi = std::max(r.hi, int64_t(std::floor(seen_hi[j] + 1e-6)));
      }
      if (!is_protected(r, rule)) {
        double hi = 0;
        const bool bounded = program.solve(column_of[i], GLP_MAX, hi);
        ++out.programs;
        if (bounded) witness();
        r.unbounded = !bounded;
        r.hi = bounded ? int64_t(std::floor(hi + 1e-6)) : 0;
      }
      out.range[i] = r;
      if (!is_protected(r, rule)) {
        out.exposed.push_back(i);
        // Re-solve the failing side and price every shown value on its sums.
        const bool low_fails = r.lo >= 1;
        double unused = 0;
        program.solve(column_of[i], low_fails ? GLP_MIN : GLP_MAX, unused);
        ++out.programs;
        out.helpers.push_back(price_shown(program, rows_of[root], lines, hidden, values, low_fails));
      }
      if (!have_narrowest || width(r) < width(out.narrowest)) out.narrowest = r, have_narrowest = true;
    }
  }
  std::sort(out.exposed.begin(), out.exposed.end());
  // GLPK keeps an environment per thread until told to free it; the
  // programmes above are gone, so free it (LeakSanitizer would report it
  // if this thread ended first).
  glp_free_env();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace hotspot::stats
