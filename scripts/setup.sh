#!/usr/bin/env bash
# Everything `make run` and `make test` need, each step skipped when already done:
# virtualenv + pinned install, the embedded Postgres (unless NEWS_WAREHOUSE_URL), warehouse migrations,
# Airflow's metadata database (scripts/airflow_metadata.py: <db>_airflow beside your own warehouse).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for cand in python3.11 python3.12 python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 13))'; then
      PY="$cand"; break
    fi
  done
fi
[ -n "$PY" ] || { echo "setup: Python 3.11 or 3.12 is needed (python3.11 not found)." >&2; exit 1; }

# 1. virtualenv and dependencies (redone only when requirements*/constraints/pyproject change);
#    requirements-dev.txt (trafilatura, for the accuracy report) is for development only, not the DAG.
STAMP=.venv/.installed
WANT="$(cat requirements.txt requirements-dev.txt constraints.txt pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $PY" >&2
  "$PY" -m venv .venv
fi
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  echo "setup: installing pinned dependencies (requirements.txt + constraints.txt)" >&2
  LOG=.venv/install.log
  { .venv/bin/python -m pip install --upgrade "pip>=24" &&
    .venv/bin/python -m pip install -r requirements.txt -r requirements-dev.txt -c constraints.txt &&
    .venv/bin/python -m pip install --no-deps -e . ; } >"$LOG" 2>&1 || {
    tail -n 30 "$LOG" >&2; echo "setup: pip install failed (full log: $LOG)" >&2; exit 1; }
  echo "$WANT" > "$STAMP"
fi
# Airflow's metadata URL needs the virtualenv (scripts/airflow_metadata.py): derived now if it was not before.
[ -n "${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-}" ] || source scripts/env.sh

# 2. the warehouse
if [ "$NEWS_EMBEDDED_PG" = 1 ]; then
  scripts/pg.sh start
fi
.venv/bin/newsetl migrate

# 3. Airflow's metadata database (<db>_airflow beside your own warehouse is created when missing; migrated once,
#    `airflow db check-migrations` is quick when current)
mkdir -p "$AIRFLOW_HOME"
[ "$NEWS_EMBEDDED_PG" = 1 ] || .venv/bin/python scripts/airflow_metadata.py --create >/dev/null
if ! .venv/bin/airflow db check-migrations -t 0 >/dev/null 2>&1; then
  echo "setup: migrating Airflow's metadata database" >&2
  .venv/bin/airflow db migrate >"$AIRFLOW_HOME/db-migrate.log" 2>&1 || {
    tail -n 30 "$AIRFLOW_HOME/db-migrate.log" >&2; exit 1; }
  rm -f "$AIRFLOW_HOME/.pool"
fi

# 4. the pool the network tasks share (name and slots from sources.yaml), once per change
eval "$(.venv/bin/newsetl airflow-env)"
if [ "$(cat "$AIRFLOW_HOME/.pool" 2>/dev/null)" != "$NEWS_FETCH_POOL:$NEWS_FETCH_POOL_SLOTS" ]; then
  .venv/bin/airflow pools set "$NEWS_FETCH_POOL" "$NEWS_FETCH_POOL_SLOTS" "news_daily network tasks (sources.yaml fetch_pool)" >/dev/null 2>&1
  echo "$NEWS_FETCH_POOL:$NEWS_FETCH_POOL_SLOTS" > "$AIRFLOW_HOME/.pool"
fi

# 5. Debian tools the tests drive: Chromium for the browser test (tests/test_ui_backfill.py) and redis-server,
#    the Celery broker (tests/test_celery.py, make celery). Installed when missing and we are root; the outcome
#    is recorded in .run/<tool> (the path, or why not) so a test fails, not skips, where it should have worked.
debian_tool() {  # debian_tool COMMAND PACKAGE
  local cmd="$1" pkg="$2" record=".run/$1"
  [ -f "$record" ] && grep -q '^/' "$record" && [ -x "$(cat "$record")" ] && return 0
  mkdir -p .run
  if command -v "$cmd" >/dev/null 2>&1; then
    command -v "$cmd" > "$record"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's $pkg" >&2
    if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
       DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null 2>&1 &&
       command -v "$cmd" >/dev/null 2>&1; then
      command -v "$cmd" > "$record"
    else
      echo "install-failed: apt-get install $pkg failed" > "$record"
    fi
  else
    echo "not-installable: $cmd is missing and this user cannot install Debian packages" > "$record"
  fi
}
debian_tool chromium chromium
debian_tool redis-server redis-server
