-- Rebuild the media rows of the day's articles from their normalized images, in place:
-- positions that still exist are updated only when they changed, vanished positions are deleted.
WITH arts AS (
    -- an article reached by two URLs counts once; only its media list is taken from the JSON (one detoast)
    SELECT DISTINCT ON (a.article_id) a.article_id, n.data -> 'media' AS media
    FROM news.crawl_url c
    JOIN staging.normalized_article n ON n.source = c.source AND n.url = c.url
    JOIN news.article a ON a.source = n.source AND a.source_id = n.source_id AND a.content_hash = n.content_hash
    WHERE c.day = :day AND c.source = ANY(:sources) AND c.state IN ('loaded', 'unchanged')
    ORDER BY a.article_id, n.url
), src AS (
    SELECT DISTINCT ON (arts.article_id, m.position) arts.article_id, m.*
    FROM arts
    CROSS JOIN LATERAL jsonb_to_recordset(arts.media)
        AS m(position integer, image_url text, thumbnail_url text, width integer, alt text, caption text, credit text)
    ORDER BY arts.article_id, m.position
), gone AS (
    DELETE FROM news.media d
    USING arts
    WHERE d.article_id = arts.article_id
      AND NOT EXISTS (SELECT 1 FROM src WHERE src.article_id = d.article_id AND src.position = d.position)
    RETURNING d.media_id
), up AS (
    INSERT INTO news.media AS m (article_id, position, image_url, thumbnail_url, width, alt, caption, credit)
    SELECT article_id, position, image_url, thumbnail_url, width, alt, caption, credit FROM src
    ON CONFLICT (article_id, position) DO UPDATE
    SET image_url = EXCLUDED.image_url, thumbnail_url = EXCLUDED.thumbnail_url, width = EXCLUDED.width,
        alt = EXCLUDED.alt, caption = EXCLUDED.caption, credit = EXCLUDED.credit
    WHERE (m.image_url, m.thumbnail_url, m.width, m.alt, m.caption, m.credit)
          IS DISTINCT FROM (EXCLUDED.image_url, EXCLUDED.thumbnail_url, EXCLUDED.width, EXCLUDED.alt,
                            EXCLUDED.caption, EXCLUDED.credit)
    RETURNING m.media_id
)
SELECT (SELECT count(*) FROM arts) AS articles,
       (SELECT count(*) FROM src) AS media,
       (SELECT count(*) FROM up) AS written,
       (SELECT count(*) FROM gone) AS deleted
