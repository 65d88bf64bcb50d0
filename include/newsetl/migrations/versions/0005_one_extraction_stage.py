"""One extraction stage: parse and normalize are one step that writes the normalized article, so the
intermediate staging.parsed_page goes, and staging.normalized_article records the extraction code's version.

staging.normalized_article.parser_version becomes extractor_version: the hash of the extraction code (parsing/,
sites/, records, the press table). The rows kept from before carry the old parser's hash, which never equals
the new one, so the first run after the upgrade extracts every stored page again; raw pages, articles and media
are untouched (the load rewrites an article only when its content hash changes).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UPGRADE = """
DROP TABLE staging.parsed_page;
ALTER TABLE staging.normalized_article RENAME COLUMN parser_version TO extractor_version;
COMMENT ON COLUMN staging.normalized_article.extractor_version IS 'Hash of the extraction code that made this row (newsetl.extract.extractor_version): another version extracts the page again.';
COMMENT ON COLUMN staging.normalized_article.body_sha256 IS 'SHA-256 of the raw page this row was extracted from (staging.raw_page.body_sha256): another body extracts the page again.';
COMMENT ON TABLE staging.normalized_article IS 'The article extracted from a raw page (parsed by its site module, then normalized), ready to load, with its content hash.';
"""

DOWNGRADE = """
COMMENT ON TABLE staging.normalized_article IS 'The normalized article ready to load, with its content hash.';
COMMENT ON COLUMN staging.normalized_article.body_sha256 IS NULL;
ALTER TABLE staging.normalized_article RENAME COLUMN extractor_version TO parser_version;
COMMENT ON COLUMN staging.normalized_article.parser_version IS NULL;
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
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
