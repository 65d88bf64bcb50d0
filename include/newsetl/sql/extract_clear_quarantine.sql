-- A page that extracts now (fixed extraction code, a changed page) is no longer quarantined for it.
UPDATE news.crawl_url
SET state = 'fetched', reason = NULL, updated_at = now()
WHERE day = :day AND source = :source AND url = :url AND state = 'quarantined'
