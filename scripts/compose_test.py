"""`make test-compose`: docker-compose.yaml started for real, a day run on it, checked, then taken down.

    scripts/compose_test.sh [--day 2025-07-03] [--second-day 2025-07-04] [--keep]

(compose_test.sh makes sure Docker runs first, then calls this with --compose "docker compose" or
"docker-compose".) Steps:

1. Images. The official images (apache/airflow, postgres, redis) are used when they can be pulled, or the
   images named by AIRFLOW_BASE_IMAGE / POSTGRES_IMAGE / REDIS_IMAGE. Otherwise local stand-ins are built from
   Debian packages on a debootstrap base (docker/standins/, docs/compose.md): Airflow from a wheelhouse
   downloaded on the host, PostgreSQL 15 with the official entrypoint's interface, Redis.
2. The project's image (docker/airflow/Dockerfile) is built by compose on that base, and the stack is brought
   up with one Celery worker; every service's healthcheck must pass and airflow-init must exit 0.
3. news_daily runs DAY through the REST API on the worker container; the warehouse's rows for the day must
   equal what `make run` (scripts/run_day.sh) loads for the same day from the same sample site.
4. The stack scales to two workers and runs SECOND_DAY in small batches; both workers must run tasks, and the
   rows must again equal `make run`'s.
5. `down -v`: no container, volume or network of the test's compose project is left.

Prints one line at the end, `compose: services=… healthy=… day=… articles=… media=… workers_used=… build_s=…
run_s=…`, and exits 0; 1 with a message when a check fails.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from airflow_api import Api, RunResult, trigger_day_on  # scripts/, beside this file
from console import progress
from local_site import site
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".run" / "compose"
PROJECT = "newsetl-composetest"  # its own compose project: a user's stack of this folder is not touched
LOGIN = ("airflow", "compose-test")
STANDIN_BASE = "newsetl-standin/debian:bookworm"
# variable in docker-compose.yaml -> (official image, local stand-in, docker/standins/ folder)
IMAGES = {
    "AIRFLOW_BASE_IMAGE": ("apache/airflow:3.3.2-python3.11", "newsetl-standin/airflow:3.3.2", "airflow"),
    "POSTGRES_IMAGE": ("postgres:16", "newsetl-standin/postgres:15", "postgres"),
    "REDIS_IMAGE": ("redis:7.2-bookworm", "newsetl-standin/redis:7", "redis"),
}
# The day's rows by natural keys, as text with the site's scheme, host and port taken out (the stack reads
# http://sample-site:8765, make run a local port): a count and an md5 per table, on either server. No
# content_hash: it hashes the article's JSON, URLs with their host included, so it differs by the host alone.
DIGEST_SQL = r"""
SET TimeZone = 'UTC';
WITH rows AS (
  SELECT 'article' AS t, regexp_replace(ROW(source, source_id, url, title, press, reporters, emails, published_at,
         body_text, paragraphs, parser, modified_at, summary, subheads, section)::text,
         'https?://[^/",)]+', '', 'g') AS r
  FROM news.article WHERE day = '{day}'
  UNION ALL
  SELECT 'media', regexp_replace(ROW(a.source, a.source_id, m.position, m.image_url, m.width, m.caption,
         m.credit)::text, 'https?://[^/",)]+', '', 'g')
  FROM news.media m JOIN news.article a USING (article_id) WHERE a.day = '{day}'
  UNION ALL
  SELECT 'crawl_url', regexp_replace(ROW(source, url, source_id, section, state)::text,
         'https?://[^/",)]+', '', 'g')
  FROM news.crawl_url WHERE day = '{day}'
)
SELECT t, count(*), md5(string_agg(r, E'\n' ORDER BY r)) FROM rows GROUP BY t ORDER BY t;
"""


class Failed(Exception):
    """A check of the test failed: its message is the one line printed."""


def call(cmd: list[str], *, timeout: float = 1800, check: bool = True, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and done.returncode:
        raise Failed(f"`{shlex.join(cmd)}` failed ({done.returncode}): {(done.stderr or done.stdout)[-2000:]}")
    return done


def image_exists(name: str) -> bool:
    return call(["docker", "image", "inspect", name], check=False).returncode == 0


def docker_build(tag: str, context: Path) -> None:
    progress("compose", f"building {tag}")
    call(["docker", "build", "-t", tag, str(context)])


# --- 1. images -------------------------------------------------------------------------------------------


def standin_base() -> None:
    """Debian bookworm (minbase) from debootstrap, imported as STANDIN_BASE: the root of every stand-in."""
    if image_exists(STANDIN_BASE):
        return
    if shutil.which("debootstrap") is None or os.geteuid() != 0:
        raise Failed("no image can be pulled and a Debian base cannot be made here (debootstrap needs root)")
    rootfs = WORK / "rootfs"
    shutil.rmtree(rootfs, ignore_errors=True)
    progress("compose", "debootstrap bookworm (minbase) for the stand-in images")
    try:
        call(["debootstrap", "--variant=minbase", "bookworm", str(rootfs), "http://deb.debian.org/debian"])
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        call(["docker", "import", "-", STANDIN_BASE], stdin=tar.stdout)
        tar.wait()
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)


def wheelhouse(python_version: str) -> Path:
    """The pinned requirements as wheels for the stand-in's Python, downloaded on the host: pip resolves the
    markers for the host's Python, so requirements that only an older patch release needs (python_full_version
    < "3.11.3": async-timeout) are added until none is missing."""
    wheels = WORK / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "-d", str(wheels)]
    reqs = ["-r", str(ROOT / "requirements.txt"), "-c", str(ROOT / "constraints.txt"), "setuptools", "wheel"]
    call([*pip, *reqs])
    for _ in range(5):
        missing = _marker_only_requirements(wheels, python_version)
        if not missing:
            return wheels
        call([*pip, "-c", str(ROOT / "constraints.txt"), *sorted(missing)])
    raise Failed(f"the wheelhouse for Python {python_version} stays incomplete: {sorted(missing)}")


def _marker_only_requirements(wheels: Path, python_version: str) -> set[str]:
    have = {canonicalize_name(parse_wheel_filename(p.name)[0]) for p in wheels.glob("*.whl")}
    env = {"python_full_version": python_version, "python_version": ".".join(python_version.split(".")[:2])}
    missing: set[str] = set()
    for whl in wheels.glob("*.whl"):
        with zipfile.ZipFile(whl) as z:
            meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
            for line in z.read(meta).decode("utf-8", "replace").splitlines():
                if not line.startswith("Requires-Dist:"):
                    continue
                req = Requirement(line.split(":", 1)[1].strip())
                if (
                    req.marker is not None
                    and "extra" not in str(req.marker)
                    and req.marker.evaluate({**env, "extra": ""})
                    and canonicalize_name(req.name) not in have
                ):
                    missing.add(str(req).split(";")[0].strip())
    return missing


def airflow_standin(tag: str) -> None:
    """standins/python, then the wheelhouse for its Python, then standins/airflow on both."""
    python_tag = "newsetl-standin/python:bookworm"
    docker_build(python_tag, ROOT / "docker/standins/python")
    version = call(
        ["docker", "run", "--rm", python_tag, "python3", "-c", "import platform; print(platform.python_version())"]
    ).stdout.strip()
    wheels = wheelhouse(version)
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        ctx = Path(tmp)
        for name in ("Dockerfile", "entrypoint"):
            shutil.copy2(ROOT / "docker/standins/airflow" / name, ctx / name)
        for name in ("requirements.txt", "constraints.txt"):
            shutil.copy2(ROOT / name, ctx / name)
        shutil.copytree(wheels, ctx / "wheels", copy_function=os.link)
        docker_build(tag, ctx)


def choose_images() -> tuple[dict[str, str], list[str]]:
    """variable -> image for compose, and the names of the services whose image is a stand-in."""
    chosen: dict[str, str] = {}
    standins: list[str] = []
    for var, (official, standin, folder) in IMAGES.items():
        given = os.environ.get(var)
        if given:
            chosen[var] = given
            continue
        if image_exists(official) or call(["docker", "pull", official], check=False, timeout=900).returncode == 0:
            chosen[var] = official
            continue
        progress("compose", f"{official} cannot be pulled: building the stand-in {standin}")
        standin_base()
        if folder == "airflow":
            airflow_standin(standin)
        else:
            docker_build(standin, ROOT / "docker/standins" / folder)
        chosen[var] = standin
        standins.append(folder)
    return chosen, standins


# --- 2. the stack ----------------------------------------------------------------------------------------


class Compose:
    """The repository's docker-compose.yaml as project PROJECT, plus a test override (only triggered runs)."""

    def __init__(self, command: str, env: dict[str, str], override: Path) -> None:
        self.base = [*shlex.split(command), "-p", PROJECT, "-f", str(ROOT / "docker-compose.yaml"), "-f", str(override)]
        self.env = env

    def __call__(self, *args: str, timeout: float = 1800, check: bool = True) -> subprocess.CompletedProcess:
        return call([*self.base, *args], timeout=timeout, check=check, env=self.env, cwd=ROOT)

    def containers(self) -> list[dict]:
        """Every container of the project (stopped ones too): name, service, state, health, hostname."""
        ids = call(["docker", "ps", "-aq", "--filter", f"label=com.docker.compose.project={PROJECT}"]).stdout.split()
        if not ids:
            return []
        fmt = (
            '{{.Name}}|{{index .Config.Labels "com.docker.compose.service"}}|{{.State.Status}}|'
            "{{if .State.Health}}{{.State.Health.Status}}{{end}}|{{.Config.Hostname}}|{{.State.ExitCode}}"
        )
        out = call(["docker", "inspect", "--format", fmt, *ids]).stdout.splitlines()
        keys = ("name", "service", "status", "health", "hostname", "exit_code")
        return [dict(zip(keys, line.split("|"), strict=True)) for line in out]


