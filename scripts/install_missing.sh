#!/usr/bin/env bash
# Installs the Debian packages given that are not installed yet (apt-get,
# as root or through sudo); does nothing when all are there. The one place
# the project's scripts install packages.
#
#   scripts/install_missing.sh [--with-recommends] LABEL PACKAGE...
#
# LABEL names the caller in the message ("setup: installing ...").
set -euo pipefail
recommends=--no-install-recommends
if [ "${1:-}" = --with-recommends ]; then recommends=; shift; fi
label=$1
shift
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0
echo "$label: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $recommends "${missing[@]}" >/dev/null
