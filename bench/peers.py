#!/usr/bin/python3
"""hotspot against the tools a user would pick instead, whole process against
whole process, measured side by side in the same run (bench/peers.sh).

Jobs (each skipped with a note when its inputs or peer are missing):
  heatmap   Leicestershire police.uk points in the force (41,492), quartic
            R 500 m, 25 m cells, raw, on QGIS's own grid (3091 x 2513), no
            statistics, no Gi*: `hotspot run` (GeoTIFF out) vs `qgis_process
            run qgis:heatmapkerneldensityestimation` (GeoTIFF out), and
            spatstat density.ppp (quartic, same support) when R has it.
  join      the same police.uk rows -> the 611 Leicestershire LSOAs, join +
            count per LSOA (stats off, KDE off): `hotspot run` (police.uk CSVs
            in, GeoPackage out) vs `qgis_process run native:countpointsinpolygon`
            and a geopandas sjoin + count, both reading the accepted points
            from a GeoPackage (their fastest input) and writing a GeoPackage.
  national  --national-points CSV (bench/make_points.py): heat map over
            England, quartic R 2 km, 100 m cells, Gi* on (defaults): hotspot
            only (QGIS would take minutes; --national-qgis runs it).

Every process is timed with GNU time (wall seconds, peak RSS); each job is
run --runs times with the tools interleaved, and medians are printed. The
outputs are checked to agree: rasters cell by cell on the same grid, counts
per LSOA code. Inputs are prepared once (not timed) in the work folder.
Run with /usr/bin/python3 (Debian's python3-gdal and numpy).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "leicestershire"
IN_FORCE = "lsoa_code <> ''"


def parse_args():
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--hotspot", default=str(REPO / "build" / "hotspot"))
    a.add_argument("--runs", type=int, default=5, help="runs of each tool per job (medians)")
    a.add_argument("--jobs", default="heatmap,join,national", help="comma-separated: heatmap, join, national")
    a.add_argument("--national-points", help="CSV from bench/make_points.py (x, y in EPSG:27700)")
    a.add_argument("--national-qgis", action="store_true", help="run qgis_process on the national job too")
    a.add_argument("--workdir", help="work folder (default: a new temporary one, removed unless --keep)")
    a.add_argument("--keep", action="store_true")
    return a.parse_args()


def timed(cmd, env=None, cwd=None):
    """Runs cmd under GNU time: (wall s, peak RSS MB, cpu s, output)."""
    p = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M %U %S"] + cmd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, env=env, cwd=cwd)
    lines = p.stdout.splitlines()
    t = [ln for ln in lines if ln.startswith("TIME ")]
    if p.returncode != 0 or not t:
        sys.exit(f"peers: {' '.join(cmd)} failed ({p.returncode}):\n{p.stdout[-3000:]}")
    _, wall, rss, user, sys_ = t[-1].split()
    return float(wall), int(rss) / 1024, float(user) + float(sys_), p.stdout


def qgis_env():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="xdg_"))
    return env


def qgis_cmd(alg, params):
    return ["qgis_process.bin", "run", alg, "--"] + [f"{k}={v}" for k, v in params.items()]


def have(program):
    return shutil.which(program) is not None


def write_config(path, out_dir, incidents, areas=None, kde=None):
    q = lambda s: '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = ['working_crs = "EPSG:27700"', "[output]", f"dir = {q(out_dir)}"]
    lines += ["geopackage = " + ("true" if kde is None else "false"), "geojson = false", "csv = false"]
    # The peers write one file each; hotspot's front page (briefing.html, its
    # maps drawn) is not asked for here, as a user who wants a file would not.
    lines.append("briefing = false")
    if kde is None:
        lines.append("incidents = false")
    lines += ["[stats]", "enabled = false", "[kde]"]
    if kde is None:
        lines.append("enabled = false")
    else:
        lines += ["enabled = true", 'kernel = "quartic"', f"bandwidth = {kde['radius']!r}", f"cell = {kde['cell']!r}"]
        for key in ("units", "mode"):
            if key in kde:
                lines.append(f'{key} = "{kde[key]}"')
        if "gistar" in kde:
            lines.append(f"gistar = {'true' if kde['gistar'] else 'false'}")
        if "extent" in kde:
            lines.append("extent = [" + ", ".join(repr(v) for v in kde["extent"]) + "]")
    lines += ["[[incidents]]"] + incidents
    if areas:
        lines += ["[[areas]]", 'name = "lsoa"', f"paths = [{q(areas)}]", 'code = "LSOA11CD"']
    Path(path).write_text("\n".join(lines) + "\n")


def police_uk_source():
    return ['format = "police_uk"', f'paths = ["{DATA / "police-uk"}"]']


def csv_source(path):
    return ['format = "csv"', f'paths = ["{path}"]', 'crs = "EPSG:27700"', 'x = "x"', 'y = "y"',
            'date = "month"', 'category = "category"']


def hotspot_run(binary, config, out_dir):
    shutil.rmtree(out_dir, ignore_errors=True)
    return timed([binary, "run", "--config", str(config)])


def prepare(work, binary):
    """LSOAs as one GeoPackage in EPSG:27700; the accepted points as hotspot
    projects them (GeoPackage, in-force subset, and a CSV)."""
    from osgeo import gdal, ogr

    gdal.UseExceptions()
    lsoa = work / "lsoa.gpkg"
    if not lsoa.exists():
        for f in sorted((DATA / "boundaries" / "lsoa2011").glob("*.json")):
            gdal.VectorTranslate(str(lsoa), str(f), format="GPKG", accessMode="append", dstSRS="EPSG:27700",
                                 layerName="lsoa", geometryType="PROMOTE_TO_MULTI")
    points = work / "points" / "hotspot.gpkg"
    if not points.exists():
        cfg = work / "points.toml"
        write_config(cfg, work / "points", police_uk_source(), areas=lsoa)
        text = cfg.read_text().replace("incidents = false\n", "")
        cfg.write_text(text)
        hotspot_run(binary, cfg, work / "points")
    in_force = work / "in_force.gpkg"
    csv = work / "in_force.csv"
    if not csv.exists():
        gdal.VectorTranslate(str(in_force), str(points), format="GPKG", layers=["incidents"], where=IN_FORCE,
                             layerName="points")
        ds = ogr.Open(str(in_force))
        with open(csv, "w") as out:
            out.write("x,y,month,category\n")
            for f in ds.GetLayer(0):
                x, y = f.GetGeometryRef().GetPoint_2D()
                out.write(f"{x!r},{y!r},{f.GetField('month')},\"{f.GetField('category')}\"\n")
    return lsoa, points, in_force, csv


def raster(path):
    from osgeo import gdal
    import numpy as np

    ds = gdal.Open(str(path))
    b = ds.GetRasterBand(1)
    a = b.ReadAsArray().astype(np.float64)
    nd = b.GetNoDataValue()
    if nd is not None and not np.isnan(nd):
        a[a == nd] = 0.0
    return ds.GetGeoTransform(), a


def med(xs):
    return statistics.median(xs)


def report(job, rows, base="hotspot"):
    """rows: {tool: [(wall, rss, cpu), ...]}; prints medians and ratios."""
    print(f"\n== {job}: medians of {len(next(iter(rows.values())))} runs (wall s, CPU s, peak RSS MB)")
    h = med([r[0] for r in rows[base]])
    h_cpu = med([r[2] for r in rows[base]])
    for tool, runs in rows.items():
        wall, cpu, rss = med([r[0] for r in runs]), med([r[2] for r in runs]), med([r[1] for r in runs])
        ratio = "" if tool == base else f"   {wall / h:.1f}x hotspot's wall time, {cpu / h_cpu:.1f}x its CPU"
        spread = f"(runs {min(r[0] for r in runs):.2f}-{max(r[0] for r in runs):.2f})"
        print(f"  {tool:28s} {wall:8.2f} s {spread:20s} cpu {cpu:7.2f} s  rss {rss:7.0f} MB{ratio}")


def job_heatmap(args, work, csv, in_force):
    import numpy as np

    rows = {"hotspot": [], "qgis_process": []}
    qgis = have("qgis_process.bin")
    if not qgis:
        print("heatmap: qgis_process.bin not installed (Debian qgis): QGIS skipped")
        del rows["qgis_process"]
    q_tif = work / "qgis_heat.tif"
    params = {"INPUT": str(in_force), "RADIUS": 500, "PIXEL_SIZE": 25, "KERNEL": 0, "DECAY": 0,
              "OUTPUT_VALUE": 0, "OUTPUT": str(q_tif)}
    # The grid: QGIS's own (its extent is the points' extent + R, cells from
    # the west and north edges); hotspot is given the same extent.
    if qgis:
        rows["qgis_process"].append(timed(qgis_cmd("qgis:heatmapkerneldensityestimation", params), qgis_env())[:3])
        gt, qa = raster(q_tif)
        ny, nx = qa.shape
        extent = [gt[0], gt[3] - ny * 25.0, gt[0] + nx * 25.0, gt[3]]
    else:
        extent = None
    kde = {"radius": 500.0, "cell": 25.0, "units": "raw", "mode": "exact", "gistar": False}
    if extent:
        kde["extent"] = extent
    cfg = work / "heat.toml"
    write_config(cfg, work / "heat", csv_source(csv), kde=kde)
    # QGIS's first run (above) fixed the grid; the runs alternate from here.
    for i in range(args.runs):
        rows["hotspot"].append(hotspot_run(args.hotspot, cfg, work / "heat")[:3])
        if qgis and i + 1 < args.runs:
            rows["qgis_process"].append(timed(qgis_cmd("qgis:heatmapkerneldensityestimation", params), qgis_env())[:3])
    spat = job_spatstat(args, work, csv, extent) if extent else None
    if spat:
        rows["spatstat density.ppp"] = spat[0]
    report("heat map, Leicestershire, 41,492 points, quartic R 500 m, 25 m cells, raw", rows)
    hgt, ha = raster(work / "heat" / "kde" / "all.tif")
    if qgis:
        gt, qa = raster(q_tif)
        same_grid = ha.shape == qa.shape and all(abs(a - b) < 1e-6 for a, b in zip(hgt, gt))
        d = np.abs(ha - qa)
        print(f"  agreement with QGIS: same grid {same_grid} ({ha.shape[1]} x {ha.shape[0]}); max abs diff "
              f"{d.max():.4g} ({d.max() / qa.max():.2%} of QGIS's peak {qa.max():.6g}); sums {ha.sum():.10g} vs "
              f"{qa.sum():.10g}. QGIS 3.22 mirrors y inside each kernel (README, bench/compare_qgis.py): "
              f"the exact KDE differs from it by this much; bench/compare_qgis.sh re-computes both")
    if spat:
        sa = spat[1]
        d = np.abs(ha - sa)
        print(f"  agreement with spatstat: max abs diff {d.max():.4g} ({d.max() / ha.max():.2%} of the peak)")


def job_spatstat(args, work, csv, extent):
    if not have("Rscript"):
        print("heatmap: Rscript not installed: spatstat skipped (Debian r-cran-spatstat)")
        return None
    ok = subprocess.run(["Rscript", "-e", "suppressMessages(library(spatstat))"], capture_output=True).returncode == 0
    if not ok:
        print("heatmap: R has no spatstat: spatstat skipped (Debian r-cran-spatstat)")
        return None
    xmin, ymin, xmax, ymax = extent
    nx, ny = round((xmax - xmin) / 25), round((ymax - ymin) / 25)
    out = work / "spatstat.csv"
    # Run on 2026-12-07 (bench/RESULTS.md, round 2): max abs diff 0.60% of the
    # peak from hotspot's exact surface, so the scaling below holds (spatstat
    # convolves on its pixel grid, so points snap to cell centres: differences
    # of that order are expected). The isotropic quartic with support
    # R has E[r^2] = R^2 / 4, so a standard deviation of R / sqrt(8) in each
    # coordinate, taken as spatstat's sigma; its peak is 3 / (pi R^2), so
    # density x pi R^2 / 3 gives the raw sum of kernels (peak 1 per point).
    code = f"""
