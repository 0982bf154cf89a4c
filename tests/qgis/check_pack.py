#!/usr/bin/python3
"""Opens a hotspot pack in real QGIS (headless) and checks it is usable.

usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 check_pack.py PACK_DIR [--project FILE] [--no-styles]

- every table in PACK_DIR/hotspot.gpkg opens as a valid QgsVectorLayer;
- every spatial layer has a default style in layer_styles and QGIS applied
  it (the layer's renderer equals the stored QML's renderer; --no-styles
  skips this for unstyled packs);
- every PACK_DIR/kde/*.tif and change/*.tif opens as a valid QgsRasterLayer styled by its
  .qml sidecar (singlebandpseudocolor, the sidecar's maximum);
- every non-empty spatial layer and raster renders to
  PACK_DIR/qgis_check/<layer>.png with some non-background pixels;
- the project (PACK_DIR/project.qgs, or --project) opens with every layer
  valid, its change rasters (change/*.tif) styled as their sidecars say
  (singlebandpseudocolor with the sidecar's range), and its visible layers
  render to qgis_check/project.png.
Prints "qgis-check: N layers valid, N styled, N rendered"; exits 1 on any
failure, 2 on bad usage.
"""
import argparse
import glob
import os
import sqlite3
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["GDAL_PAM_ENABLED"] = "NO"  # no .aux.xml statistics left beside the pack's rasters

from qgis.core import (  # noqa: E402  (needs QT_QPA_PLATFORM first)
    QgsApplication, QgsFeatureRenderer, QgsMapRendererSequentialJob, QgsMapSettings, QgsProject,
    QgsRasterBandStats, QgsRasterLayer, QgsReadWriteContext, QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor, QImage  # noqa: E402
from qgis.PyQt.QtXml import QDomDocument  # noqa: E402

BACKGROUND = QColor(255, 255, 255)
SIZE = QSize(800, 600)


class Check:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.failures = []
        self.valid = self.styled = self.rendered = 0

    def fail(self, what):
        self.failures.append(what)
        print("FAIL", what)

    def note(self, what):
        print("  ", what)


def gpkg_tables(gpkg):
    """(table, geometry column or None) for every table in gpkg_contents."""
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT c.table_name, g.column_name FROM gpkg_contents c "
                           "LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name "
                           "ORDER BY c.table_name").fetchall()
        styles = {}
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'layer_styles'").fetchone():
            # The row QGIS picks (QgsOgrProviderMetadata::loadStyle): the
            # default, else the newest.
            for table, geom, qml in con.execute(
                    "SELECT f_table_name, f_geometry_column, styleQML FROM layer_styles "
                    "WHERE f_table_schema = '' ORDER BY useAsDefault, update_time"):
                styles[(table, geom)] = qml
        return rows, styles
    finally:
        con.close()


def renderer_from_qml(qml):
    doc = QDomDocument()
    ok = doc.setContent(qml)
    if isinstance(ok, tuple):
        ok = ok[0]
    if not ok:
        return None
    elem = doc.documentElement().firstChildElement("renderer-v2")
    return QgsFeatureRenderer.load(elem, QgsReadWriteContext()) if not elem.isNull() else None


def non_background(image):
    """Number of pixels that differ from the background colour."""
    image = image.convertToFormat(QImage.Format_ARGB32)
    bg = BACKGROUND.rgba()
    try:
        import numpy as np
        ptr = image.constBits()
        ptr.setsize(image.sizeInBytes())
        px = np.frombuffer(ptr, dtype=np.uint32).reshape(image.height(), image.bytesPerLine() // 4)
        return int(np.count_nonzero(px[:, :image.width()] != bg))
    except ImportError:
        return sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
                   if image.pixel(x, y) != bg)


