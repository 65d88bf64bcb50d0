"""The sample site's press section: real press pages (their whole chrome) around the sample articles, served over
real HTTP, and the source ``sample_press`` through the pipeline into a real Postgres."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from lxml import html as lxml_html
from sqlalchemy.engine import Engine

from newsetl.config import load_sources
from newsetl.pipeline import run_pipeline
from newsetl.sites import get_site, source_id
from newsetl_tools.sample_site import corpus, press, running, site
from newsetl_tools.sample_site.cutting import script_json

DAY = date(2025, 7, 3)
PRESS_LINKS = "//ul[@class='press_list']/li/a[@class='press_link']/@href"
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """A default server (40 Daum articles a day, 20 in the press section)."""
    with running() as url:
        yield url


def press_links(base: str, page: int) -> list[str]:
    """Article links of one page of the press list, by the site module's own selector."""
    response = requests.get(f"{base}/press/list?date={DAY:%Y%m%d}&page={page}", timeout=10)
    assert response.status_code == 200
    return [str(href) for href in lxml_html.fromstring(response.content).xpath(PRESS_LINKS)]


def article_of(link: str) -> corpus.CorpusArticle:
    """The corpus article an id of the day stands for."""
    return site.article_for_seq(int(link[-5:]))[0]


def ld_article(tree: lxml_html.HtmlElement) -> dict[str, object]:
    """The page's JSON-LD NewsArticle ({} when it has none: the 2026-01 page keeps its metadata in scripts)."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        data = json.loads(script.text)
        for item in data if isinstance(data, list) else data.get("@graph", [data]):
            if item.get("@type") in ("NewsArticle", "Article"):
                return dict(item)
    return {}


def written(text: str, value: str) -> bool:
    """Whether the page holds the value as HTML text, or that HTML inside a script's JSON (the 2026 pages' payloads)."""
    markup = html.escape(value, quote=False)
    return markup in text or script_json(markup) in text


def test_the_list_names_the_day_in_every_template(base: str) -> None:
    """20 articles the first page, none the second; each link resolves, under its own template only."""
    links = press_links(base, 1)
    assert len(links) == 20 == len(set(links)) and press_links(base, 2) == []
    templates = {link.split("/")[-2] for link in links}
    assert templates == set(press.templates())
    for link in links:
        assert re.fullmatch(re.escape(base) + r"/press/[a-z0-9_]+/" + f"{DAY:%Y%m%d}" + r"\d{9}", link)
        assert get_site("sample_press").article_id(link) == source_id(link) == link[-17:]
        assert requests.get(link, timeout=10).status_code == 200
        other = next(name for name in press.templates() if name != link.split("/")[-2])
        assert requests.get(link.replace(link.split("/")[-2], other), timeout=10).status_code == 404


def test_press_pages_are_the_real_pages_around_the_served_article(base: str) -> None:
    """Each page is its real page's size, keeps none of the real article, and names the served one where the
    real page named its own: the headline, the metadata, the body's paragraphs and photos."""
    for link in press_links(base, 1):
        template = link.split("/")[-2]
        real = json.loads((press.PRESS_DIR / f"{template}.json").read_bytes())
        article = article_of(link)
        content = requests.get(link, timeout=10).content
        real_size = (press.PRESS_DIR / f"{template}.html").stat().st_size
        assert 0.7 * real_size < len(content) < 1.3 * real_size
        text = content.decode("utf-8")
        assert real["title"] not in text and not any(p[:40] in text for p in real["paragraphs"])
        assert not any(image["url"] in text for image in real["images"])
        tree = lxml_html.fromstring(content)
        when = corpus.published(DAY, article.hour, article.minute)
        assert tree.xpath("string(//meta[@property='og:title']/@content)").startswith(article.title)
        if ld := ld_article(tree):
            assert ld["headline"] == article.title
            assert datetime.fromisoformat(str(ld["datePublished"]).replace("+0900", "+09:00")) == when
        for paragraph in article.paragraphs:
            assert all(written(text, line) for line in paragraph.split("\n")), paragraph[:40]
        for photo in article.photos:
            served = press.press_photo(template, photo, when)
            assert "daumcdn" not in served.image_url and written(text, served.image_url)
        assert all(written(text, name) for name in article.reporters)


def test_the_corpus_fields_are_the_golden_pages_values() -> None:
    """data/bodies.json (what the press pages set in their own markup) is what the golden Daum pages extract."""
    golden = {}
    for path in PAGES.glob("daum_*_*.json"):
        number = path.stem.rsplit("_", 1)[1]
        golden[number] = json.loads(path.read_bytes())
    assert len(golden) == 40
    for article in corpus.corpus():
        expected = golden[f"{article.number:03d}"]
        assert list(article.paragraphs) == expected["paragraphs"]
        assert list(article.reporters) == expected["reporters"]
        media = [(m["image_url"], m["caption"], m["credit"]) for m in expected["media"]]
        assert [(p.image_url, p.caption, p.credit) for p in article.photos] == media


def test_press_pages_render_faster_than_a_bare_parse_of_them() -> None:
    """Built once, joined per request: serving a 75-380 KB page costs less than lxml parsing it (the cheapest
    thing a client does with it), measured in the same run; best of three."""
    ids = [site.article_id(DAY, seq) for seq in range(1, 21)]
    paths = [f"/press/{site.press_template(seq)}/{value}" for seq, value in enumerate(ids, start=1)]
    pages = [site.render_path(path, "http://127.0.0.1:1").body for path in paths]
    rendered = parsed = float("inf")
    for _ in range(3):
        started = datetime.now().timestamp()
        for path in paths:
            site.render_path(path, "http://127.0.0.1:1")
        rendered = min(rendered, datetime.now().timestamp() - started)
        started = datetime.now().timestamp()
        for page in pages:
            lxml_html.fromstring(page)
        parsed = min(parsed, datetime.now().timestamp() - started)
    assert rendered < parsed


@pytest.fixture(scope="module")
def loaded(db: Engine, sample_site: str) -> Engine:
    """The day of sample_press alone, through every stage."""
    from newsetl.db import empty_tables

    empty_tables(db)
    run_pipeline(db, DAY, load_sources(["sample_press"]))
    return db


def test_the_press_day_loads_with_the_served_fields(loaded: Engine) -> None:
    """Every article of the list is loaded, read by the generic press reader: title, reporters, published time,
    paragraphs, 요약 and photos as served, the press of its page (all four templates are in the day)."""
    with loaded.connect() as conn:
        states = dict(conn.execute(sa.text("SELECT state, count(*) FROM news.crawl_url GROUP BY 1")).all())
        rows = conn.execute(
            sa.text(
                "SELECT source_id, url, title, press, reporters, published_at, paragraphs, summary FROM news.article"
            )
        ).all()
        media = conn.execute(
            sa.text(
                "SELECT a.source_id, m.image_url, m.caption FROM news.media m JOIN news.article a USING (article_id)"
            )
        ).all()
    assert states == {"loaded": 20} and len(rows) == 20
    for source_id_, url, title, press_name, reporters, published_at, paragraphs, summary in rows:
        article = site.article_for_seq(int(source_id_[-5:]))[0]
        when = corpus.published(DAY, article.hour, article.minute)
        template = url.split("/")[-2]
        assert url.endswith(source_id_) and title == article.title
        assert press_name == press.templates()[template][0]
        assert reporters == list(article.reporters)
        assert published_at == when
        assert paragraphs == list(article.paragraphs) and summary == list(article.summary)
        photos = {press.press_photo(template, photo, when).image_url for photo in article.photos}
        assert {url for id_, url, _caption in media if id_ == source_id_} == photos
