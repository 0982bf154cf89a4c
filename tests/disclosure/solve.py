"""Interval attack: minimise and maximise every withheld count subject to the
model's constraints with scipy's linprog (HiGHS), one connected component of
unknowns at a time.
"""

import math

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

ROUND_TOL = 1e-5  # an LP bound this close to an integer is that integer


def components(model):
    """Groups of variables linked by some constraint (union-find)."""
    parent = list(range(len(model.names)))

    def find(v):
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for con in model.constraints:
        vs = list(con.coefs)
        for v in vs[1:]:
            a, b = find(vs[0]), find(v)
            if a != b:
                parent[a] = b
    groups = {}
    for v in range(len(model.names)):
        groups.setdefault(find(v), []).append(v)
    by_root = {}
    for i, con in enumerate(model.constraints):
        by_root.setdefault(find(next(iter(con.coefs))), []).append(i)
    return [(vs, by_root.get(root, [])) for root, vs in groups.items()]


class ComponentLP:
    """One component as linprog arrays: equalities where lo == hi, the rest
    as A_ub x <= b_ub (a range gives two rows)."""

    def __init__(self, model, variables, constraint_ids):
        self.index = {v: k for k, v in enumerate(variables)}
        eq_rows, eq_b, ub_rows, ub_b = [], [], [], []
        for i in constraint_ids:
            con = model.constraints[i]
            row = {self.index[v]: c for v, c in con.coefs.items()}
            if con.lo == con.hi:
                eq_rows.append(row)
                eq_b.append(con.lo)
                continue
            if con.hi < math.inf:
                ub_rows.append(row)
                ub_b.append(con.hi)
            if con.lo > -math.inf:
                ub_rows.append({k: -c for k, c in row.items()})
                ub_b.append(-con.lo)
        n = len(variables)
        self.A_eq = _sparse(eq_rows, n) if eq_rows else None
        self.b_eq = np.array(eq_b) if eq_rows else None
        self.A_ub = _sparse(ub_rows, n) if ub_rows else None
        self.b_ub = np.array(ub_b) if ub_rows else None
        self.bounds = [(0, model.upper.get(v)) for v in variables]

    def optimise(self, k, sign, fixed=None):
        """min (sign = 1) or max (sign = -1) of variable k; returns
        (status, value, solution). `fixed` overrides bounds {k: (lo, hi)}."""
        c = np.zeros(len(self.bounds))
        c[k] = sign
        bounds = self.bounds if not fixed else [fixed.get(i, b) for i, b in enumerate(self.bounds)]
        res = linprog(c, A_ub=self.A_ub, b_ub=self.b_ub, A_eq=self.A_eq, b_eq=self.b_eq,
                      bounds=bounds, method="highs")
        if res.status == 3:
            return "unbounded", math.inf, None
        if res.status != 0:
            return "failed: " + res.message, None, None
        return "ok", sign * res.fun, res.x


def _sparse(rows, n):
    data, cols, ptr = [], [], [0]
    for row in rows:
        for k, c in row.items():
            cols.append(k)
            data.append(c)
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(rows), n))


