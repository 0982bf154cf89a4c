#!/usr/bin/env bash
# CTest driver for DisclosureAttack.HeatMapPublicRun (issue 14, "Heat maps"):
# runs tests/disclosure/heatmap_attack.toml twice with the built hotspot,
# public and not (the truth), into a temp folder, then the heat-map attacker
# (heatmap_attack.py) on the public heat map with the truth's incident points.
# Exit: the attacker's (0 = no small count recovered, 1 = some recovered,
# 2 = error); 77 = skipped (numpy / scipy / GDAL's Python bindings missing:
# apt-get install python3-numpy python3-scipy python3-gdal).
# Usage: heatmap_attack_run.sh HOTSPOT_BINARY [attacker options, e.g. --emulate-step]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
hotspot="${1:?usage: heatmap_attack_run.sh HOTSPOT_BINARY [attacker options]}"
shift
python=/usr/bin/python3
[ -x "$python" ] || python=python3
if ! "$python" -c "import numpy, scipy.optimize, scipy.sparse, scipy.spatial; from osgeo import gdal, ogr, osr" 2>/dev/null; then
  echo "heatmap_attack_run: skipped: $python lacks numpy, scipy or osgeo.gdal" >&2
  exit 77
fi
tmp="$(mktemp -d "${TMPDIR:-/tmp}/hotspot_heatmap_attack.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
config="$here/heatmap_attack.toml"
if ! "$hotspot" run --config "$config" --out "$tmp/pub" --public >"$tmp/pub.log" 2>&1; then
  cat "$tmp/pub.log" >&2
  echo "heatmap_attack_run: the public run failed" >&2
  exit 2
fi
if ! "$hotspot" run --config "$config" --out "$tmp/truth" >"$tmp/truth.log" 2>&1; then
  cat "$tmp/truth.log" >&2
  echo "heatmap_attack_run: the truth run failed" >&2
  exit 2
fi
set +e
"$python" "$here/heatmap_attack.py" --public "$tmp/pub" --truth "$tmp/truth" --surface all "$@"
rc=$?
set -e
exit $rc
