"""Story clusters (newsetl.stories): near-duplicate copies across presses, in a real Postgres.

The labelled set: the sample site's 40 real articles (newsetl_tools corpus), each republished five times by
other presses with the edits copy desks make (a rewritten lead, trimmed last paragraphs, another title with
a byline and boilerplate added, all of these at once, and those with a paragraph of another story added); same-story pairs are an article and its copies,
different-story pairs everything else, among them articles on the same event written apart (corpus 9 and
29: 김민재's AFC award; 26 and 27: Texas's World Series roster; 15 and 28: the TGL league).
`pytest -q -s tests/test_stories.py -k precision` prints the figures docs/stories.md quotes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from itertools import combinations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.stories import StoryCounts, cluster_day, containment, is_copy, overlap, shingles
from newsetl_tools.sample_site.corpus import CorpusArticle, corpus

KST = timezone(timedelta(hours=9))
DAY = date(2025, 7, 3)
COPY_PRESSES = ("뉴스1", "뉴시스", "머니투데이", "헤럴드경제", "연합뉴스", "서울신문")


@dataclass(frozen=True)
class Labelled:
    origin: int  # corpus number: same origin = same story
    variant: str
    press: str
    title: str
    body: str


def _sentences_dropped(paragraph: str, n: int) -> str:
    parts = paragraph.split(". ")
    return ". ".join(parts[n:]) if len(parts) > n else paragraph


def _trimmed(paragraphs: list[str], share: float) -> list[str]:
    """The first paragraphs holding at least `share` of the characters: a copy with its end cut."""
    total = sum(len(p) for p in paragraphs)
    kept: list[str] = []
    for p in paragraphs:
        kept.append(p)
        if sum(len(k) for k in kept) >= share * total:
            break
    return kept


def variants(number: int, title: str, press: str, paragraphs: list[str], context: str) -> list[Labelled]:
    """The original and five edited copies, each by another press."""
    others = [p for p in COPY_PRESSES if p != press]
    lead = f"{title.split(',')[0]} 소식이 전해지면서 관심이 쏠리고 있다. " + _sentences_dropped(paragraphs[0], 1)
    byline = "(서울=뉴스1) 홍길동 기자 = "
    boiler = ["ⓒ 뉴스1코리아 www.news1.kr, 무단 전재 및 재배포 금지", "▶ 관련 기사 더 보기 ▶ 오늘의 주요 뉴스"]
    bodies = {
        "original": (press, title, paragraphs),
        "lead": (others[0], f"[종합] {title}", [lead, *paragraphs[1:]]),
        "trim": (others[1], title, _trimmed(paragraphs, 0.6)),
        "boiler": (
            others[2],
            f"{title[: len(title) // 2]}… (종합)",
            [byline + paragraphs[0], *paragraphs[1:], *boiler],
        ),
        "all": (others[3], f"[속보] {title[:20]}", [byline + lead, *_trimmed(paragraphs, 0.7)[1:], *boiler]),
        # the hardest: rewritten lead, the second paragraph dropped, the end cut, and a paragraph of background
        # taken from another story (which must not pull the two stories together)
        "mixed": (others[4], title, [lead, *_trimmed(paragraphs, 0.6)[2:], context, *boiler]),
    }
    return [Labelled(number, v, p, t, "\n\n".join(b)) for v, (p, t, b) in bodies.items()]


def labelled_set() -> list[Labelled]:
    articles = corpus()
    return [
        a
        for i, c in enumerate(articles)
        for a in variants(c.number, c.title, c.press, list(c.paragraphs), background(articles[(i + 1) % len(articles)]))
    ]


def background(article: CorpusArticle) -> str:
    """A paragraph of background from another story: its longest paragraph of at most a third of its text
    (a copy desk adds a few sentences of context, not another article whole), else its first sentence."""
    total = sum(len(p) for p in article.paragraphs)
    short = [p for p in article.paragraphs if len(p) <= total / 3]
    return max(short, key=len) if short else article.paragraphs[0].split(". ")[0]


def add(
    db: Engine, key: str, body: str, *, press: str | None, day: date = DAY, minutes: int = 0, title: str = "t"
) -> int:
    """One article as the load writes it (content_hash from the body), published `minutes` after 09:00 KST."""
    with db.begin() as conn:
        return int(
            conn.execute(
                sa.text(
                    "INSERT INTO news.article (source, source_id, url, title, press, published_at, body_text, "
                    "parser, content_hash, day, fetched_at) VALUES ('test', :key, 'http://127.0.0.1/' || :key, "
                    ":title, :press, :published, :body, 'test', :hash, :day, :day) RETURNING article_id"
                ),
                {
                    "key": key,
                    "title": title,
                    "press": press,
                    "published": datetime(day.year, day.month, day.day, 9, tzinfo=KST) + timedelta(minutes=minutes),
                    "body": body,
                    "hash": hashlib.sha256(body.encode()).hexdigest(),
                    "day": day,
                },
            ).scalar_one()
        )


def story_of(db: Engine) -> dict[int, int | None]:
    with db.connect() as conn:
        return dict(conn.execute(sa.text("SELECT article_id, story_id FROM news.article")).tuples().all())


def story_rows(db: Engine) -> list[tuple]:
    with db.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT story_id, first_article_id, first_press, first_published_at, n_articles, n_presses, "
                "updated_at, xmin::text FROM news.story ORDER BY story_id"
            )
        ).all()


def article_versions(db: Engine) -> list[tuple]:
    with db.connect() as conn:
        return conn.execute(sa.text("SELECT article_id, xmin::text FROM news.article ORDER BY article_id")).all()


def body(number: int) -> str:
    return "\n\n".join(corpus()[number - 1].paragraphs)


# --- the similarity itself ---------------------------------------------------------------------------------


def test_containment_separates_copies_from_other_stories() -> None:
    """The exact check alone, over every labelled pair: the threshold sits between the two groups."""
    items = [(a, shingles(a.body)) for a in labelled_set()]
    same = [overlap(x, y) for (a, x), (b, y) in combinations(items, 2) if a.origin == b.origin]
    other = [overlap(x, y) for (a, x), (b, y) in combinations(items, 2) if a.origin != b.origin]
    recall = sum(map(is_copy, same)) / len(same)
    false = sum(map(is_copy, other))
    print(f"exact check alone: {recall:.3f} of {len(same)} copy pairs pass, {false} of {len(other)} other pairs")
    assert recall >= 0.97 and false <= 5


def test_short_bodies_have_no_shingles() -> None:
    assert shingles("짧은 공지입니다. " * 10) == set()
    assert len(shingles(body(1))) > 1000


# --- clustering in the warehouse ---------------------------------------------------------------------------


def test_precision_and_recall_on_the_labelled_set(clean_db: Engine) -> None:
    """Originals on DAY, their copies spread over DAY and the next day, each day clustered once."""
    ids: dict[int, Labelled] = {}
    for i, item in enumerate(labelled_set()):
        day = (
            DAY if item.variant in ("original", "lead", "trim") else DAY + timedelta(days=1)
        )  # copies the next day too
        key = f"{item.origin:03d}-{item.variant}"
        ids[add(clean_db, key, item.body, press=item.press, day=day, minutes=i, title=item.title)] = item
    cluster_day(clean_db, DAY)
    cluster_day(clean_db, DAY + timedelta(days=1))
    assigned = story_of(clean_db)
    tp = fp = fn = 0
    for a, b in combinations(sorted(ids), 2):
        truth = ids[a].origin == ids[b].origin
        predicted = assigned[a] is not None and assigned[a] == assigned[b]
        tp += truth and predicted
        fp += predicted and not truth
        fn += truth and not predicted
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with clean_db.connect() as conn:
        n_stories = conn.execute(sa.text("SELECT count(*) FROM news.story WHERE n_articles > 0")).scalar_one()
    print(
        f"labelled set: {len(ids)} articles ({len(ids) // 6} stories x 6), {tp + fn} same-story pairs, "
        f"{len(ids) * (len(ids) - 1) // 2 - tp - fn} different-story pairs; precision={precision:.3f} "
        f"recall={recall:.3f} (tp={tp} fp={fp} fn={fn}); stories={n_stories}"
    )
    assert precision >= 0.98 and recall >= 0.95


def test_copies_form_one_story_with_its_first_press(clean_db: Engine) -> None:
    original = add(clean_db, "a", body(29), press="연합뉴스", minutes=0)
    copy = add(clean_db, "b", body(29) + "\n\nⓒ 뉴스1 무단 전재 및 재배포 금지", press="뉴스1", minutes=30)
    other = add(clean_db, "c", body(9), press="엑스포츠뉴스", minutes=10)  # the same award, written apart
    counts = cluster_day(clean_db, DAY)
    assigned = story_of(clean_db)
    assert assigned[original] is not None and assigned[original] == assigned[copy]
    assert assigned[other] is None
    (story,) = story_rows(clean_db)
    assert story[1:6] == (original, "연합뉴스", datetime(2025, 7, 3, 9, tzinfo=KST), 2, 2)
    assert counts == StoryCounts(3, 3, 2, 1, 1, 1)


def test_rerun_changes_nothing(clean_db: Engine) -> None:
    add(clean_db, "a", body(1), press="스타뉴스")
    add(clean_db, "b", body(1)[200:], press="뉴스1", minutes=5)
    add(clean_db, "c", body(21), press="연합뉴스")
    assert cluster_day(clean_db, DAY).stories_created == 1
    stories_before, articles_before = story_rows(clean_db), article_versions(clean_db)
    assert cluster_day(clean_db, DAY) == StoryCounts(0, 0, 0, 0, 0, 0)
    assert story_rows(clean_db) == stories_before  # same ids, same updated_at, no new row version
    assert article_versions(clean_db) == articles_before


def test_a_later_day_joins_the_story_and_an_earlier_copy_becomes_first(clean_db: Engine) -> None:
    first = add(clean_db, "a", body(11), press="오마이뉴스")
    add(clean_db, "b", _sentences_dropped(body(11), 2), press="뉴시스", minutes=60)
    cluster_day(clean_db, DAY)
    (story,) = story_rows(clean_db)
    later = add(clean_db, "c", body(11), press="뉴스1", day=DAY + timedelta(days=1))
    counts = cluster_day(clean_db, DAY + timedelta(days=1))
    assert counts.stories_created == 0 and counts.articles_joined == 1
    assert story_of(clean_db)[later] == story[0]
    earlier = add(clean_db, "d", body(11), press="연합뉴스", day=DAY - timedelta(days=1), minutes=-60)
    cluster_day(clean_db, DAY - timedelta(days=1))
    (after,) = story_rows(clean_db)
    assert after[0] == story[0] and after[1:3] == (earlier, "연합뉴스") and after[4:6] == (4, 4)
    assert story[1] == first


def test_outside_the_window_is_another_story(clean_db: Engine) -> None:
    a = add(clean_db, "a", body(25), press="신동아")
    b = add(clean_db, "b", body(25), press="뉴스1", day=DAY + timedelta(days=3))
    cluster_day(clean_db, DAY)
    cluster_day(clean_db, DAY + timedelta(days=3))
    assert story_of(clean_db) == {a: None, b: None}


def test_an_article_keeps_its_story_until_its_content_changes(clean_db: Engine) -> None:
    a = add(clean_db, "a", body(7), press="코메디닷컴")
    b = add(clean_db, "b", body(7), press="뉴스1", minutes=1)
    c = add(clean_db, "c", body(7), press="뉴시스", minutes=2)
    cluster_day(clean_db, DAY)
    (story,) = story_rows(clean_db)
    with clean_db.begin() as conn:  # the press replaced copy c by another story: the load rewrites it
        conn.execute(
            sa.text("UPDATE news.article SET body_text = :b, content_hash = 'changed' WHERE article_id = :id"),
            {"b": body(36), "id": c},
        )
    counts = cluster_day(clean_db, DAY)
    assert counts.articles_considered == 1 and counts.articles_joined == 1
    assert story_of(clean_db) == {a: story[0], b: story[0], c: None}
    (after,) = story_rows(clean_db)
    assert after[0] == story[0] and after[4:6] == (2, 2)


def test_short_bodies_do_not_cluster(clean_db: Engine) -> None:
    notice = "[알림] 내일 오전 시스템 점검으로 서비스가 잠시 중단됩니다. 이용에 참고 바랍니다."
    add(clean_db, "a", notice, press="연합뉴스")
    add(clean_db, "b", notice, press="뉴스1")
    counts = cluster_day(clean_db, DAY)
    assert counts.articles_considered == 2 and counts.window_articles == 0
    assert set(story_of(clean_db).values()) == {None}
    assert story_rows(clean_db) == []


def test_an_article_linking_two_stories_joins_one_and_they_are_not_merged(clean_db: Engine) -> None:
    """A round-up quoting two stories whole matches both; it joins the story of its closest match."""
    x = [add(clean_db, f"x{i}", body(33), press=p, minutes=i) for i, p in enumerate(("이데일리", "뉴스1"))]
    y = [add(clean_db, f"y{i}", body(40), press=p, minutes=i) for i, p in enumerate(("쿠키뉴스", "뉴시스"))]
    cluster_day(clean_db, DAY)
    before = story_of(clean_db)
    assert before[x[0]] == before[x[1]] != before[y[0]] == before[y[1]]
    roundup = add(clean_db, "r", body(33) + "\n\n" + body(40)[:400], press="서울신문", minutes=30)
    cluster_day(clean_db, DAY)
    after = story_of(clean_db)
    assert after[roundup] == before[x[0]]  # all of story x's text is in it, a part of story y's
    assert {k: v for k, v in after.items() if k != roundup} == before
    assert [r[4] for r in story_rows(clean_db)] == [3, 2]


@pytest.mark.parametrize("text", ["", "가" * 199])
def test_too_short_to_compare(text: str) -> None:
    assert containment(shingles(text), shingles(body(1))) == 0.0


# --- the command and the day report ------------------------------------------------------------------------


def test_cli_stories_prints_the_counts_and_the_report_the_top_stories(
    clean_db: Engine, test_db_url: sa.URL, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from newsetl.cli import main
    from newsetl.report import day_report

    add(clean_db, "a", body(29), press="연합뉴스", title=corpus()[28].title)
    add(clean_db, "b", body(29)[100:], press="뉴스1", minutes=20, title="[종합] 김민재")
    add(clean_db, "c", body(9), press="엑스포츠뉴스", minutes=5)
    assert "stories by presses" not in day_report(clean_db, DAY)  # not clustered yet: no section
    url = test_db_url.render_as_string(hide_password=False)
    assert main(["stories", DAY.isoformat(), "--url", url]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == {
        "articles_considered": 3,
        "window_articles": 3,
        "articles_joined": 2,
        "stories_created": 1,
        "stories_touched": 1,
        "multi_press_stories": 1,
    }
    lines = day_report(clean_db, DAY).split("\n")
    at = lines.index("-- top 1 stories by presses (news.story)")
    assert lines[at + 1].split() == ["presses", "articles", "first_press", "first_published_kst", "title"]
    assert lines[at + 2].split()[:5] == ["2", "2", "연합뉴스", "2025-07-03", "09:00"]
    assert corpus()[28].title[:10] in lines[at + 2]


def test_an_earlier_article_without_a_copy_is_pulled_into_the_story_of_its_later_copy(clean_db: Engine) -> None:
    alone = add(clean_db, "a", body(20), press="문화일보")
    assert cluster_day(clean_db, DAY).stories_created == 0 and story_of(clean_db) == {alone: None}
    copy = add(clean_db, "b", "(서울=뉴스1) 기자 = " + body(20), press="뉴스1", day=DAY + timedelta(days=2))
    counts = cluster_day(clean_db, DAY + timedelta(days=2))
    assert counts == StoryCounts(1, 2, 2, 1, 1, 1)
    assigned = story_of(clean_db)
    assert assigned[alone] is not None and assigned[alone] == assigned[copy]
    (story,) = story_rows(clean_db)
    assert story[1:3] == (alone, "문화일보")
    assert cluster_day(clean_db, DAY) == StoryCounts(0, 0, 0, 0, 0, 0)  # its own day: clustered already