def write_override(path: Path) -> None:
    """The test's setting on every Airflow service: the scheduler makes no nightly run of its own, only the
    triggered days run (as in tests/test_celery.py)."""
    services = yaml.safe_load((ROOT / "docker-compose.yaml").read_text(encoding="utf-8"))["services"]
    env = {"AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False"}
    override = {"services": {name: {"environment": env} for name in services if name.startswith("airflow-")}}
    path.write_text(yaml.safe_dump(override), encoding="utf-8")


def wait_healthy(compose: Compose, expected: dict[str, int], timeout_s: float = 600) -> list[dict]:
    """Wait until every expected service has its number of running, healthy containers and airflow-init has
    exited 0; fails naming the services that are not."""
    deadline = time.monotonic() + timeout_s
    while True:
        containers = compose.containers()
        init = [c for c in containers if c["service"] == "airflow-init"]
        if any(c["status"] == "exited" and c["exit_code"] != "0" for c in init):
            logs = compose("logs", "--no-color", "--tail", "40", "airflow-init", check=False).stdout
            raise Failed(f"airflow-init failed:\n{logs}")
        healthy = {s: sum(c["service"] == s and c["health"] == "healthy" for c in containers) for s in expected}
        if all(healthy[s] >= n for s, n in expected.items()):
            return [c for c in containers if c["service"] in expected]
        if time.monotonic() > deadline:
            bad = sorted(s for s, n in expected.items() if healthy[s] < n)
            logs = compose("logs", "--no-color", "--tail", "30", *bad, check=False).stdout
            raise Failed(f"not healthy after {timeout_s:.0f}s: {', '.join(bad)}\n{logs[-6000:]}")
        time.sleep(3)


