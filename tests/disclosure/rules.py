"""The plain disclosure rules, checked over every published file. Each
failure is (rule, where, detail):

  small-count         a count 1..5 published (count columns of every table)
  small-count-summary a count 1..5 in run_summary / surface_parameters
  zero-hotspot        a hotspot area published with 0 incidents
  incident-data       an incident-level table or a layer of points
  machine-path        an absolute machine path in a published file
  shown-and-withheld  a count withheld in one file but shown in another
  derived-of-withheld a rate, O/E, limit or class published for a withheld count
"""

import os
import re

from published import WITHHELD, parse_count

# Columns that hold incident counts (not changes, ranks or ids).
COUNT_COLUMNS = {"previous", "current", "observed", "count", "incidents"}
COUNT_PREFIXES = ("prev_", "cur_", "n_")
# run_summary / surface_parameters keys that are incident counts.
SUMMARY_COUNT_KEY = re.compile(r"^(read:.*|rows_read|accepted|rejected(:.*)?|layer:.*:(matched|unmatched|"
                               r"in_overlapping_areas|recorded_\w+)|incidents)$")
INCIDENT_TABLES = {"incidents", "rejects", "recorded_disagreements", "counts_long"}
# Unix home/temp/work folders, and Windows user folders (also JSON-escaped).
MACHINE_PATH = re.compile(rb"(?<![\w.])(/tmp/|/home/|/work/|/root/|/var/|/mnt/|/Users/)"
                          rb"|[A-Za-z]:\\{1,2}(?:Users|Documents and Settings)\\")


def is_count_column(col):
    return col in COUNT_COLUMNS or col.startswith(COUNT_PREFIXES)


def check_tables(tables, marker):
    failures = []
    for t in tables:
        if t.name in INCIDENT_TABLES:
            failures.append(("incident-data", t.origin, f"{len(t.rows)} rows"))
        if t.geometry_types & {"POINT", "MULTIPOINT"}:
            failures.append(("incident-data", t.origin, "a layer of points"))
        key_value = "key" in t.columns and "value" in t.columns
        for n, row in enumerate(t.rows, 1):
            if key_value:
                key = row.get("key", "")
                value = parse_count(row.get("value", ""), marker)
                if SUMMARY_COUNT_KEY.match(key) and isinstance(value, int) and 1 <= value <= 5:
                    where = f"{row['surface']}:{key}" if "surface" in row else key  # surface_parameters
                    failures.append(("small-count-summary", t.origin, f"{where} = {value}"))
                continue
            for col, text in row.items():
                if not is_count_column(col):
                    continue
                value = parse_count(text, marker)
                if isinstance(value, int) and 1 <= value <= 5:
                    failures.append(("small-count", f"{t.origin} row {n}", f"{col} = {value}"))
            if t.name.startswith("hotspots_") and parse_count(row.get("incidents", ""), marker) == 0:
                failures.append(("zero-hotspot", f"{t.origin} row {n}", "incidents = 0"))
    return failures


def check_paths(folder):
    """Absolute paths in any published file (text or binary, e.g. the
    GeoPackage's metadata or GeoTIFF tags)."""
    failures = []
    for root, _dirs, files in os.walk(folder):
        for name in sorted(files):
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                data = f.read()
            m = MACHINE_PATH.search(data)
            if m:
                snippet = data[m.start():m.start() + 60].split(b"\n")[0].decode("utf-8", "replace")
                failures.append(("machine-path", os.path.relpath(path, folder), snippet))
    return failures


def check_observations(obs):
    failures = []
    for cell, seen in obs.conflicts():
        failures.append(("shown-and-withheld", "/".join(cell),
                         ", ".join(f"{o}={'x' if v is WITHHELD else v}" for o, v in seen)))
    for row in obs.headline_rows:
        if row["observed"] is not WITHHELD:
            continue
        shown = [c for c in ("rate", "o_e", "lo95_o_e", "hi95_o_e", "lo998_o_e", "hi998_o_e", "sig_score")
                 if isinstance(row[c], float)]
        if shown:
            failures.append(("derived-of-withheld", f"{row['origin']} {row['area']}", ", ".join(shown)))
    return failures
