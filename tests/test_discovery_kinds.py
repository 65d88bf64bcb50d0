"""Discovery kinds (issue 16): the cursor listing, RSS/Atom feeds, sitemaps and sitemap indexes, sections,
URL identity, robots.txt and conditional requests, against the sample site and small servers on 127.0.0.1."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.client import SourceClient
from newsetl.config import ConfigError, Source, load_sources
from newsetl.discover import DiscoveryError, discover_day, discover_links, first_listing_page
from newsetl.listings import UnreadableListing, read_feed, read_sitemap
from newsetl.pipeline import run_pipeline
from newsetl.sites import get_site
from newsetl.urls import canonical_url
from newsetl_tools.sample_site import make_server

DAY = date(2025, 7, 3)
KINDS = ["sample_naver", "sample_press_rss", "sample_press_sitemap"]


@pytest.fixture
def site_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """The sample site on a free port (its server object, to count the 304s it answers); sources.yaml's
    sample sources point at it."""
    server = make_server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("NEWS_SAMPLE_SITE_URL", server.base_url)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def discover(name: str, day: date = DAY) -> dict[str, str | None]:
    (source,) = load_sources([name])
    with SourceClient(source) as client:
        return discover_links(client, day)


# --- each kind against the sample site -----------------------------------------------------------------------


def test_cursor_listing_follows_the_json_pages_of_each_section(site_server: object) -> None:
    found = discover("sample_naver")
    # 10 a section: a first page of 4, then JSON pages of 4 and 2 chained by their cursors
    assert len(found) == 20
    assert sorted(set(found.values())) == ["economy", "politics"]
    assert sum(1 for s in found.values() if s == "politics") == 10
    assert all("/mnews/article/" in url for url in found)
    assert {get_site("naver").article_id(url) is not None for url in found} == {True}


def test_feed_keeps_the_days_entries_by_pubdate_without_tracking_parameters(site_server: object) -> None:
    found = discover("sample_press_rss")
    assert len(found) == 10  # the feed also holds the day before's 10: left out by their pubDate
    assert all("/20250703" in url for url in found)
    assert not any("utm_" in url or "?" in url for url in found)
    assert set(found.values()) <= {"정치", "경제", "사회"} and len(set(found.values())) > 1  # categories


def test_sitemap_index_from_robots_txt_gives_the_days_news_entries(site_server: object) -> None:
    found = discover("sample_press_sitemap")
    assert len(found) == 10
    assert all("/20250703" in url for url in found)
    # the three kinds of the press desk list different articles: no article is loaded twice
    listed = set(discover("sample_press")) | set(discover("sample_press_rss"))
    assert not listed & set(found)


def test_every_kind_through_the_pipeline_stores_sections(clean_db: Engine, site_server: object) -> None:
    run_pipeline(clean_db, DAY, load_sources(KINDS))
    with clean_db.connect() as conn:
        per_source = dict(conn.execute(sa.text("SELECT source, count(*) FROM news.article GROUP BY 1")).all())
        sections = dict(
            conn.execute(
                sa.text("SELECT section, count(*) FROM news.article WHERE source = 'sample_naver' GROUP BY 1")
            ).all()
        )
        crawl = dict(conn.execute(sa.text("SELECT state, count(*) FROM news.crawl_url GROUP BY 1")).all())
        unsectioned = conn.execute(
            sa.text("SELECT count(*) FROM news.crawl_url WHERE source = 'sample_naver' AND section IS NULL")
        ).scalar_one()
        naver_press = conn.execute(
            sa.text("SELECT count(*) FROM news.article WHERE source = 'sample_naver' AND parser = 'naver'")
        ).scalar_one()
    assert per_source == {"sample_naver": 20, "sample_press_rss": 10, "sample_press_sitemap": 10}
    assert sections == {"politics": 10, "economy": 10}
    assert crawl == {"loaded": 40}
    assert unsectioned == 0
    assert naver_press == 20


def test_a_rerun_asks_conditionally_and_the_304s_keep_the_urls(clean_db: Engine, site_server: object) -> None:
    sources = load_sources([*KINDS, "sample_press"])
    first = discover_day(clean_db, DAY, sources)
    assert site_server.not_modified == 0  # type: ignore[attr-defined]
    second = discover_day(clean_db, DAY, sources)
    assert second == first
    # Naver: 2 sections x 3 pages; the feed: 1; the sitemaps: the index and July 2025 .. December 2026; the
    # HTML list: a full page of 20 and the page after it
    assert site_server.not_modified == 6 + 1 + 1 + 18 + 2  # type: ignore[attr-defined]
    with clean_db.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM staging.listing_cache")).scalar_one()
    assert stored == 28


def test_first_listing_page_reads_one_page_with_its_sections(site_server: object) -> None:
    (source,) = load_sources(["sample_naver"])
    with SourceClient(source) as client:
        first = first_listing_page(client, DAY)
    assert first.url.endswith("/breakingnews/section/100/264?date=20250703")
    assert first.section == "politics" and len(first.links) == 4 and first.page.cursor is not None
    assert set(first.links.values()) == {"politics"}


def test_first_listing_page_of_a_feed_and_of_a_sitemap_index(site_server: object) -> None:
    sources = {s.name: s for s in load_sources(["sample_press_rss", "sample_press_sitemap"])}
    with SourceClient(sources["sample_press_rss"]) as client:
        feed = first_listing_page(client, DAY)
    assert feed.url.endswith("/press/rss.xml?date=20250703")
    assert feed.page.hrefs == 20 and len(feed.links) == 10  # the entries read, and those of the day
    with SourceClient(sources["sample_press_sitemap"]) as client:
        sitemap = first_listing_page(client, DAY)
    assert sitemap.url.endswith("/press/sitemap-2025-07.xml")  # down the index robots.txt names
    assert len(sitemap.links) == 10 and sitemap.page.hrefs == 31 * 10


# --- small servers for what the sample site does not serve ----------------------------------------------------


@pytest.fixture
def routes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, tuple[str, bytes]]]:
    """A server on 127.0.0.1 answering each path (with its query) from the dict (content type, body); 404
    otherwise. NEWS_TEST_BASE names it."""
    table: dict[str, tuple[str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            kind, body = table.get(self.path, ("text/plain", b"not found"))
            self.send_response(200 if self.path in table else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("NEWS_TEST_BASE", f"http://127.0.0.1:{httpd.server_address[1]}")
    try:
        yield table
    finally:
        httpd.shutdown()
        httpd.server_close()


def local_source(tmp_path: Path, discovery: str, site: str = "sample_press", extra: str = "") -> Source:
    """A source at the routes server with the given discovery block (YAML, indented under it); a file of its
    own each time (config files are read once per path)."""
    path = tmp_path / f"sources{len(list(tmp_path.glob('sources*.yaml')))}.yaml"
    path.write_text(
        'sources:\n  local:\n    base_url: "${NEWS_TEST_BASE}"\n    site: ' + site + "\n"
        "    allow_private_addresses: true\n    requests_per_second: 0\n" + extra + "    discovery:\n" + discovery,
        encoding="utf-8",
    )
    (source,) = load_sources(["local"], path=path)
    return source


def run(source: Source, day: date = DAY) -> dict[str, str | None]:
    with SourceClient(source) as client:
        return discover_links(client, day)


RSS_ITEM = "<item><link>{link}</link><pubDate>{when}</pubDate></item>"


def rss(*items: str) -> bytes:
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{"".join(items)}</channel></rss>'.encode()


def test_atom_feed_and_undated_entries(tmp_path: Path, routes: dict[str, tuple[str, bytes]]) -> None:
    routes["/atom.xml"] = (
        "application/atom+xml",
        b'<feed xmlns="http://www.w3.org/2005/Atom">'
        b'<entry><link rel="alternate" href="/press/a/20250703000000001"/><published>2025-07-02T16:30:00Z</published>'
        b'<category term="IT"/></entry>'
        b'<entry><link href="/press/a/20250703000000002"/><updated>2025-07-03T23:59:00+09:00</updated></entry>'
        b'<entry><link href="/press/a/20250703000000003"/><published>2025-07-03T15:00:00Z</published></entry>'
        b'<entry><link href="/press/a/20250703000000004"/></entry></feed>',
    )
    found = run(local_source(tmp_path, '      kind: feed\n      urls: ["{base_url}/atom.xml"]\n'))
    # 16:30 UTC on the 2nd is 01:30 on the 3rd in Seoul; 15:00 UTC on the 3rd is the 4th; no date: skipped
    assert [url.rsplit("/", 1)[1] for url in found] == ["20250703000000001", "20250703000000002"]
    assert list(found.values()) == ["IT", None]
    undated = run(
        local_source(tmp_path, '      kind: feed\n      undated: true\n      urls: ["{base_url}/atom.xml"]\n')
    )
    assert len(undated) == 3


def test_feed_sections_from_the_config_name_the_urls(tmp_path: Path, routes: dict[str, tuple[str, bytes]]) -> None:
    when = "Thu, 03 Jul 2025 09:00:00 +0900"
    routes["/rss/pol.xml"] = ("text/xml", rss(RSS_ITEM.format(link="/press/a/20250703000000001", when=when)))
    routes["/rss/eco.xml"] = ("text/xml", rss(RSS_ITEM.format(link="/press/a/20250703000000002", when=when)))
    block = '      kind: feed\n      urls: ["{base_url}/rss/{section}.xml"]\n      sections: {politics: pol, economy: eco}\n'
    assert list(run(local_source(tmp_path, block)).values()) == ["politics", "economy"]


def test_hostile_xml_is_never_expanded_nor_fetched_and_bad_xml_is_one_line(
    tmp_path: Path, routes: dict[str, tuple[str, bytes]]
) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">' % ((c,) + (c - 1,) * 10) for c in range(98, 108)
        )
        + b"]><rss><channel><item><link>http://x.test/&k;</link></item></channel></rss>"
    )
    with pytest.raises(UnreadableListing, match="^not XML: Maximum entity amplification"):
        read_feed(laughs, "http://x.test/f", limit=10)  # refused by libxml2, never expanded
    external = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><link>http://x.test/&x;</link></item></channel></rss>'
    assert all("root" not in url for url in read_feed(external, "http://x.test/f", limit=10).links)
    routes["/bad.xml"] = ("application/xml", b"<rss><channel><item>\n<link>unclosed")
    with pytest.raises(DiscoveryError) as caught:
        run(local_source(tmp_path, '      kind: feed\n      urls: ["{base_url}/bad.xml"]\n'))
    message = str(caught.value)
    assert "\n" not in message and message.startswith("discover local 2025-07-03: feed http://127.0.0.1:")
    assert "/bad.xml: not XML" in message


def test_feed_entries_are_capped_per_document() -> None:
    items = [RSS_ITEM.format(link=f"/v/{i}", when="Thu, 03 Jul 2025 09:00:00 +0900") for i in range(50)]
    page = read_feed(rss(*items), "http://x.test/f", limit=20)
    assert len(page.links) == 20 and page.capped


def test_sitemap_index_depth_children_and_lastmod(tmp_path: Path, routes: dict[str, tuple[str, bytes]]) -> None:
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

    def index(*children: tuple[str, str]) -> bytes:
        entries = "".join(f"<sitemap><loc>{loc}</loc><lastmod>{mod}</lastmod></sitemap>" for loc, mod in children)
        return f"<sitemapindex {ns}>{entries}</sitemapindex>".encode()

    def urlset(*ids: str) -> bytes:
        entries = "".join(f"<url><loc>/press/a/{i}</loc><lastmod>2025-07-03</lastmod></url>" for i in ids)
        return f"<urlset {ns}>{entries}</urlset>".encode()

    routes["/top.xml"] = ("application/xml", index(("/mid.xml", "2025-07-03"), ("/old.xml", "2025-06-30")))
    routes["/old.xml"] = ("application/xml", urlset("20250703000000009"))  # lastmod before the day: not read
    routes["/mid.xml"] = ("application/xml", index(("/a.xml", "2025-07-04"), ("/b.xml", "2025-07-04")))
    routes["/a.xml"] = ("application/xml", urlset("20250703000000001"))
    routes["/b.xml"] = ("application/xml", urlset("20250703000000002"))
    block = '      kind: sitemap\n      urls: ["{base_url}/top.xml"]\n'
    assert len(run(local_source(tmp_path, block))) == 2
    assert len(run(local_source(tmp_path, block + "      max_sitemap_children: 1\n"))) == 1
    assert run(local_source(tmp_path, block + "      max_sitemap_depth: 2\n")) == {}  # /mid.xml's children: too deep
    # max_pages counts sitemaps of articles, not the indexes above them: 1 reads down to /a.xml
    assert len(run(local_source(tmp_path, block, extra="    max_pages: 1\n"))) == 1


def test_a_sitemap_robots_txt_disallows_is_not_read(tmp_path: Path, routes: dict[str, tuple[str, bytes]]) -> None:
    routes["/robots.txt"] = ("text/plain", b"User-agent: *\nDisallow: /private/\n")
    routes["/private/sitemap.xml"] = ("application/xml", b"<urlset/>")
    with pytest.raises(DiscoveryError, match="blocked by robots.txt"):
        run(local_source(tmp_path, '      kind: sitemap\n      urls: ["{base_url}/private/sitemap.xml"]\n'))


def test_cursor_json_pages_that_are_hostile_fail_in_one_line(
    tmp_path: Path, routes: dict[str, tuple[str, bytes]]
) -> None:
    first = (
        b'<div class="sa_item_inner"><a href="/mnews/article/001/0000000001"><strong class="sa_text_strong">t</strong>'
        b'</a></div><div data-cursor-name="next" data-cursor="c1"></div>'
    )
    routes["/breakingnews/section/100/264?date=20250703"] = ("text/html", first)
    json_path = "/section/template/SECTION_ARTICLE_LIST_FOR_LATEST?sid=100&sid2=264&pageNo=2&date=20250703&next=c1"
    routes[json_path] = ("application/json", b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(DiscoveryError) as caught:
        run(local_source(tmp_path, '      sections: {politics: "100/264"}\n', site="naver"))
    assert "not JSON" in str(caught.value) and "\n" not in str(caught.value)


def test_a_cursor_that_repeats_ends_the_listing(tmp_path: Path, routes: dict[str, tuple[str, bytes]]) -> None:
    item = '<div class="sa_item_inner"><a href="/mnews/article/001/{aid}"><strong class="sa_text_strong">t</strong></a></div>'
    cursor = '<div data-cursor-name="next" data-cursor="c1"></div>'
    routes["/breakingnews/section/100/264?date=20250703"] = (
        "text/html",
        (item.format(aid="0000000001") + cursor).encode(),
    )
    json_path = "/section/template/SECTION_ARTICLE_LIST_FOR_LATEST?sid=100&sid2=264&pageNo={n}&date=20250703&next=c1"
    for n in range(2, 6):  # a server handing out the same cursor forever, with a new link each time
        html = (item.format(aid=f"000000000{n}") + cursor).replace('"', '\\"')
        routes[json_path.format(n=n)] = ("application/json", ('{"renderedComponent": {"x": "' + html + '"}}').encode())
    found = run(local_source(tmp_path, '      sections: {politics: "100/264"}\n', site="naver"))
    assert [url[-10:] for url in found] == ["0000000001", "0000000002"]  # page 2, then c1 again: the end


def test_daum_section_pages_listing() -> None:
    listing = get_site("daum").listing_named("sections")
    assert listing is not None
    assert listing.page_url("https://news.daum.net", DAY, 1, "society") == "https://news.daum.net/society"
    html = (
        b'<ul class="list_newsheadline2"><li><a class="item_newsheadline2" href="https://v.daum.net/v/20250703000000001">'
        b'<strong class="tit_txt">a</strong></a></li></ul><ul class="list_newsbasic"><li>'
        b'<a class="item_newsbasic" href="https://v.daum.net/v/20250703000000002">b</a></li></ul>'
        b'<ul class="list_other"><li><a class="item_newsbasic" href="https://v.daum.net/v/1">ad</a></li></ul>'
    )
    found = listing.page_links(html, "https://news.daum.net/society", limit=100)
    assert found.links == ["https://v.daum.net/v/20250703000000001", "https://v.daum.net/v/20250703000000002"]


def test_tracking_parameters_do_not_make_a_second_url() -> None:
    plain = canonical_url("https://www.yna.co.kr/view/AKR1?section=x")
    for spelled in (
        "HTTPS://WWW.yna.co.kr:443/view/AKR1?utm_source=rss&section=x&utm_medium=feed",
        "https://www.yna.co.kr/view/AKR1?section=x&fbclid=abc&gclid=1#top",
    ):
        assert canonical_url(spelled) == plain
    assert canonical_url("https://x.test/a?utm=1&page=2") == "https://x.test/a?utm=1&page=2"  # not a utm_ name


def test_discovery_config_is_checked(tmp_path: Path, routes: dict[str, tuple[str, bytes]]) -> None:
    with pytest.raises(ConfigError, match="unknown discovery key.*known: kind, listing"):
        local_source(tmp_path, "      kind: feed\n      url: x\n")
    with pytest.raises(ConfigError, match="a feed needs its urls"):
        local_source(tmp_path, "      kind: feed\n")
    with pytest.raises(DiscoveryError, match=r"needs sections \(sources.yaml discovery: sections\)"):
        run(local_source(tmp_path, "      robots_sitemaps: false\n", site="naver"))
    with pytest.raises(ConfigError, match="has no listing 'nope'; its named listings: sections"):
        local_source(tmp_path, "      listing: nope\n", site="daum")


def test_live_sources_are_configured_and_off() -> None:
    live = load_sources(["naver_live", "daum_live", "daum_live_dated", "yonhap_rss", "mk_rss", "hankookilbo_sitemap"])
    assert not any(source.enabled for source in live)
    kinds = {source.name: source.discovery.kind for source in live}
    assert kinds["yonhap_rss"] == "feed" and kinds["hankookilbo_sitemap"] == "sitemap"
    assert dict(live[0].discovery.sections)["it_general"] == "105/230"


def test_read_sitemap_names_a_sitemap_that_is_no_sitemap() -> None:
    with pytest.raises(ValueError, match="not a sitemap: root element rss"):
        read_sitemap(rss(), "http://x.test/s", limit=10)


def test_a_sitemap_of_a_month_is_read_to_its_days_at_the_end(
    tmp_path: Path, routes: dict[str, tuple[str, bytes]]
) -> None:
    """A sitemap covers more than the run's day and is kept for the day after reading, so the links cap of one
    listing page (max_links_per_page) does not end it: the protocol's 50,000 entries do.  A 1,000-article
    day found none of its entries in the sample site's monthly sitemap when it did."""
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    earlier = "".join(  # more than max_links_per_page and than max_sitemap_children (a cap of indexes)
        f"<url><loc>/press/a/202507020000{i:05d}</loc><lastmod>2025-07-02</lastmod></url>" for i in range(1500)
    )
    ours = "<url><loc>/press/a/20250703000000001</loc><lastmod>2025-07-03</lastmod></url>"
    routes["/month.xml"] = ("application/xml", f"<urlset {ns}>{earlier}{ours}</urlset>".encode())
    block = '      kind: sitemap\n      urls: ["{base_url}/month.xml"]\n'
    found = run(local_source(tmp_path, block, extra="    max_links_per_page: 500\n"))
    assert list(found) == [f"{os.environ['NEWS_TEST_BASE']}/press/a/20250703000000001"]
