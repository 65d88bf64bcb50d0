-- Ids for the stories a run creates, taken from news.story's identity in the order asked.
SELECT nextval(pg_get_serial_sequence('news.story', 'story_id')) AS story_id
FROM generate_series(1, :n) AS g
ORDER BY g
