SELECT state, count(*) AS n FROM news.crawl_url WHERE day = :day GROUP BY state ORDER BY state
