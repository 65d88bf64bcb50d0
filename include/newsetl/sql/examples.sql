-- Example analyst queries on the warehouse. Each begins with "-- name:" and a comment saying what it
-- answers; tests/test_examples.py runs every one as the read-only role news_reader against a warehouse
-- loaded by the pipeline and checks its rows. Days are Korean (Asia/Seoul) days.

-- name: top_presses_of_the_day
-- The day's top presses (언론사) by number of articles published that KST day.
SELECT press, count(*) AS articles
FROM news.article
WHERE published_at >= '2025-07-03 00:00+09' AND published_at < '2025-07-04 00:00+09'
GROUP BY press
ORDER BY articles DESC, press
LIMIT 10;

-- name: term_in_date_range
-- Articles mentioning a term in a date range; finds 정부 inside 정부가, 이재명정부 … (bigram index).
SELECT article_id, press, published_at, title
FROM news.search_articles('정부', '2025-07-03 00:00+09', '2025-07-04 00:00+09')
ORDER BY published_at DESC;

-- name: term_inside_compound_words
-- A longer term found inside compounds and before particles (반도체 in 반도체주, 반도체를 …), any date.
SELECT article_id, title
FROM news.search_articles('소버린')
ORDER BY article_id;

-- name: images_credited_to_yonhap
-- Images whose credit (크레딧) names 연합 (연합뉴스, [연합], AP 연합뉴스 …), with their article.
SELECT media_id, credit, caption, title, published_day_kst
FROM news.media_with_article
WHERE credit LIKE '%연합%'
ORDER BY published_day_kst, article_id, position;

-- name: articles_without_images
-- Articles that carry no image at all.
SELECT article_id, press, title
FROM news.article_with_media
WHERE image_count = 0
ORDER BY article_id;

-- name: duplicate_stories_across_sources
-- The same story published twice (another source or press) by title similarity: Jaccard index of
-- the titles' bigrams of at least 0.6.
WITH t AS (
    SELECT article_id, source, press, title, news.bigram_array(title) AS grams
    FROM news.article
    WHERE published_at >= '2025-07-03 00:00+09' AND published_at < '2025-07-04 00:00+09'
)
SELECT a.article_id AS first_id, b.article_id AS second_id, a.source AS first_source, b.source AS second_source,
       a.title,
       round((SELECT count(*) FROM (SELECT unnest(a.grams) INTERSECT SELECT unnest(b.grams)) i)::numeric
             / NULLIF((SELECT count(*) FROM (SELECT unnest(a.grams) UNION SELECT unnest(b.grams)) u), 0), 2)
           AS similarity
FROM t a
JOIN t b ON a.article_id < b.article_id AND (a.source <> b.source OR a.press IS DISTINCT FROM b.press)
        AND a.grams && b.grams
WHERE (SELECT count(*) FROM (SELECT unnest(a.grams) INTERSECT SELECT unnest(b.grams)) i)::numeric
      / NULLIF((SELECT count(*) FROM (SELECT unnest(a.grams) UNION SELECT unnest(b.grams)) u), 0) >= 0.6
ORDER BY similarity DESC, first_id;

-- name: failed_urls_of_the_day
-- URLs of a day that did not load (failed: retried next run; quarantined: with the reason).
SELECT source, url, state, reason, http_status, attempts
FROM news.url_state
WHERE day = '2025-07-03' AND state IN ('failed', 'quarantined')
ORDER BY state, url;

-- name: url_states_per_day
-- How each day's URLs ended the latest run.
SELECT day, state, count(*) AS urls
FROM news.url_state
GROUP BY day, state
ORDER BY day, state;

-- name: most_active_reporters
-- Reporters (기자) with the most articles over all days, with their presses.
SELECT r.name AS reporter, count(*) AS articles, array_agg(DISTINCT a.press) AS presses
FROM news.article a, unnest(a.reporters) AS r(name)
GROUP BY r.name
ORDER BY articles DESC, reporter
LIMIT 20;

-- name: articles_per_hour_kst
-- When the day's articles were published, by hour in Seoul.
SELECT extract(hour FROM published_at AT TIME ZONE 'Asia/Seoul')::int AS hour_kst, count(*) AS articles
FROM news.article
WHERE published_at >= '2025-07-03 00:00+09' AND published_at < '2025-07-04 00:00+09'
GROUP BY 1
ORDER BY 1;

-- name: credits_per_press
-- Who supplies each press's photos: the most frequent credits per press.
SELECT press, credit, count(*) AS images
FROM news.media_with_article
WHERE credit IS NOT NULL
GROUP BY press, credit
ORDER BY press, images DESC, credit;

-- name: daily_press_counts_view
-- The view behind dashboards: articles and distinct reporters per KST day and press.
SELECT published_day_kst, press, articles, reporters
FROM news.daily_press_counts
WHERE published_day_kst = '2025-07-03'
ORDER BY articles DESC, press;

-- name: corrections_of_an_article
-- An article's corrections: each version the pipeline saw (news.article_version), oldest first, with what
-- the correction changed (news.article_correction; version 1 and versions whose title and body did not
-- change have no summary). By the source's own article id; `WHERE a.url = '…'` or `a.article_id = …` also work.
SELECT v.version, v.seen_at, v.modified_at, v.title, c.title_after, c.summary
FROM news.article a
JOIN news.article_version v USING (article_id)
LEFT JOIN news.article_correction c ON c.article_id = v.article_id AND c.version = v.version
WHERE a.source = 'sample_daum' AND a.source_id = '20250703060600007'
ORDER BY v.version;

-- name: top_stories_of_the_day
-- The day's top stories (the same story republished across presses, news.story): by number of presses,
-- with the first article's title; stories are clustered by `newsetl stories DAY` (docs/stories.md).
SELECT s.story_id, s.n_presses, s.n_articles, s.first_press, a.title
FROM news.story s
JOIN news.article a ON a.article_id = s.first_article_id
WHERE s.story_id IN (SELECT story_id FROM news.article WHERE day = '2025-07-04' AND story_id IS NOT NULL)
ORDER BY s.n_presses DESC, s.n_articles DESC, s.story_id
LIMIT 10;

-- name: who_published_first
-- Who published each multi-press story first, and when each other press followed (minutes after).
SELECT s.story_id, a.press, min(a.published_at) AS published_at,
       round(extract(epoch FROM min(a.published_at) - s.first_published_at) / 60) AS minutes_after_first,
       a.press = s.first_press AS first
FROM news.story s
JOIN news.article a ON a.story_id = s.story_id
WHERE s.n_presses >= 2
GROUP BY s.story_id, a.press, s.first_press, s.first_published_at
ORDER BY s.story_id, published_at, a.press;

-- name: presses_republishing_an_agency
-- For stories 연합뉴스 published first, the other presses that most often carry them (republish its copy).
SELECT a.press, count(DISTINCT s.story_id) AS stories
FROM news.story s
JOIN news.article a ON a.story_id = s.story_id
WHERE s.first_press = '연합뉴스' AND a.press IS DISTINCT FROM '연합뉴스' AND a.press IS NOT NULL
GROUP BY a.press
ORDER BY stories DESC, a.press;
