#!/usr/bin/env bash
# PostGIS output against GeoPackage output (issue 12): the Leicestershire run
# (examples/leicestershire.toml on the shared data) written to both in one
# process, on a throw-away PostgreSQL + PostGIS server started for the bench
# (scripts/pg_test_cluster.sh), 3 times; prints the engine's stage times
# (`hotspot run -v`: "write outputs" = the folder with hotspot.gpkg, its
# styles, project.qgs and briefing.html; "write PostGIS" = staging through
# COPY + the one transaction + styles) and, for the GeoPackage alone, GDAL
# copying the run's hotspot.gpkg to a new GeoPackage (the same tables and rows).
#
#   bench/postgis.sh [build/hotspot]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/hotspot}
out=$(mktemp -d /tmp/hotspot-pgbench.XXXXXX)
trap 'rm -rf "$out"' EXIT
scripts/pg_test_cluster.sh run bash -c '
  set -euo pipefail
  bin=$1 out=$2
  for i in 1 2 3; do
    rm -rf "$out/run" "$out/copy.gpkg"
    "$bin" run -c examples/leicestershire.toml -v -j 1 --no-geojson --no-csv --out "$out/run" \
      --postgis "PG:dbname=$PGDATABASE" --run-id "bench$i" | grep -E "^time: write|^wrote PostGIS"
    start=$(date +%s.%N)
    ogr2ogr -f GPKG "$out/copy.gpkg" "$out/run/hotspot.gpkg"
    echo "time: GDAL copy of hotspot.gpkg to a new GeoPackage: $(awk "BEGIN { print $(date +%s.%N) - $start }") s"
    echo "---"
  done
' bench "$bin" "$out"
