-- Store an extracted article; one extracted from the same body by the same code with the same content
-- leaves the row as it was.
INSERT INTO staging.normalized_article (source, url, source_id, body_sha256, extractor_version, content_hash, data,
                                       bigrams)
VALUES (:source, :url, :source_id, :body_sha256, :extractor_version, :content_hash, CAST(:data AS jsonb),
        string_to_array(CAST(:bigrams AS text), ' '))
ON CONFLICT (source, url) DO UPDATE
SET source_id = EXCLUDED.source_id, body_sha256 = EXCLUDED.body_sha256,
    extractor_version = EXCLUDED.extractor_version, content_hash = EXCLUDED.content_hash, data = EXCLUDED.data,
    bigrams = EXCLUDED.bigrams, normalized_at = now()
WHERE (staging.normalized_article.body_sha256, staging.normalized_article.extractor_version,
       staging.normalized_article.content_hash)
      IS DISTINCT FROM (EXCLUDED.body_sha256, EXCLUDED.extractor_version, EXCLUDED.content_hash)
