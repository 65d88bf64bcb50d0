-- One story clustering at a time (until the transaction ends): runs of overlapping windows read and assign
-- the same articles, so the second waits for the first's assignments instead of deciding on stale ones.
SELECT pg_advisory_xact_lock(hashtextextended('news.story clustering', 0))