def warehouse_digest(compose: Compose, day: str) -> list[tuple[str, int, str]]:
    sql = DIGEST_SQL.format(day=day)
    out = compose("exec", "-T", "postgres", "psql", "-U", "airflow", "-d", "news", "-At", "-F", "|", "-c", sql).stdout
    return _rows(out)


def _rows(psql_out: str) -> list[tuple[str, int, str]]:
    rows = [line.split("|") for line in psql_out.splitlines() if line.count("|") == 2]
    return [(t, int(n), md5) for t, n, md5 in rows]


# --- 3. the reference: make run's script for the same days -----------------------------------------------


def reference_digests(days: list[str]) -> dict[str, list[tuple[str, int, str]]]:
    """scripts/run_day.sh (make run) for each day into a warehouse of its own, from a local sample site."""
    from airflow_metadata import metadata_url

    from newsetl.db import empty_tables, engine, sibling_database
    from newsetl.migrate import upgrade

    url = sibling_database("_composeref")
    upgrade(url)
    empty_tables(engine(url))
    out: dict[str, list[tuple[str, int, str]]] = {}
    with site() as site_url:
        env = {
            **os.environ,
            "NEWS_WAREHOUSE_URL": url.render_as_string(hide_password=False),
            "NEWS_SAMPLE_SITE_URL": site_url,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url().render_as_string(hide_password=False),
        }
        for day in days:
            progress("compose", f"make run's script for {day} (the reference)")
            call([str(ROOT / "scripts/run_day.sh"), day], env=env, timeout=900)
            psql_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
            sql = DIGEST_SQL.format(day=day)
            out[day] = _rows(call(["psql", psql_url, "-At", "-F", "|", "-c", sql]).stdout)
    return out


