#!/bin/sh
# Runs `hotspot run` twice on a config, public and not, into a temporary
# folder, then the LP attacker (lp_attack.py) on the public pack, scored
# against the other run.
#
# usage: tests/disclosure/run_attack.sh HOTSPOT_BINARY CONFIG [NEEDED_DIR]
#   NEEDED_DIR: a data folder the config reads; absent = skipped (exit 77).
# env:   KEEP=1 keeps the temporary folder; ATTACK_ARGS: more lp_attack.py
#        options (e.g. "--show 50 --no-gistar").
# Exit: lp_attack.py's (0 pass, 1 disclosure, 2 model error), 77 skipped.
set -eu

BIN=$1
CONFIG=$2
NEEDED=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's python3-scipy, not a pyenv/venv python

if [ -n "$NEEDED" ] && [ ! -d "$NEEDED" ]; then
  echo "run_attack: $NEEDED not found (the shared real data); skipped"
  exit 77
fi
if ! "$PY" -c "import scipy.optimize" 2>/dev/null; then
  echo "run_attack: $PY has no scipy (apt-get install python3-scipy)" >&2
  exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hotspot-attack.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "run_attack: keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi

"$BIN" run -c "$CONFIG" --public -o "$TMP/public" -q
"$BIN" run -c "$CONFIG" -o "$TMP/truth" -q
status=0
"$PY" "$HERE/lp_attack.py" --public "$TMP/public" --truth "$TMP/truth" --config "$CONFIG" \
  ${ATTACK_ARGS:-} || status=$?
exit $status
