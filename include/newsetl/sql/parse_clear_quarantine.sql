-- A page that parses now (a fixed parser, a changed page) is no longer quarantined for its parse.
UPDATE news.crawl_url
SET state = 'fetched', reason = NULL, updated_at = now()
WHERE day = :day AND source = :source AND url = :url AND state = 'quarantined'
