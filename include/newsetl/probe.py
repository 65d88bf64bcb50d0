"""``newsetl probe SOURCE [--day YYYY-MM-DD]``: the ten-second check before a live source is enabled.

It reads one listing document of the source for the day (discover.first_listing_page: the first page of its
first section, a feed, a sitemap down its index: any discovery kind as the run reads it) and its first three
articles through the source's own
SourceClient (robots.txt, rate limit, limits: as a run would), extracts each article with the source's site
module, and prints what every selector found: the link count, then per article one sample of
each field.  It fails (exit 1), naming what found nothing, on a listing with no link, or an article that
cannot be fetched or has no title, body or date.  A disabled source may be probed: that is its point.
Nothing is written to the warehouse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from newsetl.client import FetchError, SourceClient
from newsetl.config import Source
from newsetl.discover import DiscoveryError, first_listing_page
from newsetl.errors import QuarantineError
from newsetl.extract import extract_article
from newsetl.quality import link_selector
from newsetl.records import Article

ARTICLES = 3  # articles read after the listing: enough to see a selector fail, few enough to stay polite
SAMPLE_CHARS = 60  # a field's sample is cut to this many characters


@dataclass(slots=True)
class Probe:
    """What one probe found: its lines, and what a required selector failed to find (empty: all found)."""

    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def show(self, name: str, value: object) -> None:
        """One line: a field's name and its sample."""
        self.lines.append(f"  {name:<13} {value}")


def probe_source(source: Source, day: date, articles: int = ARTICLES) -> Probe:
    """Probe one source's listing of a day and its first ``articles`` articles (see the module's doc)."""
    found = Probe([f"probe {source.name} {day}: site {source.site!r} at {source.base_url}"])
    with SourceClient(source) as client:
        links = _probe_listing(client, day, found)
        for number, url in enumerate(links[:articles], start=1):
            _probe_article(client, day, number, url, found)
    return found


def _probe_listing(client: SourceClient, day: date, found: Probe) -> list[str]:
    """The first listing page's links, shown with the selector; a failure when it could not be read or is empty."""
    selector = link_selector(client.source)
    try:
        first = first_listing_page(client, day)
    except DiscoveryError as exc:
        found.failures.append(f"listing: {exc}")
        return []
    found.lines.append(f"listing {first.url}" + (f" (section {first.section})" if first.section else ""))
    found.show("links", f"{len(first.links)} of the day, {first.page.hrefs} read; {selector}")
    if first.page.skipped:
        found.show("skipped", ", ".join(f"{kind} {n}" for kind, n in sorted(first.page.skipped.items())))
    if not first.links:
        found.failures.append(f"listing: {selector} found no link of the day on {first.url}")
    return list(first.links)


def _probe_article(client: SourceClient, day: date, number: int, url: str, found: Probe) -> None:
    """Fetch and extract one article, showing a sample of every field; a failure naming a required one missing."""
    found.lines.append(f"article {number} {url}")
    try:
        response = client.get(url)
        article = extract_article(response.body, response.url, client.source.site, day, response.content_type)
    except FetchError as exc:
        found.failures.append(f"article {number} {url}: fetch failed: {exc.reason}")
        return
    except QuarantineError as exc:  # no title or no article body: the site's selector stopped matching
        found.failures.append(f"article {number} {url}: {exc.reason}")
        found.show("error", exc.reason)
        return
    for name, sample in FIELDS.items():
        found.show(name, sample(article))
    if article.published_at is None:
        why = next((w for w in article.warnings if w.startswith("published_at")), "published_at: not found")
        found.failures.append(f"article {number} {url}: field 'published_at' found nothing ({why})")


def _cut(text: str | None) -> str:
    """A sample of a text field, quoted and cut short; '-' when the page gave none."""
    if not text:
        return "-"
    return repr(text if len(text) <= SAMPLE_CHARS else text[:SAMPLE_CHARS] + "…")


def _paragraphs(article: Article) -> str:
    """How many paragraphs, and how the first one starts."""
    return f"{len(article.paragraphs)}: {_cut(article.paragraphs[0] if article.paragraphs else None)}"


# One sample of each field an article has, in the order they are printed.
FIELDS: dict[str, Callable[[Article], object]] = {
    "title": lambda a: _cut(a.title),
    "published_at": lambda a: a.published_at.isoformat() if a.published_at else "-",
    "modified_at": lambda a: a.modified_at.isoformat() if a.modified_at else "-",
    "press": lambda a: _cut(a.press),
    "reporters": lambda a: ", ".join(a.reporters) or "-",
    "paragraphs": _paragraphs,
    "media": lambda a: len(a.media),
    "summary": lambda a: _cut(a.summary[0] if a.summary else None),
}


def report(found: Probe, out: TextIO) -> int:
    """Print a probe's lines and its verdict; the exit status (0: every required selector found something)."""
    for line in found.lines:
        print(line, file=out)
    if not found.failures:
        print("probe ok: the listing and every required field found something", file=out)
        return 0
    for failure in found.failures:
        print(f"PROBE FAILED: {failure}", file=out)
    return 1
