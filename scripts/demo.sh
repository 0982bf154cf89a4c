#!/usr/bin/env bash
# Builds hotspot and runs the whole pipeline on the embedded Charnwood demo
# (data/demo.toml); the outputs land in out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
./build/hotspot run --config data/demo.toml
