"""Find a source's URL by article id: discovery asks, for every URL it records, whether another URL of the
source already holds the URL's article id (any day), and records a second one as a visible conflict instead
of letting the load keep whichever URL sorts first. Without this index each of those questions would read
the whole of news.crawl_url.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE INDEX crawl_url_article_idx ON news.crawl_url (source, source_id) WHERE source_id IS NOT NULL;
COMMENT ON COLUMN news.crawl_url.source_id IS 'The article''s own id at the source (Daum: the 17-digit id), from the URL; NULL when the URL holds none, or when another URL of the source already holds it (then the reason names that URL).';
"""

DOWNGRADE = """
COMMENT ON COLUMN news.crawl_url.source_id IS 'The article''s own id at the source (Daum: the 17-digit id), from the URL.';
DROP INDEX news.crawl_url_article_idx;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
