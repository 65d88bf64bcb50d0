-- Recompute the first article, first press, first published time and counts of the given stories from
-- their articles; only stories whose figures changed are written (and get a new updated_at).
WITH s AS (
    SELECT t.story_id,
           (array_agg(a.article_id ORDER BY a.published_at NULLS LAST, a.article_id))[1] AS first_article_id,
           count(a.article_id)::int AS n_articles,
           count(DISTINCT a.press)::int AS n_presses
    FROM unnest(CAST(:ids AS bigint[])) AS t(story_id)
    LEFT JOIN news.article a ON a.story_id = t.story_id
    GROUP BY t.story_id
), f AS (
    SELECT s.*, a.press AS first_press, a.published_at AS first_published_at
    FROM s LEFT JOIN news.article a ON a.article_id = s.first_article_id
)
UPDATE news.story t
SET first_article_id = f.first_article_id, first_press = f.first_press, first_published_at = f.first_published_at,
    n_articles = f.n_articles, n_presses = f.n_presses, updated_at = now()
FROM f
WHERE t.story_id = f.story_id
  AND (t.first_article_id, t.first_press, t.first_published_at, t.n_articles, t.n_presses)
      IS DISTINCT FROM (f.first_article_id, f.first_press, f.first_published_at, f.n_articles, f.n_presses)
RETURNING t.story_id, t.n_presses
