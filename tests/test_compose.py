"""docker-compose.yaml checked without a Docker engine: the services Airflow 3 with CeleryExecutor needs,
their healthchecks and start order, and the same connection and variable names the project reads."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yaml").read_text(encoding="utf-8"))


def test_services_of_a_celery_airflow_stack() -> None:
    services = compose()["services"]
    assert {
        "postgres",
        "redis",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-worker",
        "airflow-triggerer",
        "airflow-init",
        "sample-site",
    } <= set(services)
    assert services["airflow-worker"]["command"] == "celery worker"
    for name in (
        "postgres",
        "redis",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-worker",
        "airflow-triggerer",
        "sample-site",
    ):
        assert "test" in services[name]["healthcheck"], name
    for name in (
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-worker",
        "airflow-triggerer",
    ):
        depends = services[name]["depends_on"]
        assert depends["airflow-init"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_environment_uses_the_projects_names() -> None:
    from news_airflow import WAREHOUSE_CONN_ID

    services = compose()["services"]
    env = services["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    broker = urlsplit(env["AIRFLOW__CELERY__BROKER_URL"])
    assert (broker.scheme, broker.hostname, broker.port) == ("redis", "redis", 6379)
    assert env[f"AIRFLOW_CONN_{WAREHOUSE_CONN_ID.upper()}"] == env["NEWS_WAREHOUSE_URL"]
    assert env["NEWS_SAMPLE_SITE_URL"].startswith("http://sample-site:")
    sources = (ROOT / "include" / "newsetl" / "config" / "sources.yaml").read_text(encoding="utf-8")
    assert "${NEWS_SAMPLE_SITE_URL" in sources  # the variable the source config reads
    assert "newsetl migrate" in " ".join(services["airflow-init"]["command"])
    mounts = services["airflow-worker"]["volumes"]
    assert {"./dags:/opt/airflow/dags", "./plugins:/opt/airflow/plugins"} <= set(mounts)
    build = services["airflow-worker"]["build"]
    # a Dockerfile of its own: docker-compose 1.29 (Debian's) knows no dockerfile_inline
    assert "dockerfile_inline" not in build
    dockerfile = (ROOT / build["context"] / build["dockerfile"]).read_text(encoding="utf-8")
    assert "constraints.txt" in dockerfile and "requirements.txt" in dockerfile
    assert build["args"]["AIRFLOW_BASE_IMAGE"].startswith("${AIRFLOW_BASE_IMAGE:-apache/airflow:")
    assert "ARG AIRFLOW_BASE_IMAGE" in dockerfile and "FROM ${AIRFLOW_BASE_IMAGE}" in dockerfile


def test_images_are_the_official_ones_unless_overridden() -> None:
    """Postgres and Redis are the official images by default; .env may name others (make test-compose's
    local stand-ins where Docker Hub cannot be reached)."""
    services = compose()["services"]
    assert services["postgres"]["image"] == "${POSTGRES_IMAGE:-postgres:16}"
    assert services["redis"]["image"] == "${REDIS_IMAGE:-redis:7.2-bookworm}"
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for line in ("AIRFLOW_BASE_IMAGE=apache/airflow:3.3.2-python3.11", "POSTGRES_IMAGE=postgres:16"):
        assert line in example


def test_the_build_context_holds_what_the_dockerfile_copies() -> None:
    """.dockerignore keeps the context small (no .venv, no .pgdata) but lets through every file the Dockerfile
    copies; a missing one fails the build only on a machine with Docker."""
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert "*" in ignore
    dockerfile = (ROOT / "docker/airflow/Dockerfile").read_text(encoding="utf-8")
    copied = set()
    for line in dockerfile.replace("\\\n", " ").splitlines():
        if line.startswith("COPY"):
            parts = [p for p in line.split()[1:] if not p.startswith("--")]
            copied |= set(parts[:-1])
    assert copied and copied <= allowed, copied - allowed
    for name in copied:
        assert (ROOT / name).exists(), name


def test_compose_test_skips_with_one_sentence_where_docker_cannot_run() -> None:
    """make test-compose on a machine without Docker, as a user who cannot install it: exit 2 (skipped), not 0,
    and one sentence saying why. Run as nobody when the tests run as root."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:  # not tmp_path: nobody must be able to read it
        os.chmod(tmp, 0o755)
        _run_compose_test_without_docker(Path(tmp))


def _run_compose_test_without_docker(tmp_path: Path) -> None:
    import os
    import subprocess

    bin_dir = tmp_path / "bin"  # the machine's commands without Docker's
    bin_dir.mkdir()
    for tool in Path("/usr/bin").iterdir():
        if not tool.name.startswith(("docker", "dockerd", "debootstrap")):
            (bin_dir / tool.name).symlink_to(tool)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    for name in ("NEWS_PG_PORT", "NEWS_WAREHOUSE_URL", "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"):
        if name in os.environ:
            env[name] = os.environ[name]
    cmd = [str(ROOT / "scripts/compose_test.sh")]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("test-compose: skipped: "), done.stderr
    assert "Docker is not installed" in lines[0] and lines[0].endswith(".")


def test_every_interpolated_variable_is_documented_in_env_example() -> None:
    text = (ROOT / "docker-compose.yaml").read_text(encoding="utf-8")
    used = set(re.findall(r"(?<!\$)\$\{(\w+)", text))  # ${VAR…} that compose fills in ($${…} is for the shell)
    documented = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert used and used <= documented, used - documented


def test_init_creates_the_pool_and_login_the_stack_needs() -> None:
    from newsetl.cli import main

    services = compose()["services"]
    script = " ".join(services["airflow-init"]["command"])
    assert script.index("airflow db migrate") < script.index("newsetl migrate") < script.index("airflow pools set")
    # the pool's name and slots come from the same place scripts/setup.sh reads them
    assert 'eval "$$(newsetl airflow-env)"' in script and "$${NEWS_FETCH_POOL}" in script
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["airflow-env"])
    assert "NEWS_FETCH_POOL=" in out.getvalue() and "NEWS_FETCH_POOL_SLOTS=" in out.getvalue()
    # the login file init writes is where the api-server reads it, on a volume both mount
    passwords = services["airflow-apiserver"]["environment"]["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
    assert passwords in script
    folder = passwords.rsplit("/", 1)[0]
    for name in ("airflow-init", "airflow-apiserver"):
        assert any(v.endswith(":" + folder) for v in services[name]["volumes"]), name


def test_the_image_has_the_celery_executor_and_the_local_stack_uses_the_same_settings() -> None:
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert "apache-airflow-providers-celery==" in requirements
    env = compose()["services"]["airflow-worker"]["environment"]
    local = (ROOT / "scripts" / "airflow.sh").read_text(encoding="utf-8")
    for name in (
        "AIRFLOW__CORE__EXECUTOR",
        "AIRFLOW__CELERY__BROKER_URL",
        "AIRFLOW__CELERY__RESULT_BACKEND",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
    ):
        assert name in env and name in local, name
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql")
