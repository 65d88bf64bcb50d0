SELECT state, count(*) AS n
FROM news.crawl_url
WHERE day = :day AND source = ANY(:sources)
GROUP BY state
