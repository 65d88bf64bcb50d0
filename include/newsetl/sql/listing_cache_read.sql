-- The validators (ETag, Last-Modified) and the links of a source's listing documents from their last 200,
-- for conditional requests: a 304 to them means the stored links stand.
SELECT url, etag, last_modified, page FROM staging.listing_cache WHERE source = :source
