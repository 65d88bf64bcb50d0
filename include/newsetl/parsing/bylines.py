"""Bylines and the lines around the body: who wrote it, and what is not article text.

* A leading byline such as ``[헤럴드경제=고재우 기자]`` or ``(서울=연합뉴스) 김정은 기자 =`` is split into
  press, reporters and the rest of the paragraph (split_byline).
* Trailing lines: reporter e-mail lines, promotional lines (``▶제보는 카톡 okjebo``), copyright lines,
  photo-credit lines, ``[Source : …]`` lines, a columnist's closing author line and the profile box
  above it are recognised from the end of the body (strip_tail); a signature or photo note glued to
  the last sentence is cut off too.

Every pattern runs in linear time on any input (a body line, a byline can be megabytes): the e-mail
patterns only start where a run of address characters starts (see EMAIL), the patterns anchored at the
end of a line only look at its last ``TAIL`` characters, and strip_tail reads at most ``MAX_TAIL_LINES``
lines from the end of the body.
"""

from __future__ import annotations

import re

from newsetl.parsing.press import is_role_word, press_name
from newsetl.parsing.text import clean_text

# The lookbehind: a match only starts where a run of address characters starts.  Without it a search
# tried every position inside a long run ("aaaa…a @", or Korean text, which is all \w) and scanned the
# rest of the run from each: quadratic.  The leftmost match is the same (one starting inside a run
# would also match from the run's start); only a second address glued to the first by "+" or "." is
# no longer found on its own by findall and sub.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_ISH = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w.-]*")  # also truncated "jm@" signatures
TAIL = 200  # characters an end-anchored pattern looks at: a glued signature or photo note is far shorter
MAX_TAIL_LINES = 20  # trailing lines strip_tail reads: real pages end in at most a few boilerplate lines
_NAME = re.compile(r"^[가-힣]{2,4}$")
_TITLES = frozenset("기자 특파원 기자= 객원기자 인턴기자 선임기자 논설위원 위원 교수 명예교수 칼럼니스트".split())


_BYLINE_LOC_PRESS = re.compile(  # (서울=연합뉴스) 김정은 기자 =   /  [서울=뉴시스] 김예진 남빛나라 기자 =
    r"^\s*[(\[]([^()\[\]=]{1,20})=\s*([^()\[\]]{1,30}?)\s*[)\]]\s*([^=]{0,40}?)\s*기자\s*=\s*"
)
_BYLINE_PRESS_THEN_NAMES = re.compile(  # [인터풋볼] 김대식 기자 =  /  [풋볼리스트] 김정용 기자=
    r"^\s*\[([^\[\]=]{1,30})\]\s*([^=\[\]]{1,40}?)\s*기자\s*=\s*"
)
_BYLINE_BRACKET = re.compile(  # [헤럴드경제=고재우 기자]  (엑스포츠뉴스 김나연 기자)  [스타뉴스 | 김동윤 기자]
    r"^\s*(?:\[([^\[\]]{1,60}?)\s*(?:기자|특파원)\s*\]|\(([^()]{1,60}?)\s*(?:기자|특파원)\s*\))\s*"
)
_BYLINE_BARE = re.compile(  # 진주=정세영 기자 niners@munhwa.com (a whole first paragraph)
    r"^\s*(?:[가-힣]{1,10}=)?([가-힣]{2,4}(?:\s*[·,]\s*[가-힣]{2,4})*)\s*기자(?=\s+\S+@|\s*$)\s*"
)


def reporter_names(text: str | None, every_token: bool = False) -> list[str]:
    """Reporter names in a byline fragment ("안양/조영두", "박상현·신현주", "동아닷컴 조성운 기자")."""
    if not text:
        return []
    text = clean_text(text)
    if "@" in text:  # _EMAIL_ISH needs one (the e-mail patterns are slow to fail: see tail_kind)
        text = _EMAIL_ISH.sub(" ", text)
    text = re.sub(r"\([^()]*\)", " ", text)
    names: list[str] = []
    for part in text.split("·"):  # co-authors are joined with "·"
        # drop a location: "안양/조영두", "수원=이종서", "수원, 신원철"
        part = re.split(r"[/=,]", part)[-1]
        tokens = [t for t in part.split() if not press_name(t)]
        tokens = [t.removesuffix("기자") if t != "기자" and t.endswith("기자") else t for t in tokens]
        if every_token:
            names += [t for t in tokens if _NAME.match(t) and t not in _TITLES]
            continue
        titled = [i for i, t in enumerate(tokens) if t in _TITLES and i > 0]
        before = tokens[titled[0] - 1] if titled else ""
        # the word right before "기자" if it is a name, else the first name-like word
        chosen = [before] if _NAME.match(before) else []
        chosen = chosen or [t for t in tokens if _NAME.match(t) and t not in _TITLES][:1]
        names += chosen
    return list(dict.fromkeys(names))


