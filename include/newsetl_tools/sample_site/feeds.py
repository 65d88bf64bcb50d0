"""The sample site's press section as a feed and as sitemaps: the discovery kinds of press sites.

The press desk publishes all of a day's articles (``articles_per_day``, 40 by default); each discovery kind
lists its own share of them, so the sources reading each kind never load one article twice:
  * the HTML list (``/press/list``, the ``sample_press`` source): the first half, as before;
  * the RSS feed (``/press/rss.xml``, ``sample_press_rss``): the next quarter, ``?utm_source=rss``
    tracking parameters on every link (discovery drops them), a category per item;
  * the sitemaps (``sample_press_sitemap``): the last quarter, in monthly news sitemaps
    (``/press/sitemap-YYYY-MM.xml``, ``news:publication_date``) named by a sitemap index
    (``/press/sitemap_index.xml``, with each month's ``lastmod``) that robots.txt lists.
(site.py routes here, importing this module when a feed is asked for: this module reads site's articles.)
A real feed shows what is new now; the sample's has no "now", so its ``?date=YYYYMMDD`` stands for it: the
feed of a day holds that day's items and the day before's, newest first, and discovery keeps the day's by
their ``pubDate``. Every document carries the ETag and Last-Modified of any page (server.py), so a client
asking again with them gets a 304.
"""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from functools import lru_cache
from xml.sax.saxutils import escape

from newsetl_tools.sample_site import site
from newsetl_tools.sample_site.corpus import published

# The months the sitemap index names (a real index names the site's whole history, a few hundred sitemaps).
FIRST_MONTH = (2024, 1)
LAST_MONTH = (2026, 12)
FEED_CATEGORIES = ("정치", "경제", "사회")
SITEMAP_INDEX_PATH = "/press/sitemap_index.xml"


def feed_seqs(articles_per_day: int) -> range:
    """The sequences of a day the RSS feed lists: the quarter after the HTML list's half."""
    half = max(1, articles_per_day // 2)
    return range(half + 1, half + (articles_per_day - half) // 2 + 1)


def sitemap_seqs(articles_per_day: int) -> range:
    """The sequences of a day the sitemaps list: what the list and the feed leave."""
    return range(feed_seqs(articles_per_day).stop, articles_per_day + 1)


def robots_lines(base: str) -> str:
    """What robots.txt adds for the sitemaps."""
    return f"Sitemap: {base}{SITEMAP_INDEX_PATH}\n"


def rss(day: dt.date, base: str, articles_per_day: int) -> tuple[bytes, dt.datetime]:
    """The RSS 2.0 feed as of a day: its items and the day before's, newest first; and its last change."""
    items = []
    for served in (day, day - dt.timedelta(days=1)):
        for seq in sorted(feed_seqs(articles_per_day), key=lambda s: _time(served, s), reverse=True):
            article, _ = site.article_for_seq(seq)
            when = _time(served, seq)
            link = site.press_url(base, served, seq) + "?utm_source=rss&amp;utm_medium=feed"
            items.append(
                f"<item><title>{escape(article.title)}</title><link>{link}</link>"
                f'<guid isPermaLink="false">{site.article_id(served, seq)}</guid>'
                f"<category>{FEED_CATEGORIES[seq % len(FEED_CATEGORIES)]}</category>"
                f"<author>{escape(article.press)}</author><pubDate>{format_datetime(when)}</pubDate></item>"
            )
    newest = max(_time(day, seq) for seq in feed_seqs(articles_per_day)) if items else published(day, 0, 0)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>샘플 언론 전체기사</title>'
        f"<link>{base}/press/list</link><description>sample press feed</description>"
        f"<lastBuildDate>{format_datetime(newest)}</lastBuildDate>{''.join(items)}</channel></rss>"
    )
    return body.encode("utf-8"), newest


def _time(day: dt.date, seq: int) -> dt.datetime:
    """When an article of a day is published."""
    article, _ = site.article_for_seq(seq)
    return published(day, article.hour, article.minute)


def _months() -> list[tuple[int, int]]:
    """Every month the sitemap index names, oldest first."""
    months = []
    year, month = FIRST_MONTH
    while (year, month) <= LAST_MONTH:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_end(year: int, month: int) -> dt.date:
    after = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return after - dt.timedelta(days=1)


def sitemap_index(base: str) -> tuple[bytes, dt.datetime]:
    """The sitemap index: one news sitemap per month, each with its last day as lastmod."""
    entries = "".join(
        f"<sitemap><loc>{base}/press/sitemap-{year:04d}-{month:02d}.xml</loc>"
        f"<lastmod>{_month_end(year, month).isoformat()}</lastmod></sitemap>"
        for year, month in _months()
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    )
    last = _month_end(*LAST_MONTH)
    return body.encode("utf-8"), published(last, 23, 59)


@lru_cache(maxsize=32)
def month_sitemap(year: int, month: int, base: str, articles_per_day: int) -> bytes | None:
    """A month's news sitemap (None for a month the index does not name): every day's sitemap share, with
    news:publication_date in Korean time."""
    if (year, month) not in _months():
        return None
    day, urls = dt.date(year, month, 1), []
    while day.month == month:
        for seq in sitemap_seqs(articles_per_day):
            article, _ = site.article_for_seq(seq)
            urls.append(
                f"<url><loc>{site.press_url(base, day, seq)}</loc><news:news><news:publication><news:name>"
                f"{escape(article.press)}</news:name><news:language>ko</news:language></news:publication>"
                f"<news:publication_date>{published(day, article.hour, article.minute).isoformat()}"
                f"</news:publication_date><news:title>{escape(article.title)}</news:title></news:news></url>"
            )
        day += dt.timedelta(days=1)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{"".join(urls)}</urlset>'
    ).encode()
