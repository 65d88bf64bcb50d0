"""A search vector that stays valid for a giant article: news.article.search holds at most SEARCH_BYTES of bigrams.

A tsvector keeps its lexemes' text in at most 1 MiB; array_to_tsvector does not check it (to_tsvector does), so
an article of ~300,000 random Hangul syllables (over 175,000 distinct bigrams) got a corrupt vector: searches
for its words found nothing, ``search::text`` raised "invalid byte sequence", and pg_dump of news.article
failed. news.searchable_bigrams keeps the bigrams that appear first, up to 1,000,000 bytes (newsetl.search
.searchable_bigrams is the same rule for the pipeline's own writes), and news.bigrams (the trigger's, for other
writers) uses it. Articles long enough to have been hit are rebuilt.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UPGRADE = r"""
CREATE FUNCTION news.searchable_bigrams(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- news.bigram_array's bigrams, each with the position it first appears at; kept in that order while
    -- their bytes add up to at most 1,000,000 (below the tsvector's 1 MiB)
    SELECT coalesce(array_agg(g ORDER BY g), '{}')
    FROM (SELECT g, sum(octet_length(g)) OVER (ORDER BY first_at) AS upto
          FROM (SELECT ch || nxt AS g, min(n) AS first_at
                FROM (SELECT ch, n, lead(ch) OVER (ORDER BY n) AS nxt
                      FROM unnest(string_to_array(lower(regexp_replace(coalesce(doc, ''),
                                                                       '[[:space:][:punct:]“”‘’「」『』…·]+', ' ', 'g')),
                                                  NULL)) WITH ORDINALITY AS u(ch, n)) x
                WHERE ch <> ' ' AND nxt <> ' '
                GROUP BY 1) firsts) running
    WHERE upto <= 1000000
$$;
COMMENT ON FUNCTION news.searchable_bigrams(text) IS 'The bigrams a search vector holds: news.bigram_array''s, those that appear first, up to 1,000,000 bytes (a tsvector holds at most 1 MiB).';

CREATE OR REPLACE FUNCTION news.bigrams(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_tsvector(news.searchable_bigrams(doc)) $$;
COMMENT ON FUNCTION news.bigrams(text) IS 'The bigram tsvector of a text (what news.article.search holds), at most 1,000,000 bytes of bigrams: in a giant article those that appear first.';

-- Only an article of over ~125,000 characters can have had too many bigrams.
UPDATE news.article SET search = news.bigrams(title || ' ' || body_text)
WHERE length(title) + length(body_text) > 125000;
"""

DOWNGRADE = """
CREATE OR REPLACE FUNCTION news.bigrams(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_tsvector(news.bigram_array(doc)) $$;
COMMENT ON FUNCTION news.bigrams(text) IS 'The bigram tsvector of a text (what news.article.search holds).';
DROP FUNCTION news.searchable_bigrams(text);
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
