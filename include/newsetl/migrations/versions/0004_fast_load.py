"""A faster load with news.article.search still written inline (issue 5): where the 0003 load spent its time
on a 5,000-article day (1.6 s; a bare COPY of the same rows takes 0.47 s) and what this revision changes.

- pglz compression of the large columns (body_text, paragraphs: ~7 kB of Korean text an article), about
  0.45 s: they, title and search are compressed with lz4 instead (several times faster both ways). The staged
  JSON and bigrams the load and media steps read back (detoasted and decompressed on every read) too.
- The GIN bigram index, about 0.55 s with pending-list clean-ups of 4 MB inside the load: its pending list
  may now grow to 256 MB (gin_pending_list_limit; a 5,000-article day adds ~57 MB), so the load only
  appends to it. Queries see pending entries at once (they scan the list), so news.search_articles is
  current the moment the load commits; the merge into the index tree (~0.5 s a day) is done by
  newsetl.load.index_day (a step of its own after the load) and by autovacuum, which this table
  now gets after every 1,000 inserted rows instead of after growing by a fifth.
- The BEFORE trigger that fills search for other writers now only runs when its WHEN clause says it has
  something to do (no PL/pgSQL call per pipeline row).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Compression applies to values written from now on; a server built without lz4 keeps pglz.
_COMPRESSED = (
    ("news.article", ("title", "body_text", "paragraphs", "search")),
    ("staging.normalized_article", ("data", "bigrams")),
)


def _compression(method: str) -> str:
    statements = "\n".join(
        f"    ALTER TABLE {table} " + ", ".join(f"ALTER COLUMN {c} SET COMPRESSION {method}" for c in columns) + ";"
        for table, columns in _COMPRESSED
    )
    return f"""
DO $$ BEGIN
{statements}
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 compression not supported by this server: keeping pglz';
END $$;
"""


UPGRADE = (
    _compression("lz4")
    + """
ALTER INDEX news.article_search_idx SET (fastupdate = on, gin_pending_list_limit = 262144);
ALTER TABLE news.article SET (autovacuum_vacuum_insert_threshold = 1000,
                              autovacuum_vacuum_insert_scale_factor = 0);

DROP TRIGGER article_fill_search ON news.article;
CREATE TRIGGER article_fill_search_insert BEFORE INSERT ON news.article
    FOR EACH ROW WHEN (NEW.search IS NULL)
    EXECUTE FUNCTION news.article_fill_search();
CREATE TRIGGER article_fill_search_update BEFORE UPDATE ON news.article
    FOR EACH ROW WHEN (NEW.search IS NULL
                       OR ((NEW.title, NEW.body_text) IS DISTINCT FROM (OLD.title, OLD.body_text)
                           AND NEW.search IS NOT DISTINCT FROM OLD.search))
    EXECUTE FUNCTION news.article_fill_search();
COMMENT ON TRIGGER article_fill_search_insert ON news.article IS 'Computes search for a new row that comes without it (the pipeline supplies it).';
COMMENT ON TRIGGER article_fill_search_update ON news.article IS 'Recomputes search when a writer changes title or body without supplying it.';
COMMENT ON INDEX news.article_search_idx IS 'GIN bigram index of search; new rows go to its pending list (scanned by queries) and are merged into the tree by newsetl.load.index_day or autovacuum.';
"""
)

DOWNGRADE = """
COMMENT ON INDEX news.article_search_idx IS NULL;
DROP TRIGGER IF EXISTS article_fill_search_update ON news.article;
DROP TRIGGER IF EXISTS article_fill_search_insert ON news.article;
CREATE TRIGGER article_fill_search BEFORE INSERT OR UPDATE ON news.article
    FOR EACH ROW EXECUTE FUNCTION news.article_fill_search();
ALTER TABLE news.article RESET (autovacuum_vacuum_insert_threshold, autovacuum_vacuum_insert_scale_factor);
ALTER INDEX news.article_search_idx RESET (fastupdate, gin_pending_list_limit);
""" + _compression("default")


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
