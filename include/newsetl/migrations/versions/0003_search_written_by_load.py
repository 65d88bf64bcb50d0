"""news.article.search is written by the load from bigrams the normalize stage computed (Python, ~0.4 ms
an article) instead of being generated in Postgres (~1 ms per 2,000 characters, which capped the load
at about 900 articles/s). A trigger still fills it for any other writer, so it is always current.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UPGRADE = """
ALTER TABLE staging.normalized_article ADD COLUMN bigrams text[];
COMMENT ON COLUMN staging.normalized_article.bigrams IS 'Bigrams of title and body for news.article.search (newsetl.search.bigrams, the same as news.bigram_array).';

ALTER TABLE news.article DROP COLUMN search;
ALTER TABLE news.article ADD COLUMN search tsvector;
UPDATE news.article SET search = news.bigrams(title || ' ' || body_text);
ALTER TABLE news.article ALTER COLUMN search SET NOT NULL;
COMMENT ON COLUMN news.article.search IS 'Bigram tsvector of title and body: the GIN-indexed Korean text search (see news.search_articles); written by the load, filled by a trigger for any other writer.';
CREATE INDEX article_search_idx ON news.article USING gin (search);

CREATE FUNCTION news.article_fill_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- the pipeline supplies search; any other writer that changes the text gets it computed here
    IF NEW.search IS NULL
       OR (TG_OP = 'UPDATE' AND (NEW.title, NEW.body_text) IS DISTINCT FROM (OLD.title, OLD.body_text)
           AND NEW.search IS NOT DISTINCT FROM OLD.search) THEN
        NEW.search := news.bigrams(NEW.title || ' ' || NEW.body_text);
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION news.article_fill_search() IS 'Keeps news.article.search current when a writer changes title or body without supplying it.';
CREATE TRIGGER article_fill_search BEFORE INSERT OR UPDATE ON news.article
    FOR EACH ROW EXECUTE FUNCTION news.article_fill_search();
GRANT SELECT ON ALL TABLES IN SCHEMA news TO news_reader;
"""

DOWNGRADE = """
DROP TRIGGER IF EXISTS article_fill_search ON news.article;
DROP FUNCTION IF EXISTS news.article_fill_search();
ALTER TABLE news.article DROP COLUMN search;
ALTER TABLE news.article
    ADD COLUMN search tsvector GENERATED ALWAYS AS (news.bigrams(title || ' ' || body_text)) STORED;
CREATE INDEX article_search_idx ON news.article USING gin (search);
ALTER TABLE staging.normalized_article DROP COLUMN bigrams;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
