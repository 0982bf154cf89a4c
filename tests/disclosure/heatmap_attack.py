#!/usr/bin/python3
"""Heat-map reconstruction attack on a PUBLIC hotspot run (issue 14, "Heat maps").

Threat model
------------
The attacker has the public pack (kde/<surface>.tif and csv/surface_parameters.csv,
optionally the hotspots_<surface> layer of hotspot.gpkg) and knows the exact
location of every incident the surface uses (police.uk publishes its snap
points; a neighbour knows where things happened) but NOT how many incidents
are at each location.  The unknowns are n_j >= 0, one per distinct location
(candidate points: the distinct coordinates of the truth run's `incidents`
layer, restricted to the surface's incidents and to locations within R of a
published cell).  The question is whether the map pins down any small count
(1..k, k = 5) at a location.

What the map gives (all read from the outputs, nothing hard-coded)
------------------------------------------------------------------
kernel, radius_m (or sigma_m and gaussian_cutoff_sigmas), cell_m, units and
the grid (the GeoTIFF's geotransform: cell centres at x0 + (c + 1/2) cell,
y_top - (r + 1/2) cell, rows from the top), exactly as src/hotspot/kde.cpp
computes them.  Density at a cell centre c:

    v_c = U * sum_j n_j K(|c - p_j|),  K = norm * shape(d^2 / R^2),

with U the units factor (per_km2: 1e6; per_cell: cell^2; raw: 1/norm).  The
LP works in "incident equivalents": a_cj = shape(u2_cj) (1 at d = 0) and
y_c = v_c / (U * norm), so one incident at a cell centre contributes 1.

Constraints, per published cell (finite value = inside the study area) within
R of some candidate:

* Map NOT quantised (no `public_density_step`: today's engine).  The engine
  sets a cell to 0 when it has 1..k incidents within R (withhold_sparse_cells)
  and the density of a cell with none within R is exactly 0.  So
    - published v != 0:  y_c - tol <= sum_j a_cj n_j <= y_c + tol
      (tol covers the float32 rounding of the GeoTIFF: 2^-22 |y_c| + 1e-7), and
      the cell was not blanked: sum_{j within R} n_j >= k + 1;
    - published 0: "count within R is 0" or "count within R is 1..k"; both are
      count <= k, so this disjunction is exactly the linear constraint
      sum_{j within R} n_j <= k (no weakening needed).
* Map quantised with step q (`public_density_step`, or --emulate-step):
  published = floor(v / q) q, blanking first.  Q = q / (U norm).
    - published m q, m >= 1:  m Q - tol <= sum_j a_cj n_j <= (m + 1) Q + tol
      (the strict "< (m+1) q" is relaxed to <=, which only weakens the
      attacker by a measure-zero set), plus count within R >= k + 1 (implied
      when Q >= k + 1, kept for smaller steps);
    - published 0: (count within R <= k) OR (v < q).  A count of k or fewer
      gives v <= k (in incident equivalents, the kernel peaks at 1), so the
      disjunction implies the single linear constraint
      sum_j a_cj n_j <= max(Q, k) + tol.  With the engine's step
      Q = k + 1 this IS the disjunction (count <= k implies v < Q), so the
      model loses nothing.
* "Within R" is decided with the engine's test u2 = d^2/R^2 < 1.  A location
  whose u2 is within 1e-9 of 1 (float rounding could put it either side) is
  left out of "<= k" rows and kept in ">= k + 1" rows, so every row stays valid.
* The surface's published incident total (surface_parameters `incidents`)
  bounds the sum of all candidates' counts (the others are >= 0).
* The published hotspot areas (hotspots_<surface> in hotspot.gpkg; off with
  --no-hotspots), as hotspot_areas.cpp makes them:
    - incidents: sum of n_j over the locations whose cell (Grid::col_of /
      row_of) lies in the area = the published count;
    - every cell of the area had a density >= hotspot_threshold (the
      threshold's printed precision allowed for): valid whether the engine
      takes it before or after quantising, as published <= true density;
    - peak and mean: when they are NOT the max / mean of the published cells
      (to their printed 6 digits), they were computed from the true densities
      (before quantising): every cell <= peak, and the sum of the area's
      densities = mean x cells. When they match the published cells they add
      nothing and are left out.
  (Areas of k or fewer incidents are not published; cells outside every
  published area say nothing, since they may lie in an unpublished one.)

The truth run's counts are checked to satisfy every row (a model error would
otherwise be reported as "safe").

Attack
------
For every candidate location whose true count is 1..k, minimise and maximise
n_j over the LP relaxation (HiGHS interior point through
scipy.optimize.linprog); the integer range is ceil(min) .. floor(max) (with a
1e-6 slack).  The LPs have ~10^4 rows for ~200 unknowns, so they are solved by
row generation: on a working set of rows (800 at random to start), adding the
rows the optimum violates until it violates none (it is then the optimum of
the full LP); the set is shared by all solves.  With --milp, where the LP range
holds 2+ values, the same is done with n integer (scipy.optimize.milp, boxes =
every candidate's LP range, HiGHS's dual bound when --milp-seconds runs out),
which can only narrow the ranges (slow: in our runs it narrowed none).
A location is RECOVERED when its integer range holds fewer than 3 values, or
excludes 0 without spanning 1..k (the issue's rule, the same one the engine's
table audit uses).  EXACT: the range is one value.

Usage: heatmap_attack.py --public PUB --truth TRUTH [--surface all]
       [--emulate-step [Q]] [--no-hotspots] [--milp] [--json out.json] [-v]
(tests/disclosure/heatmap_attack_run.sh makes both runs of
tests/disclosure/heatmap_attack.toml and calls this; CTest
DisclosureAttack.HeatMapPublicRun.)

Exit status: 0 nothing recovered, 1 something recovered, 2 error (bad inputs,
infeasible model, a truth that violates the model).
"""

