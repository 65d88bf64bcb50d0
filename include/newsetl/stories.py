"""Story clusters: the same story republished by many presses (wire copy with small edits), found by
near-duplicate bodies across sources and URLs (issue 18; the rules and measured quality: docs/stories.md).

How two articles are found to be copies of each other:
1. the body as word characters only (newsetl.search.word_characters: the same words as the Korean search,
   without punctuation or spacing, which copy editors change freely), of at least MIN_CHARS characters;
2. its set of SHINGLE-character shingles, summarised as a MinHash signature (rensa.RMinHash, NUM_PERM
   permutations); an LSH index (rensa.RMinHashLSH, BANDS bands) over the window's signatures gives the
   candidate pairs;
3. each candidate checked exactly on the two shingle sets: shared shingles over the smaller set (containment)
   of at least THRESHOLD, and over the larger of at least MIN_OVERLAP. Containment, not Jaccard, so a copy
   with its last paragraphs trimmed still matches the full text.

How stories are built (cluster_day), stable over reruns:
- The day's articles to cluster are those never clustered or changed since (story_hash is not their
  content_hash); a rerun finds none and writes nothing. They are taken in publication order.
- Each is compared with the articles of the window (the day ± WINDOW_DAYS days) that LSH gives as
  candidates, closest first by the MinHash estimate. It keeps its own story when a member of it is a copy
  (an article keeps its story); else it joins the story of the closest candidate that is a copy. Copies of
  no story yet (an earlier day's article that had no copy then, or a later article of the day) are pulled
  into that story. With no copy in any story, a new story is made of the article and its copies; with no
  copy at all, the article has no story (story_id null).
- Stories are never merged: when an article matches two stories it joins one, and both keep their ids
  and articles. Ids are never reused; a story every article left stays with n_articles = 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import rensa
from sqlalchemy.engine import Connection, Engine

from newsetl.search import word_characters
from newsetl.sql import statement

SHINGLE = (
    5  # characters per shingle: five Hangul syllables, about two words; shorter ones are shared by unrelated texts
)
MIN_CHARS = 200  # shorter bodies (briefs, photo captions, notices) share too little text to tell copy from topic
NUM_PERM = 128  # MinHash permutations: a 512-byte signature, kept for each article of the window
BANDS = 64  # LSH bands of 2 rows: a pair of Jaccard 0.25 (the least a copy has) is a candidate with probability
# 0.98, unrelated texts (Jaccard < 0.02) with < 0.03; the exact check then decides
SEED = 18  # fixed: the same text always has the same signature
# The exact check (tests/test_stories.py, docs/stories.md): shared shingles over the smaller text at least
# THRESHOLD (a trimmed copy scores 1.0) and over the larger at least MIN_OVERLAP (a short text quoted whole
# inside a longer one on another story, e.g. a paragraph of background, is not a copy of it).
THRESHOLD = 0.5
MIN_OVERLAP = 0.3
WINDOW_DAYS = 2  # copies appear within hours; two days either side also catches late reposts and backfills
CHUNK = 250  # articles per fetch: bodies and compared shingle sets (~150 KB each) are held a chunk at a time


@dataclass(frozen=True, slots=True)
class StoryCounts:
    """What one cluster_day did."""

    articles_considered: int  # the day's articles clustered (never clustered before, or changed since)
    window_articles: int  # articles of the window long enough to compare (0 when nothing was to do)
    articles_joined: int  # articles whose story was set or changed (the day's, and others pulled in)
    stories_created: int
    stories_touched: int  # stories whose first article or counts changed (created ones included)
    multi_press_stories: int  # of those, stories with articles of two presses or more


@dataclass(slots=True)
class _Window:
    """The window's signatures in an LSH index, and each article's story (None: none yet)."""

    lsh: rensa.RMinHashLSH
    signatures: dict[int, rensa.RMinHash] = field(default_factory=dict)
    story_of: dict[int, int | None] = field(default_factory=dict)


def shingles(body: str) -> set[str]:
    """The body's SHINGLE-character shingles over its word characters; empty when shorter than MIN_CHARS."""
    text = word_characters(body)
    if len(text) < MIN_CHARS:
        return set()
    count = len(text) - SHINGLE + 1
    # text[i:i + SHINGLE] for every i, sliced in C (a fifth faster than the comprehension)
    return set(map(text.__getitem__, map(slice, range(count), range(SHINGLE, count + SHINGLE))))


def containment(a: set[str], b: set[str]) -> float:
    """Shared shingles over the smaller set: 1.0 when one text is a trimmed copy of the other."""
    return overlap(a, b)[0]


def overlap(a: set[str], b: set[str]) -> tuple[float, float]:
    """Shared shingles over the smaller set and over the larger one (0.0, 0.0 when either is empty)."""
    if not a or not b:
        return 0.0, 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    shared = len(small & large)
    return shared / len(small), shared / len(large)


def is_copy(similarity: tuple[float, float]) -> bool:
    """The exact check of a candidate pair (the thresholds above)."""
    return similarity[0] >= THRESHOLD and similarity[1] >= MIN_OVERLAP


def signature(grams: set[str]) -> rensa.RMinHash:
    minhash = rensa.RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update(grams)  # a minimum over the set: the order the set gives does not matter
    return minhash


