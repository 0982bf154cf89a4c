#!/usr/bin/python3
"""Opens a hotspot run's PostGIS layers in real QGIS (headless).

usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 check_postgis.py SCHEMA RUN_ID
(connection from PGHOST, PGPORT, PGDATABASE, PGUSER)

- every spatial table of SCHEMA (geometry_columns) opens through QGIS's
  PostgreSQL provider as a valid layer, filtered to run_id = RUN_ID, with
  the rows the database holds for that run;
- QGIS loads each layer's default style from public.layer_styles (its
  renderer is the stored QML's renderer type, not QGIS's default single
  symbol), and the layer renders with some non-background pixels.
Prints "qgis-postgis-check: N layers valid, N styled, N rendered"; exit 1 on
any failure.
"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsDataSourceUri, QgsMapRendererSequentialJob,  # noqa: E402
                       QgsMapSettings, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402
import re  # noqa: E402


def main():
    schema, run_id = sys.argv[1], sys.argv[2]
    app = QgsApplication([], False)
    app.initQgis()
    failures = []
    valid = styled = rendered = 0
    uri0 = QgsDataSourceUri()
    uri0.setConnection(os.environ["PGHOST"], os.environ.get("PGPORT", "5432"), os.environ["PGDATABASE"],
                       os.environ.get("PGUSER", ""), "")
    # The spatial tables and their stored default styles, read through QGIS too.
    meta = QgsVectorLayer(uri0.uri() + " table=\"public\".\"layer_styles\" sql=", "styles", "postgres")
    defaults = {}
    for f in meta.getFeatures():
        if f["f_table_schema"] == schema and f["useasdefault"]:
            m = re.search(r'<renderer-v2[^>]*type="([^"]+)"', str(f["styleqml"]))
            defaults[f["f_table_name"]] = m.group(1) if m else None
    tables = sorted(defaults)
    if len(tables) < 3:
        failures.append(f"only {len(tables)} default styles for schema {schema} in public.layer_styles")
    for t in tables:
        uri = QgsDataSourceUri(uri0.uri())
        uri.setDataSource(schema, t, "geom", f"run_id = '{run_id}'", "pk")
        layer = QgsVectorLayer(uri.uri(), t, "postgres")
        if not layer.isValid():
            failures.append(f"{t}: not valid ({layer.error().summary()})")
            continue
        valid += 1
        if layer.featureCount() <= 0 and t != "recorded_disagreements":
            failures.append(f"{t}: no rows for run {run_id}")
        renderer = layer.renderer().type() if layer.renderer() else None
        if renderer == defaults[t] and renderer != "singleSymbol" or (renderer == defaults[t] == "singleSymbol"):
            styled += 1
        else:
            failures.append(f"{t}: renderer {renderer}, stored default {defaults[t]} (style not loaded from the database)")
        if layer.featureCount() > 0:
            settings = QgsMapSettings()
            settings.setLayers([layer])
            settings.setExtent(layer.extent())
            settings.setOutputSize(QSize(400, 300))
            settings.setBackgroundColor(QColor(255, 255, 255))
            job = QgsMapRendererSequentialJob(settings)
            job.start()
            job.waitForFinished()
            img = job.renderedImage()
            painted = any(img.pixelColor(x, y) != QColor(255, 255, 255)
                          for x in range(0, 400, 5) for y in range(0, 300, 5))
            if painted:
                rendered += 1
            else:
                failures.append(f"{t}: rendered nothing")
    for f in failures:
        print("FAIL", f)
    print(f"qgis-postgis-check: {valid} layers valid, {styled} styled, {rendered} rendered")
    app.exitQgis()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
