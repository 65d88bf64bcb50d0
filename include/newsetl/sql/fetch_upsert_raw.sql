-- Store a downloaded page; an identical body leaves the row as it was.
INSERT INTO staging.raw_page (source, url, http_status, content_type, etag, last_modified, body, body_sha256, fetched_at)
VALUES (:source, :url, :http_status, :content_type, :etag, :last_modified, :body, :body_sha256, :fetched_at)
ON CONFLICT (source, url) DO UPDATE
SET http_status = EXCLUDED.http_status, content_type = EXCLUDED.content_type, etag = EXCLUDED.etag,
    last_modified = EXCLUDED.last_modified, body = EXCLUDED.body, body_sha256 = EXCLUDED.body_sha256,
    fetched_at = EXCLUDED.fetched_at
WHERE staging.raw_page.body_sha256 IS DISTINCT FROM EXCLUDED.body_sha256
