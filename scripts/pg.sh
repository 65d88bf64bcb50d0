#!/usr/bin/env bash
# The project's own Postgres cluster: initdb into .pgdata (git-ignored), listen on 127.0.0.1:$NEWS_PG_PORT.
# Usage: scripts/pg.sh start|stop|restart|status|url
# Never touches a cluster it did not create; does nothing when NEWS_WAREHOUSE_URL is set (start/stop).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGDATA="${NEWS_PGDATA:-$ROOT/.pgdata}"
PORT="${NEWS_PG_PORT:-55432}"
DB="${NEWS_PG_DB:-news}"
LOG="$PGDATA/../.pgdata.log"
SOCKDIR="$PGDATA/run"

# Postgres runs as the postgres user when we are root; if that user cannot reach the project folder
# (a clone under /root, say), the cluster lives in /var/tmp, named after the folder, with .pgdata a link to it.
resolve_pgdata() {
  [ -z "${NEWS_PGDATA:-}" ] && [ "$(id -u)" = 0 ] && id -u postgres >/dev/null 2>&1 || return 0
  runuser -u postgres -- test -x "$ROOT" 2>/dev/null && return 0
  PGDATA="/var/tmp/newsetl-pgdata-$(printf %s "$ROOT" | sha1sum | cut -c1-12)"
  LOG="$PGDATA.log"
  SOCKDIR="$PGDATA/run"
  [ -e "$ROOT/.pgdata" ] || ln -s "$PGDATA" "$ROOT/.pgdata"
}

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return 0
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return 0; fi
  return 1
}

ensure_binaries() {
  if BIN="$(find_bindir)"; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "pg: PostgreSQL server binaries not found; installing Debian's postgresql package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    BIN="$(find_bindir)" && return 0
  fi
  echo "pg: PostgreSQL server binaries (initdb, pg_ctl) are missing: install PostgreSQL 13 or newer (Debian/Ubuntu: 'sudo apt-get install postgresql') or set NEWS_WAREHOUSE_URL to a database you run." >&2
  exit 1
}

# Postgres refuses to run as root: as root, run the server as the 'postgres' system user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    (cd / && runuser -u postgres -- "$@")  # from /: the project folder may be closed to that user
  else
    "$@"
  fi
}

running() { [ -f "$PGDATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

start() {
  ensure_binaries
  resolve_pgdata
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    echo "pg: creating cluster in $PGDATA" >&2
    mkdir -p "$PGDATA"
    [ "$(id -u)" = 0 ] && { as_owner true; chown postgres: "$PGDATA"; chmod 700 "$PGDATA"; }
    if ! as_owner test -w "$PGDATA"; then
      echo "pg: the postgres user cannot write $PGDATA (a parent folder is not traversable); clone the project under a world-readable path or set NEWS_PGDATA." >&2
      exit 1
    fi
    as_owner "$BIN/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCKDIR'
max_connections = 200
shared_buffers = 256MB
fsync = on
CONF
    as_owner mkdir -p "$SOCKDIR"
  fi
  if ! running; then
    touch "$LOG"; [ "$(id -u)" = 0 ] && chown postgres: "$LOG"
    as_owner mkdir -p "$SOCKDIR"
    as_owner "$BIN/pg_ctl" -D "$PGDATA" -l "$LOG" -o "-p $PORT" -w -t 60 start >/dev/null || {
      echo "pg: the cluster did not start; last lines of $LOG:" >&2; tail -n 20 "$LOG" >&2; exit 1; }
  fi
  for db in "$DB" airflow; do
    if ! as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
      as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$db"
    fi
  done
}

stop() {
  BIN="$(find_bindir)" || exit 0
  resolve_pgdata
  if running; then as_owner "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null && echo "pg: stopped"; fi
}

restart() {
  ensure_binaries
  resolve_pgdata
  running || { start; return; }
  as_owner "$BIN/pg_ctl" -D "$PGDATA" -l "$LOG" -o "-p $PORT" -m fast -w -t 60 restart >/dev/null
}

case "${1:-}" in
  restart) if [ -n "${NEWS_WAREHOUSE_URL:-}" ]; then echo "pg: NEWS_WAREHOUSE_URL is set; not restarting a server this project did not start" >&2; exit 1; fi; restart ;;
  start) if [ -n "${NEWS_WAREHOUSE_URL:-}" ]; then exit 0; fi; start ;;
  stop) stop ;;
  status) ensure_binaries; resolve_pgdata; if running; then echo "running on 127.0.0.1:$PORT"; else echo "stopped"; exit 3; fi ;;
  url) echo "postgresql+psycopg2://postgres@127.0.0.1:$PORT/$DB" ;;
  *) echo "usage: $0 start|stop|restart|status|url" >&2; exit 2 ;;
esac
