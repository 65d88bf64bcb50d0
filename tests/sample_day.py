"""What one day of the sample site loads with the enabled sources of sources.yaml (the default day size):
the one place the tests that run a whole day take their counts from."""

from __future__ import annotations

# articles per source: 40 Daum articles, the board's 12 posts, 20 press pages
SAMPLE_DAY_BY_SOURCE = {"sample_daum": 40, "sample_board": 12, "sample_press": 20}
DAY_ARTICLES = sum(SAMPLE_DAY_BY_SOURCE.values())
