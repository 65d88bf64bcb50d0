-- Stored pages of a day with no article extracted from their current body by the current extraction code
-- (or all of them: reextract).
SELECT c.source, c.url, c.source_id, r.body, r.content_type, r.body_sha256
FROM news.crawl_url c
JOIN staging.raw_page r ON r.source = c.source AND r.url = c.url
LEFT JOIN staging.normalized_article n ON n.source = c.source AND n.url = c.url
WHERE c.day = :day AND c.source = ANY(:sources) AND c.source_id IS NOT NULL
  AND (CAST(:force AS boolean) OR n.url IS NULL OR n.body_sha256 <> r.body_sha256
       OR n.extractor_version <> :version)
  -- one batch of a day split over mapped tasks: URLs hash into :batches buckets
  AND mod(abs(hashtext(c.url)::bigint), CAST(:batches AS bigint)) = CAST(:batch AS bigint)
ORDER BY c.source, c.url
