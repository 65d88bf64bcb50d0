"""Which Korean calendar day a run loads: the one small function every task calls.

A run loads exactly one KST day, [00:00, 24:00) Asia/Seoul. The day is, in this order:
1. the run's ``day`` param (what ``make run DATE=…`` and a manual trigger set),
2. the run's partition key (``YYYY-MM-DD``; scheduled runs and UI/CLI/API backfills of the
   CronPartitionTimetable carry it: the 00:00 KST run carries the day that just ended),
3. the KST date of the logical date (``airflow dags test news_daily 2025-07-03`` without a param).
Never the wall clock: a run without any of the three is an error.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")


class DayError(ValueError):
    """The run names no day, or names it in a form that cannot be read."""


def read_day(text: str) -> date:
    """Read ``YYYY-MM-DD`` (also accepts ``YYYYMMDD``)."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DayError(f"cannot read day {text!r}: expected YYYY-MM-DD")


def day_of_run(
    *,
    param_day: str | None = None,
    partition_key: str | None = None,
    logical_date: datetime | None = None,
) -> date:
    """Resolve the KST day of a run from its param, partition key or logical date."""
    if param_day:
        return read_day(str(param_day))
    if partition_key:
        return read_day(partition_key[:10])
    if logical_date is not None:
        if logical_date.tzinfo is None:
            raise DayError("logical date has no time zone")
        return logical_date.astimezone(KST).date()
    raise DayError("the run names no day: set the 'day' param (YYYY-MM-DD)")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day as a half-open interval [00:00, next 00:00) in Asia/Seoul."""
    start = datetime.combine(day, time(0), tzinfo=KST)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=KST)
