#!/usr/bin/env bash
# hotspot against the tools a user would pick instead (QGIS qgis_process,
# geopandas, R spatstat), whole process against whole process, side by side
# in the same run: wall times, ratios, peak RSS, and whether the outputs
# agree. See bench/peers.py for the jobs.
#
#   bench/peers.sh [--install] [--runs 5] [--jobs heatmap,join,national]
#                  [--national-points FILE.csv] [--national-qgis] [--keep]
#
# --install adds the bench-only peers that are missing (Debian qgis,
# python3-qgis, python3-geopandas, r-cran-spatstat; several hundred MB);
# without it, a missing peer is skipped with a note. Builds hotspot if
# needed. Not part of the test suite. For the national job, make points
# first: bench/make_points.py --n 6000000 --out /tmp/england_6m.csv
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --install ]; then
  shift
  scripts/install_missing.sh peers qgis python3-qgis qgis-providers python3-gdal python3-numpy python3-geopandas \
    r-cran-spatstat
fi
scripts/install_missing.sh peers python3-gdal python3-numpy time
if [ -f build/CMakeCache.txt ]; then
  cmake --build build --target hotspot -j"$(nproc)" >/dev/null
else
  scripts/setup.sh >/dev/null
fi
exec /usr/bin/python3 bench/peers.py "$@"