def _split_press_names(inner: str) -> tuple[str | None, str]:
    """Inside of a bracket byline → (press, names part)."""
    inner = clean_text(inner)
    if "|" in inner:
        press, _, names = inner.partition("|")
        return press.strip() or None, names
    if "=" in inner:
        left, _, right = inner.partition("=")
        head = right.split()[0] if right.split() else ""
        if not press_name(left) and head and press_name(head):  # [수원=스포츠조선 이종서]
            return head, right[len(head) :]
        return left.strip() or None, right  # [헤럴드경제=고재우], [스포티비뉴스=수원, 신원철]
    tokens = inner.split()
    for cut in range(len(tokens) - 1, 0, -1):  # longest known press prefix: "이데일리 스타in"
        if press_name(" ".join(tokens[:cut])):
            return " ".join(tokens[:cut]), " ".join(tokens[cut:])
    if len(tokens) >= 2:  # unknown press: first word is the press
        return tokens[0], " ".join(tokens[1:])
    return None, inner


def split_byline(text: str) -> tuple[str | None, list[str], str]:
    """Leading byline of a paragraph → (press as written, reporters, rest of the paragraph)."""
    if match := _BYLINE_LOC_PRESS.match(text):
        press = match.group(2).strip()
        return press, reporter_names(match.group(3), every_token=True), text[match.end() :].strip()
    if match := _BYLINE_PRESS_THEN_NAMES.match(text):
        press = match.group(1).strip()
        return press, reporter_names(match.group(2), every_token=True), text[match.end() :].strip()
    if match := _BYLINE_BRACKET.match(text):
        press, names = _split_press_names(match.group(1) or match.group(2))
        return press, reporter_names(names, every_token=True), text[match.end() :].strip()
    if match := _BYLINE_BARE.match(text):
        return None, reporter_names(match.group(1), every_token=True), text[match.end() :].strip()
    return None, [], text


# --- trailing lines ---------------------------------------------------------------------------

_COPYRIGHT = re.compile(r"copyright|ⓒ|©|저작권자|무단\s*전재|재배포\s*금지|all rights reserved", re.I)
_PROMO = re.compile(r"^[▶☞►■]|제보는|기사제보|카톡|카카오톡|구독하기|바로가기")
_PHOTO_CREDIT = re.compile(r"^(?:#\s*)?(?:\[사진\]|사진\s*(?:제공)?\s*[=_:|])")
_SOURCE = re.compile(r"^\[?\s*Source\s*:", re.I)
_TRAILING_BYLINE = re.compile(r"^\[[^\[\]]{1,40}(?:기자|특파원)\]$")
_GLUED_SIGNATURE = re.compile(  # "...강조했다. /what@osen.co.kr", "...없다. 김가을 기자 epi17@x.com"
    r"\s*(?:/\s*)?(?:(?:[가-힣A-Za-z]+=)?(?:[가-힣A-Za-z]+\s)?[가-힣]{2,4}\s*기자\s*)?"
    r"\(?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\)?\s*$"
)


_GLUED_PHOTO_NOTE = re.compile(r"(?<=[.!?\"”’])\s*\((?:자료)?사진\s*=[^()]{1,60}\)$")
_TITLE_WORDS = "기자|특파원|논설위원|위원|명예교수|교수|칼럼니스트|평론가|변호사|연구원|대표"
_AUTHOR_LINE = re.compile(  # 강준만 전북대 신문방송학과 명예교수  /  황인성 기자
    rf"^[가-힣]{{2,4}}(?:\s+[가-힣A-Za-z0-9·]+){{0,4}}\s*(?:{_TITLE_WORDS})$"
)
_PARTICLE = re.compile(r"[가-힣](?:는|은|의|를|을|에서|에게|으로)\s")  # a sentence, not an author line
_PROFILE_ITEM = re.compile(r"^[●■◆▶·]\s*\S")
_PRESS_TAG = re.compile(r"^\[([^\[\]\s=|]{2,15})\]$")  # [동아닷컴]


def is_profile_box(paragraph: str) -> bool:
    """An author's profile box: a name line, then only "●" items (신동아 columns)."""
    lines = paragraph.split("\n")
    return len(lines) >= 2 and bool(_NAME.match(lines[0])) and all(_PROFILE_ITEM.match(line) for line in lines[1:])


