"""DagBag integrity: every DAG file imports, and news_daily is wired the way the README says."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"))


def test_no_import_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert "news_daily" in dagbag.dags


def test_every_dag_has_tags_docs_and_bounded_runs(dagbag) -> None:
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags, dag_id
        assert dag.doc_md, dag_id
        assert dag.catchup is False, dag_id
        assert 1 <= dag.max_active_runs <= 8, dag_id


def test_news_daily_shape(dagbag) -> None:
    dag = dagbag.dags["news_daily"]
    order = ["discover", "fetch", "parse", "normalize", "load", "media", "check"]
    assert sorted(dag.task_ids) == sorted(order)
    for upstream, downstream in zip(order, order[1:], strict=False):
        assert dag.get_task(downstream).upstream_task_ids == {upstream}
    for network_task in ("discover", "fetch"):
        assert dag.get_task(network_task).retries >= 2
        assert dag.get_task(network_task).retry_exponential_backoff
    assert str(dag.timezone.name) == "Asia/Seoul"
    assert set(dag.params.keys()) >= {"day", "sources", "force_refetch", "reparse"}
    for name in ("day", "sources", "force_refetch", "reparse"):
        assert dag.params.get_param(name).description, name


def test_library_never_imports_airflow() -> None:
    offenders = []
    for path in (ROOT / "include").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path}: {n}" for n in names if n.split(".")[0] == "airflow"]
    assert offenders == []
