"""The sample site's wire desk: a day's agency stories and the presses' syndicated copies, served over real HTTP,
read by the pipeline's own extraction and, as the source ``sample_wire``, loaded into a real Postgres."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

import pytest
import requests
import sqlalchemy as sa
from lxml import etree
from sqlalchemy.engine import Engine

from newsetl.config import load_sources
from newsetl.extract import extract_article
from newsetl.pipeline import run_pipeline
from newsetl.records import Article
from newsetl_tools.sample_site import running, wire

DAY = date(2025, 7, 3)


def bigrams(text: str) -> set[str]:
    """Character bigrams of a text without its whitespace (what near-duplicate detection compares)."""
    compact = "".join(text.split())
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def jaccard(a: str, b: str) -> float:
    first, second = bigrams(a), bigrams(b)
    return len(first & second) / len(first | second)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running() as url:
        yield url


def feed_links(base: str, day: date = DAY) -> list[str]:
    """The links of the desk's feed of a day, in feed order."""
    response = requests.get(f"{base}/wire/rss.xml?date={day:%Y%m%d}", timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/rss+xml")
    return [str(link) for link in etree.fromstring(response.content).xpath("//item/link/text()")]


@pytest.fixture(scope="module")
def extracted(base: str) -> dict[str, tuple[wire.WirePage, Article]]:
    """Each page of the day's feed, fetched and read by the pipeline's extraction (the source's site module)."""
    pages = {base + page.path(): page for page in wire.day_pages(DAY)}
    found = {}
    for link in feed_links(base):
        response = requests.get(link, timeout=10)
        assert response.status_code == 200
        article = extract_article(response.content, link, "generic", DAY, response.headers["Content-Type"])
        found[link] = (pages[link], article)
    return found


def test_the_feed_lists_the_day_s_stories_and_copies(base: str) -> None:
    links = feed_links(base)
    assert len(links) == len(set(links)) == wire.PAGES_PER_DAY == 15
    stories = defaultdict(list)
    for page in wire.day_pages(DAY):
        stories[page.story].append(page)
    assert len(stories) == wire.STORIES_PER_DAY == 3
    assert all(3 <= len(pages) - 1 <= 5 for pages in stories.values())  # 3-5 presses republish each story
    assert requests.get(f"{base}/wire/rss.xml?date=20250732", timeout=10).status_code == 404
    # a page is served under its own press's path only
    first = wire.day_pages(DAY)[1]
    other = next(p for p in wire.day_pages(DAY) if p.code != first.code)
    assert (
        requests.get(base + first.path().replace(f"/{first.code}/", f"/{other.code}/"), timeout=10).status_code == 404
    )


def test_copies_share_the_body_but_not_the_title_or_lead(extracted: dict[str, tuple[wire.WirePage, Article]]) -> None:
    """As read: a copy's body is most of its original's (bigram Jaccard >= 0.6), its title and lead are not,
    it is shorter (trailing paragraphs trimmed); another story's body is far off."""
    originals = {page.story: article for page, article in extracted.values() if page.copy == 0}
    assert len(originals) == 3
    for page, article in extracted.values():
        original = originals[page.story]
        body, original_body = "\n".join(article.paragraphs), "\n".join(original.paragraphs)
        if page.copy == 0:
            continue
        assert jaccard(body, original_body) >= 0.6, (page.press, page.title)
        assert article.title != original.title and article.paragraphs[0] != original.paragraphs[0]
        assert len(article.paragraphs) < len(original.paragraphs)
        for story, other in originals.items():
            if story != page.story:
                assert jaccard(body, "\n".join(other.paragraphs)) < 0.4


def test_each_copy_is_read_with_its_own_press_and_the_agency_publishes_first(
    extracted: dict[str, tuple[wire.WirePage, Article]],
) -> None:
    """The press comes from the page (og:site_name, publisher, copyright), not from the agency the text credits:
    every page of a story has another press, the original the agency's; the original is the earliest."""
    by_story: dict[int, list[tuple[wire.WirePage, Article]]] = defaultdict(list)
    for page, article in extracted.values():
        assert article.press == page.press and article.reporters == [page.reporter]
        assert article.published_at == page.published
        assert [m.credit for m in article.media] == [page.agency]
        by_story[page.story].append((page, article))
    for pages in by_story.values():
        presses = [article.press for _, article in pages]
        assert len(presses) == len(set(presses))
        original = next(article for page, article in pages if page.copy == 0)
        assert original.press == pages[0][0].agency and original.press in {"연합뉴스", "뉴스1", "뉴시스"}
        assert all(original.published_at < article.published_at for page, article in pages if page.copy)


def test_the_desk_is_the_same_on_every_server_and_another_on_another_day(base: str) -> None:
    """Same day, same bytes (feed and pages) on a second server; the next day has other stories."""
    with running() as other:
        assert feed_links(other) == [link.replace(base, other) for link in feed_links(base)]
        for page in wire.day_pages(DAY):
            first = requests.get(base + page.path(), timeout=10).content
            assert requests.get(other + page.path(), timeout=10).content == first.replace(base.encode(), other.encode())
    next_day = {p.title for p in wire.day_pages(date(2025, 7, 4)) if p.copy == 0}
    assert next_day != {p.title for p in wire.day_pages(DAY) if p.copy == 0}


def test_wire_pairs_label_the_day_s_pairs() -> None:
    """Labelled pairs for the clustering's quality test: same-story pairs are near-duplicates, the others not."""
    pairs = wire.wire_pairs(DAY)
    assert len(pairs) == 15 * 14 // 2 and sum(same for _, _, same in pairs) == 31
    assert min(jaccard(a, b) for a, b, same in pairs if same) >= 0.6
    assert max(jaccard(a, b) for a, b, same in pairs if not same) < 0.4


def test_the_wire_day_loads_with_a_press_per_copy(clean_db: Engine, sample_site: str) -> None:
    """The source through every stage: 15 articles, each with the press and time of its page."""
    run_pipeline(clean_db, DAY, load_sources(["sample_wire"]))
    with clean_db.connect() as conn:
        states = dict(conn.execute(sa.text("SELECT state, count(*) FROM news.crawl_url GROUP BY 1")).all())
        rows = conn.execute(sa.text("SELECT source_id, press, published_at, title FROM news.article")).all()
    assert states == {"loaded": 15}
    served = {page.idxno: page for page in wire.day_pages(DAY)}
    assert {(r.source_id, r.press, r.published_at, r.title) for r in rows} == {
        (idxno, page.press, page.published, page.title) for idxno, page in served.items()
    }
