"""Builds maps/pack.qgs: a QGIS project over a styled demo pack, relative paths.

usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 gen_project.py PACK_DIR MAPS_DIR
(PACK_DIR: `hotspot run -c data/demo.toml` output with the styles applied.)
"""
import os
import shutil
import sys

from qgis.core import (Qgis, QgsApplication, QgsCoordinateReferenceSystem, QgsProject, QgsRasterLayer,
                       QgsVectorLayer)
from qgis.PyQt.QtXml import QDomDocument

PACK, MAPS = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
app = QgsApplication([], False)
app.initQgis()

project = QgsProject.instance()
project.clear()
project.setFileName(os.path.join(PACK, "project.qgs"))
project.setTitle("hotspot pack")
project.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
project.setFilePathStorage(Qgis.FilePathType.Relative)
project.writeEntryBool("Paths", "/Absolute", False)
root = project.layerTreeRoot()


def vector(name):
    lyr = QgsVectorLayer(f"{PACK}/hotspot.gpkg|layername={name}", name, "ogr")
    assert lyr.isValid(), name
    return lyr


def raster(name):
    lyr = QgsRasterLayer(f"{PACK}/kde/{name}.tif", name, "gdal")
    assert lyr.isValid(), name
    return lyr


def group(title, layers, expanded=True):
    g = root.addGroup(title)
    for lyr, visible in layers:
        project.addMapLayer(lyr, False)
        node = g.addLayer(lyr)
        node.setItemVisibilityChecked(visible)
        node.setExpanded(False)
    g.setExpanded(expanded)
    return g


beat = vector("beat")
# From the file itself: loadNamedStyle() would prefer the GeoPackage's default.
doc = QDomDocument()
with open(os.path.join(MAPS, "boundaries.qml"), encoding="utf-8") as f:
    assert doc.setContent(f.read())[0]
ok, err = beat.importNamedStyle(doc)
assert ok, err
assert beat.renderer().type() == "singleSymbol"
beat.setName("beat (boundaries)")

# Top of the tree draws on top: hotspots, points, boundaries, then heat maps.
group("Hotspot areas", [(vector("hotspots_all"), True), (vector("hotspots_burglary"), False),
                        (vector("hotspots_asb_latest_month"), False)])
group("Points", [(vector("repeat_locations"), True), (vector("incidents"), False),
                 (vector("recorded_disagreements"), False)])
group("Areas", [(beat, True), (vector("ward"), False), (vector("lsoa"), False)])
group("Heat maps (per km2)", [(raster("all"), True), (raster("burglary"), False),
                              (raster("asb_latest_month"), False)])
group("Gi* hot and cold cells", [(raster("all_gistar"), False), (raster("burglary_gistar"), False),
                                 (raster("asb_latest_month_gistar"), False)], expanded=False)

assert project.write(), project.error()
out = os.path.join(MAPS, "pack.qgs")
shutil.copyfile(project.fileName(), out)
print("wrote", out)
app.exitQgis()
