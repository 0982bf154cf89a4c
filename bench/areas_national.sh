#!/usr/bin/env bash
# Whole-process benchmark of issue 13's "41,567 rows -> 32,844 LSOAs" job
# (bench/areas_national.toml): Leicestershire's police.uk rows joined to every
# English LSOA, statistics on, GeoPackage + GeoJSON + CSV out. Prints the wall
# time, CPU time and peak RSS of the whole process (/usr/bin/time -v) and the
# engine's own per-stage times (hotspot run -v), for each of RUNS runs.
# Usage: bench/areas_national.sh [RUNS (default 3)] [extra hotspot run flags...]
# Needs ../shared/data and a Release build in build/ (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shift || true
[ -x build/hotspot ] || { echo "build/hotspot missing: build first (scripts/setup.sh)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/areas_national.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "job: bench/areas_national.toml, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$runs"); do
  rm -rf "$work/out"
  /usr/bin/time -v build/hotspot run -c bench/areas_national.toml -o "$work/out" -v "$@" \
    >"$work/stdout" 2>"$work/time" || { cat "$work/stdout" "$work/time" >&2; exit 1; }
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
  user=$(sed -n 's/.*User time (seconds): //p' "$work/time")
  sys=$(sed -n 's/.*System time (seconds): //p' "$work/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
  echo "run $i: wall $wall, cpu user $user s + sys $sys s, peak RSS $((rss / 1024)) MB"
  sed -n 's/^time: /  /p' "$work/stdout"
done
echo "outputs of the last run: $(du -sh "$work/out" | cut -f1)"
du -sh "$work/out"/hotspot.gpkg "$work/out"/geojson/* "$work/out"/csv 2>/dev/null | sed 's/^/  /'
