#!/usr/bin/env bash
# The national jobs of issue 13: police.uk incidents -> all 32,844 English
# LSOAs, counts + statistics, GeoPackage out (examples/national.toml):
#   - Leicestershire's 42,855 real rows (41,567 accepted),
#   - synthetic national years of 1M and 6M rows (bench/make_national.cpp,
#     made once and cached in $NATIONAL_DATA, default ${TMPDIR:-/tmp}/hotspot-national).
# For each: wall time and peak RSS (/usr/bin/time -v), CPU time, the stage
# times the engine reports (-v), and the yardsticks for the read stage: the
# time to read the bytes (cat > /dev/null) and to read them and split every
# field (awk -F, counting fields; a C++ splitter would be faster, so this is
# a generous bar).
#
#   bench/national.sh [ROWS...]     e.g. bench/national.sh 6000000
#   bench/national.sh decade        60M rows, 120 months (2019-2028, ~13 GB of
#                                   CSV; made in ~24 min); the job runs with
#                                   --no-incidents: the incidents layer alone
#                                   would need ~40 GB, and the run says so
#   READ_ONLY=1 bench/national.sh 6000000
#                                   the read stage alone: a dry run against
#                                   Charnwood's 99 LSOAs (reading, checks,
#                                   duplicate ids, transform, a trivial join)
#   NO_INCIDENTS=1 bench/national.sh 6000000
#                                   the same job without the incidents layer
#                                   (--no-incidents: the aggregate mode, the
#                                   per-incident table never whole)
#   HOTSPOT=build/hotspot THREADS=0 bench/national.sh
#
# Needs a Release build (build/hotspot, build/bench/make_national) and
# ../shared/data. The files are cached by row count; delete the folder to
# make them again.
set -euo pipefail
cd "$(dirname "$0")/.."
HOTSPOT=${HOTSPOT:-build/hotspot}
MAKE=${MAKE_NATIONAL:-build/bench/make_national}
DATA=${NATIONAL_DATA:-${TMPDIR:-/tmp}/hotspot-national}
THREADS=${THREADS:-0}
LSOAS=../shared/data/england/lsoa2011_england.gpkg
ROWS=("$@")
[ ${#ROWS[@]} -gt 0 ] || ROWS=(leicestershire 1000000 6000000)
mkdir -p "$DATA"
for tool in "$HOTSPOT" "$MAKE"; do
  [ -x "$tool" ] || { echo "national.sh: $tool missing: build first (cmake --build build)" >&2; exit 2; }
done

run_job() {  # name, incidents folder, extra hotspot flags...
  local name=$1 incidents=$2 work="$DATA/run-$1"
  shift 2
  local extra=("$@")
  rm -rf "$work" && mkdir -p "$work"
  # The example's config with the incidents (and output) replaced.
  sed -e "s|^paths = \[\"../../shared/data/leicestershire/police-uk\"\]|paths = [\"$incidents\"]|" \
      -e "s|\.\./\.\./shared/data|$PWD/../shared/data|" \
      -e "s|^dir = .*|dir = \"$work/out\"|" examples/national.toml > "$work/run.toml"
  if [ "${READ_ONLY:-0}" = 1 ]; then
    # The read stage alone: the same incidents against a tiny area layer.
    sed -i -e "s|^paths = \[\".*england/lsoa2011_england.gpkg\"\]|paths = [\"$PWD/data/boundaries/lsoa2011_charnwood.geojson\"]|" \
        -e "s|^min_match_share = .*|min_match_share = 0|" "$work/run.toml"
    extra+=(--dry-run)
  fi
  echo "== $name: $(find -L "$incidents" -name '*.csv' | wc -l) files, $(du -shL "$incidents" | cut -f1)"
  # Yardsticks: the bytes (warm page cache, as for hotspot), then bytes + fields.
  find -L "$incidents" -name '*.csv' -print0 | xargs -0 cat > /dev/null
  local t0 t1 t2
  t0=$(date +%s.%N)
  find -L "$incidents" -name '*.csv' -print0 | xargs -0 cat > /dev/null
  t1=$(date +%s.%N)
  find -L "$incidents" -name '*.csv' -print0 |
    /usr/bin/time -f "%U %S" -o "$work/awk.cpu" xargs -0 awk -F, '{ n += NF } END { print n " fields" }' > "$work/awk.txt"
  t2=$(date +%s.%N)
  echo "   read the bytes (cat): $(echo "$t1 - $t0" | bc) s; read + split the fields (awk -F,): $(echo "$t2 - $t1" | bc) s," \
       "CPU $(awk '{ print $1 + $2 }' "$work/awk.cpu") s ($(awk '{ n += $1 } END { print n }' "$work/awk.txt") fields)"
  /usr/bin/time -v "$HOTSPOT" run -c "$work/run.toml" -j "$THREADS" -v "${extra[@]}" > "$work/log.txt" 2> "$work/time.txt" || {
    echo "   hotspot failed:"; tail -5 "$work/log.txt" "$work/time.txt"; return 1; }
  grep -E "^hotspot run:|^rows read" "$work/log.txt" | sed 's/^/   /'
  { grep -E "^time:" "$work/log.txt" || true; } | sed "s/^/   /"  # (a dry run prints no stage times)
  awk -F': ' '/Elapsed \(wall clock\)/ { print "   wall " $2 }
              /User time/ { u = $2 } /System time/ { s = $2 }
              /Maximum resident set size/ { printf "   peak RSS %.0f MB\n", $2 / 1024 }
              END { printf "   CPU %.1f s (user %.1f + sys %.1f)\n", u + s, u, s }' "$work/time.txt"
}

for n in "${ROWS[@]}"; do
  if [ "$n" = leicestershire ]; then
    run_job leicestershire "$PWD/../shared/data/leicestershire/police-uk"
    continue
  fi
  months=12 folder="$DATA/rows-$n" flags=()
  [ "${NO_INCIDENTS:-0}" = 1 ] && flags=(--no-incidents)
  if [ "$n" = decade ]; then
    months=120 folder="$DATA/decade-60000000" flags=(--no-incidents)
    n=60000000
  fi
  if [ ! -f "$folder/.complete" ]; then
    rm -rf "$folder"
    "$MAKE" "$LSOAS" "$folder" "$n" "$months" 13
    touch "$folder/.complete"
  fi
  run_job "$(basename "$folder")" "$folder" "${flags[@]}"
done
