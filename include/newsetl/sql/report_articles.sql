SELECT a.source, a.source_id, a.press, array_to_string(a.reporters, ', ') AS reporters,
       to_char(a.published_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') AS published_kst,
       a.title, (SELECT count(*) FROM news.media m WHERE m.article_id = a.article_id) AS images
FROM news.article a
WHERE a.day = :day
ORDER BY a.published_at DESC NULLS LAST, a.article_id
LIMIT :limit
