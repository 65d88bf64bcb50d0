-- One source's pages of a day that were fetched and read (loaded, unchanged, or quarantined with a stored
-- page), per watched field: how many had no article body, and how many lack the field (a title: quarantined
-- "no title"; another field: null, empty list or empty string in its normalized article).  With no field
-- watched, one row whose field is NULL still counts the pages and those with no article body.
WITH read AS (
    SELECT c.reason, n.data
    FROM news.crawl_url c
    JOIN staging.raw_page r ON r.source = c.source AND r.url = c.url
    LEFT JOIN staging.normalized_article n ON n.source = c.source AND n.url = c.url
    WHERE c.day = :day AND c.source = :source AND c.state IN ('loaded', 'unchanged', 'quarantined')
)
SELECT f.field,
       count(*) AS pages,
       count(*) FILTER (WHERE r.reason LIKE 'no article body%') AS no_body,
       count(*) FILTER (
           WHERE CASE WHEN f.field = 'title' THEN r.reason LIKE 'no title%'
                      ELSE r.reason IS NULL AND r.data IS NOT NULL
                           AND coalesce(r.data -> f.field, 'null') IN ('null', '[]', '""') END
       ) AS missing
FROM read r
LEFT JOIN unnest(CAST(:fields AS text[])) AS f(field) ON true
GROUP BY f.field
