"""
### news_stories: the same story across presses, for the day news_daily just loaded

Scheduled on the asset `news_articles` with a `PartitionedAssetTimetable`: every event `news_daily`'s `check`
records for a KST day (partition key `YYYY-MM-DD`) starts one run of this DAG keyed by the same day, so a
nightly run, a triggered day and every day of a backfill are clustered, each once. The run clusters that
day's articles against the window day ± 2 days (`newsetl.stories.cluster_day`: MinHash over the normalized
body, LSH candidates, an exact similarity check) into `news.story` / `news.article.story_id`, and records
an event of the asset `news_stories` for the same day.

**Idempotent.** A rerun of a day changes nothing; a new day's copies join the stories they belong to.
**Manual runs.** Trigger with the `day` param, or `airflow dags test news_stories 2025-07-03`.
The warehouse is the Airflow connection `news_warehouse`.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, PartitionedAssetTimetable, dag, task

from news_airflow import (
    ARTICLES_ASSET_NAME,
    ARTICLES_ASSET_URI,
    STORIES_ASSET_NAME,
    STORIES_ASSET_URI,
    announce_day,
    cluster_stories,
    day_param,
)

ARTICLES = Asset(name=ARTICLES_ASSET_NAME, uri=ARTICLES_ASSET_URI, group="news")
STORIES = Asset(name=STORIES_ASSET_NAME, uri=STORIES_ASSET_URI, group="news")


@dag(
    dag_id="news_stories",
    # one run per partition (KST day) of news_articles: the day's key passes through unchanged (IdentityMapper)
    schedule=PartitionedAssetTimetable(assets=ARTICLES),
    start_date=pendulum.datetime(2025, 1, 1, tz="Asia/Seoul"),
    catchup=False,
    max_active_runs=1,  # days share the ± 2-day window: one at a time keeps story ids stable
    default_args={
        "owner": "newsetl",
        "retries": 2,
        "retry_delay": timedelta(seconds=10),
        "execution_timeout": timedelta(minutes=30),
    },
    params={
        "day": day_param(
            "KST day to cluster, YYYY-MM-DD. Empty: the partition key of the news_articles event "
            "that triggered the run, or its logical date."
        ),
    },
    tags=["news", "warehouse", "stories"],
    doc_md=__doc__,
)
def news_stories() -> None:
    @task(outlets=[STORIES])
    def cluster() -> dict[str, int | str]:
        counts = cluster_stories()
        announce_day(STORIES, counts)
        return counts

    cluster()


news_stories()