def cluster_day(engine: Engine, day: date) -> StoryCounts:
    """Cluster the day's new or changed articles against the window day-2..day+2 (module docstring)."""
    with engine.begin() as conn:
        conn.execute(statement("stories_lock"))
        pending = [
            (int(r.article_id), str(r.content_hash)) for r in conn.execute(statement("stories_pending"), {"day": day})
        ]
        if not pending:  # a rerun: nothing new or changed, nothing read or written
            return StoryCounts(0, 0, 0, 0, 0, 0)
        window = _read_window(conn, day)
        before = dict(window.story_of)
        new_stories: list[int] = []
        for chunk in _chunks(pending, CHUNK):
            _cluster_chunk(conn, window, [article_id for article_id, _ in chunk], new_stories)
        return _write(conn, window, before, pending, new_stories)


def _read_window(conn: Connection, day: date) -> _Window:
    """Signatures of the window's articles, streamed from the database CHUNK rows at a time."""
    window = _Window(lsh=rensa.RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=BANDS))
    params = {"first": day - timedelta(days=WINDOW_DAYS), "last": day + timedelta(days=WINDOW_DAYS)}
    # per statement: Connection.execution_options would switch every later statement to a server-side cursor
    streamed = {"stream_results": True, "yield_per": CHUNK}
    rows = conn.execute(statement("stories_window"), params, execution_options=streamed)
    for row in rows:
        article_id = int(row.article_id)
        window.story_of[article_id] = row.story_id
        grams = shingles(row.body_text)
        if grams:
            minhash = signature(grams)
            window.signatures[article_id] = minhash
            window.lsh.insert(article_id, minhash)
    return window


class _Shingles:
    """The shingle sets of a chunk's articles and their candidates, computed when first compared (most
    candidates never are: one match in a story is enough) from bodies read once for the chunk."""

    def __init__(self, bodies: dict[int, str]) -> None:
        self._bodies = bodies
        self._sets: dict[int, set[str]] = {}

    def copies(self, a: int, b: int) -> bool:
        return is_copy(overlap(self._get(a), self._get(b)))

    def _get(self, article_id: int) -> set[str]:
        grams = self._sets.get(article_id)
        if grams is None:
            grams = self._sets[article_id] = shingles(self._bodies[article_id])
        return grams


def _cluster_chunk(conn: Connection, window: _Window, chunk: list[int], new_stories: list[int]) -> None:
    """Assign the chunk's articles in order; bodies of the chunk and its candidates are read once, here."""
    candidates = {a: _candidates(window, a) for a in chunk}
    wanted = set(chunk).union(*candidates.values())
    rows = conn.execute(statement("stories_bodies"), {"ids": sorted(wanted)})
    compared = _Shingles({int(r.article_id): r.body_text for r in rows})
    for article_id in chunk:
        window.story_of[article_id] = _choose(window, article_id, candidates[article_id], compared, new_stories)


def _candidates(window: _Window, article_id: int) -> list[int]:
    """The LSH candidates of an article (itself excluded), closest first by the MinHash estimate of their
    Jaccard similarity (then lower id); none for a body too short to have a signature."""
    minhash = window.signatures.get(article_id)
    if minhash is None:
        return []
    found = [c for c in window.lsh.query(minhash) if c != article_id]
    return sorted(found, key=lambda c: (-minhash.jaccard(window.signatures[c]), c))


def _choose(
    window: _Window, article_id: int, candidates: list[int], compared: _Shingles, new_stories: list[int]
) -> int | None:
    """The article's story (rules in the module docstring); pulls copies of no story into it."""
    story_of = window.story_of
    current = story_of.get(article_id)
    in_story = [c for c in candidates if story_of.get(c) is not None]
    # its own story when a member is a copy of it; else the story of the closest candidate that is a copy
    story = next((current for c in in_story if story_of[c] == current and compared.copies(article_id, c)), None)
    if story is None:
        story = next((story_of[c] for c in in_story if compared.copies(article_id, c)), None)
    unassigned = [c for c in candidates if story_of.get(c) is None and compared.copies(article_id, c)]
    if story is None and unassigned:
        story = -(len(new_stories) + 1)  # a placeholder id until the run's new ids are drawn
        new_stories.append(story)
    for c in unassigned:
        story_of[c] = story
    return story


def _write(
    conn: Connection,
    window: _Window,
    before: dict[int, int | None],
    pending: list[tuple[int, str]],
    new_stories: list[int],
) -> StoryCounts:
    """New stories, the articles' assignments and the touched stories' figures, in the caller's transaction."""
    ids = (
        [int(r.story_id) for r in conn.execute(statement("stories_new_ids"), {"n": len(new_stories)})]
        if new_stories
        else []
    )
    real = dict(zip(new_stories, ids, strict=True))
    if ids:
        conn.execute(statement("stories_insert"), {"ids": ids})
    hashes = dict(pending)
    changed = [a for a, s in window.story_of.items() if s != before.get(a)]
    rows = sorted(set(changed) | set(hashes))
    stories = [_real(real, window.story_of[a]) for a in rows]
    written = conn.execute(
        statement("stories_assign"), {"ids": rows, "stories": stories, "hashes": [hashes.get(a) for a in rows]}
    ).all()
    joined = {int(r.article_id) for r in written} & set(changed)
    touched_ids = {_real(real, window.story_of[a]) for a in changed} | {before[a] for a in changed if before.get(a)}
    refreshed = conn.execute(
        statement("stories_refresh"), {"ids": sorted(s for s in touched_ids if s is not None)}
    ).all()
    return StoryCounts(
        articles_considered=len(pending),
        window_articles=len(window.signatures),
        articles_joined=len(joined),
        stories_created=len(ids),
        stories_touched=len(refreshed),
        multi_press_stories=sum(1 for r in refreshed if r.n_presses >= 2),
    )


def _real(real: dict[int, int], story: int | None) -> int | None:
    """A story id, placeholders of the run's new stories replaced by their drawn ids."""
    return real.get(story, story) if story is not None else None


def _chunks(items: list[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
