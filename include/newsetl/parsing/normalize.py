"""Normalize a RawArticle into an Article: clean text, byline, dates, press, captions and credits.

The rules live in modules of their own (text, bylines, dates, captions, press); this one applies them
in order.

Decisions:
  * Byline: a leading byline such as ``[헤럴드경제=고재우 기자]`` or ``(서울=연합뉴스) 김정은 기자 =``
    is MOVED out of the body into ``press``/``reporters``: it is cut from the first paragraph and
    that paragraph is dropped when nothing else remains.  Reporters come from that byline, else
    from the page's byline line, else from the trailing signature line.
  * A paragraph that is only a bracketed press tag (``[동아닷컴]``) before the text starts is a
    byline too: it is removed and its name is a press candidate.
  * Trailing lines: reporter e-mail lines (their addresses go to ``emails``), promotional lines
    (``▶제보는 카톡 okjebo``), copyright lines, photo-credit lines and ``[Source : …]`` lines are
    removed from the end of the body; a signature glued to the last sentence is cut off too, and
    so is a photo note glued to it (``…치른다.(자료사진=에릭 텐 하흐 감독)``).
  * Signatures without an e-mail: a columnist's closing author line (``강준만 전북대 신문방송학과
    명예교수``: a name, at most a few words, ending in a title such as 교수/기자/논설위원) is an
    author line, not text: it is removed and the name is a reporter candidate.  The author's
    profile box right above it (a name line followed by ``●`` items) is removed with it; the
    author's portrait stays in ``media`` (it is an image of the page).
  * Media: only figures with an image; ``position`` is 1-based in document order over the kept
    images; ``width`` is data-org-width as int.  ``alt`` is kept as written (only whitespace and
    entities cleaned, credit NOT split); the caption keeps its line breaks and loses its credit:
    a bracketed or ``사진=`` credit, ``ⓒ …``, ``… 제공``/``… 캡처``, a known agency name at the end
    (``조규성(미트윌란). 게티이미지코리아``), a photographer byline (``[OSEN=수원, 최규한 기자]``,
    ``[서울=뉴시스] 김명년 기자 =``, ``(수원=연합뉴스) 김도훈 기자 =``, ``수원=박재만 기자pjm@…/2023.10.31/``)
    which becomes the credit as written without brackets, e-mail or date.  The photo desk trailer
    (``2023.10.30 / dreamer@osen.co.kr``) is dropped from the caption.  Body-level credit lines
    (``사진=토트넘``) are removed from the body and not copied onto the images.
  * Dates: always aware, Asia/Seoul; naive values are KST; unreadable → None plus a warning,
    never "now".  Year-less board dates (``07-03 20`` = month-day hour) take the year of ``day``;
    a date more than a day after ``day`` belongs to the previous year (December page, January run).
  * Press: the page's own press line wins over the body (parsing/press.py): the first candidate that is a
    press name, in this order: page hints (og:article:author, publisher, og:site_name, ``[Source : …]``,
    copyright lines), the leading byline's press, then the press code of the image paths and the
    page's domain (those two only when the press table knows them).  A role word (앵커, 기자 …) is never
    a press.

Hostile input (whatever a page holds, the article is valid for Postgres, or the page is quarantined):
  * every string is valid ``text`` and ``jsonb``: text fields go through text.clean_text, the URLs
    through text.strip_controls (no NUL, no C0 control but the newline, no lone surrogate);
  * the indexed fields are bounded where they are made (press: press.MAX_PRESS; credit:
    captions.MAX_CREDIT), integers are range-checked (width: captions.MAX_WIDTH) and so are dates
    (dates.EARLIEST_YEAR..LATEST_YEAR); what is out of bounds is null, with a warning;
  * every pattern runs in linear time: the end-anchored ones on a bounded tail, the others guarded or
    anchored; a byline over ``MAX_BYLINE`` characters is not read (null reporters, a warning).
"""

from __future__ import annotations

from datetime import date

from newsetl.parsing.bylines import EMAIL, lead_byline, reporter_names, strip_tail
from newsetl.parsing.captions import media_items
from newsetl.parsing.dates import parse_date
from newsetl.parsing.press import resolve_press
from newsetl.parsing.text import clean_text, strip_controls
from newsetl.records import Article, RawArticle

MAX_BYLINE = 300  # characters: a reporter line ("김동윤 기자 dong@x.com") or a list of a few authors


def normalize(raw: RawArticle, day: date | None = None) -> Article:
    """RawArticle → Article (see the module docstring for the decisions)."""
    warnings: list[str] = []
    # One clean_text per paragraph: checking the joined paragraphs at once is no faster (its cost
    # is the per-character isprintable / is_normalized scans, not the calls).
    paragraphs = [p for p in (clean_text(p, keep_newlines=True) for p in raw.paragraphs) if p]
    paragraphs, byline_press, reporters, lead_emails = lead_byline(paragraphs)
    paragraphs, emails, signed, tail_hints = strip_tail(paragraphs)
    byline = _byline(raw.byline_text, warnings)
    reporters = reporters or reporter_names(byline) or signed
    published_at, reason = parse_date(raw.date_text, day)
    if reason:
        warnings.append(f"published_at: {reason}")
    modified_at = None
    if raw.modified_text:  # most pages give none: no warning for that
        modified_at, reason = parse_date(raw.modified_text, day)
        if reason:
            warnings.append(f"modified_at: {reason}")
    media = media_items(raw.figures, warnings)
    press = resolve_press(byline_press, [*raw.press_hints, *tail_hints], [m.image_url for m in media], raw.url)
    if not press:
        warnings.append("press: not found")
    byline_emails = EMAIL.findall(byline) if "@" in byline else []  # the "@" test first: see bylines.tail_kind
    return Article(
        parser=raw.parser,
        url=strip_controls(raw.url) if raw.url else raw.url,
        source_id=strip_controls(raw.source_id) if raw.source_id else raw.source_id,
        title=clean_text(raw.title),
        press=press,
        reporters=reporters,
        emails=list(dict.fromkeys(lead_emails + emails + byline_emails)),
        published_at=published_at,
        body_text="\n\n".join(paragraphs),
        paragraphs=paragraphs,
        media=media,
        warnings=warnings,
        modified_at=modified_at,
        summary=[line for line in (clean_text(line) for line in raw.summary) if line],
        subheads=[line for line in (clean_text(line) for line in raw.subheads) if line],
    )


def _byline(text: str | None, warnings: list[str]) -> str:
    """The page's byline line to read reporters and e-mails from ("" if none, or if it is over
    MAX_BYLINE characters: then it is no byline, and a warning says so)."""
    if text and len(text) > MAX_BYLINE:
        warnings.append(f"reporters: byline of {len(text)} characters not read")
        return ""
    return text or ""
