-- One discovery of a source at a time (until the transaction ends): whether another URL already holds an
-- article id is decided on committed rows only, so two runs of overlapping days must not decide it at once.
SELECT pg_advisory_xact_lock(hashtextextended('news.crawl_url discovery of ' || :source, 0))
