"""Sections, and the listing cache of conditional requests (issue 16).

news.crawl_url.section and news.article.section: the section (or a feed's category) a URL was discovered
under, where the listing or feed gives one; NULL otherwise. staging.listing_cache: per source and listing
URL (a listing page, feed or sitemap), the validators of its last 200 (ETag, Last-Modified) and the links it
gave, so a rerun asks conditionally and a 304 means those links stand.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

UPGRADE = """
ALTER TABLE news.crawl_url ADD COLUMN section text;
ALTER TABLE news.article ADD COLUMN section text;
COMMENT ON COLUMN news.crawl_url.section IS 'The section (a listing''s section name from sources.yaml, or a feed item''s category) the URL was discovered under; null when none was given.';
COMMENT ON COLUMN news.article.section IS 'The section or category the article''s URL was discovered under (news.crawl_url.section); null when none was given.';
CREATE TABLE staging.listing_cache (
    source         text        NOT NULL,
    url            text        NOT NULL,
    etag           text,
    last_modified  text,
    page           jsonb       NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, url)
);
COMMENT ON COLUMN staging.listing_cache.source IS 'The source (sources.yaml) whose discovery read the document.';
COMMENT ON COLUMN staging.listing_cache.url IS 'The listing page, feed or sitemap URL as requested.';
COMMENT ON COLUMN staging.listing_cache.etag IS 'ETag of its last 200, sent back as If-None-Match.';
COMMENT ON COLUMN staging.listing_cache.last_modified IS 'Last-Modified of its last 200, sent back as If-Modified-Since.';
COMMENT ON COLUMN staging.listing_cache.page IS 'The links (with days, sections, cursor, child sitemaps) its last 200 gave: what a 304 stands for.';
COMMENT ON COLUMN staging.listing_cache.updated_at IS 'When that 200 was read.';
COMMENT ON TABLE staging.listing_cache IS 'Per source and listing URL (listing page, feed, sitemap): the validators of its last 200 and the links it gave; a rerun asks with them, and a 304 means those links stand.';
"""

DOWNGRADE = """
DROP TABLE staging.listing_cache;
ALTER TABLE news.article DROP COLUMN section;
ALTER TABLE news.crawl_url DROP COLUMN section;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
