-- Merge the search index's pending list (every article loaded since the last merge) into the GIN tree;
-- returns the number of pending-list pages merged (0: nothing was pending).
SELECT gin_clean_pending_list('news.article_search_idx'::regclass) AS merged_pages
