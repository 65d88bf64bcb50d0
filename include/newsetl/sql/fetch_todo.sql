-- URLs of a day to download: never stored and not quarantined, or all keyed URLs with force_refetch
-- (then the stored ETag/Last-Modified make the request conditional).
SELECT c.url, r.etag, r.last_modified
FROM news.crawl_url c
LEFT JOIN staging.raw_page r ON r.source = c.source AND r.url = c.url
WHERE c.day = :day AND c.source = :source AND c.source_id IS NOT NULL
  AND (CAST(:force AS boolean) OR (r.url IS NULL AND c.state <> 'quarantined'))
  -- one batch of a day split over mapped tasks: URLs hash into :batches buckets
  AND mod(abs(hashtext(c.url)::bigint), CAST(:batches AS bigint)) = CAST(:batch AS bigint)
ORDER BY c.url
