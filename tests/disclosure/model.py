"""The attacker's linear system: every relation an outsider can write between
published and withheld counts.

Variables: each withheld count cell (bounded >= 0) plus auxiliary unknowns:
  U[c, p]      all incidents of base category c in period p (>= 0);
  out[l, c, p] those of them outside every area of layer l (>= 0);
  S[l]         the standard deviation in layer l's Gi* (>= 0).
A constraint is lo <= sum(coef * var) <= hi, tagged with its family so the
summary can say which published numbers did the damage.
"""

import math
from dataclasses import dataclass, field

from observations import PERIODS
from published import WITHHELD

REL_TOL = 1e-9  # slack for equations with real coefficients (rates, Gi*)


@dataclass
class Constraint:
    coefs: dict   # var index -> coefficient
    lo: float
    hi: float
    family: str


@dataclass
class Model:
    names: list = field(default_factory=list)       # var index -> description
    cell_var: dict = field(default_factory=dict)    # withheld cell -> var index
    upper: dict = field(default_factory=dict)       # var index -> upper bound (default none)
    constraints: list = field(default_factory=list)
    checked: dict = field(default_factory=dict)     # family -> [holds, fails] for all-published relations
    notes: list = field(default_factory=list)

    def var(self, name):
        self.names.append(name)
        return len(self.names) - 1


