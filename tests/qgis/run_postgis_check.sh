#!/bin/sh
# Real QGIS (headless) opens the demo's PostGIS layers from the test server
# (CTest fixture "postgis", state file $1): valid, styled from
# public.layer_styles, rendered (tests/qgis/check_postgis.py).
# usage: run_postgis_check.sh STATE_FILE HOTSPOT_BINARY
# Exit: 0 pass, 1 fail, 77 skipped (no QGIS Python, or no test server).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STATE=$1 BIN=$2
PY=/usr/bin/python3
export QT_QPA_PLATFORM=offscreen
if ! "$PY" -c "import qgis.core" 2>/dev/null; then echo "QGIS Python bindings missing; skipped"; exit 77; fi
if [ ! -f "$STATE" ] || grep -q '^HOTSPOT_PG_SKIP=' "$STATE"; then
  echo "no PostGIS test server; skipped"
  [ "${HOTSPOT_REQUIRE_POSTGIS:-0}" = 1 ] && exit 1
  exit 77
fi
set -a; . "$STATE"; set +a
psql -X -q -c 'DROP SCHEMA IF EXISTS qgis_check CASCADE' -c "DELETE FROM public.layer_styles WHERE f_table_schema = 'qgis_check'" 2>/dev/null || true
"$BIN" run -q -c "$ROOT/data/demo.toml" --no-files --postgis "PG:dbname=$PGDATABASE" --postgis-schema qgis_check --run-id demo
"$PY" "$ROOT/tests/qgis/check_postgis.py" qgis_check demo
