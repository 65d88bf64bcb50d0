"""What one day of the sample site loads with the enabled sources of sources.yaml (the default day size):
the one place the tests that run a whole day take their counts from."""

from __future__ import annotations

# articles per source: 40 Daum articles, the board's 12 posts, 20 press pages from the press list, 10 from its
# RSS feed and 10 from its sitemaps, 20 Naver-style pages from the cursor listing (issue 16's discovery kinds),
# the wire desk's 15 (3 agency stories and 12 presses' copies of them, whatever the day's size: wire.py)
SAMPLE_DAY_BY_SOURCE = {
    "sample_daum": 40,
    "sample_board": 12,
    "sample_press": 20,
    "sample_press_rss": 10,
    "sample_press_sitemap": 10,
    "sample_naver": 20,
    "sample_wire": 15,
}
DAY_ARTICLES = sum(SAMPLE_DAY_BY_SOURCE.values())
