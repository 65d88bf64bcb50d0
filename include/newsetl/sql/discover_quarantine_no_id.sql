-- URLs whose article id cannot be read from the URL can never be keyed: quarantine them.
UPDATE news.crawl_url
SET state = 'quarantined', reason = 'no article id in URL', updated_at = now()
WHERE day = :day AND source = :source AND source_id IS NULL AND state <> 'quarantined'
