-- Stored pages of a day with no parse of their current body by the current parser (or all: reparse).
SELECT c.source, c.url, r.body, r.content_type, r.body_sha256
FROM news.crawl_url c
JOIN staging.raw_page r ON r.source = c.source AND r.url = c.url
LEFT JOIN staging.parsed_page p ON p.source = c.source AND p.url = c.url
WHERE c.day = :day AND c.source = ANY(:sources) AND c.source_id IS NOT NULL
  AND (CAST(:force AS boolean) OR p.url IS NULL OR p.body_sha256 <> r.body_sha256 OR p.parser_version <> :version)
  -- one batch of a day split over mapped tasks: URLs hash into :batches buckets
  AND mod(abs(hashtext(c.url)::bigint), CAST(:batches AS bigint)) = CAST(:batch AS bigint)
ORDER BY c.source, c.url