def tail_kind(line: str) -> str | None:
    """What a trailing line is: "email", "promo", "copyright", "credit", "source", "byline" or None."""
    if len(line) > 150:
        return None
    if _SOURCE.match(line):
        return "source"
    # An e-mail pattern tries every start of a word, and each fails only at the word's end: the
    # "@" test first.  The length limits go before the searches they are and-ed with.
    if "@" in line and _EMAIL_ISH.search(line):
        residue = _EMAIL_ISH.sub("", line)
        if _COPYRIGHT.search(residue):
            return "copyright"
        sentence = re.search(r"[.!?…][\"”’)]?\s+\S", residue)  # text before the address
        if len(residue.strip(" ()/,")) <= 30 and not sentence:
            return "email"
    if len(line) <= 80 and _PROMO.search(line):
        return "promo"
    if len(line) <= 100 and _COPYRIGHT.search(line):
        return "copyright"
    if len(line) <= 80 and _PHOTO_CREDIT.match(line):
        return "credit"
    if _TRAILING_BYLINE.match(line):
        return "byline"
    if _PRESS_TAG.match(line):
        return "press"
    if len(line) <= 40 and _AUTHOR_LINE.match(line) and not _PARTICLE.search(line):
        return "signature"
    return None


def _tail(line: str) -> int:
    """Where an end-anchored pattern starts searching: the last TAIL characters (a lookbehind still
    sees the character before; a match starting earlier would be longer than any signature)."""
    return max(0, len(line) - TAIL)


def strip_tail(paragraphs: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """Remove trailing boilerplate lines → (paragraphs, emails, signature names, press hints).

    At most MAX_TAIL_LINES lines are read: each step splits and joins the last paragraph again, which
    on a paragraph of thousands of boilerplate lines ("ⓒ<br>ⓒ<br>…") would be quadratic."""
    paragraphs = list(paragraphs)
    emails: list[list[str]] = []  # per removed line, bottom-up
    names: list[str] = []
    hints: list[str] = []
    signed = False
    for _ in range(MAX_TAIL_LINES):
        if not paragraphs:
            break
        if signed and is_profile_box(paragraphs[-1]):
            paragraphs.pop()  # the columnist's profile box sits right above the signature
            continue
        lines = paragraphs[-1].split("\n")
        kind = tail_kind(lines[-1])
        if kind is None:
            # each glued pattern ends at the line's end: in ")" or in an e-mail address
            if lines[-1].endswith(")") and (match := _GLUED_PHOTO_NOTE.search(lines[-1], _tail(lines[-1]))):
                lines[-1] = lines[-1][: match.start()].rstrip()
                paragraphs[-1] = "\n".join(lines)
            if "@" in lines[-1] and (match := _GLUED_SIGNATURE.search(lines[-1], _tail(lines[-1]))):
                emails.append(EMAIL.findall(match.group(0)))
                names += reporter_names(match.group(0))
                lines[-1] = lines[-1][: match.start()].rstrip()
                paragraphs[-1] = "\n".join(line for line in lines if line)
                if not paragraphs[-1]:
                    paragraphs.pop()
            break
        if kind == "email":
            emails.append(EMAIL.findall(lines[-1]))
            names += reporter_names(lines[-1])
        elif kind in ("copyright", "source"):
            hints.append(lines[-1])
        elif kind == "byline":
            names += reporter_names(lines[-1].strip("[]"))
        elif kind == "signature":
            names += reporter_names(lines[-1])
            signed = True
        elif kind == "press":
            hints.append(lines[-1].strip("[]"))
        lines.pop()
        if lines:
            paragraphs[-1] = "\n".join(lines)
        else:
            paragraphs.pop()
    in_order = [email for line in reversed(emails) for email in line]
    return paragraphs, in_order, names[::-1], hints


# --- leading byline ---------------------------------------------------------------------------


def _press_tags(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Drop leading press-tag paragraphs (``[동아닷컴]``, sometimes twice) → (rest, first tag)."""
    tags: list[str] = []
    while (
        paragraphs and len(tags) < 3 and (match := _PRESS_TAG.match(paragraphs[0])) and not is_role_word(match.group(1))
    ):
        tags.append(match.group(1))
        paragraphs = paragraphs[1:]
    return paragraphs, tags[0] if tags else None


def lead_byline(paragraphs: list[str]) -> tuple[list[str], str | None, list[str], list[str]]:
    """Move the leading byline out of the first paragraph → (paragraphs, press, reporters, emails)."""
    paragraphs, tag = _press_tags(paragraphs)
    if not paragraphs:
        return paragraphs, tag, [], []
    press, reporters, rest = split_byline(paragraphs[0])
    if not press and not reporters:
        return paragraphs, tag, [], []
    emails: list[str] = []
    residue = EMAIL.sub("", rest) if "@" in rest else rest  # the "@" test first: see tail_kind
    if rest and not residue.strip(" ,()"):  # "진주=정세영 기자 niners@munhwa.com"
        emails, rest = EMAIL.findall(rest), ""
    return ([rest] if rest else []) + paragraphs[1:], press, reporters, emails
