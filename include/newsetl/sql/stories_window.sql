-- Every article of the window (the day ± 2 days): streamed in chunks by the caller, for the MinHash
-- signatures; story_id is the story each already belongs to.
SELECT article_id, story_id, body_text
FROM news.article
WHERE day BETWEEN :first AND :last
