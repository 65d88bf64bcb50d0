"""Content model of the offline sample news site: corpus, per-day lists, URL -> page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import parse_qs, urlsplit

from newsetl_tools.sample_site import press, revisions, templates, wire
from newsetl_tools.sample_site.corpus import DATA_DIR, KST, CorpusArticle, corpus, modified, published
from newsetl_tools.sample_site.daum_page import render_daum_page

__all__ = ["DATA_DIR", "KST", "CorpusArticle", "corpus", "published"]  # re-exported: tests and tools read them here

BOARD_DUMP = DATA_DIR / "board" / "000_8afd88418a19985b.txt"

LISTING_PAGE_SIZE = 15
PRESS_PAGE_SIZE = 20
BOARD_PAGE_SIZE = 10
MAX_ARTICLES_PER_DAY = 100_000
# Articles a day when nothing else is asked for (fault mode asks for more: faults.FAULT_ARTICLES_PER_DAY).
ARTICLES_PER_DAY = 40
# Board reposts: every 3rd corpus article, 11 of them (001, 004, ..., 031).
REPOST_NUMBERS: tuple[int, ...] = tuple(range(1, 34, 3))
SEED_WR_SEQ = 1

_ARTICLE_ID = re.compile(r"^(\d{8})(\d{2})(\d{2})(\d{5})$")
_DAY = re.compile(r"^\d{8}$")

# Fault mode hook: per day, article id -> what its listing link has in place of the base URL (the base plus
# /blocked, or another origin of the same server); ids not in the mapping are linked at base/v/<id>.
# None = no fault mode.
LinkPrefixes = Callable[[dt.date], Mapping[str, str]]


@dataclass(frozen=True)
class SeedPost:
    """The board post reconstructed from the plain-text dump."""

    title: str
    hour: int
    markup: str  # article_view div through the copyright </p>, literal
    prev_title: str
    next_title: str


@dataclass(frozen=True)
class Page:
    """A rendered response: status, body and the time it was last modified."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    modified: dt.datetime | None = None


@dataclass(frozen=True)
class BoardPost:
    """One post of the board on a given day."""

    wr_id: int
    title: str
    hour: int
    content: str  # the markup shown (escaped) in the post body
    minute: int = 0


@cache
def seed_post() -> SeedPost:
    """Parse the board dump: title, hour, literal article markup, prev/next titles."""
    text = BOARD_DUMP.read_bytes().decode("utf-8")
    head = re.match(r"^(.*?)\s*작성일 \d{2}-\d{2} (\d{2}) 목록", text, re.DOTALL)
    start = text.index('<div class="article_view"')
    end_marker = "무단전재 및 재배포 금지.</p>"
    end = text.index(end_marker, start) + len(end_marker)
    tail = re.search(r"이전 (.*?) \d{2}-\d{2} 다음 (.*?) \d{2}-\d{2} 댓글", text[end:], re.DOTALL)
    if head is None or tail is None:
        raise ValueError("board dump does not have the expected layout")
    return SeedPost(
        title=head.group(1).strip(),
        hour=int(head.group(2)),
        markup=text[start:end],
        prev_title=tail.group(1),
        next_title=tail.group(2),
    )


def compact_day(value: str) -> dt.date | None:
    """Parse YYYYMMDD into a date, None when malformed or not a calendar day."""
    if not _DAY.match(value):
        return None
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def article_for_seq(seq: int) -> tuple[CorpusArticle, int]:
    """Corpus article and copy number (0 = original) behind a per-day sequence."""
    articles = corpus()
    copy, index = divmod(seq - 1, len(articles))
    return articles[index], copy


def article_id(day: dt.date, seq: int) -> str:
    """17-digit id: YYYYMMDD + HHMM + 5 digits of sequence (00NNN while seq < 1000)."""
    article, _ = article_for_seq(seq)
    # seq % 100_000 keeps 5 digits for up to 100,000 articles; 100,000 -> 00000 is unused otherwise
    return f"{day:%Y%m%d}{article.hour:02d}{article.minute:02d}{seq % MAX_ARTICLES_PER_DAY:05d}"


