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
    order = ["discover", "plan", "fetch", "extract", "load", "media", "check"]
    assert sorted(dag.task_ids) == sorted([*order, "index"])
    for upstream, downstream in zip(order, order[1:], strict=False):
        assert upstream in dag.get_task(downstream).upstream_task_ids
    # the search index merge runs beside media, after the load and before the check
    assert dag.get_task("index").upstream_task_ids == {"load"}
    assert dag.get_task("check").upstream_task_ids == {"media", "index"}
    for mapped in ("fetch", "extract"):  # mapped over the plan's batches
        assert dag.get_task(mapped).upstream_task_ids >= {"plan"}
    from newsetl.config import fetch_pool

    for network_task in ("discover", "fetch"):
        assert dag.get_task(network_task).retries >= 2
        assert dag.get_task(network_task).retry_exponential_backoff
        assert dag.get_task(network_task).pool == fetch_pool()[0]
    assert str(dag.timezone.name) == "Asia/Seoul"
    assert set(dag.params.keys()) >= {"day", "sources", "force_refetch", "reextract", "batch_size"}
    for name in ("day", "sources", "force_refetch", "reextract", "batch_size"):
        assert dag.params.get_param(name).description, name


def test_news_stories_runs_on_the_days_news_daily_announces(dagbag) -> None:
    """news_daily's check is the only producer of news_articles; news_stories is scheduled on it, one run per
    partition (KST day), passing the key through unchanged, and announces news_stories in turn."""
    from airflow.sdk import IdentityMapper, PartitionedAssetTimetable

    from news_airflow import ARTICLES_ASSET_NAME, STORIES_ASSET_NAME

    daily, stories = dagbag.dags["news_daily"], dagbag.dags["news_stories"]
    producers = {t.task_id: [o.name for o in t.outlets] for t in daily.tasks if t.outlets}
    assert producers == {"check": [ARTICLES_ASSET_NAME]}
    timetable = stories.timetable
    assert isinstance(timetable, PartitionedAssetTimetable)
    assert timetable.asset_condition.name == ARTICLES_ASSET_NAME
    assert isinstance(timetable.default_partition_mapper, IdentityMapper) and not timetable.partition_mapper_config
    assert [o.name for o in stories.get_task("cluster").outlets] == [STORIES_ASSET_NAME]
    assert stories.max_active_runs == 1  # neighbouring days share the window
    assert stories.params.get_param("day").description


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


def _core_timetable(dag):
    from airflow.serialization.serialized_objects import decode_timetable, encode_timetable

    return decode_timetable(encode_timetable(dag.timetable))


def test_scheduled_run_loads_the_kst_day_that_just_ended(dagbag) -> None:
    import pendulum

    from newsetl.days import day_of_run

    timetable = _core_timetable(dagbag.dags["news_daily"])
    # The nightly run fires at 00:00 KST on July 4 and must load July 3.
    _, key = timetable._get_partition_info(run_date=pendulum.datetime(2025, 7, 4, tz="Asia/Seoul"))
    assert key == "2025-07-03"
    assert day_of_run(partition_key=key).isoformat() == "2025-07-03"


def test_backfill_range_plans_exactly_the_named_kst_days(dagbag) -> None:
    import pendulum

    from newsetl.days import day_of_run

    timetable = _core_timetable(dagbag.dags["news_daily"])
    infos = list(
        timetable.iter_partition_dagrun_infos(
            earliest=pendulum.datetime(2025, 7, 1, tz="Asia/Seoul"),
            latest=pendulum.datetime(2025, 7, 3, tz="Asia/Seoul"),
        )
    )
    assert [day_of_run(partition_key=i.partition_key).isoformat() for i in infos] == [
        "2025-07-01",
        "2025-07-02",
        "2025-07-03",
    ]
