#!/usr/bin/env bash
# Space-time cubes (issue 10), whole `hotspot run` processes timed with
# /usr/bin/time -v (wall clock and peak resident memory) and the run's own
# stage timings (-v). Needs ../shared/data. Not part of the test suite.
#
#   1. Chicago aggravated assaults 2010-2019 (148,636 rows) on 200 m cells by
#      month (120 steps): cube, Gi*, Mann-Kendall and the 17 categories;
#      statistics off, no GeoJSON (target: under 5 s on 2 cores).
#   2. Leicestershire's 611 LSOAs by month: per-area trends (count trend per
#      LSOA and per LSOA x category), statistics off.
#
#   bench/emerging.sh [THREADS]    # default 2
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
data=../shared/data
[ -x build/hotspot ] || scripts/setup.sh >/dev/null
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)"; exit 1; }
[ -d "$data/chicago" ] || { echo "$data/chicago not found"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data=$(realpath "$data")

cat >"$tmp/chicago_200m.toml" <<EOF
threads = $threads
[output]
dir = "$tmp/chicago_out"
incidents = false
geojson = false
[[incidents]]
format = "csv"
paths = ["$data/chicago/aggravated_assaults_2010_2019.csv.gz"]
x = "longitude"
y = "latitude"
date = "date"
category = "loc_cat"
[[areas]]
name = "beat"
paths = ["$data/chicago/police_beats.geojson"]
code = "BEAT_NUM"
[stats]
enabled = false
[[change.cubes]]
name = "grid_200m_monthly"
cell = 200
EOF

cat >"$tmp/leics_lsoa.toml" <<EOF
threads = $threads
[output]
dir = "$tmp/leics_out"
incidents = false
geojson = false
[[incidents]]
format = "police_uk"
paths = ["$data/leicestershire/police-uk"]
[[areas]]
name = "lsoa"
paths = ["$data/leicestershire/boundaries/lsoa2011"]
code = "LSOA11CD"
name_field = "LSOA11NM"
[stats]
enabled = false
[[change.cubes]]
name = "lsoa_monthly"
layer = "lsoa"
EOF

run() {  # name config: whole process under /usr/bin/time -v, then the stage timings
  local name=$1 config=$2
  rm -rf "$tmp/chicago_out" "$tmp/leics_out"
  /usr/bin/time -v build/hotspot run -c "$config" -v >"$tmp/out.txt" 2>"$tmp/time.txt" || {
    cat "$tmp/out.txt" "$tmp/time.txt"
    exit 1
  }
  echo "$name"
  echo "  wall $(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time.txt")," \
       "user $(sed -n 's/.*User time (seconds): //p' "$tmp/time.txt") s," \
       "system $(sed -n 's/.*System time (seconds): //p' "$tmp/time.txt") s," \
       "peak RSS $(($(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.txt") / 1024)) MB"
  grep -E "^time: (emerging|read|join|write)" "$tmp/out.txt" "$tmp/time.txt" 2>/dev/null | sed 's/^[^:]*:time: /  /'
  grep -E "locations_analysed|locations_never|^[^,]*,steps," "$tmp/$3/csv/emerging_parameters.csv" | sed 's/^/  /'
}

run "Chicago, 200 m cells x 120 months ($threads threads)" "$tmp/chicago_200m.toml" chicago_out
if [ -d "$data/leicestershire" ]; then
  run "Leicestershire, 611 LSOAs by month, per-area trends ($threads threads)" "$tmp/leics_lsoa.toml" leics_out
  echo "  trends rows: $(($(wc -l <"$tmp/leics_out/csv/emerging_lsoa_monthly_trends.csv") - 1))"
fi
