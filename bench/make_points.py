#!/usr/bin/python3
"""Synthetic incident points over England for the heat-map benchmark.

   bench/make_points.py --n 6000000 --out /tmp/england_6m.csv [--seed 1]

Writes a generic CSV (x, y in EPSG:27700, month, category) with points
sampled uniformly inside the 32,844 English LSOAs of
../shared/data/england/lsoa2011_england.gpkg, each LSOA's share drawn from a
log-normal (a few very dense), so towns, where LSOAs are small, come out
dense. Needs the Debian python3-gdal and python3-numpy (run with
/usr/bin/python3). Deterministic for a given seed. Not part of the tests.
"""
import argparse
from pathlib import Path

import numpy as np
from osgeo import ogr, osr

REPO = Path(__file__).resolve().parent.parent
GPKG = REPO.parent / "shared" / "data" / "england" / "lsoa2011_england.gpkg"
CATEGORIES = ["Anti-social behaviour", "Burglary", "Criminal damage and arson", "Drugs",
              "Other theft", "Public order", "Shoplifting", "Vehicle crime",
              "Violence and sexual offences"]


def rings_of(geom):
    """Every ring (outer and holes) as an (n, 2) array: even-odd needs no nesting."""
    out = []
    name = geom.GetGeometryName()
    polys = [geom.GetGeometryRef(i) for i in range(geom.GetGeometryCount())] if name == "MULTIPOLYGON" else [geom]
    for p in polys:
        for r in range(p.GetGeometryCount()):
            pts = np.array(p.GetGeometryRef(r).GetPoints())[:, :2]
            out.append(pts)
    return out


def inside(px, py, rings):
    """Even-odd ray casting, vectorised over the candidate points."""
    odd = np.zeros(px.shape, bool)
    for ring in rings:
        x1, y1 = ring[:-1, 0][None, :], ring[:-1, 1][None, :]
        x2, y2 = ring[1:, 0][None, :], ring[1:, 1][None, :]
        X, Y = px[:, None], py[:, None]
        crosses = ((y1 > Y) != (y2 > Y)) & (X < (x2 - x1) * (Y - y1) / np.where(y2 == y1, 1, y2 - y1) + x1)
        odd ^= (crosses.sum(axis=1) % 2).astype(bool)
    return odd


def main():
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--n", type=int, default=6_000_000)
    a.add_argument("--out", required=True)
    a.add_argument("--seed", type=int, default=1)
    args = a.parse_args()
    rng = np.random.default_rng(args.seed)
    ds = ogr.Open(str(GPKG))
    layer = ds.GetLayer(0)
    wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326); wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    bng = osr.SpatialReference(); bng.ImportFromEPSG(27700); bng.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_bng = osr.CoordinateTransformation(wgs, bng)
    areas = []
    for f in layer:
        g = f.GetGeometryRef().Clone()
        g.Transform(to_bng)
        areas.append(rings_of(g))
    weights = rng.lognormal(0.0, 1.0, len(areas))
    counts = rng.multinomial(args.n, weights / weights.sum())
    with open(args.out, "w") as out:
        out.write("x,y,month,category\n")
        for rings, n in zip(areas, counts):
            if n == 0:
                continue
            allpts = np.concatenate(rings)
            lo, hi = allpts.min(axis=0), allpts.max(axis=0)
            got_x, got_y, have = [], [], 0
            while have < n:
                m = max(16, 2 * (n - have))
                cx = rng.uniform(lo[0], hi[0], m)
                cy = rng.uniform(lo[1], hi[1], m)
                ok = inside(cx, cy, rings)
                got_x.append(cx[ok]); got_y.append(cy[ok]); have += int(ok.sum())
            xs = np.concatenate(got_x)[:n]; ys = np.concatenate(got_y)[:n]
            months = rng.integers(1, 13, n)
            cats = rng.integers(0, len(CATEGORIES), n)
            out.write("".join(f"{x:.1f},{y:.1f},2019-{mo:02d},{CATEGORIES[c]}\n"
                              for x, y, mo, c in zip(xs, ys, months, cats)))


if __name__ == "__main__":
    main()
