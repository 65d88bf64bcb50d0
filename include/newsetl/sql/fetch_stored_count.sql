SELECT count(*)
FROM news.crawl_url c
JOIN staging.raw_page r ON r.source = c.source AND r.url = c.url
WHERE c.day = :day AND c.source = :source
  -- one batch of a day split over mapped tasks: URLs hash into :batches buckets
  AND mod(abs(hashtext(c.url)::bigint), CAST(:batches AS bigint)) = CAST(:batch AS bigint)
