# Sourced by the Makefile and .ci/run: the project's environment, derived in one place.
# - The warehouse: NEWS_WAREHOUSE_URL if the user set it, else the embedded cluster (scripts/pg.sh).
# - Airflow: AIRFLOW_HOME in .airflow/, metadata in the embedded cluster's "airflow" database
#   (or AIRFLOW__DATABASE__SQL_ALCHEMY_CONN if set; a SQLite file when an external warehouse is used),
#   and the `news_warehouse` connection from the warehouse URL.
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
if [ -z "${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-}" ]; then
  if [ "$NEWS_EMBEDDED_PG" = 1 ]; then
    export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg2://postgres@127.0.0.1:$NEWS_PG_PORT/airflow"
  else
    export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$AIRFLOW_HOME/airflow.db"
  fi
fi
export PATH="$ROOT/.venv/bin:$PATH"
