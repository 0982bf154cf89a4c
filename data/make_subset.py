#!/usr/bin/env python3
"""Regenerate the embedded Charnwood (E07000130) demo data set from the shared real data.

Usage (from the repository root):

    python3 data/make_subset.py ../shared/data [OUTPUT_DIR]

SOURCE is the shared data directory (the one holding leicestershire/); OUTPUT_DIR defaults
to the directory this script lives in (data/).  Python 3 standard library only.

What it does (see data/README.md):
  * police-uk/YYYY-MM-charnwood-street.csv: for each leicestershire/police-uk/*-street.csv,
    the exact header line, then every row whose "LSOA code" is one of the LSOA11CD values in
    boundaries/lsoa2011/E07000130.json, plus every row with a blank Longitude or Latitude
    (police.uk could not geocode those; they also have a blank LSOA code).  Rows are copied
    byte for byte (line endings preserved) in their original order.
  * boundaries/lsoa2011_charnwood.geojson, boundaries/wards2013_charnwood.geojson,
    charnwood_beats_from_wards2013.csv, LICENCE-UK-GeoJSON.txt: byte-for-byte copies.
  * population/lsoa2011_population_mid2015_charnwood.csv: header line plus the rows with
    LAD19CD == E07000130, copied byte for byte.
It prints the row counts it wrote.
"""
import csv
import glob
import io
import json
import os
import shutil
import sys

LAD = "E07000130"  # Charnwood
POLICE_HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
                 "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
                 "Context"]


def records(raw):
    """Split raw CSV bytes into logical records, each the exact original bytes (with its
    line ending).  A record only ends at a newline outside double quotes."""
    out, buf = [], b""
    for line in raw.splitlines(keepends=True):
        buf += line
        if buf.count(b'"') % 2 == 0:
            out.append(buf)
            buf = b""
    if buf:
        out.append(buf)
    return out


def parse(rec, encoding="utf-8"):
    text = rec.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    return next(csv.reader(io.StringIO(text, newline="")))


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    src = os.path.join(argv[1], "leicestershire")
    out = argv[2] if len(argv) == 3 else os.path.dirname(os.path.abspath(__file__))
    if not os.path.isdir(src):
        sys.exit(f"not a shared data directory (no leicestershire/): {argv[1]}")

    with open(os.path.join(src, "boundaries", "lsoa2011", LAD + ".json"), encoding="utf-8") as f:
        lsoas = {ft["properties"]["LSOA11CD"] for ft in json.load(f)["features"]}
    print(f"{LAD} LSOAs: {len(lsoas)}")

    def copy(rel_src, rel_dst):
        dst = os.path.join(out, rel_dst)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(src, rel_src), dst)
        print(f"copied {rel_dst}")

    # Police street-level crime and ASB.
    os.makedirs(os.path.join(out, "police-uk"), exist_ok=True)
    total = total_blank = 0
    files = sorted(glob.glob(os.path.join(src, "police-uk", "*-leicestershire-street.csv")))
    if not files:
        sys.exit("no police-uk files found")
    for path in files:
        month = os.path.basename(path)[:7]
        with open(path, "rb") as f:
            recs = records(f.read())
        header = parse(recs[0])
        if header != POLICE_HEADER:
            sys.exit(f"{path}: unexpected header {header}")
        i_lon, i_lat, i_lsoa = (header.index(k) for k in ("Longitude", "Latitude", "LSOA code"))
        kept, n_lsoa, n_blank = [recs[0]], 0, 0
        for rec in recs[1:]:
            row = parse(rec)
            if len(row) != len(header):
                sys.exit(f"{path}: row with {len(row)} fields: {rec!r}")
            if row[i_lsoa] in lsoas:
                n_lsoa += 1
            elif row[i_lon].strip() == "" or row[i_lat].strip() == "":
                n_blank += 1
            else:
                continue
            kept.append(rec)
        name = f"{month}-charnwood-street.csv"
        with open(os.path.join(out, "police-uk", name), "wb") as f:
            f.write(b"".join(kept))
        print(f"police-uk/{name}: {n_lsoa + n_blank} rows "
              f"({n_lsoa} in Charnwood LSOAs + {n_blank} with blank coordinates) "
              f"of {len(recs) - 1}")
        total += n_lsoa + n_blank
        total_blank += n_blank
    print(f"police-uk total: {total} rows, of which {total_blank} with blank coordinates")

    # Boundaries, beat lookup, licence: verbatim copies.
    copy(os.path.join("boundaries", "lsoa2011", LAD + ".json"),
         os.path.join("boundaries", "lsoa2011_charnwood.geojson"))
    copy(os.path.join("boundaries", "wards2013", LAD + ".json"),
         os.path.join("boundaries", "wards2013_charnwood.geojson"))
    copy("charnwood_beats_from_wards2013.csv", "charnwood_beats_from_wards2013.csv")
    copy(os.path.join("boundaries", "LICENCE-UK-GeoJSON.txt"), "LICENCE-UK-GeoJSON.txt")

    # Population: header + Charnwood rows.
    with open(os.path.join(src, "population", "lsoa2011_population_mid2015.csv"), "rb") as f:
        recs = records(f.read())
    i_lad = parse(recs[0]).index("LAD19CD")
    kept = [recs[0]] + [r for r in recs[1:] if parse(r)[i_lad] == LAD]
    pop_codes = {parse(r)[0] for r in kept[1:]}
    if pop_codes != lsoas:
        print(f"WARNING: population LSOAs differ from boundary LSOAs: "
              f"{sorted(pop_codes ^ lsoas)}", file=sys.stderr)
    os.makedirs(os.path.join(out, "population"), exist_ok=True)
    name = os.path.join("population", "lsoa2011_population_mid2015_charnwood.csv")
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"".join(kept))
    print(f"{name}: {len(kept) - 1} rows")


if __name__ == "__main__":
    main(sys.argv)
