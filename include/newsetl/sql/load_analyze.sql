-- Fresh statistics on the columns the load joins on, for the rows the day's stages just wrote: without them
-- (autoanalyze has not run yet, e.g. on a new database) the planner expects one row and picks nested loops
-- that took a 5,000-article load from 0.6 s to 10 s. A few tens of milliseconds; own transaction, so the
-- ShareUpdateExclusive locks end at once and concurrent runs of other days never wait on each other.
ANALYZE news.crawl_url (day, source, url, source_id, state),
        staging.raw_page (source, url),
        staging.normalized_article (source, url, source_id, content_hash),
        news.article (source, source_id, content_hash)