# --- 4. the run ------------------------------------------------------------------------------------------


def check_stack_day(result: RunResult, digest: list, reference: list, day: str) -> None:
    if result.state != "success":
        failed = sorted({ti["task_id"] for ti in result.task_instances if ti["state"] != "success"})
        raise Failed(f"the run of {day} ended {result.state}; tasks not successful: {failed}")
    if digest != reference:
        raise Failed(f"the stack's warehouse for {day} differs from make run's: {digest} != {reference}")
    counts = {t: n for t, n, _ in digest}
    if not counts.get("article"):
        raise Failed(f"no article was loaded for {day}")


def check_logs(api: Api, result: RunResult, workers: set[str]) -> None:
    """The UI's view of a task's log, through the REST API, for a task each worker ran: the api-server must
    read it (from the shared log volume), not a secret_key complaint from a worker's log server."""
    for worker in sorted(workers):
        ti = next(t for t in result.task_instances if t["hostname"] == worker and t["state"] == "success")
        path = (
            f"/api/v2/dags/news_daily/dagRuns/{result.run_id}/taskInstances/{ti['task_id']}/logs/"
            f"{ti['try_number']}?map_index={ti['map_index']}"
        )
        events = [str(e.get("event", "")) for e in api.call(path)["content"] if isinstance(e, dict)]
        on_volume = any(e.startswith("/opt/airflow/logs/dag_id=news_daily/") for e in events)
        if not on_volume or not any(e.startswith("Done. Returned value") for e in events):
            raise Failed(f"the log of {ti['task_id']} (worker {worker}) cannot be read through the API: {events[:5]}")


@contextmanager
def stack(compose: Compose, keep: bool) -> Iterator[None]:
    try:
        yield
    finally:
        if keep:
            progress("compose", f"--keep: the stack stays up (project {PROJECT}); take it down with down -v")
        else:
            progress("compose", "down -v")
            compose("down", "-v", "--remove-orphans", timeout=600, check=False)


