#!/usr/bin/env bash
# hotspot's raw quartic KDE against QGIS's "Heatmap (kernel density
# estimation)" on the Leicestershire police.uk data: prints the QGIS time,
# the hotspot time, their ratio and the largest differences on the same grid.
#
#   bench/compare_qgis.sh [--radius 500] [--cell 25] [--threads 0] [--keep] [--no-emulate]
#
# Installs the Debian 12 packages it needs (only those missing: QGIS is large,
# several hundred MB) and builds hotspot if needed. Not part of the test suite.
# Outputs go to a temporary folder, removed afterwards unless --keep.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(qgis python3-qgis qgis-providers python3-gdal python3-numpy)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "compare_qgis: installing ${missing[*]} (this takes a few minutes)"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

if [ -f build/CMakeCache.txt ]; then
  cmake --build build --target hotspot -j"$(nproc)" >/dev/null
else
  scripts/setup.sh >/dev/null
fi

# The Debian python3-qgis is importable only by the system python (not pyenv's).
export QT_QPA_PLATFORM=offscreen
exec /usr/bin/python3 bench/compare_qgis.py "$@"
