#!/usr/bin/env bash
# The public mode's disclosure audit (issue 14): whole `hotspot run`
# processes with and without --public, side by side, on the Charnwood demo
# and on the whole Leicestershire force (../shared/data), and what the audit
# did (withheld values, rounds, values it hid, its last round's time).
# Prints one block per data set. Not part of the test suite.
#
#   bench/disclosure_audit.sh [RUNS]      # RUNS per timing (default 5; the median is printed)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
[ -x build/hotspot ] || scripts/setup.sh >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() {  # seconds of one whole process
  local start end
  start=$(date +%s.%N)
  build/hotspot "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

for config in data/demo.toml examples/leicestershire.toml; do
  if [ "$config" = examples/leicestershire.toml ] && [ ! -d ../shared/data/leicestershire ]; then
    echo "$config: ../shared/data/leicestershire not found, skipped"
    continue
  fi
  restricted=$(for _ in $(seq "$runs"); do seconds run -c "$config" -o "$tmp/r" -q; done | median)
  public=$(for _ in $(seq "$runs"); do seconds run -c "$config" -o "$tmp/p" -q --public; done | median)
  verbose=$(build/hotspot run -c "$config" -o "$tmp/p" --public -v 2>&1)
  param() { grep "^$1," "$tmp/p/csv/statistics_parameters.csv" | cut -d, -f2; }
  echo "$config"
  echo "  whole run, restricted: ${restricted} s; public: ${public} s (median of $runs)"
  echo "  statistics stage (public, incl. suppression and every audit round): $(sed -n 's/^time: statistics: //p' <<<"$verbose")"
  echo "  audit, last round: $(sed -n 's/^time: disclosure audit, last round: //p' <<<"$verbose")"
  echo "  withheld values $(param withheld_values); audit rounds $(param disclosure_audit_rounds);" \
       "hidden by the audit $(param disclosure_hidden_by_audit); exposed after $(param disclosure_exposed_after_audit)"
done
