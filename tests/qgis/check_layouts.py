#!/usr/bin/python3
"""Opens a pack's QGIS project in real QGIS (headless) and prints its layouts.

usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 check_layouts.py PROJECT [--atlas-pages N]

- the project has an A4 landscape layout with a map, a legend listing the
  project's visible layers, a scale bar and a north arrow linked to the map,
  and labels with the title, the period, the protective marking (RESTRICTED
  or PUBLIC) and the OS / police.uk attribution;
- that layout exports to a one-page PDF (beside the project, in qgis_check/)
  whose text (pdftotext) has the marking and the attribution;
- with --atlas-pages N: the project has an atlas layout over an area layer
  that exports to one PDF of N pages (pdfinfo), one per area, each page
  with the marking.
Prints "layout-check: ..."; exits 1 on any failure, 2 on bad usage.
"""
import argparse
import os
import re
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["GDAL_PAM_ENABLED"] = "NO"  # no .aux.xml files left beside the pack's rasters

from qgis.core import (  # noqa: E402  (needs QT_QPA_PLATFORM first)
    QgsApplication, QgsLayoutExporter, QgsLayoutItemLabel, QgsLayoutItemLegend, QgsLayoutItemMap,
    QgsLayoutItemPicture, QgsLayoutItemScaleBar, QgsProject)

ATTRIBUTION = re.compile(r"Contains OS data © Crown copyright and database right( \d{4})?; "
                         r"police\.uk data under the Open Government Licence v3\.0")

failures = []


def fail(what):
    failures.append(what)
    print("FAIL", what)


def pdf_pages(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    m = re.search(r"Pages:\s+(\d+)", out)
    return int(m.group(1)) if m else -1


def pdf_text(path, page=None):
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else []) + [path, "-"]
    return subprocess.run(args, capture_output=True, text=True).stdout


def items(layout, kind):
    return [i for i in layout.items() if isinstance(i, kind)]


def check_items(layout, project):
    name = layout.name()
    page = layout.pageCollection().page(0)
    size = page.pageSize()
    if layout.pageCollection().pageCount() != 1 or (round(size.width()), round(size.height())) != (297, 210):
        fail(f"{name}: not one A4 landscape page ({size.width()} x {size.height()} mm)")
    maps = items(layout, QgsLayoutItemMap)
    if len(maps) != 1:
        fail(f"{name}: {len(maps)} maps, expected 1")
        return None
    mp = maps[0]
    if mp.extent().isEmpty():
        fail(f"{name}: the map has an empty extent")
    legends = items(layout, QgsLayoutItemLegend)
    visible = [lyr.name() for lyr in project.layerTreeRoot().checkedLayers()]
    if not legends:
        fail(f"{name}: no legend")
    else:
        listed = [n.name() for n in legends[0].model().rootGroup().findLayers()]
        if not listed or any(layer is None for layer in
                             (n.layer() for n in legends[0].model().rootGroup().findLayers())):
            fail(f"{name}: the legend's layers do not resolve ({listed})")
        if sorted(listed) != sorted(visible):
            fail(f"{name}: legend lists {listed}, the project shows {visible}")
        if legends[0].linkedMap() is not mp:
            fail(f"{name}: the legend is not linked to the map")
    bars = items(layout, QgsLayoutItemScaleBar)
    if not bars or bars[0].linkedMap() is not mp:
        fail(f"{name}: no scale bar linked to the map")
    arrows = [p for p in items(layout, QgsLayoutItemPicture) if "NorthArrow" in p.picturePath()]
    if not arrows or arrows[0].linkedMap() is not mp or not os.path.exists(arrows[0].picturePath()):
        fail(f"{name}: no north arrow linked to the map "
             f"({[p.picturePath() for p in items(layout, QgsLayoutItemPicture)]})")
    texts = [lbl.text() for lbl in items(layout, QgsLayoutItemLabel)]
    marking = [t for t in texts if t in ("RESTRICTED", "PUBLIC")]
    if not marking:
        fail(f"{name}: no protective marking among the labels {texts}")
    if not any(ATTRIBUTION.fullmatch(t) for t in texts):
        fail(f"{name}: no OS / police.uk attribution among the labels {texts}")
    print(f"   {name}: map, legend ({len(visible)} layers), scale bar, north arrow, labels {texts}")
    return marking[0] if marking else "RESTRICTED"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("project")
    ap.add_argument("--atlas-pages", type=int, default=0, help="expect an atlas of this many pages")
    args = ap.parse_args()
    if not os.path.isfile(args.project):
        print(f"check_layouts: {args.project}: no such file", file=sys.stderr)
        return 2
    out_dir = os.path.join(os.path.dirname(os.path.abspath(args.project)), "qgis_check")
    os.makedirs(out_dir, exist_ok=True)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    if not project.read(args.project):
        fail(f"{args.project}: QGIS cannot read it: {project.error()}")
        return 1
    bad = [lyr.name() for lyr in project.mapLayers().values() if not lyr.isValid()]
    if bad:
        fail(f"{args.project}: invalid layers {bad}")
    layouts = project.layoutManager().printLayouts()
    plain = [lay for lay in layouts if not lay.atlas().enabled()]
    atlases = [lay for lay in layouts if lay.atlas().enabled()]
    if len(plain) != 1:
        fail(f"{args.project}: {len(plain)} A4 layouts, expected 1")
    for lay in plain:
        marking = check_items(lay, project)
        pdf = os.path.join(out_dir, "layout.pdf")
        result = QgsLayoutExporter(lay).exportToPdf(pdf, QgsLayoutExporter.PdfExportSettings())
        if result != QgsLayoutExporter.Success or pdf_pages(pdf) != 1:
            fail(f"{lay.name()}: PDF export failed ({result}, {pdf_pages(pdf)} pages)")
        else:
            text = " ".join(pdf_text(pdf).split())
            for want in (marking, "Contains OS data", "Open Government Licence v3.0"):
                if want not in text:
                    fail(f"{lay.name()}: the printed PDF has no '{want}'")
            print(f"   {lay.name()}: printed to {pdf}")
    if args.atlas_pages:
        if len(atlases) != 1:
            fail(f"{args.project}: {len(atlases)} atlas layouts, expected 1")
        for lay in atlases:
            marking = check_items(lay, project)
            atlas = lay.atlas()
            coverage = atlas.coverageLayer()
            if coverage is None or not coverage.isValid():
                fail(f"{lay.name()}: the atlas has no valid coverage layer")
                continue
            pdf = os.path.join(out_dir, "atlas.pdf")
            result, error = QgsLayoutExporter.exportToPdf(atlas, pdf, QgsLayoutExporter.PdfExportSettings())
            pages = pdf_pages(pdf)
            if result != QgsLayoutExporter.Success:
                fail(f"{lay.name()}: atlas export failed: {error}")
            elif pages != args.atlas_pages or pages != coverage.featureCount():
                fail(f"{lay.name()}: atlas PDF has {pages} pages; {coverage.name()} has "
                     f"{coverage.featureCount()} areas, expected {args.atlas_pages}")
            else:
                unmarked = [p for p in range(1, pages + 1) if marking not in pdf_text(pdf, p)]
                if unmarked:
                    fail(f"{lay.name()}: atlas pages without {marking}: {unmarked}")
                print(f"   {lay.name()}: atlas over {coverage.name()} printed, {pages} pages -> {pdf}")
    elif atlases:
        fail(f"{args.project}: an atlas layout where none was expected")
    project.clear()
    app.exitQgis()
    print(f"layout-check: {len(layouts)} layouts, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
