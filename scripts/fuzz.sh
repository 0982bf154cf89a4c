#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (+ ASan + UBSan) in
# ./build-fuzz and runs each for SECONDS (default 60) on its committed seed
# corpus, fuzz/corpus/<target>/. Prints executions and findings per target;
# exits non-zero if any target found a crash, a leak, a timeout or a
# sanitizer report. A finding is left as build-fuzz/findings/<target>/crash-*:
# add it to fuzz/corpus/<target>/ (and a regression test) once it is fixed.
#
#   scripts/fuzz.sh 60              # every target, 60 s each
#   scripts/fuzz.sh 30 csv_fuzz     # one target
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(csv_fuzz config_fuzz period_fuzz)

# clang and its runtime libraries (libclang_rt.fuzzer lives in libclang-rt-14-dev).
if ! command -v clang++-14 >/dev/null || ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz: installing clang-14 libclang-rt-14-dev"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev >/dev/null
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
start=$(date +%s)
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Debug -DHOTSPOT_FUZZ=ON \
  -DHOTSPOT_BUILD_TESTS=OFF -DHOTSPOT_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"
echo "fuzz: build $(($(date +%s) - start)) s"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=0
summary=()
for t in "${targets[@]}"; do
  seeds=$root/fuzz/corpus/$t
  work=build-fuzz/work/$t          # grows with new coverage; starts from the seeds
  findings=build-fuzz/findings/$t
  mkdir -p "$work" "$findings"
  log=build-fuzz/$t.log
  status=0
  # -timeout: one input taking longer than 10 s is a hang (a finding).
  # -rss_limit_mb: 2 GB; -max_len: 64 KiB keeps inputs small but reaches big fields.
  "build-fuzz/fuzz/$t" "$work" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  found=$(find "$findings" -type f | wc -l)
  summary+=("$t: ${execs:-?} executions in ${seconds} s, corpus $(find "$work" -type f | wc -l) inputs, findings $found")
  if ((status != 0 || found != 0)); then
    failed=1
    echo "fuzz: $t FAILED (exit $status); log $log, inputs in $findings:"
    grep -E "ERROR|SUMMARY|runtime error|deadly signal|Test unit written" "$log" | head -20 || true
  fi
done
printf 'fuzz: %s\n' "${summary[@]}"
echo "fuzz: total $(($(date +%s) - start)) s"
exit $failed
