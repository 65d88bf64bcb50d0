"""Bring your own Postgres: the project's real commands against a second, separate Postgres server.

A PostgreSQL cluster of the test's own (initdb into a temp folder with the server binaries scripts/pg.sh uses, on
a free loopback port) stands for the user's server: a role with a password (one that needs quoting in a URL)
owns the database ``byo_news`` and may create databases but not roles (the server's admin made news_reader, the
read-only role the migrations grant to, beforehand). With
NEWS_WAREHOUSE_URL pointing at it and AIRFLOW__DATABASE__SQL_ALCHEMY_CONN unset, the test runs what a user
runs: scripts/setup.sh, scripts/run_day.sh (`make run`) and scripts/airflow.sh start/stop (`make airflow`).

The embedded cluster is pointed at a port where nothing listens and a data folder that must never appear:
whatever used or started it would fail or leave that folder behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from local_site import free_port  # scripts/
from sqlalchemy.engine import URL

from tests.sample_day import DAY_ARTICLES, SAMPLE_DAY_BY_SOURCE

ROOT = Path(__file__).resolve().parents[1]
DAY = "2025-07-03"
DB = "byo_news"
ROLE, PASSWORD = "byo_user", "p@ss/w:rd"
pytestmark = pytest.mark.slow


def server_bindir() -> Path:
    """PostgreSQL's server binaries, found as scripts/pg.sh finds them."""
    candidates = []
    if shutil.which("pg_config"):
        candidates.append(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip())
    candidates += sorted(
        (str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")),
        key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0,
        reverse=True,
    )
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).resolve().parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists():
            return Path(folder)
    if os.environ.get("NEWS_WAREHOUSE_URL"):
        pytest.skip("no PostgreSQL server binaries here (your own Postgres is used) to start a second server")
    pytest.fail("PostgreSQL's server binaries should be here (scripts/pg.sh installs them): initdb not found")


def as_owner(*cmd: str | Path) -> list[str]:
    """Postgres refuses to run as root: as root, the server runs as the postgres user (as scripts/pg.sh does)."""
    return ["runuser", "-u", "postgres", "--", *map(str, cmd)] if os.geteuid() == 0 else [*map(str, cmd)]


