"""What an outsider knows besides the published numbers: the run's config
file (layer names, which layer is dissolved from which, the roll-up
definitions, the disclosure marker) and the public ward -> beat lookup CSV.
"""

import csv
import os
import tomllib
from dataclasses import dataclass, field


@dataclass
class Dissolve:
    layer: str                 # the dissolved layer (e.g. beat)
    source: str                # the layer it is built from (e.g. ward)
    members: dict              # dissolved area code -> list of source area codes


@dataclass
class Knowledge:
    layers: list                               # area layer names, config order
    dissolves: list = field(default_factory=list)
    rollups: list = field(default_factory=list)  # (name, "include"|"exclude", [categories])
    headline: str = "All crime"
    marker: str = "x"
    current_spec: str = ""
    previous_spec: str = ""


def read_lookup(path, from_code, to_code):
    members = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            src, dst = row[from_code].strip(), row[to_code].strip()
            if src and dst:
                members.setdefault(dst, []).append(src)
    return members


def read_config(path):
    with open(path, "rb") as f:
        cfg = tomllib.load(f)
    base = os.path.dirname(os.path.abspath(path))
    stats = cfg.get("stats", {})
    k = Knowledge(layers=[a["name"] for a in cfg.get("areas", [])],
                  headline=stats.get("headline", "All crime"),
                  marker=stats.get("marker", "x"),
                  current_spec=stats.get("current", ""),
                  previous_spec=stats.get("previous", ""))
    for area in cfg.get("areas", []):
        d = area.get("dissolve")
        if d:
            lookup = os.path.join(base, d["lookup"])
            k.dissolves.append(Dissolve(area["name"], d["from"], read_lookup(lookup, d["from_code"], d["to_code"])))
    for r in stats.get("rollups", []):
        if "include" in r:
            k.rollups.append((r["name"], "include", list(r["include"])))
        else:
            k.rollups.append((r["name"], "exclude", list(r.get("exclude", []))))
    # docs/config.md: with no [[stats.rollups]], the default is "All crime" = all but ASB.
    if not stats.get("rollups"):
        k.rollups.append(("All crime", "exclude", ["Anti-social behaviour"]))
    return k


def rollup_members(knowledge, categories):
    """Roll-up name -> its base categories, from the config's definitions
    applied to the categories the published tables list."""
    names = {r[0] for r in knowledge.rollups}
    base = [c for c in categories if c not in names]
    members = {}
    for name, kind, listed in knowledge.rollups:
        if name not in categories:
            continue  # defined but not published
        if kind == "include":
            members[name] = [c for c in base if c in listed]
        else:
            members[name] = [c for c in base if c not in listed]
    return members
