#!/usr/bin/python3
"""hotspot's raw quartic KDE against QGIS's qgis:heatmapkerneldensityestimation.

Run by bench/compare_qgis.sh (which installs QGIS and builds hotspot). Needs the
Debian python3-qgis, python3-gdal and python3-numpy, so run it with /usr/bin/python3
(a pyenv python3 cannot import them) and QT_QPA_PLATFORM=offscreen.

1. `hotspot run` with KDE off writes the accepted incidents (EPSG:27700) to
   hotspot.gpkg; that layer is QGIS's input, so both tools see the same points.
2. QGIS: heatmap with RADIUS, PIXEL_SIZE, quartic kernel, decay 0, Raw output.
   Only processing.run is timed.
3. hotspot: `hotspot run` with [kde] extent = the QGIS raster's extent, the same
   radius and cell, units "raw", mode "exact", so the grids coincide cell for
   cell. The whole process is timed (reading the CSVs, transforming, the KDE,
   writing the GeoPackage and the GeoTIFF); hotspot's own printed seconds too.
4. Both grids compared (QGIS's -9999 nodata = cells no kernel reached = 0).
5. Unless --no-emulate: both formulas re-computed in numpy from the same
   points, to attribute the difference: QGIS's own pixel arithmetic (see
   explain_qgis_formula) and the exact raw KDE on the raster's cell centres.

Not part of the test suite: QGIS is huge. Outputs go to a temporary folder.
"""

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "leicestershire" / "police-uk"


def parse_args():
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--hotspot", default=str(REPO / "build" / "hotspot"), help="hotspot binary")
    a.add_argument("--data", default=str(DEFAULT_DATA), help="police.uk CSV folder")
    a.add_argument("--radius", type=float, default=500.0, help="quartic radius R, metres")
    a.add_argument("--cell", type=float, default=25.0, help="cell (pixel) size, metres")
    a.add_argument("--threads", type=int, default=0, help="hotspot --threads (0 = all cores)")
    a.add_argument("--workdir", help="output folder (default: a new temporary folder)")
    a.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a.add_argument("--repeat", type=int, default=1, help="run both tools N times; report the fastest")
    a.add_argument("--no-emulate", action="store_true", help="skip the numpy re-computation")
    return a.parse_args()


def toml_str(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_config(path, out_dir, data, kde=None, points_csv=None):
    lines = [
        'working_crs = "EPSG:27700"',
        "[output]",
        f"dir = {toml_str(out_dir)}",
        "geopackage = true",
        "geojson = false",
        "csv = false",
        "[stats]",
        "enabled = false",
        "[kde]",
    ]
    if kde is None:
        lines.append("enabled = false")
    else:
        xmin, ymin, xmax, ymax = kde["extent"]
        lines += [
            "enabled = true",
            'kernel = "quartic"',
            f"bandwidth = {kde['radius']!r}",
            f"cell = {kde['cell']!r}",
            'units = "raw"',
            'mode = "exact"',
            "gistar = false",
            # repr() is the shortest text that reads back as the same double
            f"extent = [{xmin!r}, {ymin!r}, {xmax!r}, {ymax!r}]",
        ]
    if points_csv is None:
        lines += ["[[incidents]]", 'format = "police_uk"', f"paths = [{toml_str(data)}]"]
        # The force's LSOAs, so each incident records whether it lies in the force.
        lsoa = Path(data).parent / "boundaries" / "lsoa2011"
        lines += ["[[areas]]", 'name = "lsoa"', f"paths = [{toml_str(lsoa)}]", 'code = "LSOA11CD"']
    else:
        lines += ["[[incidents]]", 'format = "csv"', f"paths = [{toml_str(points_csv)}]", 'crs = "EPSG:27700"',
                  'x = "x"', 'y = "y"', 'date = "month"', 'category = "category"']

    Path(path).write_text("\n".join(lines) + "\n")


def run_hotspot(binary, config, threads):
    cmd = [binary, "run", "--verbose", "--config", str(config), "--threads", str(threads)]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"compare_qgis: {' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}")
    m = re.search(r"^hotspot run: .*, ([0-9.eE+-]+) s$", p.stdout, re.M)
    own = float(m.group(1)) if m else float("nan")
    k = re.search(r"^time: kde all: ([0-9.eE+-]+) s$", p.stdout, re.M)
    kde_stage = float(k.group(1)) if k else float("nan")
    return wall, own, p.stdout, kde_stage