class Builder:
    def __init__(self, obs, rollups):
        self.obs = obs
        self.rollups = rollups                       # roll-up -> base categories
        self.base = [c for c in obs.categories if c not in rollups]
        self.m = Model()
        for cell, obs_list in obs.seen.items():
            if obs.value(cell) is WITHHELD:
                self.m.cell_var[cell] = self.m.var("/".join(cell))

    # A linear expression is (dict var -> coef, constant); None when a cell
    # was never published at all (the relation cannot be written).
    def cell(self, cell):
        v = self.obs.value(cell)
        if v is None:
            return None
        if v is WITHHELD:
            return ({self.m.cell_var[cell]: 1.0}, 0.0)
        return ({}, float(v))

    def relation(self, terms, family, lo=0.0, hi=0.0):
        """lo <= sum(sign * expr) <= hi for terms [(sign, expr)]; relations
        without unknowns are checked (they validate the model of the format)."""
        coefs, const = {}, 0.0
        for sign, expr in terms:
            if expr is None:
                return
            for var, c in expr[0].items():
                coefs[var] = coefs.get(var, 0.0) + sign * c
            const += sign * expr[1]
        coefs = {v: c for v, c in coefs.items() if c != 0.0}
        if not coefs:
            ok = lo - 1e-6 <= const <= hi + 1e-6
            self.m.checked.setdefault(family, [0, 0])[0 if ok else 1] += 1
            return
        self.m.constraints.append(Constraint(coefs, lo - const, hi - const, family))

    def equal(self, left, right_terms, family):
        self.relation([(1, left)] + [(-1, e) for e in right_terms], family)

    # ---- families ---------------------------------------------------------

    def columns(self):
        """Each layer's TOTAL row = the sum of its areas."""
        for layer in self.obs.layers:
            for cat in self.obs.categories:
                for p in PERIODS:
                    parts = [self.cell((layer, a, cat, p)) for a in self.obs.areas[layer]]
                    self.equal(self.cell((layer, "TOTAL", cat, p)), parts, "column")

    def rollup_rows(self):
        """Each roll-up = the sum of its base categories, per area and TOTAL."""
        for layer in self.obs.layers:
            for area in self.obs.areas[layer] + ["TOTAL"]:
                for name, members in self.rollups.items():
                    for p in PERIODS:
                        parts = [self.cell((layer, area, c, p)) for c in members]
                        self.equal(self.cell((layer, area, name, p)), parts, "rollup")

    def nesting(self, dissolves):
        """A dissolved area (beat) = the sum of its source areas (wards)."""
        for d in dissolves:
            if d.layer not in self.obs.layers or d.source not in self.obs.layers:
                continue
            known = set(self.obs.areas[d.source])
            for area in self.obs.areas[d.layer]:
                members = [w for w in d.members.get(area, []) if w in known]
                if not members:
                    self.m.notes.append(f"nesting: {d.layer} {area} has no {d.source} in the lookup")
                    continue
                for cat in self.obs.categories:
                    for p in PERIODS:
                        parts = [self.cell((d.source, w, cat, p)) for w in members]
                        self.equal(self.cell((d.layer, area, cat, p)), parts, "nesting")

    def layer_totals(self, unmatched):
        """All layers count the same incidents, less those outside each layer:
        TOTAL[l] + out[l] = U, per base category and period. `unmatched`
        (layer -> incidents outside it over ALL data months, from
        run_summary) bounds sum(out[l]) over both periods; a layer with none
        outside gets out = 0."""
        U = {(c, p): self.m.var(f"U/{c}/{p}") for c in self.base for p in PERIODS}
        for layer in self.obs.layers:
            out = {(c, p): self.m.var(f"out/{layer}/{c}/{p}") for c in self.base for p in PERIODS}
            limit = unmatched.get(layer)
            if limit is not None:
                for v in out.values():
                    self.m.upper[v] = float(limit)
                self.relation([(1, ({v: 1.0 for v in out.values()}, 0.0))], "layers", -math.inf, float(limit))
            for cat in self.obs.categories:
                members = self.rollups.get(cat, [cat])
                for p in PERIODS:
                    terms = [(1, self.cell((layer, "TOTAL", cat, p)))]
                    terms += [(1, ({out[(c, p)]: 1.0}, 0.0)) for c in members]
                    terms += [(-1, ({U[(c, p)]: 1.0}, 0.0)) for c in members]
                    self.relation(terms, "layers")

    def changes(self):
        """change = current - previous; % variance = 100 (cur - prev) / prev
        rounded to 1 dp (so within +-0.05), wherever published."""
        for layer, area, cat, change, pct, _origin in self.obs.changes:
            prev, cur = self.cell((layer, area, cat, "prev")), self.cell((layer, area, cat, "cur"))
            if prev is None or cur is None or (not prev[0] and not cur[0]):
                continue  # both sides published: nothing to learn
            if isinstance(change, int):
                self.relation([(1, cur), (-1, prev)], "change", change, change)
            if isinstance(pct, float):
                # 100 cur - (100 + pct +- 0.05) prev within [0, 0] bands; prev >= 1
                self.relation([(1, prev)], "variance", 1.0, math.inf)
                hi = _scale(prev, 100 + pct + 0.05)
                lo = _scale(prev, 100 + pct - 0.05)
                self.relation([(100, cur), (-1, hi)], "variance", -math.inf, 0.0)
                self.relation([(100, cur), (-1, lo)], "variance", 0.0, math.inf)

    def rates(self, rate_per):
        """rate = 1000 O / population and O/E = O / expected reveal O."""
        for row in self.obs.headline_rows:
            target = self.cell(row["cell"])
            if target is None:
                continue
            estimates = []
            if isinstance(row["rate"], float) and isinstance(row["population"], float):
                estimates.append(row["rate"] * row["population"] / rate_per)
            if isinstance(row["o_e"], float) and isinstance(row["expected"], float):
                estimates.append(row["o_e"] * row["expected"])
            for o in estimates:
                tol = 1e-6 * max(1.0, abs(o))
                self.relation([(1, target)], "rate", o - tol, o + tol)

    def gistar(self, neighbours, headline):
        """Gi* z_i = (N_i - xbar k_i) / (S sqrt((n k_i - k_i^2) / (n - 1))) with
        N_i the sum of the headline's current counts over i and its
        neighbours, k_i their number, xbar = TOTAL / n. Linear in the counts
        and in S (an unknown per layer), so each published z is an equation:
        N_i - (k_i / n) TOTAL - z_i c_i S = 0."""
        for layer, zs in self.obs.gi_z.items():
            if layer not in neighbours or headline not in self.obs.categories:
                continue
            areas = self.obs.areas[layer]
            n = len(areas)
            S = self.m.var(f"S/{layer}")
            total = self.cell((layer, "TOTAL", headline, "cur"))
            for i, area in enumerate(areas):
                if area not in zs:
                    continue
                hood = [i] + sorted(neighbours[layer][i])
                k = len(hood)
                c = math.sqrt((n * k - k * k) / (n - 1))
                if c == 0:
                    continue
                terms = [(1, self.cell((layer, areas[j], headline, "cur"))) for j in hood]
                terms.append((-k / n, total))
                terms.append((-zs[area] * c, ({S: 1.0}, 0.0)))
                tol = 1e-7 * max(1.0, k * _const_or(total, 1.0) / n)
                self.relation(terms, "gistar", -tol, tol)


def _scale(expr, factor):
    return ({v: c * factor for v, c in expr[0].items()}, expr[1] * factor)


def _const_or(expr, default):
    return expr[1] if expr is not None and not expr[0] else default
