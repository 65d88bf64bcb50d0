"""Analyst layer: comments on every column, views for the common questions, Korean bigram text search,
indexes for the common filters, and a read-only role.

Korean glues particles and compounds onto words (반도체주, 삼성전자는), so a search term must match
inside words. pg_trgm cannot index a two-character pattern and pg_bigm is not packaged for Debian, so
each article carries ``search``: a tsvector of every two-character sequence of its title and body
(a generated column, so every insert or update keeps it current) with a GIN index. A term becomes
the AND of its bigrams (news.bigram_query); ``news.search_articles`` adds the exact substring check.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UPGRADE = r"""
-- Every two-character sequence of a text (lower-cased; spaces and punctuation split words).
CREATE FUNCTION news.bigram_array(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- one pass over the characters (unnest + lead): substr() per position would be quadratic
    SELECT coalesce(array_agg(DISTINCT ch || nxt), '{}')
    FROM (SELECT ch, lead(ch) OVER (ORDER BY n) AS nxt
          FROM unnest(string_to_array(lower(regexp_replace(coalesce(doc, ''),
                                                           '[[:space:][:punct:]“”‘’「」『』…·]+', ' ', 'g')), NULL))
               WITH ORDINALITY AS u(ch, n)) x
    WHERE ch <> ' ' AND nxt <> ' '
$$;
COMMENT ON FUNCTION news.bigram_array(text) IS 'All two-character sequences of a text, for Korean substring search.';

CREATE FUNCTION news.bigrams(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_tsvector(news.bigram_array(doc)) $$;
COMMENT ON FUNCTION news.bigrams(text) IS 'The bigram tsvector of a text (what news.article.search holds).';

CREATE FUNCTION news.bigram_query(term text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(quote_literal(g), ' & ')::tsquery, ''::tsquery)
    FROM unnest(news.bigram_array(term)) AS g
$$;
COMMENT ON FUNCTION news.bigram_query(text) IS 'A search term as the AND of its bigrams: use with article.search @@ …, then check the substring.';

ALTER TABLE news.article
    ADD COLUMN search tsvector GENERATED ALWAYS AS (news.bigrams(title || ' ' || body_text)) STORED;
COMMENT ON COLUMN news.article.search IS 'Bigram tsvector of title and body (generated): the GIN-indexed Korean text search; see news.search_articles.';
CREATE INDEX article_search_idx ON news.article USING gin (search);
CREATE INDEX article_source_idx ON news.article (source, published_at);
CREATE INDEX media_credit_idx ON news.media (credit);

CREATE FUNCTION news.search_articles(term text, from_ts timestamptz DEFAULT '-infinity', to_ts timestamptz DEFAULT 'infinity')
RETURNS SETOF news.article
LANGUAGE sql STABLE AS $$
    SELECT a.* FROM news.article a
    WHERE a.search @@ news.bigram_query(term)
      AND strpos(lower(a.title || ' ' || a.body_text), lower(term)) > 0
      AND coalesce(a.published_at, 'epoch') >= from_ts AND coalesce(a.published_at, 'epoch') < to_ts
$$;
COMMENT ON FUNCTION news.search_articles(text, timestamptz, timestamptz) IS 'Articles whose title or body contains the term (also inside longer words), optionally in a published_at range; uses the bigram index.';

-- Comments on every column not commented by 0001.
COMMENT ON COLUMN news.crawl_url.source IS 'Source name from sources.yaml (a site and its listing), e.g. sample_daum, daum_live.';
COMMENT ON COLUMN news.crawl_url.url IS 'The article URL as the listing linked it.';
COMMENT ON COLUMN news.crawl_url.state IS 'loaded (written this run), unchanged (already current), quarantined (never retried: see reason), failed (retryable, the next run retries), or discovered/fetched while a run is in progress.';
COMMENT ON COLUMN news.crawl_url.http_status IS 'HTTP status of the last download attempt.';
COMMENT ON COLUMN news.crawl_url.attempts IS 'Download attempts over all runs.';
COMMENT ON COLUMN news.crawl_url.discovered_at IS 'When a run first listed the URL (audit time).';
COMMENT ON COLUMN news.crawl_url.updated_at IS 'When the state last changed (audit time).';
COMMENT ON COLUMN news.article.article_id IS 'Surrogate key; news.media.article_id refers to it.';
COMMENT ON COLUMN news.article.source IS 'Source name from sources.yaml; with source_id, the natural key.';
COMMENT ON COLUMN news.article.source_id IS 'The article''s own id at the source (Daum: 17 digits beginning with the publishing time).';
COMMENT ON COLUMN news.article.url IS 'The article page URL.';
COMMENT ON COLUMN news.article.title IS '제목: the headline as published.';
COMMENT ON COLUMN news.article.parser IS 'Which layout parser read the page: daum, article_view, board or generic (fallback).';
COMMENT ON COLUMN news.article.fetched_at IS 'When the page was downloaded.';
COMMENT ON COLUMN news.article.first_loaded_at IS 'When the article was first written to the warehouse.';
COMMENT ON COLUMN news.article.updated_at IS 'When the article''s content last changed (a new content_hash).';
COMMENT ON COLUMN news.media.media_id IS 'Surrogate key of the image record.';
COMMENT ON COLUMN news.media.article_id IS 'The article (news.article.article_id) the image belongs to.';
COMMENT ON COLUMN news.media.alt IS 'The image''s alt text as written (may repeat the caption and credit).';
COMMENT ON TABLE news.alembic_version IS 'Schema version of the warehouse (Alembic migrations in include/newsetl/migrations).';
COMMENT ON COLUMN news.alembic_version.version_num IS 'The current migration revision.';
COMMENT ON COLUMN staging.raw_page.source IS 'Source name from sources.yaml.';
COMMENT ON COLUMN staging.raw_page.url IS 'The page URL.';
COMMENT ON COLUMN staging.raw_page.http_status IS 'HTTP status of the stored download (200).';
COMMENT ON COLUMN staging.raw_page.content_type IS 'Content-Type header as served (may declare a charset).';
COMMENT ON COLUMN staging.raw_page.etag IS 'ETag, for conditional requests on force_refetch.';
COMMENT ON COLUMN staging.raw_page.last_modified IS 'Last-Modified, for conditional requests on force_refetch.';
COMMENT ON COLUMN staging.raw_page.body IS 'The raw bytes as downloaded.';
COMMENT ON COLUMN staging.raw_page.body_sha256 IS 'SHA-256 of the body: a changed page is parsed again.';
COMMENT ON COLUMN staging.raw_page.fetched_at IS 'When it was downloaded.';
COMMENT ON COLUMN staging.parsed_page.source IS 'Source name from sources.yaml.';
COMMENT ON COLUMN staging.parsed_page.url IS 'The page URL.';
COMMENT ON COLUMN staging.parsed_page.body_sha256 IS 'Hash of the raw body this parse came from.';
COMMENT ON COLUMN staging.parsed_page.parser_version IS 'Hash of the parsing code and tables that produced it.';
COMMENT ON COLUMN staging.parsed_page.data IS 'The parser''s output: title, date, byline and paragraphs as shown, figures.';
COMMENT ON COLUMN staging.parsed_page.parsed_at IS 'When it was parsed.';
COMMENT ON COLUMN staging.normalized_article.source IS 'Source name from sources.yaml.';
COMMENT ON COLUMN staging.normalized_article.url IS 'The page URL.';
COMMENT ON COLUMN staging.normalized_article.source_id IS 'The article''s own id at the source.';
COMMENT ON COLUMN staging.normalized_article.body_sha256 IS 'Hash of the raw body it came from.';
COMMENT ON COLUMN staging.normalized_article.parser_version IS 'Hash of the parsing code and tables.';
COMMENT ON COLUMN staging.normalized_article.content_hash IS 'SHA-256 of the normalized article (compared with news.article.content_hash).';
COMMENT ON COLUMN staging.normalized_article.data IS 'The normalized article with its media, as loaded.';
COMMENT ON COLUMN staging.normalized_article.normalized_at IS 'When it was normalized.';

-- Views for the common questions.
CREATE VIEW news.daily_press_counts AS
SELECT (a.published_at AT TIME ZONE 'Asia/Seoul')::date AS published_day_kst, a.press,
       count(DISTINCT a.article_id) AS articles, count(DISTINCT r.name) AS reporters
FROM news.article a
LEFT JOIN LATERAL unnest(a.reporters) AS r(name) ON true
GROUP BY 1, 2;
COMMENT ON VIEW news.daily_press_counts IS 'Articles per KST publication day per 언론사 (press), with the number of distinct 기자 (reporters).';
COMMENT ON COLUMN news.daily_press_counts.published_day_kst IS 'Publication day in Asia/Seoul.';
COMMENT ON COLUMN news.daily_press_counts.press IS '언론사 (null when no source named it).';
COMMENT ON COLUMN news.daily_press_counts.articles IS 'Number of articles.';
COMMENT ON COLUMN news.daily_press_counts.reporters IS 'Distinct reporter names among them.';

CREATE VIEW news.article_with_media AS
SELECT a.article_id, a.source, a.source_id, a.title, a.press, a.published_at, a.url,
       count(m.media_id) AS image_count,
       coalesce(jsonb_agg(jsonb_build_object('position', m.position, 'image_url', m.image_url,
                                             'caption', m.caption, 'credit', m.credit)
                          ORDER BY m.position) FILTER (WHERE m.media_id IS NOT NULL), '[]') AS images
FROM news.article a
LEFT JOIN news.media m USING (article_id)
GROUP BY a.article_id;
COMMENT ON VIEW news.article_with_media IS 'Each article with its images in order (position, image URL, 캡션 caption, 크레딧 credit) as JSON, and their count.';
COMMENT ON COLUMN news.article_with_media.article_id IS 'news.article.article_id.';
COMMENT ON COLUMN news.article_with_media.source IS 'Source name.';
COMMENT ON COLUMN news.article_with_media.source_id IS 'The article''s id at the source.';
COMMENT ON COLUMN news.article_with_media.title IS '제목.';
COMMENT ON COLUMN news.article_with_media.press IS '언론사.';
COMMENT ON COLUMN news.article_with_media.published_at IS 'Publication time.';
COMMENT ON COLUMN news.article_with_media.url IS 'Article URL.';
COMMENT ON COLUMN news.article_with_media.image_count IS 'Number of images (0 for articles without images).';
COMMENT ON COLUMN news.article_with_media.images IS 'The images in article order.';

CREATE VIEW news.media_with_article AS
SELECT m.media_id, m.article_id, m.position, m.image_url, m.thumbnail_url, m.width, m.alt, m.caption, m.credit,
       a.title, a.press, a.published_at, (a.published_at AT TIME ZONE 'Asia/Seoul')::date AS published_day_kst,
       a.source, a.source_id
FROM news.media m
JOIN news.article a USING (article_id);
COMMENT ON VIEW news.media_with_article IS 'Each image with its 캡션 (caption), 크레딧 (credit: who supplied the photo) and its article''s title, press and date.';
COMMENT ON COLUMN news.media_with_article.media_id IS 'news.media.media_id.';
COMMENT ON COLUMN news.media_with_article.article_id IS 'news.article.article_id.';
COMMENT ON COLUMN news.media_with_article.position IS '1-based order in the article.';
COMMENT ON COLUMN news.media_with_article.image_url IS 'Original image URL.';
COMMENT ON COLUMN news.media_with_article.thumbnail_url IS 'Displayed thumbnail URL.';
COMMENT ON COLUMN news.media_with_article.width IS 'Original width in pixels.';
COMMENT ON COLUMN news.media_with_article.alt IS 'Alt text as written.';
COMMENT ON COLUMN news.media_with_article.caption IS '캡션 without the credit.';
COMMENT ON COLUMN news.media_with_article.credit IS '크레딧, e.g. 연합, KT 제공.';
COMMENT ON COLUMN news.media_with_article.title IS 'The article''s 제목.';
COMMENT ON COLUMN news.media_with_article.press IS 'The article''s 언론사.';
COMMENT ON COLUMN news.media_with_article.published_at IS 'The article''s publication time.';
COMMENT ON COLUMN news.media_with_article.published_day_kst IS 'Its publication day in Asia/Seoul.';
COMMENT ON COLUMN news.media_with_article.source IS 'Source name.';
COMMENT ON COLUMN news.media_with_article.source_id IS 'The article''s id at the source.';

CREATE VIEW news.url_state AS
SELECT c.day, c.source, c.url, c.source_id, c.state, c.reason, c.http_status, c.attempts, c.updated_at,
       a.article_id
FROM news.crawl_url c
LEFT JOIN news.article a ON a.source = c.source AND a.source_id = c.source_id;
COMMENT ON VIEW news.url_state IS 'The latest state of each URL of each KST day (loaded, unchanged, quarantined with reason, failed), with its article when there is one.';
COMMENT ON COLUMN news.url_state.day IS 'The KST day whose listing named the URL.';
COMMENT ON COLUMN news.url_state.source IS 'Source name.';
COMMENT ON COLUMN news.url_state.url IS 'The URL.';
COMMENT ON COLUMN news.url_state.source_id IS 'The article id read from the URL.';
COMMENT ON COLUMN news.url_state.state IS 'loaded, unchanged, quarantined or failed.';
COMMENT ON COLUMN news.url_state.reason IS 'Why quarantined or failed.';
COMMENT ON COLUMN news.url_state.http_status IS 'Last HTTP status.';
COMMENT ON COLUMN news.url_state.attempts IS 'Download attempts.';
COMMENT ON COLUMN news.url_state.updated_at IS 'When the state last changed.';
COMMENT ON COLUMN news.url_state.article_id IS 'The loaded article, if any.';

-- A read-only role for analysts (and the example-query test).
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'news_reader') THEN
        CREATE ROLE news_reader NOLOGIN;
    END IF;
END $$;
GRANT USAGE ON SCHEMA news TO news_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA news TO news_reader;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA news TO news_reader;
"""

DOWNGRADE = """
REVOKE ALL ON ALL TABLES IN SCHEMA news FROM news_reader;
REVOKE USAGE ON SCHEMA news FROM news_reader;
DROP VIEW IF EXISTS news.url_state, news.media_with_article, news.article_with_media, news.daily_press_counts;
DROP FUNCTION IF EXISTS news.search_articles(text, timestamptz, timestamptz);
DROP INDEX IF EXISTS news.media_credit_idx;
DROP INDEX IF EXISTS news.article_source_idx;
ALTER TABLE news.article DROP COLUMN IF EXISTS search;
DROP FUNCTION IF EXISTS news.bigram_query(text), news.bigrams(text), news.bigram_array(text);
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
