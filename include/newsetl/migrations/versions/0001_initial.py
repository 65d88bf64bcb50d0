"""Initial warehouse: URL states, staging for raw/parsed/normalized pages, articles and media.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UPGRADE = """
CREATE SCHEMA IF NOT EXISTS news;
CREATE SCHEMA IF NOT EXISTS staging;

CREATE TABLE news.crawl_url (
    day            date        NOT NULL,
    source         text        NOT NULL,
    url            text        NOT NULL,
    source_id      text,
    state          text        NOT NULL DEFAULT 'discovered'
        CHECK (state IN ('discovered', 'fetched', 'loaded', 'unchanged', 'quarantined', 'failed')),
    reason         text,
    http_status    integer,
    attempts       integer     NOT NULL DEFAULT 0,
    discovered_at  timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (day, source, url)
);
COMMENT ON TABLE news.crawl_url IS 'Every URL discovered for a KST day and the state it ended the latest run in: loaded, unchanged, quarantined (with reason) or failed (retried next run).';
COMMENT ON COLUMN news.crawl_url.day IS 'The KST calendar day (Asia/Seoul) whose listing named this URL.';
COMMENT ON COLUMN news.crawl_url.source_id IS 'The article''s own id at the source (Daum: the 17-digit id), from the URL.';
COMMENT ON COLUMN news.crawl_url.reason IS 'One-line reason for quarantined or failed.';
CREATE INDEX crawl_url_state_idx ON news.crawl_url (day, state);

CREATE TABLE staging.raw_page (
    source         text        NOT NULL,
    url            text        NOT NULL,
    http_status    integer     NOT NULL,
    content_type   text,
    etag           text,
    last_modified  text,
    body           bytea       NOT NULL,
    body_sha256    text        NOT NULL,
    fetched_at     timestamptz NOT NULL,
    PRIMARY KEY (source, url)
);
COMMENT ON TABLE staging.raw_page IS 'Raw HTML as fetched, decoded later; kept so a day can be re-parsed without fetching.';

CREATE TABLE staging.parsed_page (
    source         text        NOT NULL,
    url            text        NOT NULL,
    body_sha256    text        NOT NULL,
    parser_version text        NOT NULL,
    data           jsonb       NOT NULL,
    parsed_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, url)
);
COMMENT ON TABLE staging.parsed_page IS 'What the site parser took out of a raw page (text as shown), keyed to the raw body hash it came from.';

CREATE TABLE staging.normalized_article (
    source         text        NOT NULL,
    url            text        NOT NULL,
    source_id      text        NOT NULL,
    body_sha256    text        NOT NULL,
    parser_version text        NOT NULL,
    content_hash   text        NOT NULL,
    data           jsonb       NOT NULL,
    normalized_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, url)
);
COMMENT ON TABLE staging.normalized_article IS 'The normalized article ready to load, with its content hash.';

CREATE TABLE news.article (
    article_id       bigserial   PRIMARY KEY,
    source           text        NOT NULL,
    source_id        text        NOT NULL,
    url              text        NOT NULL,
    title            text        NOT NULL,
    press            text,
    reporters        text[]      NOT NULL DEFAULT '{}',
    emails           text[]      NOT NULL DEFAULT '{}',
    published_at     timestamptz,
    body_text        text        NOT NULL,
    paragraphs       text[]      NOT NULL DEFAULT '{}',
    parser           text        NOT NULL,
    content_hash     text        NOT NULL,
    day              date        NOT NULL,
    fetched_at       timestamptz NOT NULL,
    first_loaded_at  timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, source_id)
);
COMMENT ON TABLE news.article IS '기사: one row per article, keyed by source and the article''s own id at that source.';
COMMENT ON COLUMN news.article.press IS '언론사: the publisher (e.g. 헤럴드경제, 연합뉴스), from the byline, page metadata or image path.';
COMMENT ON COLUMN news.article.reporters IS '기자: reporter names from the byline, without the 기자 title.';
COMMENT ON COLUMN news.article.emails IS 'Reporter e-mail addresses found in the trailing lines of the body.';
COMMENT ON COLUMN news.article.published_at IS 'Publication time (timestamptz; shown in Asia/Seoul). Null when the page gives no readable date.';
COMMENT ON COLUMN news.article.body_text IS 'Article text: paragraphs joined by blank lines; no byline, e-mail, copyright or board chrome.';
COMMENT ON COLUMN news.article.paragraphs IS 'Body paragraphs in order.';
COMMENT ON COLUMN news.article.content_hash IS 'SHA-256 of the normalized content; an article is rewritten only when it changes.';
COMMENT ON COLUMN news.article.day IS 'The KST day whose run first loaded this article.';
CREATE INDEX article_published_at_idx ON news.article (published_at);
CREATE INDEX article_press_idx ON news.article (press);
CREATE INDEX article_day_idx ON news.article (day);

CREATE TABLE news.media (
    media_id       bigserial   PRIMARY KEY,
    article_id     bigint      NOT NULL REFERENCES news.article (article_id) ON DELETE CASCADE,
    position       integer     NOT NULL CHECK (position >= 1),
    image_url      text        NOT NULL,
    thumbnail_url  text,
    width          integer,
    alt            text,
    caption        text,
    credit         text,
    UNIQUE (article_id, position)
);
COMMENT ON TABLE news.media IS 'One row per image of an article, in article order.';
COMMENT ON COLUMN news.media.position IS '1-based order of the image in the article.';
COMMENT ON COLUMN news.media.image_url IS 'Original image URL (data-org-src).';
COMMENT ON COLUMN news.media.thumbnail_url IS 'The displayed thumbnail URL (src).';
COMMENT ON COLUMN news.media.width IS 'Original width in pixels (data-org-width), when given.';
COMMENT ON COLUMN news.media.caption IS '캡션: the caption text with the trailing credit removed.';
COMMENT ON COLUMN news.media.credit IS '크레딧: who supplied the image, e.g. "KT 제공", "연합".';
"""

DOWNGRADE = """
DROP TABLE IF EXISTS news.media;
DROP TABLE IF EXISTS news.article;
DROP TABLE IF EXISTS staging.normalized_article;
DROP TABLE IF EXISTS staging.parsed_page;
DROP TABLE IF EXISTS staging.raw_page;
DROP TABLE IF EXISTS news.crawl_url;
DROP SCHEMA IF EXISTS staging;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
