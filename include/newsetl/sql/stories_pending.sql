-- The day's articles to cluster: never clustered, or changed since (content_hash other than the one the
-- clustering saw), in publication order (the order stories are built in: the first copy founds the story).
SELECT article_id, content_hash
FROM news.article
WHERE day = :day AND story_hash IS DISTINCT FROM content_hash
ORDER BY published_at NULLS LAST, article_id
