-- URLs each day's listing named for one source, from :since to :day (a day that named none has no row):
-- the drift alarm's link counts, today's and the history its median is taken over (the key's day first).
SELECT day, count(*) AS links
FROM news.crawl_url
WHERE day BETWEEN :since AND :day AND source = :source
GROUP BY day
ORDER BY day
