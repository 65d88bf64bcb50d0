INSERT INTO staging.parsed_page (source, url, body_sha256, parser_version, data)
VALUES (:source, :url, :body_sha256, :parser_version, CAST(:data AS jsonb))
ON CONFLICT (source, url) DO UPDATE
SET body_sha256 = EXCLUDED.body_sha256, parser_version = EXCLUDED.parser_version, data = EXCLUDED.data,
    parsed_at = now()
WHERE (staging.parsed_page.body_sha256, staging.parsed_page.parser_version, staging.parsed_page.data)
      IS DISTINCT FROM (EXCLUDED.body_sha256, EXCLUDED.parser_version, EXCLUDED.data)