import argparse
import csv
import json
import math
import os
import re
import sys
import time
from collections import Counter

import numpy as np
from osgeo import gdal, ogr, osr
from scipy import sparse
from scipy.optimize import linprog
from scipy.spatial import cKDTree

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

EDGE = 1e-9  # u2 within this of 1: inside or outside R depending on rounding


def fail(msg):
    print("heatmap_attack: error: " + msg, file=sys.stderr)
    sys.exit(2)


def leading_number(text):
    m = re.match(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)", text or "")
    return float(m.group(1)) if m else None


def read_parameters(pack, surface):
    path = os.path.join(pack, "csv", "surface_parameters.csv")
    if not os.path.exists(path):
        fail(path + " not found")
    p = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["surface"] == surface and row["key"] != "warning":
                p[row["key"]] = row["value"]
    if not p:
        fail("no parameters for surface " + surface + " in " + path)
    return p


class Kernel:
    """shape(u2) for u2 = d^2/R^2 (0 beyond R) and norm, as src/hotspot/kernels.cpp."""

    def __init__(self, params):
        self.name = params.get("kernel", "quartic")
        if self.name == "gaussian":
            sigma = leading_number(params["sigma_m"])
            cutoff = leading_number(params.get("gaussian_cutoff_sigmas", "4"))
            self.radius = sigma * cutoff
            self.norm = 1 / (2 * math.pi * sigma * sigma)
            self.gauss_k = cutoff * cutoff / 2
        else:
            self.radius = leading_number(params["radius_m"])
            r2 = self.radius ** 2
            self.norm = {"quartic": 3, "triweight": 4, "epanechnikov": 2, "uniform": 1,
                         "triangular": 3}[self.name] / (math.pi * r2)

    def shape(self, u2):
        t = np.clip(1 - u2, 0, None)
        inside = u2 < 1
        if self.name == "quartic":
            s = t * t
        elif self.name == "triweight":
            s = t * t * t
        elif self.name == "epanechnikov":
            s = t
        elif self.name == "uniform":
            s = np.ones_like(u2)
        elif self.name == "triangular":
            s = 1 - np.sqrt(np.clip(u2, 0, 1))
        else:
            s = np.exp(-u2 * self.gauss_k)
        return np.where(inside, s, 0.0)


