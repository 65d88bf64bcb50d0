"""Data-quality check of a day: every discovered URL ends in a final state, nothing contradicts, and no
source's day looks like a markup change (the drift alarms).

A redesign does not make a crawler fail: its listing XPath matches nothing and the day "succeeds" with no
article, or every page is quarantined as having no body.  So the check fails the run, naming the source,
the day and the selector or field that stopped matching, when a source's day (thresholds: its ``drift:``
in sources.yaml, config.Drift):

- listed fewer than ``min_links`` URLs (0 is always an alarm);
- listed fewer than ``min_share_of_median`` of the median of its last ``median_days`` earlier days that were
  no alarm themselves (a source with less history than that gets only the other alarms);
- had more than ``max_no_body_share`` of its read pages quarantined as "no article body", or more than
  ``max_missing_field_share`` lacking one of the ``fields``.

Everything is read from what the day left (news.crawl_url, staging.normalized_article): nothing is recorded
for the check, and nothing is changed by it, so a URL's state stays as it was for inspection and a rerun of
the day fails the same way until the site module is fixed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from sqlalchemy.engine import Connection, Engine

from newsetl.config import Drift, Source
from newsetl.options import RunOptions
from newsetl.sql import statement

log = logging.getLogger(__name__)
FINAL_STATES = frozenset({"loaded", "unchanged", "quarantined", "failed"})
# Calendar days of history read per median day: alarm days in between are skipped, not counted.
HISTORY_PER_MEDIAN_DAY = 4


class QualityError(AssertionError):
    """The day's data break an invariant; the run must fail."""


def check_day(engine: Engine, day: date, sources: list[Source], options: RunOptions = RunOptions()) -> dict[str, int]:
    """Return URL counts per state; raise QualityError naming what is wrong (drift alarms included)."""
    params = {"day": day, "sources": [s.name for s in sources]}
    with engine.connect() as conn:
        states = {row.state: int(row.n) for row in conn.execute(statement("quality_states"), params)}
        problems = [f"{row.n} {row.problem}" for row in conn.execute(statement("quality_problems"), params)]
        alarms = [alarm for source in sources for alarm in drift_alarms(conn, day, source)]
    stuck = {s: n for s, n in states.items() if s not in FINAL_STATES}
    if stuck:
        problems.append(f"URLs in no final state: {stuck}")
    log.info("quality %s: states %s", day, states)
    for alarm in alarms:
        log.error("drift alarm: %s", alarm)
    if problems or alarms:
        raise QualityError(f"data quality failed for {day}: " + "; ".join(problems + alarms))
    return states


def drift_alarms(conn: Connection, day: date, source: Source) -> list[str]:
    """The drift alarms of one source's day, each a message naming the source, the day and what stopped matching."""
    return [*_listing_alarms(conn, day, source), *_page_alarms(conn, day, source)]


def link_selector(source: Source) -> str:
    """What the source's discovery selects its links with, for a message: the site module's listing XPath,
    or the feed's or sitemap's entries at their URLs."""
    plan = source.discovery
    if plan.kind == "listing":
        listing = source.site_class().listing_named(plan.listing)
        return f"the link selector {listing.links if listing else None} of site {source.site!r}"
    where = ", ".join(plan.urls) + (" and robots.txt's sitemaps" if plan.robots_sitemaps else "")
    return f"the {plan.kind} entries of the day at {where.removeprefix(' and ')}"


def _listing_alarms(conn: Connection, day: date, source: Source) -> list[str]:
    """The zero/min-links and share-of-median alarms of a source's listing on a day."""
    drift = source.drift
    since = day - timedelta(days=drift.median_days * HISTORY_PER_MEDIAN_DAY)
    counts = {row.day: int(row.links) for row in conn.execute(statement("quality_links"), _keys(source, day, since))}
    links = counts.pop(day, 0)
    where = f"{source.name} {day}: the listing named {links} links"
    selector = link_selector(source)
    if links < drift.min_links:
        return [f"{where} (min_links {drift.min_links}): {selector} found {'nothing' if not links else 'too few'}"]
    baseline = link_baseline([counts[d] for d in sorted(counts)], drift)
    if baseline is not None and links < drift.min_share_of_median * baseline:
        return [
            f"{where}, under {drift.min_share_of_median:.0%} of the median {baseline:g} of its last "
            f"{drift.median_days} days: {selector} may have stopped matching"
        ]
    return []


def link_baseline(earlier: Sequence[int], drift: Drift) -> float | None:
    """The median link count of the last ``median_days`` of ``earlier`` (oldest first) that were no alarm
    themselves, each judged by the days before it as check_day judges today; None with fewer such days."""
    kept: list[int] = []
    for links in earlier:
        if not _too_few(links, kept, drift):
            kept.append(links)
    return _median_of_last(kept, drift.median_days)


def _too_few(links: int, kept: list[int], drift: Drift) -> bool:
    """Whether a day of ``links`` alarms after the kept days before it."""
    baseline = _median_of_last(kept, drift.median_days)
    return links < drift.min_links or (baseline is not None and links < drift.min_share_of_median * baseline)


def _median_of_last(kept: list[int], days: int) -> float | None:
    """The median of the last ``days`` counts, None when there are fewer (a new source has no baseline)."""
    return float(median(kept[-days:])) if len(kept) >= days else None


@dataclass(frozen=True, slots=True)
class _Pages:
    """A source's read pages of a day: how many, how many with no article body, how many lack each field."""

    pages: int
    no_body: int
    missing: dict[str, int]


def _page_alarms(conn: Connection, day: date, source: Source) -> list[str]:
    """The extraction-share alarms: too many pages with no article body, or lacking a watched field."""
    drift = source.drift
    read = _read_pages(conn, day, source)
    if not read.pages:
        return []
    where = f"{source.name} {day}:"
    alarms = []
    if read.no_body > drift.max_no_body_share * read.pages:
        alarms.append(
            f"{where} {read.no_body} of {read.pages} pages have no article body (over max_no_body_share "
            f"{drift.max_no_body_share:.0%}): the body selector of site {source.site!r} stopped matching"
        )
    for field, missing in read.missing.items():
        if missing > drift.max_missing_field_share * read.pages:
            alarms.append(
                f"{where} field {field!r} missing on {missing} of {read.pages} pages (over "
                f"max_missing_field_share {drift.max_missing_field_share:.0%}): site {source.site!r} no longer finds it"
            )
    return alarms


def _read_pages(conn: Connection, day: date, source: Source) -> _Pages:
    """Counts of quality_pages.sql for one source's day."""
    params = {"day": day, "source": source.name, "fields": list(source.drift.fields)}
    rows = conn.execute(statement("quality_pages"), params).all()
    if not rows:
        return _Pages(0, 0, {})
    return _Pages(int(rows[0].pages), int(rows[0].no_body), {row.field: int(row.missing) for row in rows if row.field})


def _keys(source: Source, day: date, since: date) -> dict[str, object]:
    """The bound parameters of quality_links.sql."""
    return {"source": source.name, "day": day, "since": since}
