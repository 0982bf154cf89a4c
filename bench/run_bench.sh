#!/usr/bin/env bash
# Builds and runs the benchmarks; prints join throughput (points/s), the
# Boost.Geometry reference, and the 10M-row read+join+count time and peak
# memory. Needs ../shared/data. The 10M-row CSV is made once in $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
./build/bench/join_bench --benchmark_counters_tabular=true "$@"
./build/bench/kde_bench --benchmark_counters_tabular=true "$@"
