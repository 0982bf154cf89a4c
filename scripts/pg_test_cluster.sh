#!/usr/bin/env bash
# A throw-away PostgreSQL + PostGIS server for the tests: initdb in a new
# temporary folder, the server listening only on a Unix socket in that folder
# (no TCP, no system service), a database "hotspot_test" with the postgis
# extension; stopped and deleted afterwards.
#
#   scripts/pg_test_cluster.sh start STATE   # start; write STATE (shell lines: PGHOST=... )
#   scripts/pg_test_cluster.sh stop STATE    # stop the server STATE names, delete its folder
#   scripts/pg_test_cluster.sh run CMD...    # start, run CMD with PGHOST/PGPORT/PGDATABASE/PGUSER
#                                            # exported, stop; exits with CMD's status
#
# PostgreSQL refuses to run as root: as root the server runs as "nobody".
# When no server can be started (PostgreSQL or PostGIS not installed), STATE
# gets HOTSPOT_PG_SKIP=<reason> and the script exits 0, so the tests skip
# with that reason; with HOTSPOT_REQUIRE_POSTGIS=1 (set by .ci/run) it exits 1.
#
# Besides the superuser "hotspot" (trust), the cluster has the roles the
# error tests need: hotspot_pw (password "right-password", scram-sha-256) and
# hotspot_ro (no privileges), and a database hotspot_nopostgis without the
# extension.
set -euo pipefail

cmd=${1:-}
shift || true

fail_or_skip() {  # reason, state file
  echo "pg_test_cluster: no PostGIS test server: $1" >&2
  [ -n "${2:-}" ] && printf 'HOTSPOT_PG_SKIP=%q\n' "$1" > "$2"
  if [ "${HOTSPOT_REQUIRE_POSTGIS:-0}" = 1 ]; then exit 1; fi
  exit 0
}

as_owner() {  # runs a command as the server's owner
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

start() {
  local state=$1
  rm -f "$state"
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || fail_or_skip "PostgreSQL server not installed (Debian: postgresql-15)" "$state"
  ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 ||
    fail_or_skip "PostGIS not installed (Debian: postgresql-15-postgis-3)" "$state"
  local dir
  dir=$(mktemp -d /tmp/hotspot-pg.XXXXXX)
  chmod 755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown nobody "$dir"; fi
  local log=$dir/server.log
  if ! as_owner "$bin/initdb" -D "$dir/data" -U hotspot -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    fail_or_skip "initdb failed" "$state"
  fi
  # Password authentication for one role, so a wrong password can be tested.
  cat > "$dir/data/pg_hba.conf" <<EOF
local all hotspot_pw scram-sha-256
local all all trust
EOF
  # fsync off: a throw-away cluster; nothing must survive a machine crash.
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
       -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c port=5432 -c fsync=off -c full_page_writes=off -c max_connections=60" \
       start >/dev/null; then
    cat "$log" >&2
    rm -rf "$dir"
    fail_or_skip "the server did not start" "$state"
  fi
  psql() { command psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p 5432 -U hotspot "$@"; }
  psql -d postgres -c "CREATE DATABASE hotspot_test" -c "CREATE DATABASE hotspot_nopostgis" \
       -c "CREATE ROLE hotspot_pw LOGIN PASSWORD 'right-password'" -c "CREATE ROLE hotspot_ro LOGIN"
  if ! psql -d hotspot_test -c "CREATE EXTENSION postgis" 2>"$dir/ext.log"; then
    cat "$dir/ext.log" >&2
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true
    rm -rf "$dir"
    fail_or_skip "CREATE EXTENSION postgis failed" "$state"
  fi
  # hotspot_ro may connect and read, but not create schemas.
  psql -d hotspot_test -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC" \
       -c "REVOKE CREATE ON DATABASE hotspot_test FROM PUBLIC"
  {
    printf 'HOTSPOT_PG_DIR=%q\n' "$dir"
    printf 'HOTSPOT_PG_BIN=%q\n' "$bin"
    printf 'PGHOST=%q\nPGPORT=5432\nPGDATABASE=hotspot_test\nPGUSER=hotspot\n' "$dir"
  } > "$state"
  echo "pg_test_cluster: PostGIS test server on $dir (database hotspot_test)"
}

stop() {
  local state=$1
  [ -f "$state" ] || return 0
  local HOTSPOT_PG_DIR="" HOTSPOT_PG_BIN=""
  # shellcheck disable=SC1090
  . "$state"
  if [ -n "$HOTSPOT_PG_DIR" ] && [ -d "$HOTSPOT_PG_DIR/data" ]; then
    as_owner "$HOTSPOT_PG_BIN/pg_ctl" -D "$HOTSPOT_PG_DIR/data" -m fast -w stop >/dev/null || true
    rm -rf "$HOTSPOT_PG_DIR"
  fi
  rm -f "$state"
}

case "$cmd" in
  start) start "$1" ;;
  stop) stop "$1" ;;
  run)
    state=$(mktemp /tmp/hotspot-pg-state.XXXXXX)
    trap 'stop "$state"' EXIT
    ( start "$state" ) || exit 1  # a subshell: a skip (exit 0) still runs CMD
    set -a
    # shellcheck disable=SC1090
    . "$state"
    set +a
    status=0
    "$@" || status=$?
    exit $status
    ;;
  *) echo "usage: $0 start STATE | stop STATE | run CMD..." >&2; exit 2 ;;
esac
