"""The sample site's press section (newsetl_tools.sample_site): real Korean press pages as served, each the
chrome of one of four real pages (매일경제, 한국일보 in three generations) around another article.

Only discovery and ids are the section's own; every field is read by the generic press reader this class
inherits (sites/generic.py), exactly as it reads the real pages these are cut from, so the section tests that
reader on real-size pages. Listing: ``{base_url}/press/list?date=YYYYMMDD&page=N``, 20 links a page in
``ul.press_list li a.press_link``; an article's URL path is ``/press/<template>/<17 digits>``, the digits its id.
"""

from __future__ import annotations

import re

from newsetl.parsing.page import Page
from newsetl.sites.base import HtmlListing
from newsetl.sites.generic import Generic


class SamplePress(Generic):
    """The sample site's press pages: the generic reader's fields, the section's listing and ids."""

    name = "sample_press"
    priority = 990  # just before the generic fallback; it recognises no page (a source names it)
    listing = HtmlListing(
        url="{base_url}/press/list?date={day:%Y%m%d}&page={page}",
        links="//ul[@class='press_list']/li/a[@class='press_link']/@href",
        page_size=20,
    )
    article_id_pattern = re.compile("/press/[a-z0-9_]{1,40}/([0-9]{17})")

    @classmethod
    def recognises(cls, page: Page) -> bool:
        """No page by its looks: these are press pages like any other, read as the generic reader reads them
        (the source's ``site: sample_press`` is what picks this module)."""
        return False


SITE = SamplePress
