#!/usr/bin/env bash
# Start (if not answering) or stop the offline sample news site on 127.0.0.1:$NEWS_SAMPLE_PORT.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
PIDFILE=.run/sample_site.pid
mkdir -p .run
answering() { .venv/bin/python - "$NEWS_SAMPLE_SITE_URL/robots.txt" <<'PY' >/dev/null 2>&1
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2).read()
PY
}
case "${1:-start}" in
  start)
    answering && exit 0
    nohup .venv/bin/newsetl-tools sample-site --host 127.0.0.1 --port "$NEWS_SAMPLE_PORT" >.run/sample_site.log 2>&1 &
    echo $! > "$PIDFILE"
    for _ in $(seq 1 50); do answering && exit 0; sleep 0.2; done
    echo "sample site did not start on port $NEWS_SAMPLE_PORT; see .run/sample_site.log" >&2; exit 1 ;;
  stop)
    if [ -f "$PIDFILE" ]; then kill "$(cat "$PIDFILE")" 2>/dev/null && echo "sample site: stopped"; rm -f "$PIDFILE"; fi ;;
esac
