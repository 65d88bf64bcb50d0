"""Dates as shown to aware Asia/Seoul datetimes; never "now".

Naive values are KST; unreadable or impossible values give None and a reason.  Year-less board dates
(``07-03 20`` = month-day hour) take the year of the run's day; a date more than a day after that day
belongs to the previous year (a December page read in a January run).

A date outside the years ``EARLIEST_YEAR``..``LATEST_YEAR`` (in KST) is no publication date: None and a
reason.  That also keeps the conversion to KST in range: ``9999-12-31T23:59:59-23:59`` and
``0001-01-01T00:00:00+14:00`` are readable, but in KST they fall outside what a datetime can hold
(astimezone raises OverflowError).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from newsetl.parsing.text import clean_text

KST = ZoneInfo("Asia/Seoul")

_DOTTED = re.compile(r"^(\d{4})\s*[.\-/]\s*(\d{1,2})\s*[.\-/]\s*(\d{1,2})\.?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$")
_YEARLESS = re.compile(r"^(\d{1,2})-(\d{1,2})\s+(\d{1,2})(?::(\d{2}))?$")
EARLIEST_YEAR = 1883  # the first Korean newspaper (한성순보): no article is older
LATEST_YEAR = 2199  # far enough ahead for any clock error a page may carry, far from datetime's 9999
_SHOWN = 60  # characters of an unreadable date quoted in its reason (a page can hold megabytes there)


def _kst(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """Aware KST datetime (ValueError on impossible values)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=KST)


def parse_date(text: str | None, day: date | None = None) -> tuple[datetime | None, str | None]:
    """Date as shown → (aware Asia/Seoul datetime, None) or (None, reason). Never "now"."""
    raw = clean_text(text).removeprefix("입력").removeprefix("작성일").strip()
    if not raw:
        return None, "no date on the page"
    try:
        if match := _DOTTED.match(raw):
            return _in_range(_kst(*(int(g) for g in match.groups() if g is not None)), raw)
        if match := _DIGITS.match(raw):
            return _in_range(_kst(*(int(g) for g in match.groups() if g is not None)), raw)
        if match := _YEARLESS.match(raw):
            return _yearless(match, day, raw)
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None, f"unreadable date {_shown(raw)}"
    if parsed.tzinfo is None:
        return _in_range(parsed.replace(tzinfo=KST), raw)
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:  # before astimezone, which can overflow
        return None, f"date out of range {_shown(raw)}"
    return _in_range(parsed.astimezone(KST), raw)


def _in_range(value: datetime, raw: str) -> tuple[datetime | None, str | None]:
    """``value`` when its KST year is within EARLIEST_YEAR..LATEST_YEAR, else None and the reason."""
    if EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return value, None
    return None, f"date out of range {_shown(raw)}"


def _shown(raw: str) -> str:
    """A date as quoted in a reason: repr (one line, controls escaped), cut to _SHOWN characters."""
    return repr(raw[:_SHOWN]) + ("…" if len(raw) > _SHOWN else "")


def _yearless(match: re.Match[str], day: date | None, raw: str) -> tuple[datetime | None, str | None]:
    """ "MM-DD HH[:MM]": the year of ``day``, or the year before if that lands after ``day``."""
    if day is None:
        return None, f"year-less date {_shown(raw)} and no day given"
    month, dom, hour = int(match.group(1)), int(match.group(2)), int(match.group(3))
    minute = int(match.group(4) or 0)
    for year in (day.year, day.year - 1):
        try:
            value = _kst(year, month, dom, hour, minute)
        except ValueError:
            continue  # 02-29 in a non-leap year: try the year before
        if value.date() <= day + timedelta(days=1):  # a December post read in January
            return value, None
    return None, f"impossible year-less date {_shown(raw)}"
