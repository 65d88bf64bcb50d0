"""The one function that names a run's KST day, and the bounds of that day."""

from datetime import UTC, date, datetime, timedelta

import pytest

from newsetl.days import KST, DayError, day_bounds, day_of_run, read_day


def test_param_day_wins_over_everything() -> None:
    got = day_of_run(param_day="2025-07-03", partition_key="2025-07-01", logical_date=datetime(2025, 6, 1, tzinfo=UTC))
    assert got == date(2025, 7, 3)


def test_partition_key_names_the_day_of_scheduled_and_backfill_runs() -> None:
    assert day_of_run(partition_key="2025-07-02") == date(2025, 7, 2)
    assert day_of_run(partition_key="2025-07-02T00:00:00") == date(2025, 7, 2)


def test_logical_date_is_read_in_kst() -> None:
    # `airflow dags test news_daily 2025-07-03` gives 2025-07-03T00:00Z = 09:00 KST on July 3.
    assert day_of_run(logical_date=datetime(2025, 7, 3, tzinfo=UTC)) == date(2025, 7, 3)
    # 15:00 UTC on July 2 is already July 3 in Seoul.
    assert day_of_run(logical_date=datetime(2025, 7, 2, 15, 0, tzinfo=UTC)) == date(2025, 7, 3)
    assert day_of_run(logical_date=datetime(2025, 7, 2, 14, 59, tzinfo=UTC)) == date(2025, 7, 2)


def test_no_day_is_an_error_not_now() -> None:
    with pytest.raises(DayError, match="names no day"):
        day_of_run()
    with pytest.raises(DayError, match="time zone"):
        day_of_run(logical_date=datetime(2025, 7, 3))


@pytest.mark.parametrize("text", ["2025/07/03", "03-07-2025", "", "2025-13-01"])
def test_bad_day_text_is_rejected(text: str) -> None:
    with pytest.raises(DayError):
        read_day(text)


def test_day_bounds_are_kst_midnights() -> None:
    start, end = day_bounds(date(2025, 7, 3))
    assert start == datetime(2025, 7, 3, tzinfo=KST)
    assert end - start == timedelta(days=1)
    assert start.astimezone(UTC) == datetime(2025, 7, 2, 15, tzinfo=UTC)
