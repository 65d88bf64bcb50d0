-- The day's top stories: stories with an article of the day and articles of two presses or more, by
-- presses, then articles; with the first article's title and who published it first.
SELECT a.title, s.n_presses AS presses, s.n_articles AS articles, s.first_press,
       to_char(s.first_published_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') AS first_published_kst
FROM news.story s
LEFT JOIN news.article a ON a.article_id = s.first_article_id
WHERE s.n_presses >= 2
  AND EXISTS (SELECT 1 FROM news.article d WHERE d.story_id = s.story_id AND d.day = :day)
ORDER BY s.n_presses DESC, s.n_articles DESC, s.first_published_at NULLS LAST, s.story_id
LIMIT :limit
