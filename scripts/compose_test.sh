#!/usr/bin/env bash
# `make test-compose`: docker-compose.yaml started for real (scripts/compose_test.py). This part makes sure a
# Docker engine and a compose command are there: it installs Debian's docker.io, docker-compose and debootstrap
# and starts dockerd when it can (root on Debian), and otherwise exits 2 (skipped) with one sentence saying why.
# A dockerd started here is stopped again at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

skip() { echo "test-compose: skipped: $*" >&2; exit 2; }
is_root() { [ "$(id -u)" = 0 ]; }
can_apt() { is_root && command -v apt-get >/dev/null; }

missing=()
command -v dockerd >/dev/null || command -v docker >/dev/null || missing+=(docker.io)
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  can_apt || skip "Docker is not installed (missing: ${missing[*]}) and this user cannot install it (needs root on Debian)."
  echo "test-compose: installing ${missing[*]} with apt-get" >&2
  mkdir -p .run
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >.run/compose-apt.log 2>&1 \
    || skip "installing ${missing[*]} with apt-get failed (see .run/compose-apt.log)."
fi

started_dockerd=""
if ! docker info >/dev/null 2>&1; then
  is_root || skip "no Docker engine is running and this user cannot start one (needs root)."
  command -v dockerd >/dev/null || skip "no Docker engine is running and dockerd is not installed."
  echo "test-compose: starting dockerd (log in .run/dockerd.log)" >&2
  mkdir -p .run
  setsid nohup dockerd >.run/dockerd.log 2>&1 &
  started_dockerd=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || skip "dockerd did not start here (see .run/dockerd.log: often no overlay or cgroup support in this sandbox)."
fi
stop_dockerd() {
  if [ -n "$started_dockerd" ]; then kill "$started_dockerd" 2>/dev/null || true; wait "$started_dockerd" 2>/dev/null || true; fi
}
trap stop_dockerd EXIT

driver=$(docker info --format '{{.Driver}}' 2>/dev/null || true)
case "$driver" in
  overlay2 | overlay | fuse-overlayfs) ;;
  *) skip "Docker runs here without overlay support (storage driver '${driver:-unknown}'), so images cannot be built in reasonable time." ;;
esac

if docker compose version >/dev/null 2>&1; then compose="docker compose"; else compose="docker-compose"; fi
status=0
.venv/bin/python scripts/compose_test.py --compose "$compose" "$@" || status=$?
exit $status
