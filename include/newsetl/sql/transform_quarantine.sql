-- A page that will not become an article: record why, and drop what earlier runs derived from it.
WITH p AS (DELETE FROM staging.parsed_page WHERE source = :source AND url = :url),
     n AS (DELETE FROM staging.normalized_article WHERE source = :source AND url = :url)
UPDATE news.crawl_url
SET state = 'quarantined', reason = :reason, updated_at = now()
WHERE day = :day AND source = :source AND url = :url