def leftovers() -> list[str]:
    label = f"label=com.docker.compose.project={PROJECT}"
    found = []
    for kind, cmd in (
        ("container", ["docker", "ps", "-aq", "--filter", label]),
        ("volume", ["docker", "volume", "ls", "-q", "--filter", label]),
        ("network", ["docker", "network", "ls", "-q", "--filter", label]),
    ):
        found += [f"{kind} {x}" for x in call(cmd).stdout.split()]
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compose", default="docker-compose", help="the compose command")
    parser.add_argument("--day", default="2025-07-03", help="the KST day run on one worker")
    parser.add_argument("--second-day", default="2025-07-04", help="the KST day run on two workers")
    parser.add_argument("--keep", action="store_true", help="leave the stack up at the end")
    args = parser.parse_args(argv)
    from local_site import free_port

    WORK.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    images, standins = choose_images()
    port = free_port()
    env = {
        **os.environ,
        **images,
        "AIRFLOW_IMAGE_NAME": "newsetl-airflow:composetest",
        "AIRFLOW_API_PORT": str(port),
        "AIRFLOW_WORKER_CONCURRENCY": "2",
        "_AIRFLOW_WWW_USER_USERNAME": LOGIN[0],
        "_AIRFLOW_WWW_USER_PASSWORD": LOGIN[1],
    }
    override = WORK / "override.yaml"
    write_override(override)
    compose = Compose(args.compose, env, override)
    compose("down", "-v", "--remove-orphans", check=False)  # what a killed earlier run left
    progress("compose", "building the project's image (docker/airflow/Dockerfile)")
    compose("build")
    build_s = time.monotonic() - t0

    t1 = time.monotonic()
    reference = subprocess_reference(args.day, args.second_day)
    with stack(compose, args.keep):
        progress("compose", "up -d (one worker)")
        compose("up", "-d")
        long_running = {"postgres", "redis", "sample-site", "airflow-apiserver", "airflow-scheduler",
                        "airflow-dag-processor", "airflow-triggerer", "airflow-worker"}  # fmt: skip
        wait_healthy(compose, dict.fromkeys(long_running, 1))
        api = Api(f"http://127.0.0.1:{port}", *LOGIN)
        api.wait_for_dag(timeout_s=300)
        api.call("/api/v2/dags/news_daily", {"is_paused": False}, method="PATCH")
        refs = reference()

        progress("compose", f"news_daily {args.day} on one worker")
        first = trigger_day_on(api, args.day, {}, "compose")
        digest = warehouse_digest(compose, args.day)
        check_stack_day(first, digest, refs[args.day], args.day)

        progress("compose", "scaling to two workers")
        compose("up", "-d", "--no-recreate", "--scale", "airflow-worker=2")
        containers = wait_healthy(compose, {**dict.fromkeys(long_running, 1), "airflow-worker": 2})
        workers = {c["hostname"] for c in containers if c["service"] == "airflow-worker"}
        progress("compose", f"news_daily {args.second_day} on two workers, batches of 10")
        second = trigger_day_on(api, args.second_day, {"batch_size": 10}, "compose")
        check_stack_day(second, warehouse_digest(compose, args.second_day), refs[args.second_day], args.second_day)
        used = set(second.by_worker()) & workers
        if used != workers:
            raise Failed(f"not every worker ran tasks of {args.second_day}: {second.by_worker()} (workers {workers})")
        check_logs(api, second, workers)
        healthy = sum(c["health"] == "healthy" for c in containers)
    left = [] if args.keep else leftovers()
    if left:
        raise Failed(f"down -v left {', '.join(left)}")
    run_s = time.monotonic() - t1
    counts = {t: n for t, n, _ in digest}
    progress("compose", f"images: {images} (stand-ins: {', '.join(standins) or 'none'})")
    print(
        f"compose: services={len(long_running)} healthy={healthy}/{len(containers)} day={args.day} "
        f"articles={counts['article']} media={counts.get('media', 0)} workers_used={len(used)} "
        f"build_s={build_s:.0f} run_s={run_s:.0f}"
    )
    return 0


def subprocess_reference(*days: str):
    """make run's script for the days in a thread while the stack starts; the returned call waits for it."""
    import concurrent.futures

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    future = pool.submit(reference_digests, list(days))
    pool.shutdown(wait=False)
    return future.result


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Failed as exc:
        print(f"test-compose: FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
