#!/usr/bin/env bash
# `make run DATE=YYYY-MM-DD`: run the news_daily DAG for one KST day through Airflow (`airflow dags test`),
# then print what landed in the warehouse.
set -euo pipefail
DAY="${1:?usage: run_day.sh YYYY-MM-DD}"
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
[[ "$DAY" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || { echo "DATE must be YYYY-MM-DD, got '$DAY'" >&2; exit 2; }
scripts/sample_site.sh start
eval "$(.venv/bin/newsetl airflow-env)"
LOG="$AIRFLOW_HOME/logs/make-run-$DAY.log"
mkdir -p "$(dirname "$LOG")"
echo "news_daily: running $DAY (KST) through Airflow; log in ${LOG#$ROOT/}" >&2
start=$(date +%s)
if ! .venv/bin/airflow dags test news_daily "$DAY" -c "{\"day\": \"$DAY\"}" >"$LOG" 2>&1; then
  tail -n 40 "$LOG" >&2
  echo "news_daily: the run for $DAY failed (full log: $LOG)" >&2
  exit 1
fi
state=$(grep -oE "state=(success|failed)" "$LOG" | tail -n 1 || true)
echo "news_daily: dag run for $DAY finished (${state:-state unknown}) in $(( $(date +%s) - start ))s" >&2
grep -q "state=success" "$LOG" || { tail -n 40 "$LOG" >&2; exit 1; }
# What the asset event of that run starts under a scheduler: news_stories for the same day.
SLOG="$AIRFLOW_HOME/logs/make-run-stories-$DAY.log"
if ! .venv/bin/airflow dags test news_stories "$DAY" -c "{\"day\": \"$DAY\"}" >"$SLOG" 2>&1 || ! grep -q "state=success" "$SLOG"; then
  tail -n 40 "$SLOG" >&2
  echo "news_stories: the run for $DAY failed (full log: $SLOG)" >&2
  exit 1
fi
.venv/bin/newsetl report "$DAY"
