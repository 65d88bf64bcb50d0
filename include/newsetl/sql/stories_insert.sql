-- The run's new stories (their first article and counts are filled by stories_refresh).
INSERT INTO news.story (story_id, n_articles, n_presses)
OVERRIDING SYSTEM VALUE
SELECT unnest(CAST(:ids AS bigint[])), 0, 0
