-- Upsert the day's normalized articles into news.article in one statement (one transaction):
-- a new article is inserted, a changed one (other content hash) updated in place, an unchanged one
-- left alone; each article written (new or changed) gets its next news.article_version (1 when new), so a
-- run that changes nothing writes no version either; then every URL of the day that has an article gets
-- 'loaded' or 'unchanged'.
WITH todo AS (
    -- keys only: the article itself is read once, below, for the new and changed ones
    SELECT DISTINCT ON (n.source, n.source_id)
           n.source, n.source_id, n.url, n.content_hash, r.fetched_at, c.section
    FROM news.crawl_url c
    JOIN staging.normalized_article n ON n.source = c.source AND n.url = c.url
    JOIN staging.raw_page r ON r.source = c.source AND r.url = c.url
    WHERE c.day = :day AND c.source = ANY(:sources) AND c.state <> 'quarantined'
    ORDER BY n.source, n.source_id, n.url
), changed AS MATERIALIZED (
    -- only new or changed articles reach the INSERT: unchanged ones cost no read of their JSON, no write
    SELECT t.* FROM todo t
    WHERE NOT EXISTS (SELECT 1 FROM news.article e
                      WHERE e.source = t.source AND e.source_id = t.source_id AND e.content_hash = t.content_hash)
    -- The sort reads the whole anti-join before the INSERT writes its first row.  Without it the two run
    -- interleaved, and on an empty or small news.article (planned as a seq scan) every probe rescans the
    -- pages the INSERT has added so far: quadratic, 0.23 s of a 5,000-article first load.
    ORDER BY t.url
), up AS (
    INSERT INTO news.article AS a (source, source_id, url, title, press, reporters, emails, published_at,
                                   modified_at, body_text, paragraphs, summary, subheads, parser, content_hash, day,
                                   fetched_at, search, section)
    SELECT t.source, t.source_id, t.url, j.title, j.press, coalesce(j.reporters, '{}'), coalesce(j.emails, '{}'),
           j.published_at, j.modified_at, j.body_text, coalesce(j.paragraphs, '{}'), coalesce(j.summary, '{}'),
           coalesce(j.subheads, '{}'), j.parser, t.content_hash, :day, t.fetched_at,
           array_to_tsvector(n.bigrams),  -- null (rows normalized before 0003): the trigger computes it
           t.section  -- where discovery found the URL (a listing's section, a feed's category), if it said
    FROM changed t
    JOIN staging.normalized_article n ON n.source = t.source AND n.url = t.url
    -- one pass over the JSON (each ->> would detoast and decompress the whole document again)
    CROSS JOIN LATERAL jsonb_to_record(n.data)
        AS j(title text, press text, reporters text[], emails text[], published_at timestamptz,
             modified_at timestamptz, body_text text, paragraphs text[], summary text[], subheads text[], parser text)
    ON CONFLICT (source, source_id) DO UPDATE
    SET url = EXCLUDED.url, title = EXCLUDED.title, press = EXCLUDED.press, reporters = EXCLUDED.reporters,
        emails = EXCLUDED.emails, published_at = EXCLUDED.published_at, modified_at = EXCLUDED.modified_at,
        body_text = EXCLUDED.body_text, paragraphs = EXCLUDED.paragraphs, summary = EXCLUDED.summary,
        subheads = EXCLUDED.subheads, parser = EXCLUDED.parser, content_hash = EXCLUDED.content_hash,
        fetched_at = EXCLUDED.fetched_at, search = EXCLUDED.search, updated_at = now(),
        section = coalesce(EXCLUDED.section, a.section)
    WHERE a.content_hash IS DISTINCT FROM EXCLUDED.content_hash
    RETURNING a.article_id, a.source, a.source_id, a.content_hash, a.title, a.body_text, a.paragraphs, a.modified_at
), versioned AS (
    -- History (migration 0011): the content just written becomes the article's next version; seen_at is
    -- the column default now(), the same transaction time as updated_at. Runs though nothing reads it (a
    -- data-modifying CTE always runs to completion).
    INSERT INTO news.article_version (article_id, version, content_hash, title, body_text, paragraphs, modified_at)
    SELECT u.article_id,
           coalesce((SELECT max(v.version) FROM news.article_version v WHERE v.article_id = u.article_id), 0) + 1,
           u.content_hash, u.title, u.body_text, u.paragraphs, u.modified_at
    FROM up u
)
UPDATE news.crawl_url c
-- an uncorrelated IN runs as one hashed subplan (a join to the CTE was planned as a nested loop)
SET state = CASE WHEN (t.source, t.source_id) IN (SELECT source, source_id FROM up) THEN 'loaded'
                 ELSE 'unchanged' END,
    reason = NULL, updated_at = now()
FROM todo t
WHERE c.day = :day AND c.source = t.source AND c.source_id = t.source_id AND c.state <> 'quarantined'
RETURNING c.state