def render(check, layers, extent, crs, name):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(crs)
    settings.setOutputSize(SIZE)
    settings.setOutputDpi(96)
    settings.setBackgroundColor(BACKGROUND)
    settings.setExtent(extent.buffered(max(extent.width(), extent.height()) * 0.03 + 1))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    path = os.path.join(check.out_dir, name + ".png")
    image.save(path)
    errors = ["%s: %s" % (e.layerID, e.message) for e in job.errors()]
    drawn = non_background(image)
    if errors:
        check.fail(f"{name}: render errors: {errors}")
    elif drawn == 0:
        check.fail(f"{name}: rendered image is blank ({path})")
    else:
        check.rendered += 1
        check.note(f"{name}: rendered {drawn} non-background pixels -> {path}")


def check_vectors(check, pack, require_styles):
    gpkg = os.path.join(pack, "hotspot.gpkg")
    if not os.path.exists(gpkg):
        check.fail(f"{gpkg}: missing")
        return
    tables, styles = gpkg_tables(gpkg)
    if require_styles and not styles:
        check.fail(f"{gpkg}: no layer_styles table (or no rows in it)")
    for table, geom in tables:
        layer = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
        if not layer.isValid():
            check.fail(f"{table}: QGIS says the layer is not valid")
            continue
        check.valid += 1
        if not geom:
            check.note(f"{table}: valid (table, {layer.featureCount()} rows)")
            continue
        qml = styles.get((table, geom))
        if qml is None:
            if require_styles:
                check.fail(f"{table}: no default style in layer_styles")
        else:
            expected = renderer_from_qml(qml)
            got = layer.renderer()
            if expected is None:
                check.fail(f"{table}: the stored style has no readable renderer")
            elif got is None or got.dump() != expected.dump():
                check.fail(f"{table}: QGIS did not apply the stored style "
                           f"(renderer {got.type() if got else None}, expected {expected.type()})")
            else:
                check.styled += 1
                check.note(f"{table}: styled {got.type()}"
                           + (f" on {got.classAttribute()}" if hasattr(got, "classAttribute") else "")
                           + (", labels on" if layer.labelsEnabled() else ""))
        if layer.featureCount() == 0:
            check.note(f"{table}: empty, not rendered")
            continue
        render(check, [layer], layer.extent(), layer.crs(), table)


def check_rasters(check, pack, require_styles):
    # kde/: heat maps and Gi*; change/: change surfaces (difference, log ratio, p).
    tifs = sorted(glob.glob(os.path.join(pack, "kde", "*.tif"))) + sorted(glob.glob(os.path.join(pack, "change", "*.tif")))
    for tif in tifs:
        folder = os.path.basename(os.path.dirname(tif))
        name = os.path.splitext(os.path.basename(tif))[0]
        layer = QgsRasterLayer(tif, name, "gdal")
        if not layer.isValid():
            check.fail(f"{folder}/{name}.tif: QGIS says the raster is not valid")
            continue
        check.valid += 1
        sidecar = os.path.splitext(tif)[0] + ".qml"
        ren = layer.renderer()
        if os.path.exists(sidecar):
            if ren.type() != "singlebandpseudocolor":
                check.fail(f"{folder}/{name}.tif: renderer {ren.type()}, expected singlebandpseudocolor from {sidecar}")
            else:
                check.styled += 1
                check.note(f"{folder}/{name}.tif: styled {ren.type()} band {ren.band()}, "
                           f"{ren.classificationMin():g} .. {ren.classificationMax():g}")
        elif require_styles:
            check.fail(f"{folder}/{name}.tif: no sidecar {os.path.basename(sidecar)}")
        band = ren.band() if hasattr(ren, "band") else 1
        stats = layer.dataProvider().bandStatistics(band, QgsRasterBandStats.Min | QgsRasterBandStats.Max)
        if stats.minimumValue == 0 and stats.maximumValue == 0:
            # Both raster styles draw 0 transparent: no density, or no
            # significant Gi* cell, leaves nothing to see.
            check.note(f"{folder}/{name}.tif: band {band} is all 0, nothing to draw, not rendered")
            continue
        render(check, [layer], layer.extent(), layer.crs(), folder + "_" + name)