suppressMessages(library(spatstat))
p <- read.csv("{csv}")
w <- owin(c({xmin!r}, {xmax!r}), c({ymin!r}, {ymax!r}))
X <- ppp(p$x, p$y, window = w, check = FALSE)
R <- 500
d <- density.ppp(X, sigma = R / sqrt(8), kernel = "quartic", edge = FALSE, dimyx = c({ny}, {nx}))
# raw quartic (peak 1 per point): spatstat's quartic integrates to 1 with peak 3 / (pi R^2)
v <- d$v * pi * R^2 / 3
write.table(v[nrow(v):1, ], "{out}", sep = ",", row.names = FALSE, col.names = FALSE)
"""
    script = work / "spatstat.R"
    script.write_text(code)
    runs = [timed(["Rscript", str(script)])[:3] for _ in range(max(1, min(args.runs, 3)))]
    import numpy as np

    return runs, np.loadtxt(out, delimiter=",")


def counts_by_code(path, layer, code_field, count_field):
    from osgeo import ogr

    ds = ogr.Open(str(path))
    lay = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    return {f.GetField(code_field): int(f.GetField(count_field) or 0) for f in lay}


GEOPANDAS_JOIN = """
import sys
import geopandas as gpd
pts = gpd.read_file(sys.argv[1], layer="incidents")
lsoa = gpd.read_file(sys.argv[2])
j = gpd.sjoin(pts[["geometry"]], lsoa[["LSOA11CD", "geometry"]], predicate="within")
lsoa["n_all"] = lsoa["LSOA11CD"].map(j.groupby("LSOA11CD").size()).fillna(0).astype("int64")
lsoa.to_file(sys.argv[3], driver="GPKG")
"""


def job_join(args, work, lsoa, points):
    rows = {"hotspot": []}
    qgis = have("qgis_process.bin")
    try:
        subprocess.run(["/usr/bin/python3", "-c", "import geopandas"], check=True, capture_output=True)
        gpd = True
    except subprocess.CalledProcessError:
        gpd = False
        print("join: geopandas not installed (Debian python3-geopandas; bench/peers.sh --install): skipped")
    if qgis:
        rows["qgis_process countpointsinpolygon"] = []
    else:
        print("join: qgis_process.bin not installed: QGIS skipped")
    if gpd:
        rows["geopandas sjoin"] = []
        (work / "gpd_join.py").write_text(GEOPANDAS_JOIN)
    cfg = work / "join.toml"
    write_config(cfg, work / "join", police_uk_source(), areas=lsoa)
    q_out = work / "qgis_counts.gpkg"
    g_out = work / "gpd_counts.gpkg"
    for _ in range(args.runs):
        rows["hotspot"].append(hotspot_run(args.hotspot, cfg, work / "join")[:3])
        if qgis:
            q_out.unlink(missing_ok=True)
            params = {"POLYGONS": str(lsoa), "POINTS": f"{points}|layername=incidents", "FIELD": "NUMPOINTS",
                      "OUTPUT": str(q_out)}
            rows["qgis_process countpointsinpolygon"].append(
                timed(qgis_cmd("native:countpointsinpolygon", params), qgis_env())[:3])
        if gpd:
            g_out.unlink(missing_ok=True)
            rows["geopandas sjoin"].append(
                timed(["/usr/bin/python3", str(work / "gpd_join.py"), str(points), str(lsoa), str(g_out)])[:3])
    report("join + count, Leicestershire police.uk rows -> 611 LSOAs", rows)
    ours = counts_by_code(work / "join" / "hotspot.gpkg", "lsoa", "code", "n_all")
    print(f"  hotspot: {sum(ours.values())} incidents counted in {len(ours)} LSOAs")
    for name, path, field in (("QGIS", q_out, "NUMPOINTS"), ("geopandas", g_out, "n_all")):
        if not path.exists():
            continue
        theirs = counts_by_code(path, None, "LSOA11CD", field)
        differ = sorted(c for c in ours if ours[c] != theirs.get(c))
        print(f"  {name}: {sum(theirs.values())} in {len(theirs)} LSOAs; LSOAs whose count differs from hotspot's: "
              f"{len(differ)}" + (f" (e.g. {differ[0]}: {ours[differ[0]]} vs {theirs.get(differ[0])})" if differ else ""))


def job_national(args, work):
    if not args.national_points or not Path(args.national_points).is_file():
        print("\nnational: skipped (give --national-points CSV, made by bench/make_points.py --n 6000000)")
        return
    rows = {"hotspot": []}
    cfg = work / "national.toml"
    write_config(cfg, work / "national", csv_source(args.national_points), kde={"radius": 2000.0, "cell": 100.0})
    for _ in range(args.runs):
        wall, rss, cpu, out = hotspot_run(args.hotspot, cfg, work / "national")
        rows["hotspot"].append((wall, rss, cpu))
    report(f"national heat map, {args.national_points}, quartic R 2 km, 100 m cells, Gi*", rows)
    print("  " + "\n  ".join(ln for ln in out.splitlines() if ln.startswith(("heat map", "hotspot run"))))
    if args.national_qgis and have("qgis_process.bin"):
        params = {"INPUT": f"delimitedtext://file://{args.national_points}?type=csv&xField=x&yField=y&crs=EPSG:27700",
                  "RADIUS": 2000, "PIXEL_SIZE": 100, "KERNEL": 0, "DECAY": 0, "OUTPUT_VALUE": 0,
                  "OUTPUT": str(work / "qgis_national.tif")}
        wall, rss, cpu, _ = timed(qgis_cmd("qgis:heatmapkerneldensityestimation", params), qgis_env())
        print(f"  qgis_process heat map (raw, no Gi*): {wall:.1f} s, rss {rss:.0f} MB")
    else:
        print("  QGIS not run on the national job (minutes; --national-qgis runs it)")


def main():
    args = parse_args()
    if not Path(args.hotspot).is_file():
        sys.exit(f"peers: no hotspot binary at {args.hotspot}")
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="hotspot_peers_"))
    work.mkdir(parents=True, exist_ok=True)
    jobs = set(args.jobs.split(","))
    try:
        print(f"hotspot {args.hotspot}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; "
              f"work folder {work}")
        lsoa, points, in_force, csv = prepare(work, args.hotspot)
        # Process start-up alone (loading GDAL, PROJ, GEOS and their ~120
        # shared libraries), a floor under every hotspot figure below.
        starts = [timed([args.hotspot, "--version"]) for _ in range(3)]
        print(f"hotspot --version (start-up only): {med([t[0] for t in starts]):.3f} s wall, "
              f"{med([t[2] for t in starts]):.3f} s CPU, {med([t[1] for t in starts]):.0f} MB")
        if "heatmap" in jobs:
            job_heatmap(args, work, csv, in_force)
        if "join" in jobs:
            job_join(args, work, lsoa, points)
        if "national" in jobs:
            job_national(args, work)
        print(f"\nload average at the end {os.getloadavg()[0]:.1f} (other work on the machine slows every tool)")
    finally:
        if args.workdir or args.keep:
            print(f"outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
