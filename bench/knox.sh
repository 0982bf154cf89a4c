#!/usr/bin/env bash
# The Knox test's time and peak memory (issue 11): 999 shuffles of the dates,
# bands to 800 m / 56 days (same location + 100 m x 8 + beyond, 7 days x 8 +
# beyond), Manhattan, 2 threads, on Chicago's aggravated assaults of 2019 and
# of 2010-2019 (148,636). Prints the engine's own split (reading vs Knox) and
# /usr/bin/time -v's wall clock and peak RSS for the whole process.
#   bench/knox.sh [build dir, default build] [threads, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
threads=${2:-2}
cmake --build "$build" -j2 --target knox_bench >/dev/null
for which in 2019 all; do
  /usr/bin/time -v "$build/bench/knox_bench" "$which" "$threads" 2>/tmp/knox_bench_time.txt
  grep -E "Elapsed \(wall clock\)|Maximum resident set size|User time|System time" /tmp/knox_bench_time.txt | sed 's/^\s*/  /'
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
