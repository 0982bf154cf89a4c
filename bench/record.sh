#!/usr/bin/env bash
# The record of issue 13: every job of its table, whole processes, side by
# side with the installed peers in the same run, then one summary against
# the issue's targets. Each job is its own script (run them alone to dig in):
#   bench/peers.sh --jobs heatmap,join   Leicestershire heat map vs qgis_process
#                                        (+ spatstat), join vs QGIS + geopandas
#   bench/areas_national.sh              41,567 rows -> 32,844 LSOAs
#   bench/national.sh 6000000            a synthetic national year -> 32,844 LSOAs
#   READ_ONLY=1 bench/national.sh        its read stage against `mawk -F,`
#   bench/peers.sh --jobs national       6M points over England at 100 m, Gi*
#   bench/national.sh decade             60M rows (with --decade; ~13 GB of CSV)
#
#   bench/record.sh [--runs N] [--decade] [--skip-national]
#
# Logs go to $RECORD_DIR (default ${TMPDIR:-/tmp}/hotspot-record); the
# synthetic inputs are cached where the scripts cache them. Measure on a quiet
# machine: the load average is printed with every figure.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3 decade=0 national=1
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --decade) decade=1; shift ;;
    --skip-national) national=0; shift ;;
    *) echo "record.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
log=${RECORD_DIR:-${TMPDIR:-/tmp}/hotspot-record}
mkdir -p "$log"
points=${NATIONAL_POINTS:-${TMPDIR:-/tmp}/hotspot-national/england_6m.csv}
load() { cut -d' ' -f1 /proc/loadavg; }

echo "== issue 13's record, $(date -u +%FT%TZ), $(nproc) cores, hotspot $(build/hotspot --version 2>&1 | head -1)"
bench/peers.sh --runs "$runs" --jobs heatmap,join | tee "$log/peers.txt"
bench/areas_national.sh "$runs" | tee "$log/areas_national.txt"
if [ "$national" = 1 ]; then
  bench/national.sh 6000000 | tee "$log/national.txt"
  NO_INCIDENTS=1 bench/national.sh 6000000 | tee "$log/national_no_incidents.txt"
  READ_ONLY=1 bench/national.sh 6000000 | tee "$log/read.txt"
  if [ ! -f "$points" ]; then
    mkdir -p "$(dirname "$points")"
    /usr/bin/python3 bench/make_points.py --n 6000000 --out "$points"
  fi
  bench/peers.sh --runs 1 --jobs national --national-points "$points" | tee "$log/national_heat.txt"
fi
[ "$decade" = 0 ] || bench/national.sh decade | tee "$log/decade.txt"

# The summary: the figure each target is judged on, as the scripts printed it.
ratio() {  # log, tool: that tool's "Nx hotspot's wall time"
  grep -E "^  $2 " "$1" | sed -n "s/.*   \([0-9.]*x\) hotspot's wall time.*/\1/p" | head -1
}
whole() {  # log: the national.sh job's wall, CPU and peak RSS lines, joined
  grep -E "^   (wall|CPU|peak RSS)" "$1" | sed 's/^ *//' | paste -sd ';' -
}
echo
echo "== summary against issue 13's targets (load now $(load); details above and in $log)"
printf '%-46s %-22s %s\n' "job" "target" "measured"
printf '%-46s %-22s %s\n' "Leicestershire heat map vs qgis_process" ">= 10x" "$(ratio "$log/peers.txt" qgis_process | head -1) (QGIS's wall / hotspot's)"
printf '%-46s %-22s %s\n' "join -> 611 LSOAs vs QGIS" ">= 10x" "$(grep -A3 '== join' "$log/peers.txt" | sed -n "s/^  qgis_process .*   \([0-9.]*x\) hotspot's wall.*/\1/p")"
printf '%-46s %-22s %s\n' "41,567 rows -> 32,844 LSOAs" "<= 3 s" "$(sed -n 's/^run [0-9]*: wall \([^,]*\),.*/\1/p' "$log/areas_national.txt" | paste -sd ' ' -) (wall, each run)"
if [ "$national" = 1 ]; then
  printf '%-46s %-22s %s\n' "6M rows -> 32,844 LSOAs, GeoPackage" "<= 20 s, <= 2 GB" "$(whole "$log/national.txt")"
  printf '%-46s %-22s %s\n' "  the same without the incidents layer" "" "$(whole "$log/national_no_incidents.txt")"
  printf '%-46s %-22s %s\n' "6M rows: read stage vs mawk -F," "<= 3x" "$(grep -E 'awk -F,|CPU' "$log/read.txt" | sed 's/^ *//' | paste -sd ';' -)"
  printf '%-46s %-22s %s\n' "6M points over England, 100 m, Gi*" "<= 20 s, <= 3 GB" "$(grep -E '^  hotspot ' "$log/national_heat.txt" | head -1 | sed 's/^ *//')"
fi
[ "$decade" = 0 ] || printf '%-46s %-22s %s\n' "60M rows (decade)" "completes, peak reported" "$(whole "$log/decade.txt")"
