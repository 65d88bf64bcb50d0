"""news.article gains modified_at (수정), summary (요약) and subheads, where the page gives them.

modified_at is the page's own "last modified" time; an article whose only change is a new modified_at has a
new content hash, so the load updates its row in place (same article_id, the new modified_at, updated_at now)
like any other change. summary holds the summary lines shown above the body, subheads the headings inside the
body; neither is part of paragraphs or body_text (nor of the search vector, which is title and body).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UPGRADE = """
ALTER TABLE news.article
    ADD COLUMN modified_at timestamptz,
    ADD COLUMN summary     text[] NOT NULL DEFAULT '{}',
    ADD COLUMN subheads    text[] NOT NULL DEFAULT '{}';
COMMENT ON COLUMN news.article.modified_at IS '수정: when the page says the article was last modified (timestamptz; shown in Asia/Seoul). Null when the page gives no such time. A change of it alone updates the row in place.';
COMMENT ON COLUMN news.article.summary IS '요약: the summary lines shown above the body, in order (not part of body_text).';
COMMENT ON COLUMN news.article.subheads IS 'Headings inside the body (소제목), in order (not part of paragraphs or body_text).';
"""

DOWNGRADE = """
ALTER TABLE news.article DROP COLUMN subheads, DROP COLUMN summary, DROP COLUMN modified_at;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
