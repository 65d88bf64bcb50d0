"""
### news_daily: one Korean (KST) calendar day of news into the Postgres warehouse

discover → plan → fetch → extract → load → (media, index) → check, for the sources in
`include/newsetl/config/sources.yaml` (the offline sample site by default); each source names the site
module (`include/newsetl/sites/`) that discovers and reads its pages.

**Which day.** Every run loads exactly one day, [00:00, 24:00) Asia/Seoul, named by (in order):
the `day` param; else the run's partition key (the schedule is a `CronPartitionTimetable` at 00:00 KST
with `run_offset=-1`, so the nightly run carries the day that just ended, and a backfill from
2025-07-01 to 2025-07-03 gives three runs keyed 2025-07-01, 02, 03); else the KST date of the logical
date (`airflow dags test news_daily 2025-07-03`). See `newsetl.days`.

**Idempotent.** Raw pages and extracted articles live in `staging.*` (a page is extracted again only when
its bytes or the extraction code change); articles and media are upserted by key with a content hash, so
clearing any task or re-running a day changes nothing twice.

**Asset.** When `check` passes, the run records an event of the asset `news_articles` keyed by its day
(partition key `YYYY-MM-DD`, the URL counts in its extra); `news_stories` runs on it for the same day,
and so can any other team's DAG (docs/operations.md).
XCom carries only counts and batch numbers. `index` merges the day's new search entries into the
GIN index (searches see them as soon as `load` commits; the merge keeps searches fast).

**Batches.** Fetch and extract are mapped over batches of about `batch_size` URLs (a URL's
batch is its hash), so more workers make a large day faster. `plan` sizes the batches by what is left
to do, not by the day: a rerun of a finished day runs one batch of each, which finds nothing to do.
(No batch at all would skip them, but every level of skipped tasks costs `airflow dags test` a second.)
The warehouse is the Airflow connection `news_warehouse`.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, CronPartitionTimetable, Param, dag, task

from news_airflow import ARTICLES_ASSET_NAME, ARTICLES_ASSET_URI, announce_day, day_param, plan_batches, run_stage
from newsetl.config import fetch_pool

# Every task has an execution_timeout: the last line of defence if something still hangs (each request
# already has a total deadline, sources.yaml `deadline_s`). Generous: a 1,000-URL fetch batch at Daum's
# 1 request/s takes ~17 minutes; fetch and extract store their work in batches, so a retry resumes.
DEFAULT_TIMEOUT = timedelta(minutes=30)
NETWORK_TIMEOUT = timedelta(hours=1)
SHORT_TIMEOUT = timedelta(minutes=10)  # plan and check: a few queries

ARTICLES = Asset(name=ARTICLES_ASSET_NAME, uri=ARTICLES_ASSET_URI, group="news")

# Network tasks retry with backoff and share one pool across runs (sources.yaml `fetch_pool`).
NETWORK = {
    "retries": 3,
    "retry_delay": timedelta(seconds=20),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
    "pool": fetch_pool()[0],
    "execution_timeout": NETWORK_TIMEOUT,
}


@dag(
    dag_id="news_daily",
    schedule=CronPartitionTimetable("0 0 * * *", timezone="Asia/Seoul", run_offset=-1, key_format="%Y-%m-%d"),
    start_date=pendulum.datetime(2025, 1, 1, tz="Asia/Seoul"),
    catchup=False,
    max_active_runs=3,
    default_args={
        "owner": "newsetl",
        "retries": 2,
        "retry_delay": timedelta(seconds=10),
        "execution_timeout": DEFAULT_TIMEOUT,
    },
    params={
        "day": day_param(
            "KST day to load, YYYY-MM-DD. Empty: the run's partition key (scheduled runs, "
            "backfills) or its logical date."
        ),
        "sources": Param(
            [],
            type="array",
            items={"type": "string"},
            description="Only these sources (names in sources.yaml). Empty: every enabled source.",
        ),
        "force_refetch": Param(
            False, type="boolean", description="Download pages again even if stored (conditional requests)."
        ),
        "reextract": Param(
            False,
            type="boolean",
            description="Extract every stored page again (articles and media are rewritten only "
            "where they change), without fetching.",
        ),
        "batch_size": Param(
            1000,
            type="integer",
            minimum=1,
            description="URLs per mapped fetch/extract task: a large day is spread "
            "over several tasks, so more workers make it faster.",
        ),
    },
    tags=["news", "warehouse"],
    doc_md=__doc__,
)
def news_daily() -> None:
    @task(**NETWORK)
    def discover() -> dict[str, int | str]:
        return run_stage("discover")

    @task(execution_timeout=SHORT_TIMEOUT)
    def plan(discovered: dict[str, int | str]) -> list[list[int]]:
        return plan_batches(discovered)

    @task(**NETWORK)
    def fetch(part: list[int]) -> dict[str, int | str]:
        return run_stage("fetch", part)

    @task
    def extract(part: list[int]) -> dict[str, int | str]:
        return run_stage("extract", part)

    @task
    def load() -> dict[str, int | str]:
        return run_stage("load")

    @task
    def media() -> dict[str, int | str]:
        return run_stage("media")

    @task
    def index() -> dict[str, int | str]:
        return run_stage("index")

    # The day's articles are announced only once they passed the check: downstream DAGs (news_stories,
    # another team's) run on this event, keyed by the day.
    @task(retries=0, execution_timeout=SHORT_TIMEOUT, outlets=[ARTICLES])
    def check() -> dict[str, int | str]:
        counts = run_stage("check")
        announce_day(ARTICLES, counts)
        return counts

    # Fetch and extract are mapped over batches of the day's URLs (never one task per article).
    parts = plan(discover())
    fetched = fetch.expand(part=parts)
    extracted = extract.expand(part=parts)
    fetched >> extracted >> load() >> [media(), index()] >> check()


news_daily()
