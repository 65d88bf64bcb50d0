"""Article history (issue 18): every content of an article the load writes is kept as a version.

news.article stays the current row; news.article_version holds each content hash an article has had, in
order: version 1 when the load first writes the article, the next one each time it rewrites it with another
content hash (load_articles.sql, in the same statement). A load that changes nothing writes no version.
Existing articles are backfilled as version 1, seen when their current content was written (updated_at).

news.article_correction lists the versions after the first whose title or body differ from the version
before (a change of modified_at alone, or of reporters or summary, is a version but not a correction), with a
short summary of what changed. The paragraph counts compare the two paragraph arrays as multisets, not by
position, so a paragraph inserted in the middle counts as one added, not as every later one changed:
  new  = paragraphs of this version not in the previous one (EXCEPT ALL), gone = the reverse;
  changed = least(new, gone) (an edited paragraph is one gone and one new), added = new - changed,
  removed = gone - changed; +chars/-chars = the characters of the new / gone paragraphs.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE news.article_version (
    article_id    bigint      NOT NULL REFERENCES news.article (article_id) ON DELETE CASCADE,
    version       integer     NOT NULL CHECK (version >= 1),
    content_hash  text        NOT NULL,
    title         text        NOT NULL,
    body_text     text        NOT NULL,
    paragraphs    text[]      NOT NULL DEFAULT '{}',
    modified_at   timestamptz,
    seen_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (article_id, version)
);
-- lz4 like news.article's text (0004): pglz made writing a day's versions several times slower
DO $$
BEGIN
    ALTER TABLE news.article_version ALTER COLUMN title SET COMPRESSION lz4,
        ALTER COLUMN body_text SET COMPRESSION lz4, ALTER COLUMN paragraphs SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this server has no lz4: news.article_version keeps pglz';
END
$$;
COMMENT ON TABLE news.article_version IS 'Every content an article has had, in order: version 1 when first loaded, one more each time a load saw another content hash. news.article is the latest.';
COMMENT ON COLUMN news.article_version.article_id IS 'The article (news.article.article_id).';
COMMENT ON COLUMN news.article_version.version IS '1, 2, … in the order the pipeline saw the contents.';
COMMENT ON COLUMN news.article_version.content_hash IS 'The content hash of this version (news.article.content_hash while it was current).';
COMMENT ON COLUMN news.article_version.title IS 'The title of this version.';
COMMENT ON COLUMN news.article_version.body_text IS 'The body of this version (paragraphs joined by blank lines).';
COMMENT ON COLUMN news.article_version.paragraphs IS 'The body paragraphs of this version, in order.';
COMMENT ON COLUMN news.article_version.modified_at IS '수정: the page''s last-modified time shown with this version; null when the page gave none.';
COMMENT ON COLUMN news.article_version.seen_at IS 'When the load wrote this version (the load transaction''s time, as news.article.updated_at).';

INSERT INTO news.article_version (article_id, version, content_hash, title, body_text, paragraphs, modified_at,
                                  seen_at)
SELECT article_id, 1, content_hash, title, body_text, paragraphs, modified_at, updated_at FROM news.article;

CREATE VIEW news.article_correction AS
WITH pairs AS (
    SELECT v.article_id, v.version, v.seen_at, v.modified_at, v.title, v.body_text, v.paragraphs,
           lag(v.seen_at) OVER w AS previous_seen_at, lag(v.title) OVER w AS previous_title,
           lag(v.body_text) OVER w AS previous_body, lag(v.paragraphs) OVER w AS previous_paragraphs
    FROM news.article_version v
    WINDOW w AS (PARTITION BY v.article_id ORDER BY v.version)
), diffs AS (
    SELECT p.*, p.title IS DISTINCT FROM p.previous_title AS title_changed,
           p.body_text IS DISTINCT FROM p.previous_body AS body_changed,
           n.paragraphs AS new_paragraphs, n.chars AS new_chars, g.paragraphs AS gone_paragraphs, g.chars AS gone_chars,
           least(n.paragraphs, g.paragraphs) AS changed_paragraphs
    FROM pairs p
    -- paragraphs of this version that the previous one did not have (as a multiset), and the reverse
    CROSS JOIN LATERAL (SELECT count(*) AS paragraphs, coalesce(sum(char_length(x.t)), 0) AS chars
                        FROM (SELECT unnest(p.paragraphs) AS t
                              EXCEPT ALL SELECT unnest(p.previous_paragraphs)) x) n
    CROSS JOIN LATERAL (SELECT count(*) AS paragraphs, coalesce(sum(char_length(x.t)), 0) AS chars
                        FROM (SELECT unnest(p.previous_paragraphs) AS t
                              EXCEPT ALL SELECT unnest(p.paragraphs)) x) g
    WHERE p.version > 1
)
SELECT d.article_id, a.source, a.url, d.version, d.previous_seen_at, d.seen_at, d.modified_at,
       d.previous_title AS title_before, CASE WHEN d.title_changed THEN d.title END AS title_after,
       concat_ws('; ',
                 CASE WHEN d.title_changed THEN 'title changed' END,
                 CASE WHEN d.body_changed THEN
                     format('body: %s paragraphs changed, %s added, %s removed; +%s/-%s chars',
                            d.changed_paragraphs, d.new_paragraphs - d.changed_paragraphs,
                            d.gone_paragraphs - d.changed_paragraphs, d.new_chars, d.gone_chars)
                 END) AS summary
FROM diffs d
JOIN news.article a USING (article_id)
WHERE d.title_changed OR d.body_changed;
COMMENT ON VIEW news.article_correction IS 'Corrections: each version after the first whose title or body differs from the version before, with what changed (see migration 0011 for how paragraphs are compared).';
COMMENT ON COLUMN news.article_correction.article_id IS 'news.article.article_id.';
COMMENT ON COLUMN news.article_correction.source IS 'news.article.source.';
COMMENT ON COLUMN news.article_correction.url IS 'news.article.url (the current one).';
COMMENT ON COLUMN news.article_correction.version IS 'The corrected version (2, 3, …); compared with version - 1.';
COMMENT ON COLUMN news.article_correction.previous_seen_at IS 'When the load wrote the version before.';
COMMENT ON COLUMN news.article_correction.seen_at IS 'When the load wrote this version.';
COMMENT ON COLUMN news.article_correction.modified_at IS '수정: the last-modified time this version''s page showed, if any.';
COMMENT ON COLUMN news.article_correction.title_before IS 'The title of the version before.';
COMMENT ON COLUMN news.article_correction.title_after IS 'The new title; null when the title did not change.';
COMMENT ON COLUMN news.article_correction.summary IS 'What changed, e.g. ''title changed; body: 1 paragraphs changed, 1 added, 0 removed; +35/-12 chars'' (paragraphs compared as multisets; chars of the new/gone paragraphs).';
GRANT SELECT ON news.article_version, news.article_correction TO news_reader;
"""

DOWNGRADE = """
DROP VIEW news.article_correction;
DROP TABLE news.article_version;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
