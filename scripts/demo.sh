#!/usr/bin/env bash
# Builds hotspot and runs the whole pipeline on the embedded Charnwood demo
# (data/demo.toml): the borough run in out/demo/, then a pack per police
# beat in out/demo_packs/ (open out/demo_packs/index.html).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
./build/hotspot run --config data/demo.toml
./build/hotspot batch --config data/demo.toml --layer beat
