#!/bin/sh
# Opens the demo's outputs in real QGIS (headless) and checks them with
# tests/qgis/check_pack.py: every layer valid, styled and rendered, and
# maps/pack.qgs opening with every layer valid.
#
#   1. `hotspot run -c data/demo.toml` into a temporary folder. If the run left
#      no layer_styles table in hotspot.gpkg (the run command does not style
#      its output yet), the styles are applied by the C++ code itself,
#      src/report/qgis_styles.cpp, compiled here with a small main (styles,
#      raster sidecars, and project.qgs from maps/pack.qgs).
#   2. If the binary has `hotspot batch`: one pack (beat 56) and one public
#      pack (beat 57), styled and given their project.qgs by the batch
#      command, checked the same way.
#   3. The print layouts (tests/qgis/check_layouts.py): each project's A4
#      layout printed to PDF with its marking and attribution, and the
#      borough project's atlas printed to one PDF page per beat (10).
#
# usage: tests/qgis/run_check.sh [HOTSPOT_BINARY]   (default: build/hotspot)
# env:   KEEP=1 keeps the temporary folder (PNGs in */qgis_check/).
# Exit: 0 pass, 1 fail, 77 QGIS's Python is not installed (CTest: SKIP_RETURN_CODE 77).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$ROOT/build/hotspot}
PY=/usr/bin/python3          # Debian's python3-qgis, not a pyenv/venv python
export QT_QPA_PLATFORM=offscreen

if ! "$PY" -c "import qgis.core" 2>/dev/null; then
  echo "run_check: QGIS Python bindings missing (apt-get install qgis python3-qgis); skipped"
  exit 77
fi
if [ ! -x "$BIN" ]; then
  echo "run_check: $BIN not found (cmake --build build --target hotspot)" >&2
  exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hotspot-qgis.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "run_check: keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi

PACK=$TMP/demo
"$BIN" run -c "$ROOT/data/demo.toml" --out "$PACK" --no-geojson --no-csv -q

if "$PY" -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);
sys.exit(0 if c.execute(\"SELECT 1 FROM sqlite_master WHERE name = 'layer_styles'\").fetchone() else 1)" \
    "$PACK/hotspot.gpkg"; then
  echo "run_check: styles written by hotspot run"
else
  echo "run_check: hotspot run wrote no styles; applying them with src/report/qgis_styles.cpp"
  cat > "$TMP/apply_styles.cpp" <<'EOF'
#include <cstdio>
#include <exception>
#include <gdal_priv.h>
#include "report/qgis_styles.h"
int main(int, char** argv) {  // apply_styles PACK_DIR MAPS_DIR
  GDALAllRegister();
  try {
    const std::string gpkg = std::string(argv[1]) + "/hotspot.gpkg";
    hotspot::report::write_layer_styles(gpkg, hotspot::report::default_styles(gpkg, argv[2]));
    hotspot::report::write_raster_styles(argv[1], argv[2]);
    hotspot::report::write_project(argv[2], argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "apply_styles: %s\n", e.what());
    return 1;
  }
  return 0;
}
EOF
  g++ -std=c++20 -O1 -I"$ROOT/include" -I"$ROOT/src" -I/usr/include/gdal \
    "$TMP/apply_styles.cpp" "$ROOT/src/report/qgis_styles.cpp" "$ROOT/src/report/qgis_context.cpp" -lgdal \
    -o "$TMP/apply_styles"
  "$TMP/apply_styles" "$PACK" "$ROOT/maps"
fi
[ -f "$PACK/project.qgs" ] || cp "$ROOT/maps/pack.qgs" "$PACK/project.qgs"

status=0
"$PY" "$ROOT/tests/qgis/check_pack.py" "$PACK" || status=1
if command -v pdfinfo >/dev/null; then
  "$PY" "$ROOT/tests/qgis/check_layouts.py" "$PACK/project.qgs" --atlas-pages 10 || status=1
else
  echo "run_check: FAIL: pdfinfo missing (apt-get install poppler-utils) to count the atlas pages" >&2
  status=1
fi

# Change over time (examples/emerging_demo.toml): the cubes' layers styled by
# maps/emerging.qml, the change surfaces' difference / log-ratio / p rasters
# by their sidecars (maps/change_raster.qml, maps/change_p.qml).
"$BIN" run -c "$ROOT/examples/emerging_demo.toml" --out "$TMP/emerging" --no-geojson --no-csv -q
"$PY" "$ROOT/tests/qgis/check_pack.py" "$TMP/emerging" || status=1

if "$BIN" batch --help >/dev/null 2>&1; then
  "$BIN" batch -c "$ROOT/data/demo.toml" --layer beat --areas 56 --out "$TMP/packs" -q
  "$PY" "$ROOT/tests/qgis/check_pack.py" "$TMP/packs/beat_56" || status=1
  "$PY" "$ROOT/tests/qgis/check_layouts.py" "$TMP/packs/beat_56/project.qgs" || status=1
  # A pack of the change demo: its change surfaces on beat 56, in its project
  # (a "Change over time" group styled as the sidecars) and its briefing.
  "$BIN" batch -c "$ROOT/examples/emerging_demo.toml" --layer beat --areas 56 --out "$TMP/change_packs" -q
  "$PY" "$ROOT/tests/qgis/check_pack.py" "$TMP/change_packs/beat_56" || status=1
  grep -q 'name="Change over time"' "$TMP/change_packs/beat_56/project.qgs" ||
    { echo "run_check: FAIL: no Change over time group in the change pack's project" >&2; status=1; }
  "$BIN" batch -c "$ROOT/data/demo.toml" --layer beat --areas 57 --public --out "$TMP/public" -q
  "$PY" "$ROOT/tests/qgis/check_pack.py" "$TMP/public/beat_57" || status=1
  "$PY" "$ROOT/tests/qgis/check_layouts.py" "$TMP/public/beat_57/project.qgs" || status=1
  # A pack with the user's own context layers ([[context]]: a road, a place)
  # and the OpenStreetMap basemap: styled from maps/context_*.qml, valid.
  sed -e "s#\"\.\./out/demo\"#\"$TMP/ctx_out\"#" -e "s#paths = \[\"#paths = [\"$ROOT/data/#" \
      -e "s#path = \"population#path = \"$ROOT/data/population#" -e "s#lookup = \"#lookup = \"$ROOT/data/#" \
      "$ROOT/data/demo.toml" > "$TMP/context.toml"
  cat >> "$TMP/context.toml" <<'TOML'

[[context]]
name = "roads"
path = "roads.geojson"
kind = "lines"
label_field = "name"

[[context]]
name = "places"
path = "places.geojson"
kind = "points"
label_field = "name"
TOML
  cat > "$TMP/roads.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Test Road"},
 "geometry": {"type": "LineString", "coordinates": [[-1.2150, 52.7690], [-1.2060, 52.7715], [-1.1950, 52.7750]]}}]}
JSON
  cat > "$TMP/places.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Testplace"},
 "geometry": {"type": "Point", "coordinates": [-1.2065, 52.7705]}}]}
JSON
  "$BIN" batch -c "$TMP/context.toml" --layer beat --areas 62 --out "$TMP/context" -q
  "$PY" "$ROOT/tests/qgis/check_pack.py" "$TMP/context/beat_62" || status=1
fi

if [ $status -eq 0 ]; then echo "run_check: PASS"; else echo "run_check: FAIL"; fi
exit $status
