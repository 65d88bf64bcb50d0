#!/usr/bin/env bash
# `make airflow`: Airflow 3 in the background (api-server, scheduler, dag-processor, triggerer; LocalExecutor),
# metadata in the project's Postgres (database "airflow"), the sample site and the warehouse connection.
# Usage: scripts/airflow.sh start|stop|status
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
RUN="${NEWS_AIRFLOW_RUN:-.run/airflow}"
mkdir -p "$RUN"
export AIRFLOW__CORE__EXECUTOR="${AIRFLOW__CORE__EXECUTOR:-LocalExecutor}"
export AIRFLOW_PORT="${AIRFLOW_PORT:-8080}"
export AIRFLOW__API__PORT="$AIRFLOW_PORT"
export AIRFLOW__API__HOST=127.0.0.1
export AIRFLOW__API__BASE_URL="http://127.0.0.1:$AIRFLOW_PORT"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$AIRFLOW_PORT/execution/"
export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-8}"
export AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC=2
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=30
# One local login, printed below: the simple auth manager reads user:role and a passwords file.
export AIRFLOW__CORE__AUTH_MANAGER=airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="admin:admin"
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$AIRFLOW_HOME/passwords.json"
[ -f "$AIRFLOW_HOME/passwords.json" ] || echo '{"admin": "admin"}' > "$AIRFLOW_HOME/passwords.json"
COMPONENTS="api-server scheduler dag-processor triggerer"

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

case "${1:-start}" in
  start)
    [ "$NEWS_EMBEDDED_PG" = 1 ] || [ -n "${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN##sqlite*}" ] || {
      echo "airflow: a running Airflow needs Postgres metadata; set AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" >&2; exit 1; }
    scripts/sample_site.sh start
    eval "$(.venv/bin/newsetl airflow-env)"
    for c in $COMPONENTS; do
      alive "$c" && continue
      # setsid: a process group per component, so stop can end it with its children
      setsid nohup .venv/bin/airflow $c >"$RUN/$c.log" 2>&1 < /dev/null &
      echo $! > "$RUN/$c.pid"
    done
    for _ in $(seq 1 120); do
      if .venv/bin/python -c "import urllib.request,sys; urllib.request.urlopen('$AIRFLOW__API__BASE_URL/api/v2/version', timeout=2)" 2>/dev/null; then
        echo "Airflow UI: $AIRFLOW__API__BASE_URL  (login: admin / admin)"
        exit 0
      fi
      sleep 1
    done
    echo "airflow: the api-server did not answer on $AIRFLOW__API__BASE_URL; see $RUN/api-server.log" >&2; exit 1 ;;
  stop)
    for c in $COMPONENTS; do
      if alive "$c"; then kill -TERM -- "-$(cat "$RUN/$c.pid")" 2>/dev/null || true; fi
    done
    for c in $COMPONENTS; do
      for _ in $(seq 1 30); do alive "$c" || break; sleep 0.5; done
      alive "$c" && kill -KILL -- "-$(cat "$RUN/$c.pid")" 2>/dev/null || true
      rm -f "$RUN/$c.pid"
    done
    echo "airflow: stopped" ;;
  status)
    for c in $COMPONENTS; do if alive "$c"; then echo "$c: running"; else echo "$c: stopped"; fi; done ;;
esac
