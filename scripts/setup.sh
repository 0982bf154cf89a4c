#!/usr/bin/env bash
# Installs the Debian 12 packages hotspot needs (only those missing) and
# configures + builds it in ./build. Idempotent. Run as root on a fresh
# machine (apt-get needs it); a machine that has everything needs no root.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(g++ cmake make pkg-config libgdal-dev gdal-bin libgeos-dev libproj-dev libboost-dev
          libtomlplusplus-dev libcli11-dev libglpk-dev nlohmann-json3-dev libssl-dev libgtest-dev libbenchmark-dev)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

BUILD_TYPE=${BUILD_TYPE:-Release}
cmake -S . -B build -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${CMAKE_ARGS:-} >/dev/null
cmake --build build -j"$(nproc)"
