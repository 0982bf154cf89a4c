#!/usr/bin/env bash
# Installs the Debian 12 packages hotspot needs (only those missing) and
# configures + builds it in ./build. Idempotent. Run as root on a fresh
# machine (apt-get needs it); a machine that has everything needs no root.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(g++ cmake make pkg-config libgdal-dev gdal-bin libgeos-dev libproj-dev libboost-dev
          libtomlplusplus-dev libcli11-dev libglpk-dev nlohmann-json3-dev libssl-dev libsqlite3-dev libgtest-dev libbenchmark-dev
          librsvg2-dev libpng-dev)
scripts/install_missing.sh setup "${PACKAGES[@]}"

BUILD_TYPE=${BUILD_TYPE:-Release}
cmake -S . -B build -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${CMAKE_ARGS:-} >/dev/null
cmake --build build -j"$(nproc)"
