UPDATE news.crawl_url
SET state = :state, reason = :reason, http_status = :http_status, attempts = attempts + 1, updated_at = now()
WHERE day = :day AND source = :source AND url = :url