def start_qgis():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import Qgis, QgsApplication

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    return app, Qgis.QGIS_VERSION


def run_qgis(layer_uri, radius, cell, out_tif):
    import processing

    params = {
        "INPUT": layer_uri,
        "RADIUS": radius,
        "RADIUS_FIELD": None,
        "PIXEL_SIZE": cell,
        "WEIGHT_FIELD": None,
        "KERNEL": 0,        # Quartic
        "DECAY": 0,
        "OUTPUT_VALUE": 0,  # Raw
        "OUTPUT": str(out_tif),
    }
    t0 = time.perf_counter()
    processing.run("qgis:heatmapkerneldensityestimation", params)
    return time.perf_counter() - t0


def read_raster(path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    band = ds.GetRasterBand(1)
    return ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize, band.ReadAsArray(), band.GetNoDataValue()


IN_FORCE = "lsoa_code <> ''"  # incidents inside the force's LSOAs (police.uk lists a few in London)


def read_points(gpkg):
    import numpy as np
    from osgeo import ogr

    ds = ogr.Open(str(gpkg))
    layer = ds.GetLayerByName("incidents")
    layer.SetAttributeFilter(IN_FORCE)
    pts = np.array([f.GetGeometryRef().GetPoint_2D() for f in layer], dtype=np.float64)
    return pts[:, 0], pts[:, 1]


def write_points_csv(gpkg, path):
    """The incidents both tools map, as a CSV hotspot reads in EPSG:27700."""
    from osgeo import ogr

    ds = ogr.Open(str(gpkg))
    layer = ds.GetLayerByName("incidents")
    layer.SetAttributeFilter(IN_FORCE)
    with open(path, "w") as out:
        out.write("x,y,month,category\n")
        for f in layer:
            x, y = f.GetGeometryRef().GetPoint_2D()
            out.write(f"{x!r},{y!r},{f.GetField('month')},\"{f.GetField('category')}\"\n")


def explain_qgis_formula(px, py, gt, nx, ny, radius, cell, qgis_bounds):
    """Re-computes both surfaces in numpy (float64) on the QGIS raster.

    QGIS 3.22 (src/analysis/raster/qgskde.cpp, addFeature) for each point:
      xPosition   = (x - xMin) / pixel - buffer        (columns, from the west)
      yPosition   = (y - yMin) / pixel - buffer        (counted from the SOUTH)
      yPositionIO = (yMax - y) / pixel - buffer        (rows, from the NORTH)
    reads the (2 buffer + 1)^2 block at (xPosition, yPositionIO) with GDALRasterIO,
    whose row yp runs southwards, but evaluates the kernel at
      centreY = (yPosition + yp + 0.5) * pixel + yMin  (runs northwards)
    so within each block y is mirrored. The kernel being symmetric, that is the
    exact KDE of the point moved north by (ft - fb) * pixel, where fb and ft are
    the fractional parts of (y - yMin) / pixel and (yMax - y) / pixel.
    Returns (qgis_formula_grid, exact_grid, per-point north shift in metres).
    """
    import numpy as np

    xmin, ymin, xmax, ymax = qgis_bounds
    buffer = int(radius / cell)
    if radius - cell * buffer > 0.5:
        buffer += 1
    bs = 2 * buffer + 1
    # C++ converts the doubles to unsigned int: truncation (all >= 0 here).
    xpos = np.trunc((px - xmin) / cell - buffer).astype(np.int64)
    ypos = np.trunc((py - ymin) / cell - buffer).astype(np.int64)
    ypos_io = np.trunc((ymax - py) / cell - buffer).astype(np.int64)
    # The raster's own cell centres (gt: x0, cell, 0, ytop, 0, -cell).
    x0, ytop = gt[0], gt[3]
    k = np.arange(bs)
    order = np.argsort(ypos_io, kind="stable")
    grids = {"qgis": np.zeros((ny, nx)), "exact": np.zeros((ny, nx))}
    chunk = 2000
    for s in range(0, len(order), chunk):
        sel = order[s : s + chunk]
        cols = xpos[sel, None] + k[None, :]               # n x bs
        rows = ypos_io[sel, None] + k[None, :]            # n x bs
        keep = (cols >= 0) & (cols < nx)
        keep_r = (rows >= 0) & (rows < ny)
        dx = x0 + (cols + 0.5) * cell - px[sel, None]     # true centres, as QGIS too
        r0 = int(rows[keep_r].min())
        r1 = int(rows[keep_r].max()) + 1
        for name in grids:
            if name == "qgis":
                cy = (ypos[sel, None] + k[None, :] + 0.5) * cell + ymin
            else:
                cy = ytop - (rows + 0.5) * cell
            dy = cy - py[sel, None]
            d = np.sqrt(dx[:, None, :] ** 2 + dy[:, :, None] ** 2)   # n x yp x xp
            v = np.where(d > radius, 0.0, (1 - (d / radius) ** 2) ** 2)
            ok = keep[:, None, :] & keep_r[:, :, None]
            idx = (rows[:, :, None] - r0) * nx + cols[:, None, :]
            band = np.bincount(idx[ok], weights=v[ok], minlength=(r1 - r0) * nx)
            grids[name][r0:r1] += band.reshape(r1 - r0, nx)
    fb = (py - ymin) / cell - np.floor((py - ymin) / cell)
    ft = (ymax - py) / cell - np.floor((ymax - py) / cell)
    return grids["qgis"], grids["exact"], (ft - fb) * cell


def main():
    args = parse_args()
    import numpy as np

    if not Path(args.hotspot).is_file():
        sys.exit(f"compare_qgis: no hotspot binary at {args.hotspot} (run bench/compare_qgis.sh)")
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="hotspot_qgis_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        app, qgis_version = start_qgis()
        from osgeo import gdal

        print(f"QGIS {qgis_version}, GDAL {gdal.__version__}, numpy {np.__version__}")
        print(f"data: {args.data}")
        print(f"radius {args.radius:g} m, cell {args.cell:g} m, quartic, raw; work folder {work}")

        # 1. The accepted incidents, as hotspot reads and projects them.
        write_config(work / "points.toml", work / "points", args.data)
        t_base, t_base_own, _, _ = run_hotspot(args.hotspot, work / "points.toml", args.threads)
        gpkg = work / "points" / "hotspot.gpkg"

        # 2. QGIS.
        qgis_tif = work / "qgis_heatmap.tif"
        t_qgis = min(run_qgis(f"{gpkg}|layername=incidents|subset={IN_FORCE}", args.radius, args.cell, qgis_tif)
                     for _ in range(max(1, args.repeat)))
        qgt, qnx, qny, qa, qnodata = read_raster(qgis_tif)
        if qgt[2] != 0 or qgt[4] != 0 or qgt[1] != args.cell or qgt[5] != -args.cell:
            sys.exit(f"compare_qgis: unexpected QGIS geotransform {qgt}")
        extent = [qgt[0], qgt[3] - qny * args.cell, qgt[0] + qnx * args.cell, qgt[3]]

        # 3. hotspot on the same grid.
        kde = {"radius": args.radius, "cell": args.cell, "extent": extent}
        points_csv = work / "points.csv"
        write_points_csv(gpkg, points_csv)
        write_config(work / "kde.toml", work / "kde", args.data, kde, points_csv)
        t_ours, t_ours_own, log, t_kde = min(run_hotspot(args.hotspot, work / "kde.toml", args.threads)
                                      for _ in range(max(1, args.repeat)))
        ogt, onx, ony, oa, _ = read_raster(work / "kde" / "kde" / "all.tif")
        if (onx, ony) != (qnx, qny) or any(abs(a - b) > 1e-6 for a, b in zip(ogt, qgt)):
            sys.exit(f"compare_qgis: grids differ: ours {ogt} {onx}x{ony}, QGIS {qgt} {qnx}x{qny}")
        n_points = re.search(r"hotspot run: (\d+) incidents", log)
        n_points = int(n_points.group(1)) if n_points else -1

        # 4. Compare.
        q = qa.astype(np.float64)
        q_empty = q == qnodata if qnodata is not None else np.zeros(q.shape, bool)
        q[q_empty] = 0.0
        o = np.nan_to_num(oa.astype(np.float64), nan=0.0)
        diff = np.abs(o - q)
        at = np.unravel_index(int(np.argmax(diff)), diff.shape)
        max_abs = float(diff[at])
        q_max, o_max = float(q.max()), float(o.max())
        max_rel = max_abs / q_max if q_max > 0 else float("nan")
        cx = qgt[0] + (at[1] + 0.5) * args.cell
        cy = qgt[3] - (at[0] + 0.5) * args.cell
        q_peak = np.unravel_index(int(np.argmax(q)), q.shape)
        o_peak = np.unravel_index(int(np.argmax(o)), o.shape)

        print()
        print(f"incidents: {n_points} (both tools read {gpkg.name}:incidents / the same CSVs)")
        print(f"grid: {qnx} x {qny} cells of {args.cell:g} m, west {qgt[0]!r}, north {qgt[3]!r} (EPSG:27700)")
        print(f"cores: {os.cpu_count()}, hotspot --threads {args.threads}; QGIS's KDE is single-threaded")
        print()
        print(f"QGIS time (processing.run):          {t_qgis:.3f} s")
        print(f"hotspot time (whole `hotspot run`):  {t_ours:.3f} s   (hotspot's own figure: {t_ours_own:.3f} s)")
        print(f"ratio QGIS / hotspot:                {t_qgis / t_ours:.3f}")
        print(f"hotspot KDE (the density estimate alone):  {t_kde:.3f} s")
        print(f"ratio QGIS / hotspot KDE:            {t_qgis / t_kde:.1f}")
        print(f"max abs diff |hotspot - QGIS|:       {max_abs:.6g}")
        print(f"max rel diff (/ QGIS max {q_max:.6g}):  {max_rel:.6g}")
        print()
        print(f"  hotspot with KDE off (same CSVs, same GeoPackage): {t_base:.3f} s; "
              f"QGIS start-up (QgsApplication, Processing) is not timed")
        print(f"  at row {at[0]}, col {at[1]} (centre {cx:.3f}, {cy:.3f}): hotspot {o[at]:.6g}, QGIS {q[at]:.6g}")
        print(f"  cells differing by > 1e-3: {int((diff > 1e-3).sum())} of {diff.size}")
        print(f"  sums: hotspot {o.sum():.10g}, QGIS {q.sum():.10g} (ratio {o.sum() / q.sum():.9f})")
        print(f"  maxima: hotspot {o_max:.6g} at row {o_peak[0]}, col {o_peak[1]}; "
              f"QGIS {q_max:.6g} at row {q_peak[0]}, col {q_peak[1]}")
        print(f"  QGIS nodata cells (no kernel reached): {int(q_empty.sum())}; "
              f"of them hotspot > 0: {int((q_empty & (o > 0)).sum())}")

        # 5. Which formula each tool computes.
        if not args.no_emulate:
            px, py = read_points(gpkg)
            # QGIS's bounds: the layer extent grown by R (the raster's west and
            # north edges; south and east are whole-cell rounded, so rebuild them).
            qgis_bounds = (qgt[0], float(py.min()) - args.radius, float(px.max()) + args.radius, qgt[3])
            t0 = time.perf_counter()
            g_qgis, g_exact, shift = explain_qgis_formula(px, py, qgt, qnx, qny, args.radius, args.cell, qgis_bounds)
            h = (qgis_bounds[3] - qgis_bounds[1]) / args.cell
            print()
            print(f"numpy re-computation from the {len(px)} points ({time.perf_counter() - t0:.1f} s, float64):")
            print(f"  exact raw quartic on the cell centres    vs hotspot: max abs diff "
                  f"{np.abs(g_exact - o).max():.3g}  (hotspot writes float32)")
            print(f"  QGIS 3.22's pixel arithmetic (y mirrored) vs QGIS:    max abs diff "
                  f"{np.abs(g_qgis - q).max():.3g}  (QGIS sums in float32)")
            print(f"  exact raw quartic on the cell centres    vs QGIS:    max abs diff {np.abs(g_exact - q).max():.3g}")
            print(f"  QGIS's effective north shift of each point = (frac((yMax-y)/cell) - frac((y-yMin)/cell)) x cell:")
            print(f"    max |shift| {np.abs(shift).max():.3f} m, mean |shift| {np.abs(shift).mean():.3f} m, "
                  f"mean {shift.mean():+.3f} m (extent height / cell = {h:.4f})")
    finally:
        if args.workdir or args.keep:
            print(f"\noutputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
