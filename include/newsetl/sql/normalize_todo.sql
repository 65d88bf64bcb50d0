-- Parsed pages of a day not yet normalized from their current parse (or all: reparse).
SELECT c.source, c.url, c.source_id, p.body_sha256, p.data
FROM news.crawl_url c
JOIN staging.parsed_page p ON p.source = c.source AND p.url = c.url
LEFT JOIN staging.normalized_article n ON n.source = c.source AND n.url = c.url
WHERE c.day = :day AND c.source = ANY(:sources) AND c.source_id IS NOT NULL
  AND (CAST(:force AS boolean) OR n.url IS NULL OR n.body_sha256 <> p.body_sha256
       OR n.parser_version <> p.parser_version)
  -- one batch of a day split over mapped tasks: URLs hash into :batches buckets
  AND mod(abs(hashtext(c.url)::bigint), CAST(:batches AS bigint)) = CAST(:batch AS bigint)
ORDER BY c.source, c.url