@dataclass(slots=True)
class Server:
    port: int
    folder: Path

    def url(self, database: str, user: str = "postgres", password: str | None = None) -> URL:
        return URL.create(
            "postgresql+psycopg2", username=user, password=password, host="127.0.0.1", port=self.port, database=database
        )

    def query(self, database: str, sql: str, **params: object) -> list[tuple]:
        engine = sa.create_engine(self.url(database), poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(sa.text(sql), params).all()]
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A second Postgres server of the test's own: created, started, and at the end stopped and deleted."""
    bindir = server_bindir()
    folder = Path(tempfile.mkdtemp(prefix="newsetl-byo-pg-"))  # under /tmp: the postgres user can reach it
    data, port = folder / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    subprocess.run(
        as_owner(
            bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"
        ),
        check=True,
        capture_output=True,
        cwd="/",
    )
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{data}'\n"
            "max_connections = 200\n"
        )
    # the superuser without a password (for this test's own checks); everyone else by password
    (data / "pg_hba.conf").write_text(
        "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
    )
    subprocess.run(
        as_owner(bindir / "pg_ctl", "-D", data, "-l", folder / "server.log", "-w", "-t", "60", "start"),
        check=True,
        capture_output=True,
        cwd="/",
    )
    try:
        admin = sa.create_engine(
            URL.create("postgresql+psycopg2", username="postgres", host="127.0.0.1", port=port, database="postgres"),
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD :pw"), {"pw": PASSWORD})
            # the migrations grant to this read-only role, and create it only where they may (CREATEROLE)
            conn.execute(sa.text("CREATE ROLE news_reader NOLOGIN"))
            conn.execute(sa.text(f"CREATE DATABASE {DB} OWNER {ROLE}"))
        admin.dispose()
        yield Server(port, folder)
    finally:
        subprocess.run(
            as_owner(bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"), capture_output=True, cwd="/"
        )
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(slots=True)
class Byo:
    server: Server
    env: dict[str, str]
    setup_s: float


@pytest.fixture(scope="module")
def byo(server: Server, sample_site: str) -> Iterator[Byo]:
    """The user's environment (NEWS_WAREHOUSE_URL on the second server, no metadata URL of their own), after
    scripts/setup.sh."""
    url = server.url(DB, ROLE, PASSWORD).set(drivername="postgresql")  # as a user writes it
    home = server.folder / "airflow-home"
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
            "AIRFLOW_CONN_NEWS_WAREHOUSE",
            "NEWS_TEST_WAREHOUSE_URL",
            "AIRFLOW__CELERY__RESULT_BACKEND",
        )
    }
    env.update(
        {
            "NEWS_WAREHOUSE_URL": url.render_as_string(hide_password=False),
            "NEWS_SAMPLE_SITE_URL": sample_site,  # answering already: the scripts start no site of their own
            "NEWS_SAMPLE_PORT": sample_site.rsplit(":", 1)[1],
            "NEWS_AIRFLOW_HOME": str(home),
            "NEWS_AIRFLOW_RUN": str(server.folder / "airflow-run"),
            # the embedded cluster: nothing listens there, and its data folder must never be created
            "NEWS_PG_PORT": str(free_port()),
            "NEWS_PGDATA": str(server.folder / "embedded-must-not-exist"),
        }
    )
    started = time.monotonic()
    done = subprocess.run(
        [str(ROOT / "scripts/setup.sh")], env=env, cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, why(done)
    yield Byo(server, env, time.monotonic() - started)


def why(done: subprocess.CompletedProcess) -> str:
    """A failed command's error lines (a migration's traceback ends with pages of SQL) and its last output."""
    text = done.stdout + done.stderr
    errors = [line for line in text.splitlines() if "Error" in line or "error:" in line][:10]
    return "\n".join(errors) + "\n...\n" + text[-2500:]


def embedded_untouched(byo: Byo) -> None:
    assert not Path(byo.env["NEWS_PGDATA"]).exists(), "something started an embedded cluster"


def test_setup_migrates_the_warehouse_and_airflow_metadata_beside_it(byo: Byo) -> None:
    print(f"\nsetup.sh against the second server: {byo.setup_s:.1f}s")
    databases = {name for (name,) in byo.server.query("postgres", "SELECT datname FROM pg_database")}
    assert databases == {"postgres", "template0", "template1", DB, f"{DB}_airflow"}  # no "airflow", no SQLite
    assert byo.server.query(DB, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'news'")[0][0]
    assert byo.server.query(f"{DB}_airflow", "SELECT count(*) FROM alembic_version")[0][0] == 1
    assert byo.server.query(f"{DB}_airflow", "SELECT pool, slots FROM slot_pool WHERE pool = 'news_fetch'") == [
        ("news_fetch", 4)
    ]
    assert not (Path(byo.env["NEWS_AIRFLOW_HOME"]) / "airflow.db").exists()
    embedded_untouched(byo)


def test_make_run_loads_the_day_on_the_users_server(byo: Byo) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [str(ROOT / "scripts/run_day.sh"), DAY], env=byo.env, cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    print(f"\nrun_day.sh {DAY} against the second server: {time.monotonic() - started:.1f}s")
    assert done.returncode == 0, why(done)
    # what `make run` loads for this day on the embedded cluster (tests/sample_day.py, all loaded)
    by_source = dict(
        byo.server.query(DB, "SELECT source, count(*) FROM news.article WHERE day = :day GROUP BY source", day=DAY)
    )
    assert by_source == SAMPLE_DAY_BY_SOURCE
    states = dict(byo.server.query(DB, "SELECT state, count(*) FROM news.crawl_url GROUP BY state"))
    assert states == {"loaded": DAY_ARTICLES}
    # the run itself is in <db>_airflow on the same server
    runs = byo.server.query(f"{DB}_airflow", "SELECT state, conf FROM dag_run WHERE dag_id = 'news_daily'")
    assert len(runs) == 1 and runs[0][0] == "success", runs
    conf = runs[0][1] if isinstance(runs[0][1], dict) else json.loads(runs[0][1] or "{}")
    assert conf.get("day") == DAY, runs
    assert (
        f"== {DAY} (KST) in the warehouse ==\narticles={DAY_ARTICLES}" in done.stdout
    )  # make run's report, from that server
    embedded_untouched(byo)


def test_make_airflow_starts_with_metadata_beside_the_warehouse(byo: Byo) -> None:
    port = free_port()
    env = {**byo.env, "AIRFLOW_PORT": str(port)}
    started = time.monotonic()
    try:
        done = subprocess.run(
            [str(ROOT / "scripts/airflow.sh"), "start"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, why(done)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/version", timeout=10) as resp:
            version = json.loads(resp.read())["version"]
        print(f"\nairflow.sh start against the second server: Airflow {version} in {time.monotonic() - started:.1f}s")
        assert version.startswith("3.")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=10) as resp:
            assert json.loads(resp.read())["metadatabase"]["status"] == "healthy"
        # the running scheduler heartbeats into <db>_airflow on the user's server
        deadline, jobs = time.monotonic() + 120, []
        while time.monotonic() < deadline and not jobs:
            jobs = byo.server.query(
                f"{DB}_airflow", "SELECT job_type FROM job WHERE job_type = 'SchedulerJob' AND state = 'running'"
            )
            time.sleep(1)
        assert jobs, "no running SchedulerJob in the metadata database beside the warehouse"
    finally:
        subprocess.run([str(ROOT / "scripts/airflow.sh"), "stop"], env=env, cwd=ROOT, capture_output=True, timeout=180)
    embedded_untouched(byo)
