SELECT count(*)
FROM news.crawl_url c
JOIN staging.raw_page r ON r.source = c.source AND r.url = c.url
WHERE c.day = :day AND c.source = :source
