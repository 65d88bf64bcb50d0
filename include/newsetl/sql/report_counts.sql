SELECT
  (SELECT count(*) FROM news.article a WHERE a.day = :day) AS articles,
  (SELECT count(*) FROM news.media m JOIN news.article a USING (article_id) WHERE a.day = :day) AS media,
  (SELECT count(*) FROM news.article a
    WHERE a.published_at >= :start AND a.published_at < :end) AS published_that_day
