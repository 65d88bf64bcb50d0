"""A giant article keeps a valid search vector (issue 14, item 6).

A tsvector holds at most 1 MiB of lexeme text, and array_to_tsvector does not check it: an article of ~300,000
random Hangul syllables (over 175,000 distinct bigrams) used to get a corrupt vector (searches for its words
found nothing, ``search::text`` raised "invalid byte sequence", pg_dump of news.article failed). Its bigrams are
capped at SEARCH_BYTES, those that appear first kept, in Python (the pipeline's writes) and in SQL (the
trigger's, for other writers) alike.
"""

from __future__ import annotations

import glob
import random
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from newsetl.config import load_sources
from newsetl.extract import extract_day
from newsetl.load import load_day
from newsetl.pipeline import run_pipeline
from newsetl.search import SEARCH_BYTES, bigrams, searchable_bigrams

DAY = date(2025, 7, 3)


def giant_text(syllables: int, seed: int = 14) -> str:
    """Random Hangul syllables in words of 4, like the probe's article (almost every bigram distinct)."""
    rng = random.Random(seed)
    chars = [chr(0xAC00 + rng.randrange(11172)) for _ in range(syllables)]
    return " ".join("".join(chars[i : i + 4]) for i in range(0, syllables, 4))


def byte_size(grams: list[str]) -> int:
    return sum(len(g.encode("utf-8")) for g in grams)


def test_an_ordinary_article_keeps_every_bigram() -> None:
    text = giant_text(5_000)
    assert searchable_bigrams(text) == bigrams(text)


def test_a_giant_article_keeps_the_bigrams_that_come_first_up_to_the_cap() -> None:
    text = giant_text(300_000)
    every, kept = bigrams(text), searchable_bigrams(text)
    assert byte_size(every) > 1024 * 1024  # what used to corrupt the vector
    assert SEARCH_BYTES - 6 < byte_size(kept) <= SEARCH_BYTES  # full up to the last Hangul pair that fits
    assert kept == sorted(kept) and set(kept) < set(every)
    first_words = text[:2_000]
    assert set(bigrams(first_words)) <= set(kept)  # the beginning stays searchable
    assert not set(bigrams(text[-2_000:])) <= set(kept)  # the end of a giant article does not


def test_python_and_sql_keep_the_same_bigrams(db: Engine) -> None:
    for text in (giant_text(300_000), giant_text(1_000), "삼성전자 반도체"):
        with db.connect() as conn:
            sql = conn.execute(sa.text("SELECT news.searchable_bigrams(:t)"), {"t": text}).scalar_one()
        assert sorted(sql) == searchable_bigrams(text)


def _pg_dump() -> str:
    """pg_dump from the server binaries the project uses (scripts/pg.sh), else from PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump")) or [shutil.which("pg_dump") or ""]
    if not found[-1]:
        pytest.fail("pg_dump should be installed with PostgreSQL's server binaries (scripts/pg.sh installs them)")
    return found[-1]


def test_a_giant_article_loads_searchable_and_the_table_dumps(
    clean_db: Engine, test_db_url: URL, sample_site: str, tmp_path: Path
) -> None:
    sources = load_sources(["sample_daum"])
    run_pipeline(clean_db, DAY, sources)
    text = giant_text(300_000)
    paragraphs = "".join(f'<p dmcf-ptype="general">{text[i : i + 1000]}</p>' for i in range(0, len(text), 1000))
    with clean_db.begin() as conn:
        url, body = conn.execute(sa.text("SELECT url, body FROM staging.raw_page ORDER BY url LIMIT 1")).one()
        page = bytes(body).decode("utf-8")
        page = page.replace("</section>", paragraphs + "</section>", 1)
        conn.execute(
            sa.text("UPDATE staging.raw_page SET body = :b, body_sha256 = 'giant' WHERE url = :u"),
            {"b": page.encode("utf-8"), "u": url},
        )
    assert extract_day(clean_db, DAY, sources) == {"extracted": 1}
    assert load_day(clean_db, DAY, sources) == {"loaded": 1, "unchanged": 39}
    first_word = text[:4]
    with clean_db.connect() as conn:
        article_id, size = conn.execute(
            sa.text("SELECT article_id, length(search::text) FROM news.article WHERE url = :u"), {"u": url}
        ).one()
        assert size > 0  # readable: a corrupt vector raised "invalid byte sequence" here
        found = conn.execute(sa.text("SELECT article_id FROM news.search_articles(:t)"), {"t": first_word}).scalars()
        assert article_id in list(found)
        # what the trigger computes for another writer is the same vector
        same = conn.execute(
            sa.text("SELECT search = news.bigrams(title || ' ' || body_text) FROM news.article WHERE article_id = :a"),
            {"a": article_id},
        ).scalar_one()
        assert same
    dump = subprocess.run(
        [
            _pg_dump(),
            "--table=news.article",
            "--data-only",
            "--file",
            str(tmp_path / "a.sql"),
            test_db_url.set(drivername="postgresql").render_as_string(hide_password=False),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert dump.returncode == 0, dump.stderr[-2000:]
    assert (tmp_path / "a.sql").stat().st_size > len(text.encode("utf-8"))
