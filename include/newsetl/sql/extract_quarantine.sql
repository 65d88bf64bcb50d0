-- A page that will not become an article: record why, and drop the article an earlier run extracted from it.
-- A URL already quarantined for the same reason is left as it is: a rerun of the day changes nothing.
WITH n AS (DELETE FROM staging.normalized_article WHERE source = :source AND url = :url)
UPDATE news.crawl_url
SET state = 'quarantined', reason = :reason, updated_at = now()
WHERE day = :day AND source = :source AND url = :url
  AND (state, reason) IS DISTINCT FROM ('quarantined', CAST(:reason AS text))
