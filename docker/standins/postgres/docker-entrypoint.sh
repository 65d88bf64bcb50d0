#!/bin/bash
# Stand-in for the official postgres image's entrypoint, the part the compose file uses: on the first start
# with an empty PGDATA, a cluster whose superuser is POSTGRES_USER (default postgres) with POSTGRES_PASSWORD,
# the database POSTGRES_DB (default: the user's name), then /docker-entrypoint-initdb.d/*.sql and *.sh in
# name order; password login over TCP from anywhere, as the official image allows; then postgres as user
# postgres.
set -euo pipefail
if [ "${1:-}" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec gosu postgres "$0" "$@"
fi
if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?the postgres stand-in needs POSTGRES_PASSWORD, as the official image does}"
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  # init scripts run on a server nobody else can reach yet (socket only)
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  psql=(psql -v ON_ERROR_STOP=1 --username "$user" --no-password)
  if [ "$db" != postgres ]; then "${psql[@]}" --dbname postgres -c "CREATE DATABASE \"$db\""; fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) echo "docker-entrypoint.sh: running $f"; "${psql[@]}" --dbname "$db" -f "$f" ;;
      *.sh) echo "docker-entrypoint.sh: running $f"; . "$f" ;;
      *) [ -e "$f" ] && echo "docker-entrypoint.sh: ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "docker-entrypoint.sh: initialised $PGDATA for $user, database $db"
fi
exec "$@"
