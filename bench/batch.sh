#!/usr/bin/env bash
# Whole-process benchmark of issue 9's "ten beats with all of the above": the
# demo batch (data/demo.toml, one pack per Charnwood beat: tables, heat maps,
# labelled SVG + PNG maps, QGIS project with layouts, briefing, front page).
# Prints wall time, CPU time (user + sys) and peak RSS of the whole process
# (/usr/bin/time -v) for each of RUNS runs. On a shared machine compare CPU
# times: wall time grows with the load average, printed first.
# Usage: bench/batch.sh [RUNS (default 5)] [extra hotspot batch flags...]
# CONFIG=examples/emerging_demo.toml bench/batch.sh: the same ten packs with
# the change demo's cubes and change surface (199 relabelings per pack).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
config=${CONFIG:-data/demo.toml}
shift || true
[ -x build/hotspot ] || { echo "build/hotspot missing: build first (scripts/setup.sh)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/batch_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "job: hotspot batch -c $config --layer beat (10 beat packs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$runs"); do
  rm -rf "$work/packs"
  /usr/bin/time -v build/hotspot batch -q -c "$config" --layer beat --out "$work/packs" "$@" \
    >"$work/stdout" 2>"$work/time" || { cat "$work/stdout" "$work/time" >&2; exit 1; }
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
  user=$(sed -n 's/.*User time (seconds): //p' "$work/time")
  sys=$(sed -n 's/.*System time (seconds): //p' "$work/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
  echo "run $i: wall $wall, cpu $(awk "BEGIN { print $user + $sys }") s (user $user + sys $sys), peak RSS $((rss / 1024)) MB"
done
echo "packs: $(find "$work/packs" -maxdepth 1 -type d -name 'beat_*' | wc -l), $(du -sh "$work/packs" | cut -f1)"
