"""Story clusters (issue 18): the same story republished by many presses, found by near-duplicate bodies.

news.story: one row per cluster of near-duplicate articles (wire copy republished with small edits), with
its first article, first press and counts. news.article.story_id: the article's story (null when no other
article of its window is a near-duplicate, or the body is too short to tell); news.article.story_hash: the
content_hash the clustering last saw, so a rerun skips articles already clustered and a changed article is
clustered again (newsetl.stories, docs/stories.md).

Revision ID: 0012
Revises: 0011 (re-pointed to 0011 when merged after 0011_article_version)
Create Date: 2026-11-30
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE news.story (
    story_id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_article_id    bigint      REFERENCES news.article (article_id) ON DELETE SET NULL,
    first_press         text,
    first_published_at  timestamptz,
    n_articles          integer     NOT NULL DEFAULT 0,
    n_presses           integer     NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE news.story IS '스토리: one story republished as near-duplicate articles (wire copy with edited leads, trimmed paragraphs, other titles) across presses, sources and URLs; see docs/stories.md.';
COMMENT ON COLUMN news.story.story_id IS 'Stable id: kept when later copies join; never reused.';
COMMENT ON COLUMN news.story.first_article_id IS 'The article published first (earliest published_at, then lowest article_id).';
COMMENT ON COLUMN news.story.first_press IS 'The press (언론사) of the first article: who published first.';
COMMENT ON COLUMN news.story.first_published_at IS 'published_at of the first article.';
COMMENT ON COLUMN news.story.n_articles IS 'Articles in the story.';
COMMENT ON COLUMN news.story.n_presses IS 'Distinct presses among its articles (articles without a press not counted).';
COMMENT ON COLUMN news.story.created_at IS 'When the clustering created the story.';
COMMENT ON COLUMN news.story.updated_at IS 'When its first article or counts last changed.';
CREATE INDEX story_first_published_at_idx ON news.story (first_published_at);

ALTER TABLE news.article ADD COLUMN story_id bigint REFERENCES news.story (story_id) ON DELETE SET NULL;
ALTER TABLE news.article ADD COLUMN story_hash text;
COMMENT ON COLUMN news.article.story_id IS 'The story (news.story) this article is a near-duplicate copy of; null when it has no copy in its window or its body is too short.';
COMMENT ON COLUMN news.article.story_hash IS 'The content_hash the story clustering last saw: equal to content_hash means clustered and unchanged since; null means never clustered.';
CREATE INDEX article_story_idx ON news.article (story_id) WHERE story_id IS NOT NULL;
GRANT SELECT ON news.story TO news_reader;
"""

DOWNGRADE = """
DROP INDEX IF EXISTS news.article_story_idx;
ALTER TABLE news.article DROP COLUMN IF EXISTS story_hash;
ALTER TABLE news.article DROP COLUMN IF EXISTS story_id;
DROP TABLE IF EXISTS news.story;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
