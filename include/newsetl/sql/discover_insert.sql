-- Record a discovered URL for a day; a URL seen before keeps its state (reruns change nothing).
INSERT INTO news.crawl_url (day, source, url, source_id)
VALUES (:day, :source, :url, :source_id)
ON CONFLICT (day, source, url) DO NOTHING