def parse_article_id(value: str, articles_per_day: int) -> tuple[dt.date, int] | None:
    """Day and sequence of an id, None unless it is exactly an id we serve."""
    match = _ARTICLE_ID.match(value)
    if match is None:
        return None
    day = compact_day(match.group(1))
    seq = int(match.group(4)) or MAX_ARTICLES_PER_DAY
    if day is None or not 1 <= seq <= articles_per_day:
        return None
    return (day, seq) if article_id(day, seq) == value else None


def copy_body(article: CorpusArticle, copy: int) -> str:
    """Article body; copies get a visible marker paragraph so their content hashes differ."""
    if copy == 0:
        return article.body
    cut = article.body.rindex("</section>")
    marker = f'<p dmcf-ptype="general">(사본 {copy})</p>\n'
    return article.body[:cut] + marker + article.body[cut:]


@lru_cache(maxsize=8)
def listing_order(articles_per_day: int) -> tuple[int, ...]:
    """Sequences of a day, newest first (ties: higher sequence first)."""

    def key(seq: int) -> tuple[int, int, int]:
        article, _ = article_for_seq(seq)
        return (article.hour, article.minute, seq)

    return tuple(sorted(range(1, articles_per_day + 1), key=key, reverse=True))


@lru_cache(maxsize=8)
def listing_position(articles_per_day: int) -> dict[int, int]:
    """Index of each sequence in listing_order (avoids O(n) lookups at 100k articles)."""
    return {seq: index for index, seq in enumerate(listing_order(articles_per_day))}


