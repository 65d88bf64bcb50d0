"""docker-compose.yaml checked without a Docker engine: the services Airflow 3 with CeleryExecutor needs,
their healthchecks and start order, and the same connection and variable names the project reads."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yaml").read_text(encoding="utf-8"))


def test_services_of_a_celery_airflow_stack() -> None:
    services = compose()["services"]
    assert {"postgres", "redis", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
            "airflow-worker", "airflow-triggerer", "airflow-init", "sample-site"} <= set(services)
    assert services["airflow-worker"]["command"] == "celery worker"
    for name in ("postgres", "redis", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                 "airflow-worker", "airflow-triggerer", "sample-site"):
        assert "test" in services[name]["healthcheck"], name
    for name in ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-worker",
                 "airflow-triggerer"):
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
    build = services["airflow-worker"]["build"]["dockerfile_inline"]
    assert "constraints.txt" in build and "requirements.txt" in build
