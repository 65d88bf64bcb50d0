-- The bodies of a chunk's articles and of their LSH candidates, for the exact similarity check.
SELECT article_id, body_text
FROM news.article
WHERE article_id = ANY(:ids)
