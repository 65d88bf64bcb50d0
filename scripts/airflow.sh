#!/usr/bin/env bash
# `make airflow`: Airflow 3 in the background (api-server, scheduler, dag-processor, triggerer; LocalExecutor),
# metadata in Postgres (scripts/airflow_metadata.py: the embedded cluster's "airflow" database, or <db>_airflow
# beside your own warehouse), the sample site and the warehouse connection.
# `make celery` (AIRFLOW__CORE__EXECUTOR=CeleryExecutor): the same plus Redis as the broker (Debian's
# redis-server on 127.0.0.1:$NEWS_REDIS_PORT) and $NEWS_CELERY_WORKERS Celery workers named worker-1, worker-2 …
# (each records its name as the hostname of the task instances it runs: news_airflow.worker_hostname).
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
WORKERS=""
if [ "$AIRFLOW__CORE__EXECUTOR" = CeleryExecutor ]; then
  export NEWS_REDIS_PORT="${NEWS_REDIS_PORT:-56379}"
  export AIRFLOW__CELERY__BROKER_URL="${AIRFLOW__CELERY__BROKER_URL:-redis://127.0.0.1:$NEWS_REDIS_PORT/0}"
  # task results in Airflow's own metadata database, as in Airflow's docker-compose file
  export AIRFLOW__CELERY__RESULT_BACKEND="${AIRFLOW__CELERY__RESULT_BACKEND:-db+${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN}}"
  export AIRFLOW__CELERY__WORKER_CONCURRENCY="${AIRFLOW__CELERY__WORKER_CONCURRENCY:-2}"
  for i in $(seq 1 "${NEWS_CELERY_WORKERS:-2}"); do WORKERS="$WORKERS worker-$i"; done
fi

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }
# every component this run directory has a pid file for (stop also ends workers of an earlier start)
started() { for f in "$RUN"/*.pid; do [ -e "$f" ] && basename "$f" .pid; done; }

start_redis() {
  alive redis && return 0
  local bin
  bin="$(cat .run/redis-server 2>/dev/null || true)"
  [ -x "$bin" ] || { echo "airflow: redis-server is not installed (${bin:-run make setup}); the CeleryExecutor needs it" >&2; exit 1; }
  setsid nohup "$bin" --bind 127.0.0.1 --port "$NEWS_REDIS_PORT" --save "" --appendonly no --dir "$RUN" \
    >"$RUN/redis.log" 2>&1 < /dev/null &
  echo $! > "$RUN/redis.pid"
  for _ in $(seq 1 50); do
    .venv/bin/python -c "import redis; redis.Redis(port=$NEWS_REDIS_PORT, socket_timeout=1).ping()" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "airflow: redis did not answer on 127.0.0.1:$NEWS_REDIS_PORT; see $RUN/redis.log" >&2; exit 1
}

start_worker() {  # one Celery worker: its own name, and its own port for serving task logs
  local name="$1" i="${1#worker-}"
  alive "$name" && return 0
  NEWS_WORKER_NAME="$name" AIRFLOW__CORE__HOSTNAME_CALLABLE=news_airflow.worker_hostname \
    AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT="$(( ${NEWS_WORKER_LOG_PORT_BASE:-18792} + i ))" \
    setsid nohup .venv/bin/airflow celery worker --celery-hostname "$name@%h" --without-gossip --without-mingle \
    >"$RUN/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
}

case "${1:-start}" in
  start)
    [ -n "${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN##sqlite*}" ] || {
      echo "airflow: a running Airflow needs Postgres metadata; point AIRFLOW__DATABASE__SQL_ALCHEMY_CONN at Postgres" \
        "or unset it (then: <db>_airflow beside the warehouse, scripts/airflow_metadata.py)" >&2; exit 1; }
    scripts/sample_site.sh start
    eval "$(.venv/bin/newsetl airflow-env)"
    [ -z "$WORKERS" ] || start_redis
    for w in $WORKERS; do start_worker "$w"; done
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
    ALL="$(started)"
    for c in $ALL; do
      if alive "$c"; then kill -TERM -- "-$(cat "$RUN/$c.pid")" 2>/dev/null || true; fi
    done
    for c in $ALL; do
      for _ in $(seq 1 30); do alive "$c" || break; sleep 0.5; done
      alive "$c" && kill -KILL -- "-$(cat "$RUN/$c.pid")" 2>/dev/null || true
      rm -f "$RUN/$c.pid"
    done
    echo "airflow: stopped" ;;
  status)
    for c in $COMPONENTS ${WORKERS:+redis} $WORKERS; do if alive "$c"; then echo "$c: running"; else echo "$c: stopped"; fi; done ;;
esac
