"""The sample site's corrections switch: the Daum article pages of every REVISED_EVERY-th article of a day
are served as their newsroom later corrected them, so a rerun with ``force_refetch`` loads a second version
of exactly those articles (news.article_version, news.article_correction; issue 18).

Set ``NEWS_SAMPLE_REVISED=1`` (or ``revised=True`` of ``make_server``/``running``; a started site honours the
environment, as with drift.py). A revised article has:

- its title with CORRECTED_TITLE_SUFFIX appended;
- its first text paragraph with CHANGED_SENTENCE appended (one paragraph changed);
- ADDED_PARAGRAPH right after that paragraph (one paragraph added);
- a 수정 time REVISED_AFTER_MINUTES after its 입력 time (later than any the corpus shows).

Only the Daum article pages (/v/<id>) change: the listings still show the original titles, as a real
listing keeps serving the title it was built with, and the press, Naver-style and board routes are as
before. Off (the default) nothing changes.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace

from newsetl_tools.sample_site.corpus import CorpusArticle

REVISED_ENV = "NEWS_SAMPLE_REVISED"
REVISED_EVERY = 7  # sequences 7, 14, 21, … of a day: 5 of the default 40 Daum articles
CORRECTED_TITLE_SUFFIX = " (정정)"
CHANGED_SENTENCE = " 이 문단의 수치는 바로잡았다."
ADDED_PARAGRAPH = "[정정] 이 기사는 처음 보도 뒤 제목과 본문 일부를 바로잡았습니다."
# Later than every corpus 수정 time (data/extras.json: at most 180 minutes after 입력).
REVISED_AFTER_MINUTES = 6 * 60
# The first body paragraph that starts with text (not an image, not an empty line), up to its closing tag.
_FIRST_TEXT_PARAGRAPH = re.compile(r'(<p [^>]*dmcf-ptype="general"[^>]*>[^<\s].*?)(</p>)', re.DOTALL)


def revised_from_env() -> bool:
    """Whether the environment switches corrections on (NEWS_SAMPLE_REVISED=1)."""
    return os.environ.get(REVISED_ENV, "").strip() in ("1", "true", "yes")


def is_revised(seq: int) -> bool:
    """Whether the day's article of this sequence is served corrected (when the switch is on)."""
    return seq % REVISED_EVERY == 0


def revise(article: CorpusArticle, body: str) -> tuple[CorpusArticle, str]:
    """The article and its Daum body markup as corrected: new title, one paragraph changed, one added."""
    # The added paragraph goes right after the changed one, not at the end: the byline and e-mail lines
    # close the body, and text after them would stop them being read as the byline (and keep them as text).
    added = f'\n<p dmcf-ptype="general">{ADDED_PARAGRAPH}</p>'
    corrected_body, found = _FIRST_TEXT_PARAGRAPH.subn(
        lambda m: m.group(1) + CHANGED_SENTENCE + m.group(2) + added, body, count=1
    )
    if not found:
        raise ValueError(f"corpus article {article.number} has no text paragraph to correct")
    corrected = replace(
        article,
        title=article.title + CORRECTED_TITLE_SUFFIX,
        modified_minutes=REVISED_AFTER_MINUTES,
    )
    return corrected, corrected_body
