"""Sample news site: real HTTP requests against a server on a free port."""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from lxml import html as lxml_html

from newsetl_tools.sample_site import daum_page, running, site

DAY = "20250703"
LISTING_LINKS = "//ul[contains(@class,'list_allnews')]/li//strong[@class='tit_thumb']/a/@href"
BOARD_LINKS = "//ul[@class='board_list']/li/a[@class='bo_subject']/@href"
INCLUDE_DIR = Path(__file__).resolve().parents[1] / "include"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """Base URL of a default server (40 articles a day)."""
    with running() as url:
        yield url


def listing_links(base: str, page: int, day: str = DAY) -> list[str]:
    """Article links of one listing page, via the XPath a discover stage would use."""
    response = requests.get(f"{base}/breakingnews?page={page}&regDate={day}", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    tree = lxml_html.fromstring(response.content)
    assert tree.xpath("string(//em[@class='num_page'])") == str(page)
    return [str(href) for href in tree.xpath(LISTING_LINKS)]


def board_links(base: str, page: int, day: str = DAY) -> list[str]:
    """Post links of one board list page."""
    url = f"{base}/bbs/board.php?bo_table=news&date={day}&page={page}"
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    return [str(href) for href in lxml_html.fromstring(response.content).xpath(BOARD_LINKS)]


def test_listing_paginates_40_articles(base: str) -> None:
    """3 pages of 15/15/10, page 4 empty, every link unique and resolving to an article."""
    pages = [listing_links(base, page) for page in (1, 2, 3, 4)]
    assert [len(links) for links in pages] == [15, 15, 10, 0]
    links = [link for page in pages for link in page]
    assert len(set(links)) == 40
    for link in links:
        assert re.fullmatch(re.escape(base) + r"/v/" + DAY + r"\d{9}", link)
        assert requests.get(link, timeout=10).status_code == 200


def test_listing_newest_first(base: str) -> None:
    """Times in info_news descend across the whole day."""
    times = []
    for page in (1, 2, 3):
        url = f"{base}/breakingnews?page={page}&regDate={DAY}"
        tree = lxml_html.fromstring(requests.get(url, timeout=10).content)
        times += [t.split(" · ")[1] for t in tree.xpath("//span[@class='info_news']/text()")]
    assert len(times) == 40
    assert times == sorted(times, reverse=True)


def test_article_page_has_og_and_exact_body(base: str) -> None:
    """og:url carries a 17-digit id of the day; body bytes are the corpus bytes."""
    link = listing_links(base, 1)[0]
    response = requests.get(link, timeout=10)
    tree = lxml_html.fromstring(response.content)
    og_url = tree.xpath("string(//meta[@property='og:url']/@content)")
    match = re.fullmatch(r"https://v\.daum\.net/v/(\d{17})", og_url)
    assert match and match.group(1)[:8] == DAY and link.endswith(match.group(1))
    seq = int(match.group(1)[-3:])
    article = site.corpus()[seq - 1]
    # the stored bytes, with the 요약 box first in the section for an article that has one
    stored = (site.DATA_DIR / "daum" / f"{seq:03d}.html").read_bytes().decode("utf-8")
    assert response.content.count(daum_page.with_summary(stored, article.summary).encode("utf-8")) == 1
    assert tree.xpath("string(//h3[@class='tit_view'])") == article.title
    assert tree.xpath("string(//meta[@property='og:article:author']/@content)") == (article.press)
    reg = tree.xpath("string(//meta[@property='og:regDate']/@content)")
    assert reg == f"{DAY}{article.hour:02d}{article.minute:02d}00"
    date_shown = tree.xpath("string(//span[@class='num_date'])")
    assert date_shown == f"2025. 7. 3. {article.hour:02d}:{article.minute:02d}"


def test_board_list_two_pages(base: str) -> None:
    """12 posts: 10 + 2, page 3 empty, all unique and served."""
    pages = [board_links(base, page) for page in (1, 2, 3)]
    assert [len(links) for links in pages] == [10, 2, 0]
    links = [link for page in pages for link in page]
    assert len(set(links)) == 12
    for link in links:
        assert requests.get(link, timeout=10).status_code == 200


def test_seed_board_post(base: str) -> None:
    """The seed post shows the dump's markup escaped, with its date on the served day."""
    url = f"{base}/bbs/board.php?bo_table=news&wr_id={DAY}01"
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    text = response.text
    assert "&lt;div class=&quot;article_view&quot;" in text
    assert "작성일 07-03 20" in text
    assert "Copyright © 헤럴드경제. 무단전재 및 재배포 금지.&lt;/p&gt;" in text
    tree = lxml_html.fromstring(response.content)
    shown = tree.xpath("string(//div[@id='bo_v_con'])")
    assert shown.startswith('<div class="article_view"')
    dump = (site.DATA_DIR / "board" / "000_8afd88418a19985b.txt").read_text("utf-8")
    assert shown in dump
    title = tree.xpath("string(//span[@class='bo_v_tit'])")
    assert dump.startswith(title) and "KT" in title
    assert "등록된 댓글이 없습니다." in text


def test_repost_on_other_day(base: str) -> None:
    """A repost carries its corpus body escaped, the press copyright and the served date."""
    response = requests.get(f"{base}/bbs/board.php?bo_table=news&wr_id=2024022902", timeout=10)
    assert response.status_code == 200
    article = site.corpus()[site.REPOST_NUMBERS[0] - 1]
    assert html.escape(article.body) in response.text
    assert f"Copyright © {article.press}. 무단전재 및 재배포 금지." in response.text
    assert f"작성일 02-29 {article.hour:02d}" in response.text


@pytest.mark.parametrize(
    "path",
    [
        f"/v/{DAY}000000001",  # right day, wrong time for sequence 001
        f"/v/{DAY}064100041",  # sequence past 40
        "/v/20250231064100001",  # no such calendar day
        "/v/abc",
        "/breakingnews?page=1&regDate=2025073",
        "/breakingnews?page=0&regDate=20250703",
        f"/bbs/board.php?bo_table=news&wr_id={DAY}13",
        "/bbs/board.php?bo_table=other&date=20250703",
        "/nope",
    ],
)
def test_unknown_is_404(base: str, path: str) -> None:
    """Ids and routes we do not serve are 404 with a short body."""
    response = requests.get(base + path, timeout=10)
    assert response.status_code == 404
    assert 0 < len(response.content) < 500


def test_id_for_known_article_resolves(base: str) -> None:
    """The id scheme: YYYYMMDD + HHMM of the article + 00 + sequence."""
    article = site.corpus()[0]
    article_id = f"{DAY}{article.hour:02d}{article.minute:02d}00001"
    assert requests.get(f"{base}/v/{article_id}", timeout=10).status_code == 200


def test_etag_304_and_last_modified(base: str) -> None:
    """Same body -> same ETag; If-None-Match gives 304 without a body."""
    link = listing_links(base, 1)[0]
    first = requests.get(link, timeout=10)
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"].endswith(" GMT")
    assert first.headers["Content-Length"] == str(len(first.content))
    assert requests.get(link, timeout=10).headers["ETag"] == etag
    again = requests.get(link, headers={"If-None-Match": etag}, timeout=10)
    assert again.status_code == 304
    assert again.content == b""
    other = requests.get(link, headers={"If-None-Match": '"other"'}, timeout=10)
    assert other.status_code == 200


def test_robots(base: str) -> None:
    """robots.txt disallows only /private/."""
    response = requests.get(f"{base}/robots.txt", timeout=10)
    assert response.status_code == 200
    assert "Disallow: /private/" in response.text
    assert response.text.count("Disallow") == 1


def test_deterministic_across_servers(base: str) -> None:
    """Same date, same body on a second server (modulo its base URL)."""
    path = f"/breakingnews?page=2&regDate={DAY}"
    first = requests.get(base + path, timeout=10).text.replace(base, "BASE")
    with running() as other:
        second = requests.get(other + path, timeout=10).text.replace(other, "BASE")
    assert first == second


def test_public_url_is_the_address_in_absolute_links() -> None:
    """A site bound to every interface (a container's 0.0.0.0) links to itself by its public name, the one its
    clients reach it by, in pages, feeds and sitemaps alike; the address it is reached at does not matter."""
    import threading

    from newsetl_tools.sample_site import make_server

    server = make_server("0.0.0.0", 0, public_url="http://sample-site:8765/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        reached = f"http://127.0.0.1:{server.server_address[1]}"
        for path in ("/press/sitemap_index.xml", f"/breakingnews?regDate={DAY}"):
            text = requests.get(reached + path, timeout=10).text
            assert "http://sample-site:8765/" in text, path
            assert "0.0.0.0" not in text and reached not in text, path
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_articles_per_day_scale() -> None:
    """100 articles a day: 7 pages, unique ids, copies with distinct bodies."""
    with running(articles_per_day=100) as url:
        pages = [listing_links(url, page) for page in range(1, 9)]
        assert [len(links) for links in pages] == [15] * 6 + [10, 0]
        links = [link for page in pages for link in page]
        assert len(set(links)) == 100
        ids = {link.rsplit("/", 1)[1] for link in links}
        assert all(len(i) == 17 and i.startswith(DAY) for i in ids)
        copy_id = site.article_id(site.compact_day(DAY), 41)  # first copy of article 001
        copy = requests.get(f"{url}/v/{copy_id}", timeout=10)
        original = requests.get(f"{url}/v/{site.article_id(site.compact_day(DAY), 1)}", timeout=10)
        assert "(사본 1)" in copy.text and "(사본" not in original.text
        assert copy.headers["ETag"] != original.headers["ETag"]


def test_ids_unique_at_100k() -> None:
    """The id scheme stays 17 digits and unique per day at the maximum scale."""
    day = site.compact_day(DAY)
    assert day is not None
    ids = {site.article_id(day, seq) for seq in range(1, site.MAX_ARTICLES_PER_DAY + 1)}
    assert len(ids) == site.MAX_ARTICLES_PER_DAY
    assert {len(i) for i in ids} == {17}
    last = site.article_id(day, site.MAX_ARTICLES_PER_DAY)
    assert site.parse_article_id(last, site.MAX_ARTICLES_PER_DAY) == (
        day,
        site.MAX_ARTICLES_PER_DAY,
    )


def test_cli_serves_and_stops_on_sigterm() -> None:
    """python -m newsetl_tools.sample_site prints its URL, serves, exits 0 on SIGTERM."""
    env = {**os.environ, "PYTHONPATH": str(INCLUDE_DIR)}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsetl_tools.sample_site", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        match = re.fullmatch(r"sample site on (http://127\.0\.0\.1:\d+)", line)
        assert match, line
        assert requests.get(match.group(1) + "/robots.txt", timeout=10).status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize(("flags", "articles"), [([], 40), (["--faults"], 80), (["--articles-per-day", "70"], 70)])
def test_tools_cli_day_size(flags: list[str], articles: int) -> None:
    """`newsetl-tools sample-site` serves 40 articles a day, 80 with --faults (two URLs for each of its kinds)
    unless --articles-per-day says otherwise."""
    env = {**os.environ, "PYTHONPATH": str(INCLUDE_DIR)}
    command = [sys.executable, "-m", "newsetl_tools.cli", "sample-site", "--port", "0", *flags]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        match = re.fullmatch(r"sample site on (http://127\.0\.0\.1:\d+)", process.stdout.readline().strip())
        assert match
        pages = -(-articles // 15)
        assert len(listing_links(match.group(1), pages)) == articles - 15 * (pages - 1)
        assert listing_links(match.group(1), pages + 1) == []
        process.terminate()
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_keep_alive_is_fast(base: str) -> None:
    """Keep-alive requests do not stall on Nagle/delayed ACK (~40 ms each when they do)."""
    link = listing_links(base, 1)[0]
    with requests.Session() as session:
        started = time.perf_counter()
        for _ in range(50):
            assert session.get(link, timeout=10).status_code == 200
        assert time.perf_counter() - started < 1.5


def test_daum_article_page_is_full_size_with_its_article_fields(base: str) -> None:
    """A served Daum page is 100-200 KB of chrome around the article: the press logo, 입력 and (when modified)
    수정 in span.txt_info, 요약 in strong.summary_view first in the body's section where the article has one,
    the body byte for byte otherwise."""
    articles = {article.number: article for article in site.corpus()}
    seen_summary = seen_modified = False
    for link in listing_links(base, 1) + listing_links(base, 2) + listing_links(base, 3):
        response = requests.get(link, timeout=10)
        assert 100_000 <= len(response.content) <= 200_000
        tree = lxml_html.fromstring(response.content)
        title = tree.xpath("string(//div[@class='head_view']/h3[@class='tit_view'])")
        article = next(a for a in articles.values() if a.title == title)
        served = daum_page.with_summary(article.body, article.summary).encode()
        assert served in response.content
        assert tree.xpath("string(//em[@class='info_cp']//img/@alt)") == article.press
        infos = tree.xpath("//div[@class='info_view']/span[@class='txt_info']")
        dates = [span.xpath("string(span[@class='num_date'])") for span in infos]
        assert infos[0].text_content() == article.byline and dates[0] == ""
        assert infos[1].text_content().startswith("입력 ") and dates[1]
        if article.modified_minutes is None:
            assert len(infos) == 2
        else:
            assert infos[2].text_content() == f"수정 {dates[2]}" and dates[2] > dates[1]
            seen_modified = True
        summary = tree.xpath("//div[@class='article_view']/section/strong[@class='summary_view']")
        assert [line for line in summary[0].itertext()] == list(article.summary) if summary else not article.summary
        seen_summary |= bool(summary)
        # one article_view (the body's), no other copyright line than the press's and Kakao's
        assert response.content.count(b'class="article_view"') == 1
        assert response.content.replace(served, b"").count(b"Copyright") == 2
    assert seen_summary and seen_modified


def test_daum_page_renders_in_well_under_a_millisecond() -> None:
    """The chrome is built once and a page only joins its slots: faster than the naive way (one str.replace per
    slot over the whole 150 KB template, then encode), measured in the same run; best of three rounds each."""
    day = site.compact_day(DAY)
    assert day is not None
    ids = [site.article_id(day, seq) for seq in range(1, 41)]
    site.render_article(ids[0], "http://127.0.0.1:1", 40)  # builds the chrome once
    chrome = daum_page._page()
    pairs = zip(chrome.texts[:-1], chrome.slots, strict=True)
    template = "".join(text.decode() + f"⟪{slot}⟫" for text, slot in pairs) + chrome.texts[-1].decode()
    rendered = naive = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for value in ids:
            site.render_article(value, "http://127.0.0.1:1", 40)
        rendered = min(rendered, time.perf_counter() - started)
        started = time.perf_counter()
        for _value in ids:
            page = template
            for slot in chrome.slots:
                page = page.replace(f"⟪{slot}⟫", "x")
            page.encode()
        naive = min(naive, time.perf_counter() - started)
    assert rendered < naive
