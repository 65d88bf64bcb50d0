-- Contradictions the pipeline must never leave behind for a day, one row per kind found.
SELECT 'loaded or unchanged URL without an article' AS problem, count(*) AS n
FROM news.crawl_url c
LEFT JOIN news.article a ON a.source = c.source AND a.source_id = c.source_id
WHERE c.day = :day AND c.source = ANY(:sources) AND c.state IN ('loaded', 'unchanged') AND a.article_id IS NULL
HAVING count(*) > 0
UNION ALL
SELECT 'quarantined or failed URL without a reason', count(*)
FROM news.crawl_url c
WHERE c.day = :day AND c.source = ANY(:sources) AND c.state IN ('quarantined', 'failed') AND c.reason IS NULL
HAVING count(*) > 0
UNION ALL
SELECT 'article whose media differ from its normalized images', count(*)
FROM (
    SELECT DISTINCT a.article_id, jsonb_array_length(n.data -> 'media') AS expected
    FROM news.crawl_url c
    JOIN staging.normalized_article n ON n.source = c.source AND n.url = c.url
    JOIN news.article a ON a.source = n.source AND a.source_id = n.source_id AND a.content_hash = n.content_hash
    WHERE c.day = :day AND c.source = ANY(:sources) AND c.state IN ('loaded', 'unchanged')
) x
WHERE x.expected <> (SELECT count(*) FROM news.media m WHERE m.article_id = x.article_id)
HAVING count(*) > 0
