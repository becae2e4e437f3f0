#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests that need one (JDBC alert sink) and prints
# the settings the tests read, as shell assignments:
#   FENDERSEC_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:PORT/fendersec_test
#   FENDERSEC_TEST_JDBC_USER=fendersec
#   FENDERSEC_TEST_JDBC_PASSWORD=...
# Usage: pg_env=$(bash .ci/postgres.sh) && eval "$pg_env"   (idempotent: a server it started before is reused)
#
# Why not embedded PostgreSQL: it refuses to run as root, and CI runs as root. Debian's server
# binaries run fine as the 'postgres' system user the package creates. Installing needs root and
# network (apt); without root the binaries must already be installed.
set -euo pipefail

DATA=${FENDERSEC_PG_DIR:-/tmp/fendersec-test-pg}
DB=fendersec_test
USER_NAME=fendersec
PASSWORD=fendersec-test-only   # a throwaway server bound to 127.0.0.1; not a secret

log() { echo "postgres.sh: $*" >&2; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(pg_bin)" ]; then
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL server binaries are not installed (/usr/lib/postgresql/*/bin) and this is not root;"
    log "install Debian's 'postgresql' package, or set FENDERSEC_TEST_JDBC_URL/_USER/_PASSWORD to a server"
    exit 1
  fi
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
fi
BIN=$(pg_bin)

# Runs a server binary as the unprivileged owner of the data folder (root when not root is fine).
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$DATA" && chown postgres:postgres "$DATA" && chmod 700 "$DATA"
else
  mkdir -p "$DATA" && chmod 700 "$DATA"
fi

if ! as_owner "$BIN/pg_ctl" -D "$DATA/cluster" status >/dev/null 2>&1; then
  if [ ! -f "$DATA/cluster/PG_VERSION" ]; then
    pwfile="$DATA/pw"
    echo "$PASSWORD" > "$pwfile"
    [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
    as_owner "$BIN/initdb" -D "$DATA/cluster" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 >&2 2>&1 || \
    as_owner "$BIN/initdb" -D "$DATA/cluster" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --pwfile="$pwfile" -E UTF8 --locale=C >&2
    rm -f "$pwfile"
  fi
  # A free port: 5432 is often taken by a system cluster.
  port=55432
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port" > "$DATA/port"
  [ "$(id -u)" = 0 ] && chown postgres "$DATA/port"
  # Sockets in the data folder: /var/run/postgresql may not exist or be writable.
  as_owner "$BIN/pg_ctl" -D "$DATA/cluster" -l "$DATA/server.log" -w -t 60 \
    -o "-p $port -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50" start >&2
fi
PORT=$(cat "$DATA/port")

psql_su() { as_owner "$BIN/psql" -h "$DATA" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_su -c "SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME'")" != 1 ]; then
  psql_su -c "CREATE ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_su -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  psql_su -c "CREATE DATABASE $DB OWNER $USER_NAME" >&2
fi

echo "FENDERSEC_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:$PORT/$DB"
echo "FENDERSEC_TEST_JDBC_USER=$USER_NAME"
echo "FENDERSEC_TEST_JDBC_PASSWORD=$PASSWORD"
