#!/bin/sh
# Near repeats in real QGIS (issue 11): runs the engine on a dated subset of
# Chicago's aggravated assaults (police district 11, May-July 2019: a few
# hundred incidents dated to the minute, cut from ../shared/data at run time)
# with a [near_repeat] analysis, then checks the output with
#   tests/qgis/check_pack.py        every layer and raster valid, styled, rendered; project.qgs opens;
#   tests/qgis/check_near_repeat.py the cocooning zones' temporal properties and
#                                   date filtering, the top risk cells, the risk
#                                   raster table, the project's "Near repeats" group;
# the same on a batch pack (district 11).
#
# usage: tests/qgis/run_near_repeat_check.sh [HOTSPOT_BINARY]   (default: build/hotspot)
# env:   KEEP=1 keeps the temporary folder.
# Exit: 0 pass, 1 fail, 77 QGIS's Python is not installed (CTest: SKIP_RETURN_CODE 77).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$ROOT/build/hotspot}
PY=/usr/bin/python3          # Debian's python3-qgis, not a pyenv/venv python
DATA=$ROOT/../shared/data/chicago
export QT_QPA_PLATFORM=offscreen

if ! "$PY" -c "import qgis.core" 2>/dev/null; then
  echo "run_near_repeat_check: QGIS Python bindings missing (apt-get install qgis python3-qgis); skipped"
  exit 77
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hotspot-nr-qgis.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "run_near_repeat_check: keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi

# date,loc_cat,longitude,latitude,district: district 11, May-July 2019.
gzip -dc "$DATA/aggravated_assaults_2010_2019.csv.gz" |
  awk -F, 'NR == 1 || ($1 ~ /^2019-0[567]-/ && $5 == 11)' > "$TMP/assaults.csv"
rows=$(($(wc -l < "$TMP/assaults.csv") - 1))
echo "run_near_repeat_check: $rows incidents (district 11, May-July 2019)"
[ "$rows" -gt 200 ] || { echo "run_near_repeat_check: FAIL: expected a few hundred rows" >&2; exit 1; }

cat > "$TMP/near_repeat.toml" <<TOML
[output]
dir = "$TMP/out"

[[incidents]]
format = "csv"
paths = ["$TMP/assaults.csv"]
x = "longitude"
y = "latitude"
date = "date"
category = "loc_cat"

[[areas]]
name = "district"
paths = ["$DATA/police_districts.geojson"]
code = "DIST_NUM"
name_field = "DIST_LABEL"

[checks]
min_match_share = 0.01

[near_repeat]
name = "assaults"
permutations = 99
seed = 11
TOML
"$BIN" run -c "$TMP/near_repeat.toml" --no-geojson -q

status=0
(cd "$ROOT/tests/qgis" && "$PY" check_pack.py "$TMP/out") || status=1
(cd "$ROOT/tests/qgis" && "$PY" check_near_repeat.py "$TMP/out" assaults) || status=1
# A batch pack for district 11: the zones and top cells near it, the raster
# cropped to it, the same project group.
"$BIN" batch -c "$TMP/near_repeat.toml" --layer district --areas 11 --out "$TMP/packs" -q
(cd "$ROOT/tests/qgis" && "$PY" check_pack.py "$TMP/packs/district_11") || status=1
(cd "$ROOT/tests/qgis" && "$PY" check_near_repeat.py "$TMP/packs/district_11" assaults) || status=1
if [ $status -eq 0 ]; then echo "run_near_repeat_check: PASS"; else echo "run_near_repeat_check: FAIL"; fi
exit $status
