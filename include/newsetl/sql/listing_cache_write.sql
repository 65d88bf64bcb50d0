-- Remember the answers of one source's discovery (one row per listing URL; the newest answer wins).
INSERT INTO staging.listing_cache AS l (source, url, etag, last_modified, page)
SELECT :source, u.url, u.etag, u.last_modified, CAST(u.page AS jsonb)
FROM unnest(CAST(:urls AS text[]), CAST(:etags AS text[]), CAST(:modified AS text[]), CAST(:pages AS text[]))
     AS u(url, etag, last_modified, page)
ON CONFLICT (source, url) DO UPDATE
SET etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, page = EXCLUDED.page, updated_at = now()
