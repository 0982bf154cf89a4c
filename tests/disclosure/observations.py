"""Turns the published tables into observations of counts.

A count cell is (layer, area_code, category, period) with period "prev" or
"cur" and area_code "TOTAL" for a layer's TOTAL row. The same cell is
published in several places (comparison_<layer>, top_increases_<layer>, the
area layer's prev_/cur_ columns, in CSV, GeoJSON and GeoPackage); a cell is
unknown to the attacker only if every place withholds it. A cell shown in one
place and withheld in another is a leak by itself (reported as a conflict).
"""

import re
from dataclasses import dataclass, field

from published import WITHHELD, parse_count, parse_pct, parse_real

PERIODS = ("prev", "cur")


def slug(name):
    """Category name -> the column suffix of the area layers
    ("Criminal damage and arson" -> "criminal_damage_and_arson")."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


@dataclass
class Observations:
    layers: list = field(default_factory=list)        # layers with a comparison table
    areas: dict = field(default_factory=dict)         # layer -> [area codes] (no TOTAL)
    categories: list = field(default_factory=list)
    period_labels: dict = field(default_factory=dict)  # "prev"/"cur" -> "2019-01"
    seen: dict = field(default_factory=dict)          # cell -> [(origin, int or WITHHELD)]
    targets: list = field(default_factory=list)       # cells withheld in comparison_<layer>
    changes: list = field(default_factory=list)       # (layer, area, category, change, pct, origin)
    headline_rows: list = field(default_factory=list)  # dicts: layer, area, population, rate, expected, o_e, observed
    gi_z: dict = field(default_factory=dict)          # layer -> {area: z}
    unused_columns: set = field(default_factory=set)  # count-like columns not understood

    def add(self, cell, origin, value):
        if value is None:
            return
        self.seen.setdefault(cell, []).append((origin, value))

    def value(self, cell):
        """The published value of a cell, WITHHELD, or None if never published."""
        obs = self.seen.get(cell)
        if not obs:
            return None
        numbers = [v for _, v in obs if v is not WITHHELD]
        return numbers[0] if numbers else WITHHELD

    def conflicts(self):
        """Cells published with two different numbers, or shown in one place
        and withheld in another."""
        out = []
        for cell, obs in self.seen.items():
            numbers = {v for _, v in obs if v is not WITHHELD}
            hidden = [o for o, v in obs if v is WITHHELD]
            if len(numbers) > 1 or (numbers and hidden):
                out.append((cell, obs))
        return out


def _table_kind(name, layers):
    for prefix in ("comparison_", "top_increases_", "significance_", "rates_"):
        if name.startswith(prefix) and name[len(prefix):] in layers:
            return prefix[:-1], name[len(prefix):]
    if name in layers:
        return "area_layer", name
    if name.endswith("_statistics") and name[:-len("_statistics")] in layers:
        return "area_layer", name[:-len("_statistics")]
    if name == "repeat_locations":
        return "repeat_locations", None
    return None, None


def collect(tables, knowledge):
    marker = knowledge.marker
    obs = Observations()
    layers = [l for l in knowledge.layers if any(t.name == "comparison_" + l for t in tables)]
    obs.layers = layers

    # Areas, categories and period labels from the comparison tables (the
    # first format holding each); every format's cells are observations.
    for t in tables:
        kind, layer = _table_kind(t.name, layers)
        if kind != "comparison":
            continue
        for r in t.rows:
            area, cat = r["area_code"], r["category"]
            if cat not in obs.categories:
                obs.categories.append(cat)
            if area != "TOTAL" and area not in obs.areas.setdefault(layer, []):
                obs.areas[layer].append(area)
            obs.period_labels.setdefault("prev", r.get("previous_period", ""))
            obs.period_labels.setdefault("cur", r.get("current_period", ""))

    by_slug = {slug(c): c for c in obs.categories}
    for t in tables:
        kind, layer = _table_kind(t.name, layers)
        if kind in ("comparison", "top_increases"):
            for r in t.rows:
                area, cat = r["area_code"], r["category"]
                prev, cur = parse_count(r["previous"], marker), parse_count(r["current"], marker)
                obs.add((layer, area, cat, "prev"), t.origin, prev)
                obs.add((layer, area, cat, "cur"), t.origin, cur)
                obs.changes.append((layer, area, cat, parse_count(r.get("change", ""), marker),
                                    parse_pct(r.get("variance", ""), marker), t.origin))
                if kind == "comparison":
                    for p, v in (("prev", prev), ("cur", cur)):
                        if v is WITHHELD and (layer, area, cat, p) not in obs.targets:
                            obs.targets.append((layer, area, cat, p))
        elif kind == "area_layer":
            _collect_area_layer(obs, t, layer, by_slug, knowledge.headline, marker)
        elif kind in ("significance", "rates"):
            for r in t.rows:
                # these tables are for one category and one period (normally
                # the headline, current): the period column says which
                period = "cur" if r.get("period", "") == obs.period_labels.get("cur") else "prev"
                _add_headline_row(obs, t.origin, layer, r["area_code"], r.get("category", knowledge.headline),
                                  period, r, marker)
    return obs


def _collect_area_layer(obs, t, layer, by_slug, headline, marker):
    for r in t.rows:
        area = r.get("code", "")
        if not area:
            continue
        per_cat = {}
        for col, text in r.items():
            m = re.match(r"^(prev|cur|change|pct)_(.+)$", col)
            if not m:
                continue
            cat = by_slug.get(m.group(2))
            if cat is None:
                if m.group(1) in ("prev", "cur") and m.group(2) != "caveat":
                    obs.unused_columns.add(t.origin + ":" + col)
                continue
            per_cat.setdefault(cat, {})[m.group(1)] = text
        for cat, cols in per_cat.items():
            obs.add((layer, area, cat, "prev"), t.origin, parse_count(cols.get("prev", ""), marker))
            obs.add((layer, area, cat, "cur"), t.origin, parse_count(cols.get("cur", ""), marker))
            obs.changes.append((layer, area, cat, parse_count(cols.get("change", ""), marker),
                                parse_pct(cols.get("pct", ""), marker), t.origin))
        if "observed" in r or "rate" in r:
            # rate, O/E and observed of the area layers: the headline, current period
            _add_headline_row(obs, t.origin, layer, area, headline, "cur", r, marker)
        z = parse_real(r.get("gi_z", ""), marker)
        if isinstance(z, float):
            obs.gi_z.setdefault(layer, {})[area] = z


def _add_headline_row(obs, origin, layer, area, category, period, r, marker):
    """A row of rates/significance: its observed count is an observation of
    the cell, its rate and O/E are kept for equations."""
    row = {"layer": layer, "area": area, "origin": origin, "cell": (layer, area, category, period)}
    for col in ("population", "rate", "expected", "o_e", "lo95_o_e", "hi95_o_e", "lo998_o_e",
                "hi998_o_e", "significance", "sig_score"):
        row[col] = parse_real(r.get(col, ""), marker)
    row["observed"] = parse_count(r.get("observed", ""), marker)
    row["significance_text"] = r.get("significance", "")
    obs.add(row["cell"], origin, row["observed"])
    obs.headline_rows.append(row)