def units_factor(units, kernel, cell):
    """Multiplier from sum of norm * shape to the published unit."""
    if units == "per_km2":
        return 1e6
    if units == "per_cell":
        return cell * cell
    if units == "raw":
        return 1 / kernel.norm
    fail("unknown units " + units)


def read_map(pack, surface):
    path = os.path.join(pack, "kde", surface + ".tif")
    if not os.path.exists(path):
        fail(path + " not found")
    ds = gdal.Open(path)
    gt = ds.GetGeoTransform()
    values = ds.GetRasterBand(1).ReadAsArray().astype(np.float64)
    if gt[2] != 0 or gt[4] != 0 or abs(gt[1] + gt[5]) > 1e-9 * abs(gt[1]):
        fail(path + ": not a north-up square grid")
    return values, gt[0], gt[3], gt[1]


def read_truth(truth, wanted_categories):
    """(x, y) of every incident the surface uses, in EPSG:27700 (the working CRS)."""
    gpkg = os.path.join(truth, "hotspot.gpkg")
    geojson = os.path.join(truth, "geojson", "incidents.geojson")
    xs, ys = [], []
    if os.path.exists(gpkg):
        ds = ogr.Open(gpkg)
        layer = ds.GetLayerByName("incidents")
        if layer is None:
            fail(gpkg + " has no incidents layer (run the truth without --public)")
        transform = None
    elif os.path.exists(geojson):
        ds = ogr.Open(geojson)
        layer = ds.GetLayer(0)
        src = osr.SpatialReference()
        src.ImportFromEPSG(4326)
        src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        dst = osr.SpatialReference()
        dst.ImportFromEPSG(27700)
        dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        transform = osr.CoordinateTransformation(src, dst)
    else:
        fail("no truth incidents in " + truth)
    fields = [layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())]
    cat_field = next((f for f in ("category", "crime_type", "Crime type") if f in fields), None)
    for feat in layer:
        if wanted_categories is not None:
            if cat_field is None:
                fail("the surface has categories but the truth incidents carry no category field")
            if feat.GetField(cat_field) not in wanted_categories:
                continue
        g = feat.GetGeometryRef()
        if g is None:
            continue
        x, y = g.GetX(), g.GetY()
        if transform is not None:
            x, y = transform.TransformPoint(x, y)[:2]
        xs.append(x)
        ys.append(y)
    return np.array(xs), np.array(ys)


def printed_tol(value):
    """Half a unit in the last digit a number was printed with (the outputs
    round to 6..10 significant digits): "630.439" -> 0.0005."""
    text = value if isinstance(value, str) else repr(float(value))
    m = re.match(r"\s*[-+]?(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?", text)
    if not m or not (m.group(1) or m.group(2)):
        return 0.0
    exp = int(m.group(3) or 0)
    return 0.5 * 10.0 ** (exp - len(m.group(2)))


