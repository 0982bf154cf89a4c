#!/usr/bin/env bash
# Builds hotspot and runs the whole test suite (unit tests, real-data tests
# on ../shared/data and data/, CLI end-to-end) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The disclosure attackers (tests/disclosure) run on Debian's Python with
# scipy (HiGHS), numpy and GDAL's bindings: install them if missing.
TEST_PACKAGES=(python3-scipy python3-numpy python3-gdal)
missing=()
for p in "${TEST_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "test: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Police.uk months and CSV decimals must not depend on the time zone.
TZ=America/Chicago ctest --test-dir build --output-on-failure -j"$(nproc)"
