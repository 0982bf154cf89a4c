"""Generates maps/*.qml with QGIS's own API against a demo pack.

usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 gen_styles.py PACK_DIR MAPS_DIR
"""
import os
import sys

from qgis.core import (
    QgsApplication, QgsVectorLayer, QgsRasterLayer, QgsMapLayer, QgsReadWriteContext,
    QgsFillSymbol, QgsMarkerSymbol, QgsRendererCategory, QgsRendererRange, QgsCategorizedSymbolRenderer,
    QgsGraduatedSymbolRenderer, QgsClassificationQuantile, QgsColorBrewerColorRamp,
    QgsSingleSymbolRenderer, QgsPalLayerSettings, QgsTextFormat, QgsTextBufferSettings,
    QgsVectorLayerSimpleLabeling, QgsColorRampShader, QgsRasterShader, QgsGradientColorRamp, QgsGradientStop,
    QgsSingleBandPseudoColorRenderer, QgsRasterMinMaxOrigin)
from qgis.PyQt.QtGui import QColor, QFont
from qgis.PyQt.QtXml import QDomDocument

PACK, MAPS = sys.argv[1], sys.argv[2]
app = QgsApplication([], False)
app.initQgis()

VEC_CATS = QgsMapLayer.Symbology | QgsMapLayer.Labeling | QgsMapLayer.Rendering
RAS_CATS = QgsMapLayer.Symbology | QgsMapLayer.Rendering


