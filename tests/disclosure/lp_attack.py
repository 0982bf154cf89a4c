#!/usr/bin/python3
"""An independent linear-programming attack on a hotspot public pack (issue 14).

Claim under test: no count withheld as "x" in `hotspot run --public` output
can be worked out from the published numbers.

ATTACKER MODEL. The attacker reads only the published folder (csv/, geojson/,
hotspot.gpkg) and what an outsider has anyway: the config file (layer names,
which layer is dissolved from which, roll-up definitions, the marker) and the
public ward -> beat lookup CSV it names. From these it writes every linear
relation it can (model.py), per period (previous, current):
  - column:   each layer's TOTAL row = the sum of its areas;
  - rollup:   each roll-up = the sum of its member categories (per area and
              TOTAL; include = [...] or all but exclude = [...]);
  - nesting:  each dissolved area (beat) = the sum of its lookup wards;
  - layers:   TOTAL[layer] + outside[layer] = all incidents, per base category,
              outside >= 0 and sum(outside) <= the layer's "unmatched" count
              in run_summary (over all data months); with column and
              nesting this also gives ward TOTAL = beat TOTAL + wards in
              no beat;
  - change:   current - previous = change, where change is published;
  - variance: % variance rounded to 1 dp bounds current / previous;
  - rate:     a published rate or O/E of a withheld count reveals it;
  - gistar:   each published area Gi* z is linear in the neighbourhood sum
              of the headline's current counts, with the layer's standard
              deviation S as one more unknown (neighbours: boundaries within
              1 m, from the GeoPackage geometry).
Every withheld count is an unknown >= 0; HiGHS (scipy linprog) minimises and
maximises each, one connected component at a time, and the bounds are
rounded inwards to integers. The plain rules (rules.py) are checked too.

NOT MODELLED (so a pass is not a proof): integer programming (the LP
relaxation can be weaker than an integer attack); the non-linear link
S^2 = sum(x^2)/n - mean^2 of Gi*; Gi* p-values and bins; significance
classes ("above average" = O > E) and confidence limits of withheld counts
(flagged by the rules instead); heat-map rasters and hotspot polygons
(their incident counts are only checked by the rules); outside knowledge
such as other years' releases; repeat_locations (a location's count is
not bounded by its listed LSOA's count: on the demo, School Street's 14
current incidents exceed its LSOA's 11, so its area codes are not the areas
the counts use).

SCORING (needs --truth, the same run without --public): a withheld count
whose true value is 1..5 is LEAKED if its interval holds fewer than 3
values, or 0 is impossible and the interval does not span 1..5. Exact =
the interval is one value; narrowed = not exact but some value of 0..5 is
ruled out. The truth is used only to score, never by the attack; without
it, an interval inside 1..5 that breaks the rule still counts as a leak.

usage: lp_attack.py --public DIR --config FILE [--truth DIR] [--no-gistar] [--show N]
                    [--allow RULE]...
Exit: 0 no leak and no rule failure, 1 leak or rule failure, 2 usage or
model error (the truth violates the model: the format was misread).
"""

import argparse
import csv
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import geometry  # noqa: E402
import rules  # noqa: E402
import solve  # noqa: E402
from model import Builder  # noqa: E402
from observations import collect  # noqa: E402
from outsider import read_config, rollup_members  # noqa: E402
from published import key_values, read_all_tables  # noqa: E402


def build_model(folder, tables, knowledge, obs, use_gistar):
    rollups = rollup_members(knowledge, obs.categories)
    summary = key_values(tables, "run_summary")
    unmatched = {}
    for layer in obs.layers:
        v = summary.get(f"layer:{layer}:unmatched")
        if v is not None and v.strip().isdigit():
            unmatched[layer] = int(v)
    notes = []
    if not unmatched and obs.layers:
        # No run_summary: assume the first layer (LSOAs) tiles the force area.
        unmatched[obs.layers[0]] = 0
        notes.append(f"no run_summary: assumed {obs.layers[0]} holds every incident")

    b = Builder(obs, rollups)
    b.columns()
    b.rollup_rows()
    b.nesting(knowledge.dissolves)
    b.layer_totals(unmatched)
    b.changes()
    params = key_values(tables, "statistics_parameters")
    b.rates(float(params.get("rate_per", "1000") or 1000))
    neighbours = {}
    if use_gistar:
        for layer in obs.gi_z:
            hood = geometry.area_neighbours(folder, layer, obs.areas[layer])
            if hood is None:
                notes.append(f"gistar: no neighbours for {layer} (GDAL or geometry missing); its gi_z not modelled")
            else:
                neighbours[layer] = hood
        b.gistar(neighbours, knowledge.headline)
    b.m.notes += notes
    return b.m, rollups, neighbours


