"""Dates as shown to aware Asia/Seoul datetimes; never "now".

Naive values are KST; unreadable or impossible values give None and a reason.  Year-less board dates
(``07-03 20`` = month-day hour) take the year of the run's day; a date more than a day after that day
belongs to the previous year (a December page read in a January run).
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
            return _kst(*(int(g) for g in match.groups() if g is not None)), None
        if match := _DIGITS.match(raw):
            return _kst(*(int(g) for g in match.groups() if g is not None)), None
        if match := _YEARLESS.match(raw):
            return _yearless(match, day, raw)
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None, f"unreadable date {raw!r}"
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=KST), None
    return parsed.astimezone(KST), None


def _yearless(match: re.Match[str], day: date | None, raw: str) -> tuple[datetime | None, str | None]:
    """ "MM-DD HH[:MM]": the year of ``day``, or the year before if that lands after ``day``."""
    if day is None:
        return None, f"year-less date {raw!r} and no day given"
    month, dom, hour = int(match.group(1)), int(match.group(2)), int(match.group(3))
    minute = int(match.group(4) or 0)
    for year in (day.year, day.year - 1):
        try:
            value = _kst(year, month, dom, hour, minute)
        except ValueError:
            continue  # 02-29 in a non-leap year: try the year before
        if value.date() <= day + timedelta(days=1):  # a December post read in January
            return value, None
    return None, f"impossible year-less date {raw!r}"
