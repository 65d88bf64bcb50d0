SELECT a.source_id, m.position, m.width, m.credit, m.caption, m.image_url
FROM news.media m JOIN news.article a USING (article_id)
WHERE a.day = :day
ORDER BY a.published_at DESC NULLS LAST, a.article_id, m.position
LIMIT :limit