def read_truth(folder, layers):
    truth = {}
    for layer in layers:
        path = os.path.join(folder, "csv", f"comparison_{layer}.csv")
        with open(path, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                for p, col in (("prev", "previous"), ("cur", "current")):
                    if r[col].strip().lstrip("-").isdigit():
                        truth[(layer, r["area_code"], r["category"], p)] = int(r[col])
    return truth


def gistar_check(obs, neighbours, truth, headline):
    """Largest |z(truth, our neighbours) - published z|: validates the Gi*
    model (neighbours, formula) against the truth."""
    worst = 0.0
    for layer, hood in neighbours.items():
        areas = obs.areas[layer]
        x = [truth.get((layer, a, headline, "cur")) for a in areas]
        if None in x:
            continue
        n = len(x)
        mean = sum(x) / n
        sd = math.sqrt(max(0.0, sum(v * v for v in x) / n - mean * mean))
        for i, a in enumerate(areas):
            z = obs.gi_z.get(layer, {}).get(a)
            k = 1 + len(hood[i])
            c = math.sqrt((n * k - k * k) / (n - 1))
            if z is None or sd == 0 or c == 0:
                continue
            mine = (x[i] + sum(x[j] for j in hood[i]) - mean * k) / (sd * c)
            worst = max(worst, abs(mine - z))
    return worst


def is_leak(lo, hi):
    """For a withheld count whose true value is 1..5."""
    if hi != math.inf and hi - lo + 1 < 3:
        return True
    return lo >= 1 and not (lo <= 1 and hi >= 5)


def score(obs, result, truth):
    s = {"exact": [], "leaks": [], "narrowed": [], "unsound": [], "unscored": 0,
         "exact_primary": 0, "narrowed_primary": 0}
    for cell in obs.targets:
        lo, hi = result[cell]
        t = truth.get(cell)
        if t is None:
            s["unscored"] += 1
            continue
        if not lo <= t <= hi:
            s["unsound"].append((cell, lo, hi, t))
        primary = 1 <= t <= 5
        if lo == hi:
            s["exact"].append((cell, lo, hi, t))
            s["exact_primary"] += primary
        elif lo > 0 or hi < 5:
            s["narrowed"].append((cell, lo, hi, t))
            s["narrowed_primary"] += primary
        if primary and is_leak(lo, hi):
            s["leaks"].append((cell, lo, hi, t))
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--public", required=True, help="output folder of `hotspot run --public`")
    ap.add_argument("--config", required=True, help="the run's config file (roll-ups, lookup)")
    ap.add_argument("--truth", help="the same run without --public, to score the attack")
    ap.add_argument("--no-gistar", action="store_true", help="leave the Gi* equations out")
    ap.add_argument("--show", type=int, default=10, help="list this many of each finding")
    ap.add_argument("--allow", action="append", default=[], metavar="RULE",
                    help="report a rule's failures without failing (repeatable), e.g. small-count-summary")
    args = ap.parse_args()
    start = time.time()

    knowledge = read_config(args.config)
    tables = read_all_tables(args.public)
    obs = collect(tables, knowledge)
    if not obs.layers:
        print("lp_attack: no comparison_<layer> table in", args.public, file=sys.stderr)
        return 2
    model, rollups, neighbours = build_model(args.public, tables, knowledge, obs, not args.no_gistar)
    result, n_components, n_lps, problems = solve.intervals(model, obs.targets)

    failures = rules.check_tables(tables, knowledge.marker) + rules.check_paths(args.public) + \
        rules.check_observations(obs)
    elapsed = time.time() - start

    # ---- report -------------------------------------------------------------
    families = {}
    for con in model.constraints:
        families[con.family] = families.get(con.family, 0) + 1
    print(f"public pack:        {args.public}")
    print(f"layers:             {', '.join(f'{l} ({len(obs.areas[l])} areas)' for l in obs.layers)}")
    print(f"categories:         {len(obs.categories)} ({len(rollups)} roll-ups: "
          f"{'; '.join(f'{k} = {len(v)}' for k, v in rollups.items())})")
    print(f"withheld cells:     {len(obs.targets)}")
    print(f"unknowns:           {len(model.names)} ({len(model.cell_var)} withheld, rest auxiliary)")
    print(f"equations:          {len(model.constraints)} ("
          + ", ".join(f"{k} {v}" for k, v in sorted(families.items())) + ")")
    bad_checks = {k: v[1] for k, v in model.checked.items() if v[1]}
    print(f"all-published relations checked: {sum(v[0] + v[1] for v in model.checked.values())}, "
          f"violated: {bad_checks or 0}")
    print(f"components:         {n_components} ({n_lps} LPs solved)")
    for note in model.notes:
        print("note:", note)
    for col in sorted(obs.unused_columns)[:args.show]:
        print("note: count column not understood (no such category):", col)
    for p in problems[:args.show]:
        print("solver problem:", p)

    exit_code = 0
    if bad_checks or problems:
        exit_code = 2
    # Without the truth the attacker still knows these: an interval inside
    # 1..5 means the count is small, and a leak by the rule above.
    exact = [c for c, (lo, hi) in result.items() if lo == hi]
    certain = [c for c, (lo, hi) in result.items() if 1 <= lo and hi <= 5 and is_leak(lo, hi)]
    print(f"attack alone:       {len(exact)} exact, {len(certain)} certain leaks (interval inside 1..5)")
    if not args.truth and certain:
        exit_code = exit_code or 1

    if args.truth:
        truth = read_truth(args.truth, obs.layers)
        if neighbours:
            print(f"gistar model check: max |z(truth) - published z| = {gistar_check(obs, neighbours, truth, knowledge.headline):.2e}")
        infeasible = solve.truth_feasible(model, truth)
        s = score(obs, result, truth)
        n_primary = sum(1 for c in obs.targets if 1 <= truth.get(c, -1) <= 5)
        print(f"withheld true 1..5: {n_primary} (the rest are secondary: 0 or > 5)")
        print(f"exact recoveries:   {len(s['exact'])} ({s['exact_primary']} of them true 1..5)")
        print(f"narrowed:           {len(s['narrowed'])} ({s['narrowed_primary']} of them true 1..5)")
        print(f"LEAKS:              {len(s['leaks'])}")
        for name, label in (("leaks", "leak"), ("exact", "exact"), ("narrowed", "narrowed")):
            for cell, lo, hi, t in s[name][:args.show]:
                print(f"  {label}: {'/'.join(cell)} in [{lo}, {hi}], true {t}")
        if s["unsound"] or infeasible:
            print(f"MODEL ERROR: the truth violates the model ({len(s['unsound'])} intervals miss it, "
                  f"{len(infeasible)} components infeasible at the truth)")
            for cell, lo, hi, t in s["unsound"][:args.show]:
                print(f"  unsound: {'/'.join(cell)} in [{lo}, {hi}], true {t}")
            exit_code = 2
        elif s["leaks"] and exit_code == 0:
            exit_code = 1
    print(f"rule failures:      {len(failures)}")
    by_rule = {}
    for rule, where, detail in failures:
        by_rule.setdefault(rule, []).append((where, detail))
    for rule, items in sorted(by_rule.items()):
        print(f"  {rule}: {len(items)}{' (allowed by --allow)' if rule in args.allow else ''}")
        for where, detail in items[:args.show]:
            print(f"    {where}: {detail}")
    if any(rule not in args.allow for rule in by_rule) and exit_code == 0:
        exit_code = 1
    print(f"seconds:            {elapsed:.1f}")
    print("RESULT:", {0: "PASS", 1: "FAIL (disclosure)", 2: "ERROR (model)"}[exit_code])
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