def parse_k(params, default):
    m = re.search(r"with (\d+) or fewer incidents", params.get("public_withheld_cells", ""))
    return int(m.group(1)) if m else default


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--public", required=True, help="the public run's output folder")
    ap.add_argument("--truth", required=True, help="the same config run without --public")
    ap.add_argument("--surface", default="all")
    ap.add_argument("--k", type=int, default=5, help="suppression threshold if the outputs do not say (5)")
    ap.add_argument("--emulate-step", nargs="?", const="auto", default=None,
                    help="quantise the published map here: floor(v/q) q; q in the map's units, "
                         "default (k+1) x K(0) x units factor (the scheme landing on main)")
    ap.add_argument("--no-hotspots", action="store_true",
                    help="ignore the published hotspot areas' incident counts")
    ap.add_argument("--milp", action="store_true",
                    help="also integer programs (n_j integer) where the LP range holds 2+ values (slower)")
    ap.add_argument("--milp-seconds", type=float, default=30, help="time limit per integer program (30)")
    ap.add_argument("--json", help="write the per-location results here")
    ap.add_argument("--verbose", "-v", action="store_true")
    a = ap.parse_args()
    t_start = time.monotonic()

    params = read_parameters(a.public, a.surface)
    k = parse_k(params, a.k)
    kernel = Kernel(params)
    R = kernel.radius
    values, x0, y_top, cell = read_map(a.public, a.surface)
    if "cell_m" in params and abs(leading_number(params["cell_m"]) - cell) > 1e-9 * cell:
        fail("cell_m %s differs from the GeoTIFF's %g" % (params["cell_m"], cell))
    units = params.get("units", "per_km2").strip()
    U = units_factor(units, kernel, cell)
    k0u = kernel.norm * U  # one incident at a cell centre, in the map's units
    ny, nx = values.shape

    step = None
    step_from = "none (map not quantised)"
    if "public_density_step" in params:
        step = leading_number(params["public_density_step"])
        step_from = "surface_parameters public_density_step = " + params["public_density_step"]
    if a.emulate_step is not None:
        if step is not None:
            print("note: the map is already quantised (step %g); --emulate-step quantises it again" % step)
        q = (k + 1) * k0u if a.emulate_step == "auto" else float(a.emulate_step)
        finite = np.isfinite(values)
        values = np.where(finite, np.floor(values / q) * q, np.nan)
        # GeoTIFF values are float32: publish what the file would hold.
        values = values.astype(np.float32).astype(np.float64)
        step = q
        step_from = "emulated: floor(v / q) q with q = %.10g %s" % (q, units)

    # The surface's incidents (all categories unless the surface names some).
    cats = params.get("categories", "all")
    wanted = None if cats == "all" else set(c.strip() for c in cats.split(","))
    if params.get("period", "all the data") != "all the data":
        fail("surfaces with a period are not supported yet (truth filtering by month)")
    tx, ty = read_truth(a.truth, wanted)
    n_total = int(leading_number(params.get("incidents", str(len(tx)))))
    if n_total != len(tx):
        fail("truth has %d incidents for surface %s, the public run says %d" % (len(tx), a.surface, n_total))
    loc_count = Counter(zip(tx.tolist(), ty.tolist()))
    locs = np.array(list(loc_count.keys()))
    truth_n = np.array([loc_count[tuple(p)] for p in locs.tolist()], dtype=float)

    # Published cells (finite = inside the study area) and their centres.
    rows, cols = np.nonzero(np.isfinite(values))
    cx = x0 + (cols + 0.5) * cell
    cy = y_top - (rows + 0.5) * cell
    tree = cKDTree(np.column_stack([cx, cy]))
    pairs = tree.query_ball_point(locs, R * (1 + 1e-6))
    cand = [j for j in range(len(locs)) if pairs[j]]
    cand_index = {j: i for i, j in enumerate(cand)}
    nv = len(cand)
    # Sparse cell x candidate coefficients.
    cell_ids, var_ids, u2s = [], [], []
    for j in cand:
        ids = np.array(pairs[j])
        u2 = ((cx[ids] - locs[j, 0]) ** 2 + (cy[ids] - locs[j, 1]) ** 2) / (R * R)
        cell_ids.append(ids)
        var_ids.append(np.full(len(ids), cand_index[j]))
        u2s.append(u2)
    cell_ids = np.concatenate(cell_ids)
    var_ids = np.concatenate(var_ids)
    u2s = np.concatenate(u2s)
    used_cells, cell_row = np.unique(cell_ids, return_inverse=True)
    nc = len(used_cells)
    a_coef = kernel.shape(u2s)
    sure_in = u2s < 1 - EDGE
    maybe_in = u2s < 1 + EDGE
    A = sparse.csr_matrix((a_coef, (cell_row, var_ids)), shape=(nc, nv))
    A_sure = sparse.csr_matrix((sure_in.astype(float), (cell_row, var_ids)), shape=(nc, nv))
    A_maybe = sparse.csr_matrix((maybe_in.astype(float), (cell_row, var_ids)), shape=(nc, nv))
    v = values[rows[used_cells], cols[used_cells]]
    y = v / k0u  # incident equivalents

    ub_rows, ub_b, eq_rows, eq_b = [], [], [], []
    zero = v == 0
    nz = ~zero
    if step is None:
        tol = np.abs(y) * 2.0 ** -22 + 1e-7
        # v != 0: density = y (+- float32), and not blanked: count >= k+1.
        ub_rows += [A[nz], -A[nz], -A_maybe[nz]]
        ub_b += [y[nz] + tol[nz], -(y[nz] - tol[nz]), np.full(nz.sum(), -(k + 1.0))]
        # v == 0: count within R in 0..k.
        ub_rows.append(A_sure[zero])
        ub_b.append(np.full(zero.sum(), float(k)))
    else:
        Q = step / k0u
        m = np.round(v / step)
        if np.any(np.abs(m * step - v) > 1e-4 * step + 1e-6 * np.abs(v)):
            bad = np.abs(m * step - v).max()
            fail("published values are not multiples of the step %g (off by up to %g)" % (step, bad))
        tol = (m + 1) * Q * 2.0 ** -22 + 1e-7
        ub_rows += [A[nz], -A[nz], -A_maybe[nz]]
        ub_b += [(m[nz] + 1) * Q + tol[nz], -(m[nz] * Q - tol[nz]), np.full(nz.sum(), -(k + 1.0))]
        ub_rows.append(A[zero])
        ub_b.append(np.full(zero.sum(), max(Q, float(k)) + 1e-7))
    # The published total bounds the candidates' sum.
    ub_rows.append(sparse.csr_matrix(np.ones((1, nv))))
    ub_b.append(np.array([float(n_total)]))

    # Published hotspot areas (hotspot_areas.cpp): the cells at or above the
    # published threshold, with their incident count (incidents in the
    # area's cells), peak and mean density.
    n_hot = 0
    hot_notes = []
    gpkg = os.path.join(a.public, "hotspot.gpkg")
    if not a.no_hotspots and os.path.exists(gpkg):
        ds = ogr.Open(gpkg)
        layer = ds.GetLayerByName("hotspots_" + a.surface)
        names = [] if layer is None else [layer.GetLayerDefn().GetFieldDefn(i).GetName()
                                          for i in range(layer.GetLayerDefn().GetFieldCount())]
        threshold = leading_number(params.get("hotspot_threshold", ""))
        ucx, ucy = cx[used_cells], cy[used_cells]
        # Which cell holds each candidate (Grid::col_of / row_of).
        ccol = np.floor((locs[cand, 0] - x0) / cell).astype(int)
        crow = np.floor((y_top - locs[cand, 1]) / cell).astype(int)
        hold_x, hold_y = x0 + (ccol + 0.5) * cell, y_top - (crow + 0.5) * cell
        pt = ogr.Geometry(ogr.wkbPoint)

        def inside(g, xs, ys):
            env = g.GetEnvelope()
            out = np.zeros(len(xs), dtype=bool)
            for i in np.nonzero((xs >= env[0]) & (xs <= env[1]) & (ys >= env[2]) & (ys <= env[3]))[0]:
                pt.SetPoint_2D(0, xs[i], ys[i])
                out[i] = g.Contains(pt)
            return out

        for feat in (layer if layer is not None else []):
            g = feat.GetGeometryRef()
            if g is None:
                continue
            n_hot += 1
            in_cells = inside(g, ucx, ucy)
            # Incidents in the area's cells: sum of n_j = incidents (a String field; "x" if withheld).
            n_in = leading_number(str(feat.GetField("incidents") or "")) if "incidents" in names else None
            if n_in is not None:
                eq_rows.append(sparse.csr_matrix(inside(g, hold_x, hold_y).astype(float).reshape(1, -1)))
                eq_b.append(np.array([float(n_in)]))
            # Every cell of the area had a density at or above the threshold,
            # whether the threshold was taken before or after quantising
            # (published <= true density).
            if threshold is not None and threshold > 0 and in_cells.any():
                ub_rows.append(-A[in_cells])
                thr_tol = printed_tol(params["hotspot_threshold"].split()[0])
                ub_b.append(np.full(in_cells.sum(), -(threshold - thr_tol) / k0u + 1e-7))
            # Peak and mean: if they are not those of the published cells,
            # they are of the true densities (computed before quantising):
            # every cell <= peak, and sum of cells = mean x cells.
            pub = v[in_cells]
            peak = feat.GetField("peak") if "peak" in names else None
            mean = feat.GetField("mean") if "mean" in names else None
            if peak is not None and in_cells.any() and step is not None:
                peak_tol = printed_tol(peak) + abs(peak) * 2.0 ** -22
                if abs(peak - pub.max()) > peak_tol:
                    ub_rows.append(A[in_cells])
                    ub_b.append(np.full(in_cells.sum(), (peak + peak_tol) / k0u + 1e-7))
                    hot_notes.append("peak")
            if mean is not None and in_cells.any() and step is not None:
                mean_tol = printed_tol(mean) + abs(mean) * 2.0 ** -22
                if abs(mean - pub.mean()) > mean_tol:
                    n_cells = in_cells.sum()
                    row = sparse.csr_matrix(np.asarray(A[in_cells].sum(axis=0)).reshape(1, -1))
                    ub_rows += [row, -row]
                    ub_b += [np.array([(mean + mean_tol) * n_cells / k0u + 1e-6]),
                             np.array([-((mean - mean_tol) * n_cells / k0u - 1e-6)])]
                    hot_notes.append("mean")

    A_ub = sparse.vstack(ub_rows).tocsr()
    b_ub = np.concatenate(ub_b)
    A_eq = sparse.vstack(eq_rows).tocsr() if eq_rows else None
    b_eq = np.concatenate(eq_b) if eq_b else None

    # The truth must satisfy the model.
    tn = truth_n[cand]
    viol = A_ub @ tn - b_ub
    if viol.max() > 1e-6:
        i = int(np.argmax(viol))
        fail("the truth violates inequality row %d by %g: the model is wrong" % (i, viol[i]))
    if A_eq is not None and np.abs(A_eq @ tn - b_eq).max() > 1e-6:
        fail("the truth violates a hotspot-area equality: the model is wrong")

    targets = [i for i in range(nv) if 1 <= tn[i] <= k]
    small_outside = int(sum(1 for j in range(len(locs)) if 1 <= truth_n[j] <= k and j not in cand_index))
    t_built = time.monotonic()
    print("surface %s: kernel %s, R = %g m, cell %g m, units %s, k = %d" % (a.surface, kernel.name, R, cell, units, k))
    print("step: " + step_from)
    print("grid %d x %d; published cells used: %d (%d zero); hotspot areas used: %d%s" %
          (nx, ny, nc, int(zero.sum()), n_hot,
           " (their true-density " + "/".join(sorted(set(hot_notes))) + " too)" if hot_notes else ""))
    print("incidents %d at %d locations; candidates (within R of a published cell): %d; "
          "targets (true count 1..%d): %d (+%d small locations farther than R from the map)" %
          (n_total, len(locs), nv, k, len(targets), small_outside))
    print("rows: %d inequalities, %d equalities; model built in %.1f s" %
          (A_ub.shape[0], 0 if A_eq is None else A_eq.shape[0], t_built - t_start))

    bounds = [(0, float(n_total))] * nv
    if a.milp:
        from scipy.optimize import Bounds, LinearConstraint, milp
        integrality = np.ones(nv)
        box = Bounds(np.zeros(nv), np.full(nv, float(n_total)))

    # Row generation: each LP is solved on a working set of rows, grown with
    # the rows its optimum violates until it satisfies them all (then it is
    # the optimum of the full LP). The set is shared by every solve, so later
    # LPs start from the rows that mattered before. Same optimum, a fraction
    # of the time of the full 10^4-row programs.
    rng = np.random.default_rng(14)
    n_rows = A_ub.shape[0]
    work = np.zeros(n_rows, dtype=bool)
    work[-1] = True  # the total
    work[rng.choice(n_rows, size=min(n_rows, 800), replace=False)] = True
    stats = {"lps": 0, "milps": 0, "timeouts": 0}

    def solve(i, sense, integer=False):
        """min (sense 1) or max (sense -1) of n_i: a valid bound (MILP: HiGHS's dual bound)."""
        c = np.zeros(nv)
        c[i] = sense
        while True:
            idx = np.nonzero(work)[0]
            stats["milps" if integer else "lps"] += 1
            if integer:
                cons = [LinearConstraint(A_ub[idx], -np.inf, b_ub[idx])]
                if A_eq is not None:
                    cons.append(LinearConstraint(A_eq, b_eq, b_eq))
                r = milp(c, constraints=cons, integrality=integrality, bounds=box,
                         options={"time_limit": a.milp_seconds})
                if r.status == 1:
                    # Time limit: the dual bound of the (relaxed) working set is
                    # still valid; without one, keep the LP's bound (None).
                    stats["timeouts"] += 1
                    bound = getattr(r, "mip_dual_bound", None)
                    return None if bound is None or not np.isfinite(bound) else sense * bound
            else:
                r = linprog(c, A_ub=A_ub[idx], b_ub=b_ub[idx], A_eq=A_eq, b_eq=b_eq, bounds=bounds,
                            method="highs-ipm")
            if r.status != 0:
                fail("solver status %s for location %d: %s" % (r.status, i, r.message))
            viol = A_ub @ r.x - b_ub
            viol[work] = -1
            bad = np.nonzero(viol > 1e-6)[0]
            if len(bad) == 0:
                return sense * (r.mip_dual_bound if integer else r.fun)
            work[bad[np.argsort(-viol[bad])][:400]] = True

    if a.milp:
        # Tight boxes for the integer programs: every candidate's LP range.
        lo_all, hi_all = np.zeros(nv), np.full(nv, float(n_total))
        for i in range(nv):
            lo_all[i] = max(0, math.ceil(solve(i, 1) - 1e-6))
            hi_all[i] = math.floor(solve(i, -1) + 1e-6)
        box = Bounds(lo_all, hi_all)

    results = []
    recovered = exact = 0
    by_count = {c: [0, 0, 0] for c in range(1, k + 1)}  # targets, recovered, exact
    for i in targets:
        lo_f, hi_f = solve(i, 1), solve(i, -1)
        lo, hi = math.ceil(lo_f - 1e-6), math.floor(hi_f + 1e-6)
        if a.milp and hi > lo:
            m_lo = solve(i, 1, True)
            if m_lo is not None:
                lo = max(lo, math.ceil(m_lo - 1e-6))
            m_hi = solve(i, -1, True)
            if m_hi is not None:
                hi = min(hi, math.floor(m_hi + 1e-6))
        if not lo <= tn[i] <= hi:
            fail("location %d: truth %d outside the attack's range %d..%d" % (i, tn[i], lo, hi))
        n_values = hi - lo + 1
        rec = n_values < 3 or (lo >= 1 and not (lo <= 1 and hi >= k))
        ex = lo == hi
        recovered += rec
        exact += ex
        t = int(tn[i])
        by_count[t][0] += 1
        by_count[t][1] += rec
        by_count[t][2] += ex
        x, yy = locs[cand[i]]
        results.append({"x": x, "y": yy, "truth": t, "lp_min": lo_f, "lp_max": hi_f, "min": lo, "max": hi,
                        "recovered": bool(rec), "exact": bool(ex)})
        if a.verbose or rec:
            print("  %s (%.0f, %.0f): true %d, range %d..%d%s" %
                  ("RECOVERED" if rec else "safe     ", x, yy, t, lo, hi, " (exact)" if ex else ""))
    t_end = time.monotonic()
    print("by true count (targets / recovered / exact): " +
          ", ".join("%d: %d/%d/%d" % (c, *by_count[c]) for c in by_count))
    print("solver: %d LP and %d MILP solves (%d at the time limit), working set %d of %d rows" %
          (stats["lps"], stats["milps"], stats["timeouts"], int(work.sum()), n_rows))
    print("RESULT: %d of %d small-count locations recovered, %d exact (%s, %s); solve time %.1f s, total %.1f s" %
          (recovered, len(targets), exact, "MILP" if a.milp else "LP", step_from.split(":")[0],
           t_end - t_built, t_end - t_start))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"surface": a.surface, "step": step, "step_from": step_from, "k": k,
                       "targets": len(targets), "recovered": recovered, "exact": exact,
                       "cells": nc, "candidates": nv, "seconds": t_end - t_start, "locations": results}, f, indent=1)
    sys.exit(1 if recovered else 0)


if __name__ == "__main__":
    main()