def save(layer, name, cats):
    doc = QDomDocument("qgis")
    err = layer.exportNamedStyle(doc, QgsReadWriteContext(), cats)
    assert not err, err
    path = os.path.join(MAPS, name + ".qml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc.toString(2))
    print("wrote", path)


def vlayer(name):
    lyr = QgsVectorLayer(f"{PACK}/hotspot.gpkg|layername={name}", name, "ogr")
    assert lyr.isValid(), name
    return lyr


def fill(rgba, outline="150,150,150,255", width="0.15"):
    return QgsFillSymbol.createSimple({"color": rgba, "outline_color": outline,
                                       "outline_width": width, "outline_width_unit": "MM",
                                       "outline_style": "solid", "style": "solid"})


def text_format(size, bold=False):
    tf = QgsTextFormat()
    font = QFont("Sans Serif", int(size))
    font.setBold(bold)
    tf.setFont(font)
    tf.setSize(size)
    tf.setColor(QColor(30, 30, 30))
    buf = QgsTextBufferSettings()
    buf.setEnabled(True)
    buf.setSize(0.8)
    buf.setColor(QColor(255, 255, 255))
    tf.setBuffer(buf)
    return tf


def labels(layer, expression, size, bold, enabled):
    s = QgsPalLayerSettings()
    s.fieldName = expression
    s.isExpression = True
    s.placement = QgsPalLayerSettings.OverPoint
    s.setFormat(text_format(size, bold))
    s.enabled = True
    layer.setLabeling(QgsVectorLayerSimpleLabeling(s))
    layer.setLabelsEnabled(enabled)


# significance.qml: the O/E significance class, RdBu 7 (ColorBrewer) + greys.
SIGNIFICANCE = [
    ("significantly higher (99.8%)", "178,24,43,255"),
    ("significantly higher (95%)", "239,138,98,255"),
    ("above average", "253,219,199,255"),
    ("average", "247,247,247,255"),
    ("below average", "209,229,240,255"),
    ("significantly lower (95%)", "103,169,207,255"),
    ("significantly lower (99.8%)", "33,102,172,255"),
    ("not applicable", "204,204,204,255"),
    ("withheld (small count)", "160,160,160,255"),
]
lsoa = vlayer("lsoa")
cats = [QgsRendererCategory(v, fill(c), v) for v, c in SIGNIFICANCE]
lsoa.setRenderer(QgsCategorizedSymbolRenderer("significance", cats))
lsoa.setLabelsEnabled(False)
save(lsoa, "significance", VEC_CATS)

# gistar.qml: Gi* bin -3..3, the ArcGIS Pro "Hot Spot Analysis" colours.
GISTAR = [
    (3, "Hot spot - 99% confidence", "214,47,39,255"),
    (2, "Hot spot - 95% confidence", "237,117,81,255"),
    (1, "Hot spot - 90% confidence", "250,185,132,255"),
    (0, "Not significant", "255,255,191,255"),
    (-1, "Cold spot - 90% confidence", "192,204,190,255"),
    (-2, "Cold spot - 95% confidence", "132,158,186,255"),
    (-3, "Cold spot - 99% confidence", "69,117,181,255"),
]
lsoa = vlayer("lsoa")
cats = [QgsRendererCategory(v, fill(c), lab) for v, lab, c in GISTAR]
lsoa.setRenderer(QgsCategorizedSymbolRenderer("gi_bin", cats))
lsoa.setLabelsEnabled(False)
save(lsoa, "gistar", VEC_CATS)

# counts.qml: quantile quintiles of the current period's All crime. The
# engine recomputes the five breaks for each layer it is applied to.
lsoa = vlayer("lsoa")
r = QgsGraduatedSymbolRenderer("cur_all_crime")
r.setSourceSymbol(fill("255,255,255,255"))
method = QgsClassificationQuantile()
method.setLabelFormat("%1 - %2")
method.setLabelPrecision(0)
method.setLabelTrimTrailingZeroes(True)
r.setClassificationMethod(method)
ramp = QgsColorBrewerColorRamp("OrRd", 5)
r.setSourceColorRamp(ramp)
r.updateClasses(lsoa, 5)
r.updateColorRamp(ramp)
lsoa.setRenderer(r)
labels(lsoa, '"name"', 8, False, False)
save(lsoa, "counts", VEC_CATS)

# boundaries.qml: outline only, labelled by name (for the project's top layer).
ward = vlayer("ward")
sym = QgsFillSymbol.createSimple({"color": "0,0,0,0", "style": "no", "outline_color": "60,60,60,255",
                                  "outline_width": "0.4", "outline_width_unit": "MM"})
ward.setRenderer(QgsSingleSymbolRenderer(sym))
labels(ward, 'if(length("name") > 24, "code", coalesce("name", "code"))', 8, False, True)
save(ward, "boundaries", VEC_CATS)

# hotspots.qml: translucent red with a bold dark red outline, labelled by rank.
hot = vlayer("hotspots_all")
sym = fill("215,25,28,70", "128,0,38,255", "0.8")
hot.setRenderer(QgsSingleSymbolRenderer(sym))
labels(hot, "'#' || \"rank\"", 10, True, True)
save(hot, "hotspots", VEC_CATS)

# points.qml: small dark dots.
inc = vlayer("incidents")
sym = QgsMarkerSymbol.createSimple({"name": "circle", "color": "40,40,40,200", "size": "1.2",
                                    "size_unit": "MM", "outline_color": "255,255,255,160",
                                    "outline_width": "0.1", "outline_width_unit": "MM"})
inc.setRenderer(QgsSingleSymbolRenderer(sym))
inc.setLabelsEnabled(False)
save(inc, "points", VEC_CATS)

# heatmap.qml: YlOrRd from transparent at 0 to dark red at the template's
# maximum; the engine rescales every stop to each raster (write_raster_styles).
TEMPLATE_MAX = 350.0  # the demo's top-1% threshold for "all" (per km2)
STOPS = [  # (fraction of max, RGBA)
    (0.0, (255, 255, 178, 0)),
    (0.1, (255, 255, 178, 170)),
    (0.25, (254, 204, 92, 215)),
    (0.5, (253, 141, 60, 235)),
    (0.75, (227, 26, 28, 245)),
    (1.0, (128, 0, 38, 255)),
]
ras = QgsRasterLayer(f"{PACK}/kde/all.tif", "all")
assert ras.isValid()
items = []
for frac, rgba in STOPS:
    v = frac * TEMPLATE_MAX
    items.append(QgsColorRampShader.ColorRampItem(v, QColor(*rgba), f"{v:g}"))
# The source ramp carries the same stops, so "Classify" in QGIS rebuilds this ramp.
source = QgsGradientColorRamp(QColor(*STOPS[0][1]), QColor(*STOPS[-1][1]), False,
                              [QgsGradientStop(f, QColor(*c)) for f, c in STOPS[1:-1]])
shader = QgsColorRampShader(0.0, TEMPLATE_MAX, source, QgsColorRampShader.Interpolated,
                            QgsColorRampShader.Continuous)
shader.setColorRampItemList(items)
shader.setClip(False)  # above max: the last colour (the hottest cells stay dark red)
rs = QgsRasterShader()
rs.setRasterShaderFunction(shader)
ren = QgsSingleBandPseudoColorRenderer(ras.dataProvider(), 1, rs)
ren.setClassificationMin(0.0)
ren.setClassificationMax(TEMPLATE_MAX)
origin = ren.minMaxOrigin()
origin.setLimits(QgsRasterMinMaxOrigin.None_)
ren.setMinMaxOrigin(origin)
ren.setNodataColor(QColor(0, 0, 0, 0))
ras.setRenderer(ren)
save(ras, "heatmap", RAS_CATS)

# gistar_raster.qml: band 3 of <surface>_gistar.tif (Gi* bin), exact values;
# 0 (not significant) transparent so the map below shows.
gras = QgsRasterLayer(f"{PACK}/kde/all_gistar.tif", "all_gistar")
assert gras.isValid()
items = []
for v, lab, c in sorted(GISTAR):
    rgba = [int(x) for x in c.split(",")]
    if v == 0:
        rgba[3] = 0
    items.append(QgsColorRampShader.ColorRampItem(float(v), QColor(*rgba), lab))
shader = QgsColorRampShader(-3.0, 3.0, None, QgsColorRampShader.Exact)
shader.setColorRampItemList(items)
rs = QgsRasterShader()
rs.setRasterShaderFunction(shader)
ren = QgsSingleBandPseudoColorRenderer(gras.dataProvider(), 3, rs)
ren.setClassificationMin(-3.0)
ren.setClassificationMax(3.0)
origin = ren.minMaxOrigin()
origin.setLimits(QgsRasterMinMaxOrigin.None_)
ren.setMinMaxOrigin(origin)
gras.setRenderer(ren)
save(gras, "gistar_raster", RAS_CATS)

app.exitQgis()

# change.qml: % variance of All crime (pctv_all_crime, a real number beside the
# published text), diverging: blues for falls, reds for rises, RdBu 7
# (ColorBrewer), fixed breaks so maps of different months read alike.
# Areas with no variance (x, n/a: withheld or nothing last time) are not filled.
beat = vlayer("beat")
CHANGE = [
    (-1e9, -50, "fall of 50% or more", "33,102,172,255"),
    (-50, -20, "fall of 20% to 50%", "103,169,207,255"),
    (-20, -5, "fall of 5% to 20%", "209,229,240,255"),
    (-5, 5, "within 5%", "247,247,247,255"),
    (5, 20, "rise of 5% to 20%", "253,219,199,255"),
    (20, 50, "rise of 20% to 50%", "239,138,98,255"),
    (50, 1e9, "rise of 50% or more", "178,24,43,255"),
]
r = QgsGraduatedSymbolRenderer("pctv_all_crime",
                               [QgsRendererRange(lo, hi, fill(c), lab) for lo, hi, lab, c in CHANGE])
beat.setRenderer(r)
labels(beat, '"code"', 8, False, True)
save(beat, "change", VEC_CATS)