def check_project(check, path):
    project = QgsProject.instance()
    if not project.read(path):
        check.fail(f"{path}: QGIS cannot read the project: {project.error()}")
        return
    layers = list(project.mapLayers().values())
    bad = [lyr.name() for lyr in layers if not lyr.isValid()]
    if bad:
        check.fail(f"{path}: invalid layers {bad} (sources: "
                   f"{[lyr.source() for lyr in layers if not lyr.isValid()]})")
    else:
        check.note(f"{path}: all {len(layers)} layers valid")
    check.valid += len(layers) - len(bad)
    # The change surfaces: styled in the project itself, as their sidecars.
    for lyr in layers:
        src = lyr.source().replace("\\", "/")
        if "/change/" not in src or not src.endswith(".tif") or not lyr.isValid():
            continue
        ren = lyr.renderer()
        sidecar = QgsRasterLayer(src, "sidecar", "gdal")  # loads <name>.qml by itself
        want = sidecar.renderer()
        if ren.type() != "singlebandpseudocolor":
            check.fail(f"{path}: change layer {lyr.name()} has renderer {ren.type()}, not singlebandpseudocolor")
        elif (want.type() == "singlebandpseudocolor"
              and (ren.classificationMin(), ren.classificationMax()) != (want.classificationMin(), want.classificationMax())):
            check.fail(f"{path}: change layer {lyr.name()} ranges {ren.classificationMin():g} .. "
                       f"{ren.classificationMax():g}, its sidecar {want.classificationMin():g} .. {want.classificationMax():g}")
        else:
            check.styled += 1
            check.note(f"{path}: change layer {lyr.name()} styled {ren.type()}, "
                       f"{ren.classificationMin():g} .. {ren.classificationMax():g}")
    # The OpenStreetMap basemap (an online XYZ layer) is checked for validity
    # above but not drawn: CI has no network, and its extent is the world.
    visible = [lyr for lyr in project.layerTreeRoot().checkedLayers()
               if lyr.isValid() and lyr.providerType() != "wms"]
    order = [lyr for lyr in project.layerTreeRoot().layerOrder() if lyr in visible]
    if not order:
        check.fail(f"{path}: no visible layers")
        return
    crs = project.crs()
    extent = QgsRectangle()
    extent.setMinimal()
    for lyr in order:
        settings = QgsMapSettings()
        settings.setDestinationCrs(crs)
        extent.combineExtentWith(settings.layerExtentToOutputExtent(lyr, lyr.extent()))
    render(check, order, extent, crs, "project")
    project.clear()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pack")
    ap.add_argument("--project", help="QGIS project to check (default: PACK/project.qgs if present)")
    ap.add_argument("--no-styles", action="store_true", help="do not require styles")
    args = ap.parse_args()
    if not os.path.isdir(args.pack):
        print(f"check_pack: {args.pack}: not a directory", file=sys.stderr)
        return 2
    out_dir = os.path.join(args.pack, "qgis_check")
    os.makedirs(out_dir, exist_ok=True)
    app = QgsApplication([], False)
    app.initQgis()
    print(f"QGIS {__import__('qgis.core').core.Qgis.QGIS_VERSION} checking {args.pack}")
    check = Check(out_dir)
    check_vectors(check, args.pack, not args.no_styles)
    check_rasters(check, args.pack, not args.no_styles)
    project = args.project or os.path.join(args.pack, "project.qgs")
    if os.path.exists(project):
        check_project(check, project)
    elif args.project:
        check.fail(f"{project}: missing")
    app.exitQgis()
    print(f"qgis-check: {check.valid} layers valid, {check.styled} styled, {check.rendered} rendered, "
          f"{len(check.failures)} failures")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