def propagate_bounds(model, variables, constraint_ids, index, passes=20):
    """Bounds every row implies on its own, iterated (feasibility-based bound
    tightening): for lo <= sum(c x) <= hi, c_j x_j lies within [lo, hi]
    less the others' extreme activities. These are valid LP bounds, so a
    feasible solution that reaches one shows it is the LP's optimum."""
    n = len(variables)
    low, cap = np.zeros(n), np.full(n, np.inf)
    for v in variables:
        if model.upper.get(v) is not None:
            cap[index[v]] = model.upper[v]
    rows = [([index[v] for v in model.constraints[i].coefs], list(model.constraints[i].coefs.values()),
             model.constraints[i].lo, model.constraints[i].hi) for i in constraint_ids]
    for _ in range(passes):
        changed = False
        for ks, cs, lo, hi in rows:
            mins = [c * (low[k] if c > 0 else cap[k]) for k, c in zip(ks, cs)]
            maxs = [c * (cap[k] if c > 0 else low[k]) for k, c in zip(ks, cs)]
            min_inf = sum(1 for m in mins if m == -np.inf)
            max_inf = sum(1 for m in maxs if m == np.inf)
            min_sum = sum(m for m in mins if m != -np.inf)
            max_sum = sum(m for m in maxs if m != np.inf)
            for k, c, mn, mx in zip(ks, cs, mins, maxs):
                # the others' least and greatest activity (None = unbounded)
                o_min = None if min_inf - (mn == -np.inf) else min_sum - (mn if mn != -np.inf else 0)
                o_max = None if max_inf - (mx == np.inf) else max_sum - (mx if mx != np.inf else 0)
                up = dn = None  # bounds on c x_k
                if hi < math.inf and o_min is not None:
                    up = hi - o_min
                if lo > -math.inf and o_max is not None:
                    dn = lo - o_max
                new_lo, new_hi = (dn / c if dn is not None else None, up / c if up is not None else None) if c > 0 \
                    else (up / c if up is not None else None, dn / c if dn is not None else None)
                if new_hi is not None and new_hi < cap[k] - 1e-9:
                    cap[k], changed = new_hi, True
                if new_lo is not None and new_lo > low[k] + 1e-9:
                    low[k], changed = new_lo, True
        if not changed:
            break
    return low, cap


def intervals(model, targets):
    """cell -> (lo, hi) integer interval (hi may be inf) for every target
    cell; also returns the number of components and any solver problems."""
    target_vars = {model.cell_var[c]: c for c in targets if c in model.cell_var}
    result, problems, solved = {}, [], 0
    comps = components(model)
    for variables, cons in comps:
        wanted = [v for v in variables if v in target_vars]
        if not wanted:
            continue
        if not cons:
            for v in wanted:
                result[target_vars[v]] = (0, math.inf)
            continue
        lp = ComponentLP(model, variables, cons)
        # Shortcuts that skip LPs without weakening the attack: a variable
        # that some feasible solution puts at its propagated lower bound has
        # that minimum; one at its propagated upper bound, that maximum.
        low, cap = propagate_bounds(model, variables, cons, lp.index)
        at_low, at_cap = set(), set()
        for v in wanted:
            k = lp.index[v]
            bounds = []
            if cap[k] - low[k] <= 1e-9:  # propagation alone pins it
                at_low.add(k)
                at_cap.add(k)
            for sign in (1, -1):
                if sign == 1 and k in at_low:
                    bounds.append(low[k])
                    continue
                if sign == -1 and k in at_cap:
                    bounds.append(cap[k])
                    continue
                status, value, x = lp.optimise(k, sign)
                solved += 1
                if status != "ok" and status != "unbounded":
                    problems.append(f"{model.names[v]}: {status}")
                    value = 0.0 if sign == 1 else math.inf
                if x is not None:
                    at_low.update(np.flatnonzero(x <= low + ROUND_TOL / 10).tolist())
                    at_cap.update(np.flatnonzero(x >= cap - ROUND_TOL / 10).tolist())
                bounds.append(value)
            lo = max(0, math.ceil(bounds[0] - ROUND_TOL))
            hi = bounds[1] if bounds[1] == math.inf else math.floor(bounds[1] + ROUND_TOL)
            result[target_vars[v]] = (lo, hi)
    return result, len(comps), solved, problems


def truth_feasible(model, truth):
    """Is the model satisfied by the true counts? (cells fixed to the truth,
    auxiliary unknowns free.) An infeasible component means the model of
    the published format is wrong, so its intervals cannot be trusted."""
    bad = []
    for variables, cons in components(model):
        if not cons:
            continue
        fixed_cells = {v: truth[c] for c, v in model.cell_var.items() if v in variables and c in truth}
        if not fixed_cells:
            continue
        lp = ComponentLP(model, variables, cons)
        fixed = {lp.index[v]: (t, t) for v, t in fixed_cells.items()}
        status, _, _ = lp.optimise(0, 0, fixed)
        if status != "ok":
            bad.append((len(variables), status))
    return bad
