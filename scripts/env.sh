# Sourced by the Makefile and .ci/run: the project's environment, derived in one place.
# - The warehouse: NEWS_WAREHOUSE_URL if the user set it, else the embedded cluster (scripts/pg.sh).
# - Airflow: AIRFLOW_HOME in .airflow/; metadata in AIRFLOW__DATABASE__SQL_ALCHEMY_CONN if set, else in
#   <db>_airflow beside NEWS_WAREHOUSE_URL's database, else in the embedded cluster's "airflow" database
#   (scripts/airflow_metadata.py); the `news_warehouse` connection from the warehouse URL.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NEWS_ROOT="$ROOT"
export NEWS_PG_PORT="${NEWS_PG_PORT:-55432}"
export NEWS_SAMPLE_PORT="${NEWS_SAMPLE_PORT:-8765}"
export NEWS_SAMPLE_SITE_URL="${NEWS_SAMPLE_SITE_URL:-http://127.0.0.1:$NEWS_SAMPLE_PORT}"
if [ -n "${NEWS_WAREHOUSE_URL:-}" ]; then
  export NEWS_EMBEDDED_PG=0
else
  export NEWS_EMBEDDED_PG=1
fi

export AIRFLOW_HOME="${NEWS_AIRFLOW_HOME:-$ROOT/.airflow}"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__PLUGINS_FOLDER="$ROOT/plugins"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__UNIT_TEST_MODE=False
export AIRFLOW__LOGGING__BASE_LOG_FOLDER="$AIRFLOW_HOME/logs"
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
# Airflow's metadata URL comes from scripts/airflow_metadata.py (the one place it is derived), once the
# virtualenv is installed (scripts/setup.sh sources this file again after installing it).
if [ -z "${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-}" ] && [ -f "$ROOT/.venv/.installed" ]; then
  AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="$("$ROOT/.venv/bin/python" "$ROOT/scripts/airflow_metadata.py")" || return 1
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN
fi
export PATH="$ROOT/.venv/bin:$PATH"
