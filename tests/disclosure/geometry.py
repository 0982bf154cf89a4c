"""Neighbours of the published areas, for the Gi* equations: queen
contiguity = boundaries within 1 m (docs/config.md), computed from the
published GeoPackage geometry (British National Grid, metres) with GDAL's
Python bindings (python3-gdal). Returns None when they are missing.
"""

import os


def area_neighbours(folder, layer, codes, within_m=1.0):
    """index -> set of neighbour indexes (without itself), for areas in the
    order of `codes`; None if the layer or GDAL is unavailable."""
    try:
        from osgeo import ogr
    except ImportError:
        return None
    ogr.UseExceptions()
    path = os.path.join(folder, "hotspot.gpkg")
    if not os.path.exists(path):
        return None
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(layer)
    if lyr is None:
        return None
    srs = lyr.GetSpatialRef()
    if srs is None or not srs.IsProjected():
        return None  # 1 m needs metres
    geoms = {}
    for f in lyr:
        g = f.GetGeometryRef()
        if g is not None:
            geoms[f.GetField("code")] = g.Clone()
    if any(c not in geoms for c in codes):
        return None
    shapes = [geoms[c] for c in codes]
    boxes = [g.GetEnvelope() for g in shapes]  # minx, maxx, miny, maxy
    result = {i: set() for i in range(len(codes))}
    for i in range(len(codes)):
        for j in range(i + 1, len(codes)):
            a, b = boxes[i], boxes[j]
            if a[0] > b[1] + within_m or b[0] > a[1] + within_m or a[2] > b[3] + within_m or b[2] > a[3] + within_m:
                continue
            if shapes[i].Distance(shapes[j]) <= within_m:
                result[i].add(j)
                result[j].add(i)
    return result