def page_count(total: int, size: int) -> int:
    """Number of pages needed for total items (at least one)."""
    return max(1, -(-total // size))


def render_listing(
    day: dt.date,
    page: int,
    base: str,
    articles_per_day: int,
    prefixes: Mapping[str, str] | None = None,
) -> Page:
    """Daum breaking-news listing of one day, one page; ids in prefixes are linked at prefix/v/<id>."""
    order = listing_order(articles_per_day)
    chosen = order[(page - 1) * LISTING_PAGE_SIZE : page * LISTING_PAGE_SIZE]
    items = []
    for seq in chosen:
        article, _ = article_for_seq(seq)
        value = article_id(day, seq)
        prefix = prefixes.get(value, base) if prefixes else base
        items.append(
            templates.ListingItem(
                url=f"{prefix}/v/{value}",
                title=article.title,
                press=article.press,
                time=f"{article.hour:02d}:{article.minute:02d}",
            )
        )
    newest, _ = article_for_seq(order[0])
    html = templates.daum_listing(
        day=day,
        page=page,
        pages=page_count(len(order), LISTING_PAGE_SIZE),
        items=items,
        base=base,
    )
    return Page(200, html.encode("utf-8"), modified=published(day, newest.hour, newest.minute))


def render_article(value: str, base: str, articles_per_day: int, revised: bool = False) -> Page:
    """Daum article page for an id, 404 when the id is not served; ``revised``: as corrected (revisions.py)."""
    parsed = parse_article_id(value, articles_per_day)
    if parsed is None:
        return not_found()
    day, seq = parsed
    article, copy = article_for_seq(seq)
    markup = copy_body(article, copy)
    if revised and revisions.is_revised(seq):
        article, markup = revisions.revise(article, markup)
    when = published(day, article.hour, article.minute)
    changed = modified(day, article)
    # Related news: the next few items of the same day, as on the real site.
    order = listing_order(articles_per_day)
    position = listing_position(articles_per_day)[seq]
    related = []
    for other in (order[(position + step) % len(order)] for step in (1, 2, 3)):
        if other == seq:
            continue
        other_article, _ = article_for_seq(other)
        related.append((f"{base}/v/{article_id(day, other)}", other_article.title))
    body = render_daum_page(
        article_id=value,
        article=article,
        when=when,
        changed=changed,
        body=markup,
        related=related,
        base=base,
    )
    return Page(200, body, modified=changed or when)


def press_articles_per_day(articles_per_day: int) -> int:
    """Articles of the press section a day: half the Daum day's (20 by default), at least one."""
    return max(1, articles_per_day // 2)


def press_template(seq: int) -> str:
    """The real page whose chrome an article of the press section is served in: each in turn."""
    names = tuple(press.templates())
    return names[(seq - 1) % len(names)]


def press_url(base: str, day: dt.date, seq: int) -> str:
    """Where the press section serves an article: /press/<template>/<17-digit id>."""
    return f"{base}/press/{press_template(seq)}/{article_id(day, seq)}"


def render_press_listing(day: dt.date, page: int, base: str, articles_per_day: int) -> Page:
    """The press section's list of a day, newest first, PRESS_PAGE_SIZE a page."""
    order = listing_order(press_articles_per_day(articles_per_day))
    chosen = order[(page - 1) * PRESS_PAGE_SIZE : page * PRESS_PAGE_SIZE]
    items = []
    for seq in chosen:
        article, _ = article_for_seq(seq)
        press_name, _page = press.templates()[press_template(seq)]
        time = f"{article.hour:02d}:{article.minute:02d}"
        items.append(templates.ListingItem(press_url(base, day, seq), article.title, press_name, time))
    html = templates.press_listing(day, page, page_count(len(order), PRESS_PAGE_SIZE), items, base)
    newest, _ = article_for_seq(order[0])
    return Page(200, html.encode("utf-8"), modified=published(day, newest.hour, newest.minute))


def render_press_article(template: str, value: str, base: str, articles_per_day: int) -> Page:
    """A press article in its real page's chrome, 404 unless the id is served and under its own template.
    The desk publishes the whole day's articles: the list shows the first half, the feed and the sitemaps
    the rest (feeds.py)."""
    parsed = parse_article_id(value, articles_per_day)
    if parsed is None or press_template(parsed[1]) != template:
        return not_found()
    day, seq = parsed
    article, copy = article_for_seq(seq)
    when = published(day, article.hour, article.minute)
    changed = modified(day, article)
    marker = f"(사본 {copy})" if copy else None
    url = press_url(base, day, seq)
    _press_name, page = press.templates()[template]
    return Page(
        200,
        page.fill(press.press_article(template, value, url, article, when, changed, marker)),
        modified=changed or when,
    )


def board_posts(day: dt.date) -> tuple[BoardPost, ...]:
    """Posts of the board on a day: the seed, then reposts of REPOST_NUMBERS."""
    base_id = int(f"{day:%Y%m%d}") * 100
    seed = seed_post()
    posts = [BoardPost(base_id + SEED_WR_SEQ, seed.title, seed.hour, seed.markup)]
    articles = corpus()
    for offset, number in enumerate(REPOST_NUMBERS, start=SEED_WR_SEQ + 1):
        article = articles[number - 1]
        copyright_p = f'<p class="" data-translation="true">Copyright © {article.press}. 무단전재 및 재배포 금지.</p>'
        content = f"{article.body} {copyright_p}"
        posts.append(BoardPost(base_id + offset, article.title, article.hour, content, article.minute))
    return tuple(posts)


def render_board_list(day: dt.date, page: int, base: str) -> Page:
    """Board list page of a day, newest post (highest wr_id) first."""
    posts = sorted(board_posts(day), key=lambda post: post.wr_id, reverse=True)
    chosen = posts[(page - 1) * BOARD_PAGE_SIZE : page * BOARD_PAGE_SIZE]
    items = [(board_post_url(base, post.wr_id), post.title) for post in chosen]
    html = templates.board_list(
        day=day,
        page=page,
        pages=page_count(len(posts), BOARD_PAGE_SIZE),
        items=items,
        base=base,
    )
    latest = max(posts, key=lambda post: (post.hour, post.minute))
    return Page(200, html.encode("utf-8"), modified=published(day, latest.hour, latest.minute))


def board_post_url(base: str, wr_id: int) -> str:
    """Absolute URL of a board post."""
    return f"{base}/bbs/board.php?bo_table=news&wr_id={wr_id}"


def render_board_post(wr_id: int, base: str) -> Page:
    """One board post page, 404 when the wr_id does not exist."""
    day = compact_day(str(wr_id // 100))
    if day is None:
        return not_found()
    posts = board_posts(day)
    by_id = {post.wr_id: post for post in posts}
    post = by_id.get(wr_id)
    if post is None:
        return not_found()
    prev_post, next_post = by_id.get(wr_id - 1), by_id.get(wr_id + 1)
    seed = seed_post()
    # The seed keeps the neighbours named in the dump; they are not on this board, so no link.
    prev_link: templates.Link | None
    if wr_id % 100 == SEED_WR_SEQ:
        prev_link = (None, seed.prev_title)
    else:
        prev_link = (board_post_url(base, wr_id - 1), prev_post.title) if prev_post else None
    next_link = (board_post_url(base, wr_id + 1), next_post.title) if next_post else None
    html = templates.board_post(
        day=day,
        title=post.title,
        hour=post.hour,
        content=post.content,
        prev_link=prev_link,
        next_link=next_link,
        base=base,
    )
    return Page(200, html.encode("utf-8"), modified=published(day, post.hour, post.minute))


def not_found() -> Page:
    """Short 404 page."""
    return Page(404, templates.not_found_html().encode("utf-8"))


def _single(query: dict[str, list[str]], name: str) -> str | None:
    """The only value of a query parameter, None when absent or repeated."""
    values = query.get(name)
    return values[0] if values and len(values) == 1 else None


def _page_number(query: dict[str, list[str]]) -> int | None:
    """page parameter (default 1), None when not a positive integer."""
    raw = _single(query, "page")
    if raw is None:
        return None if "page" in query else 1
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else None


def render_path(
    target: str,
    base: str,
    articles_per_day: int = ARTICLES_PER_DAY,
    link_prefixes: LinkPrefixes | None = None,
    revised: bool = False,
) -> Page:
    """Route a request target (path + query) to its page; link_prefixes switches on fault mode routes,
    revised the corrected Daum article pages (revisions.py)."""
    parts = urlsplit(target)
    query = parse_qs(parts.query, keep_blank_values=True)
    path = parts.path
    if path == "/robots.txt":
        from newsetl_tools.sample_site import feeds  # it reads this module's articles: imported when asked for

        # fault mode's robots.txt is the fault matrix's, as it always was (no source of it reads sitemaps)
        robots = templates.ROBOTS + feeds.robots_lines(base) if link_prefixes is None else templates.ROBOTS_FAULTS
        return Page(200, robots.encode("utf-8"), "text/plain; charset=utf-8")
    if path == "/":
        return Page(200, templates.index(base).encode("utf-8"))
    if path == "/breakingnews":
        day = compact_day(_single(query, "regDate") or "")
        page = _page_number(query)
        if day is None or page is None:
            return not_found()
        prefixes = link_prefixes(day) if link_prefixes is not None else None
        return render_listing(day, page, base, articles_per_day, prefixes)
    if path.startswith("/v/"):
        return render_article(path[len("/v/") :], base, articles_per_day, revised)
    # Fault mode serves articles under /blocked/ too, so only robots.txt stops a client there.
    if link_prefixes is not None and path.startswith("/blocked/v/"):
        return render_article(path[len("/blocked/v/") :], base, articles_per_day, revised)
    if path.startswith("/press/"):
        return _render_press(path, query, base, articles_per_day)
    if path.startswith(("/breakingnews/section/", "/section/template/", "/mnews/article/")):
        return _render_naver(path, query, base, articles_per_day)
    if path == "/bbs/board.php" and _single(query, "bo_table") == "news":
        return _render_board(query, base)
    if path.startswith("/wire/"):
        return _render_wire(path, query, base)
    return not_found()


def _render_wire(path: str, query: dict[str, list[str]], base: str) -> Page:
    """The wire desk (wire.py): its feed of a date, or a press's copy /wire/<press code>/news/articleView.html."""
    if path == wire.RSS_PATH:
        day = compact_day(_single(query, "date") or "")
        if day is None:
            return not_found()
        body, newest = wire.wire_feed(day, base)
        return Page(200, body, "application/rss+xml; charset=utf-8", newest)
    parts = path.split("/")
    idxno = _single(query, "idxno")
    if len(parts) != 5 or parts[3:] != ["news", "articleView.html"] or idxno is None:
        return not_found()
    page = wire.page_for(parts[2], idxno)
    return Page(200, wire.render_page(page, base), modified=page.published) if page else not_found()


def _render_board(query: dict[str, list[str]], base: str) -> Page:
    """Board route: a post when wr_id is given, else the list of a date."""
    wr_id = _single(query, "wr_id")
    if wr_id is not None:
        return render_board_post(int(wr_id), base) if wr_id.isdigit() else not_found()
    day = compact_day(_single(query, "date") or "")
    page = _page_number(query)
    if day is None or page is None:
        return not_found()
    return render_board_list(day, page, base)


def _render_naver(path: str, query: dict[str, list[str]], base: str, articles_per_day: int) -> Page:
    """Naver-style routes (naver_pages.py): a section's first page, the JSON page after a cursor, an article."""
    from newsetl_tools.sample_site import naver_pages  # it reads this module's articles: imported when asked for

    parts = path.split("/")
    day = compact_day(_single(query, "date") or "")
    if path.startswith("/breakingnews/section/") and len(parts) == 5 and day is not None:
        return naver_pages.first_page(day, parts[3], parts[4], articles_per_day)
    if path == "/section/template/SECTION_ARTICLE_LIST_FOR_LATEST" and day is not None:
        sid1, sid2, cursor = _single(query, "sid"), _single(query, "sid2"), _single(query, "next")
        if sid1 and sid2 and cursor:
            return naver_pages.more_page(day, sid1, sid2, cursor, articles_per_day)
    if path.startswith("/mnews/article/") and len(parts) == 5:
        return naver_pages.article_page(parts[3], parts[4], base, articles_per_day)
    return not_found()


def _render_feeds(path: str, query: dict[str, list[str]], base: str, articles_per_day: int) -> Page | None:
    """The press section's RSS feed and sitemaps (feeds.py); None for another path."""
    from newsetl_tools.sample_site import feeds  # it reads this module's articles: imported when asked for

    xml = "application/xml; charset=utf-8"
    if path == "/press/rss.xml":
        day = compact_day(_single(query, "date") or "")
        if day is None:
            return not_found()
        body, newest = feeds.rss(day, base, articles_per_day)
        return Page(200, body, "application/rss+xml; charset=utf-8", newest)
    if path == feeds.SITEMAP_INDEX_PATH:
        body, last = feeds.sitemap_index(base)
        return Page(200, body, xml, last)
    month = re.fullmatch(r"/press/sitemap-(\d{4})-(\d{2})\.xml", path)
    if month is not None:
        found = feeds.month_sitemap(int(month.group(1)), int(month.group(2)), base, articles_per_day)
        return Page(200, found, xml) if found is not None else not_found()
    return None


def _render_press(path: str, query: dict[str, list[str]], base: str, articles_per_day: int) -> Page:
    """Press route: the list of a date, its feed and sitemaps, or /press/<template>/<id>."""
    feed = _render_feeds(path, query, base, articles_per_day)
    if feed is not None:
        return feed
    if path == "/press/list":
        day = compact_day(_single(query, "date") or "")
        page = _page_number(query)
        if day is None or page is None:
            return not_found()
        return render_press_listing(day, page, base, articles_per_day)
    parts = path.split("/")
    if len(parts) != 4 or parts[2] not in press.templates():
        return not_found()
    return render_press_article(parts[2], parts[3], base, articles_per_day)
