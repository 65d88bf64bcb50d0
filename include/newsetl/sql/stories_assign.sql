-- Set the articles' stories, and mark the day's clustered articles with the content_hash clustered
-- (null hash: an article pulled into a story from another day, whose own clustering is left to its day).
-- Rows already so are not written: a rerun writes nothing.
UPDATE news.article a
SET story_id = u.story_id, story_hash = coalesce(u.hash, a.story_hash)
FROM unnest(CAST(:ids AS bigint[]), CAST(:stories AS bigint[]), CAST(:hashes AS text[])) AS u(article_id, story_id, hash)
WHERE a.article_id = u.article_id
  AND (a.story_id IS DISTINCT FROM u.story_id OR (u.hash IS NOT NULL AND a.story_hash IS DISTINCT FROM u.hash))
RETURNING a.article_id
