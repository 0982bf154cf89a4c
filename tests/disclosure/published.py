"""Reads a hotspot output folder the way an outsider would: every CSV,
GeoJSON and GeoPackage table, as rows of strings.

Nothing here knows how the engine computes anything; it only turns the
published files into tables (name, origin, rows) and parses their cells.
"""

import csv
import json
import os
import sqlite3
from dataclasses import dataclass, field

WITHHELD = "withheld"  # parse_count's value for the marker ("x")


@dataclass
class Table:
    name: str      # table name: file stem or GeoPackage table name
    origin: str    # where it came from, for messages ("csv/comparison_lsoa.csv")
    rows: list     # list of dict column -> str ('' for null)
    columns: list = field(default_factory=list)
    geometry_types: set = field(default_factory=set)  # e.g. {"POINT"} for a layer of points


def _text(value):
    """A cell as published, as text; floats keep full precision."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes):
        return ""  # geometry blobs
    return str(value)


def read_csv_tables(folder):
    tables = []
    csv_dir = os.path.join(folder, "csv")
    if not os.path.isdir(csv_dir):
        return tables
    for name in sorted(os.listdir(csv_dir)):
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(csv_dir, name), newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            rows = [{k: _text(v) for k, v in row.items()} for row in reader]
            tables.append(Table(name[:-4], "csv/" + name, rows, list(reader.fieldnames or [])))
    return tables


def read_geojson_tables(folder):
    tables = []
    gj_dir = os.path.join(folder, "geojson")
    if not os.path.isdir(gj_dir):
        return tables
    for name in sorted(os.listdir(gj_dir)):
        if not name.endswith(".geojson"):
            continue
        with open(os.path.join(gj_dir, name), encoding="utf-8") as f:
            doc = json.load(f)
        rows, columns, types = [], [], set()
        for feature in doc.get("features", []):
            props = feature.get("properties") or {}
            for k in props:
                if k not in columns:
                    columns.append(k)
            rows.append({k: _text(v) for k, v in props.items()})
            geometry = feature.get("geometry") or {}
            if geometry.get("type"):
                types.add(geometry["type"].upper())
        tables.append(Table(name[:-8], "geojson/" + name, rows, columns, types))
    return tables


def read_gpkg_tables(folder):
    """Every feature and attribute table of hotspot.gpkg, read with sqlite3
    (a GeoPackage is an SQLite file), so no GDAL is needed for attributes."""
    path = os.path.join(folder, "hotspot.gpkg")
    if not os.path.exists(path):
        return []
    tables = []
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        geometry_types = {}
        for table, gtype in con.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns"):
            geometry_types[table] = {gtype.upper()}
        names = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name")]
        for name in names:
            if name == "layer_styles":
                continue  # QGIS styles, not data
            cur = con.execute(f'SELECT * FROM "{name}"')
            columns = [d[0] for d in cur.description]
            rows = [{c: _text(v) for c, v in zip(columns, row)} for row in cur]
            tables.append(Table(name, "hotspot.gpkg:" + name, rows, columns, geometry_types.get(name, set())))
    finally:
        con.close()
    return tables


def read_all_tables(folder):
    return read_csv_tables(folder) + read_geojson_tables(folder) + read_gpkg_tables(folder)


def parse_count(text, marker="x"):
    """A published count: an int, WITHHELD for the marker, None when blank or
    not a whole number (e.g. a text column)."""
    text = text.strip()
    if text == marker:
        return WITHHELD
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def parse_real(text, marker="x"):
    text = text.strip()
    if text == marker:
        return WITHHELD
    try:
        return float(text)
    except ValueError:
        return None


def parse_pct(text, marker="x"):
    """'+54.5%' -> 54.5; '0%' -> 0.0; marker -> WITHHELD; else None."""
    text = text.strip()
    if text == marker:
        return WITHHELD
    if not text.endswith("%"):
        return None
    try:
        return float(text[:-1])
    except ValueError:
        return None


def key_values(tables, name):
    """A key,value table (run_summary, statistics_parameters) as a dict,
    from the first format that has it."""
    for t in tables:
        if t.name == name and "key" in t.columns and "value" in t.columns:
            return {r["key"]: r["value"] for r in t.rows}
    return {}
