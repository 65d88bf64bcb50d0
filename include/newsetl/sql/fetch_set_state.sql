-- A download's outcome. A good download never moves a URL back from loaded/unchanged to fetched: another
-- run of the same day (overlapping backfills) may already have loaded it, and this run's load marks it anyway.
UPDATE news.crawl_url
SET state = CASE WHEN :state = 'fetched' AND state IN ('loaded', 'unchanged') THEN state ELSE :state END,
    reason = :reason, http_status = :http_status, attempts = attempts + 1, updated_at = now()
WHERE day = :day AND source = :source AND url = :url
