#!/usr/bin/env bash
# Builds hotspot and runs the whole test suite (unit tests, real-data tests
# on ../shared/data and data/, CLI end-to-end) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The disclosure attackers (tests/disclosure) run on Debian's Python with
# scipy (HiGHS), numpy and GDAL's bindings: install them if missing.
scripts/install_missing.sh test python3-scipy python3-numpy python3-gdal
# The PostGIS tests run against a throw-away server that CTest starts in a
# temporary folder (scripts/pg_test_cluster.sh, fixture "postgis"): Debian's
# PostgreSQL server and PostGIS; no system service is used.
scripts/install_missing.sh test postgresql-15 postgresql-15-postgis-3 postgresql-15-postgis-3-scripts
# Police.uk months and CSV decimals must not depend on the time zone.
TZ=America/Chicago ctest --test-dir build --output-on-failure -j"$(nproc)"
