#!/usr/bin/python3
"""Checks lp_attack.py itself on tiny hand-made packs, so a pass of the real
test means "no leak found", not "nothing read": one layer of three areas,
two categories and an "All crime" roll-up, previous and current.

  safe:      each withheld count hides among others (intervals [0, 5]) -> exit 0
  exact:     one withheld count in a column -> recovered by subtraction -> exit 1
  small:     a count of 3 shown -> rule failure small-count -> exit 1
  misread:   truth disagreeing with a published total -> model error -> exit 2

usage: selftest.py   (exit 0 when every case gives its expected result)
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = """
[[areas]]
name = "area"
[stats]
headline = "All crime"
[[stats.rollups]]
name = "All crime"
exclude = []
"""
AREAS = ["A1", "A2", "A3"]
CATS = ["Burglary", "Drugs", "All crime"]


def write_pack(folder, prev, cur, hidden=()):
    """prev/cur: {(area, category): count} for the base categories; hidden:
    cells (area, category, period) shown as x. Roll-ups and TOTALs are
    computed here."""
    os.makedirs(os.path.join(folder, "csv"))
    values = {}
    for period, table in (("prev", prev), ("cur", cur)):
        for a in AREAS + ["TOTAL"]:
            for c in CATS:
                if a == "TOTAL":
                    v = sum(table[(x, c)] for x in AREAS) if c != "All crime" else \
                        sum(table[(x, y)] for x in AREAS for y in CATS[:2])
                else:
                    v = table[(a, c)] if c != "All crime" else sum(table[(a, y)] for y in CATS[:2])
                values[(a, c, period)] = v
    with open(os.path.join(folder, "csv", "comparison_area.csv"), "w") as f:
        f.write("area_code,area_name,category,previous_period,current_period,previous,current,change,variance\n")
        for a in AREAS + ["TOTAL"]:
            for c in CATS:
                p, q = values[(a, c, "prev")], values[(a, c, "cur")]
                shown_p = "x" if (a, c, "prev") in hidden else str(p)
                shown_q = "x" if (a, c, "cur") in hidden else str(q)
                change = "x" if "x" in (shown_p, shown_q) else str(q - p)
                f.write(f"{a},{a},{c},2019-01,2019-02,{shown_p},{shown_q},{change},x\n")


def run(case, prev, cur, hidden, truth_prev=None):
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "c.toml")
        with open(config, "w") as f:
            f.write(CONFIG)
        write_pack(os.path.join(tmp, "pub"), prev, cur, hidden)
        write_pack(os.path.join(tmp, "truth"), truth_prev or prev, cur)
        r = subprocess.run([sys.executable, os.path.join(HERE, "lp_attack.py"), "--public", os.path.join(tmp, "pub"),
                            "--truth", os.path.join(tmp, "truth"), "--config", config, "--show", "3"],
                           capture_output=True, text=True)
        return r.returncode, r.stdout + r.stderr


def grid(values):
    return {(a, c): values[i * 2 + j] for i, a in enumerate(AREAS) for j, c in enumerate(CATS[:2])}


def main():
    big = grid([20, 30, 40, 50, 60, 70])
    # Four small counts in a 2 x 2 block: rows and columns all hide two.
    block = grid([2, 3, 4, 2, 60, 70])
    block_hidden = {(a, c, "prev") for a in ("A1", "A2") for c in ("Burglary", "Drugs")}
    block_hidden |= {(a, "All crime", "prev") for a in ("A1", "A2")}
    block_hidden |= {("TOTAL", c, "prev") for c in ("Burglary", "Drugs")}
    one = grid([3, 30, 40, 50, 60, 70])
    cases = [
        ("safe", 0, block, big, block_hidden, None),
        ("exact", 1, one, big, {("A1", "Burglary", "prev")}, None),
        ("small", 1, one, big, set(), None),
        ("misread", 2, block, big, block_hidden, grid([9, 9, 9, 9, 60, 70])),
    ]
    failed = 0
    for name, expected, prev, cur, hidden, truth_prev in cases:
        code, out = run(name, prev, cur, hidden, truth_prev)
        ok = code == expected
        failed += not ok
        print(f"{'ok' if ok else 'FAILED'}: {name}: exit {code} (expected {expected})")
        if not ok:
            print(out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
