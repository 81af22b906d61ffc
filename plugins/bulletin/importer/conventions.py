"""Vietnamese portal conventions an extractor does not know (pure).

trafilatura finds the body of a page nobody here has seen; on a provincial
portal's page it still keeps, as paragraphs (FINDINGS.md, and
``tests/importer/test_import_fixture_portal.py`` for what it got wrong):

- the photo's file name or alt text the portal prints next to it
  ("Nhung-11", "DSC_0123.JPG") — dropped;
- the short line right after a photo, which is its caption — moved into the
  photo;
- the last short line, which is the byline ("Hồng Nhung!", "Tin, ảnh: Thu
  Hà", "Tin và ảnh: …", "Bài, ảnh: …", "Theo Báo Bắc Kạn") — taken as the
  Author;
- the bold first paragraph, which is the sapo — taken as the Summary;
- the title in capitals — written as a sentence, each word cased as the body
  writes it ("PHÁT ĐỘNG … BẮC KẠN" → "Phát động … Bắc Kạn");
- dates as portals print them: ``dd/mm/yyyy hh:mm[:ss]``, ``yyyy-mm-dd
  hh:mm:ss``, "Thứ Năm, 09/03/2023", "08:30 | 16/03/2023", "ngày 9 tháng 3
  năm 2023" (:func:`find_dates`; read day first, never month first).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from bulletin.importer.blocks import Block, Photo, clean_text

CAPTION_MAX = 250  # a caption fits under a photo; a longer line is body text
BYLINE_MAX = 80
SUMMARY_MAX = 300  # bulletin.content.validation.SUMMARY_MAX: longer stays in the body
HEADER_LINE_MAX = 80  # what a header line (breadcrumb, date, views) adds to the title


@dataclass
class Cleaned:
    """The body after the conventions, and what they found in it."""

    blocks: list[Block]
    authors: list[str] = field(default_factory=list)
    summary: str = ""
    dates: list[FoundDate] = field(default_factory=list)  # from date lines in the body
    notes: list[str] = field(default_factory=list)  # what was done, for the report


# --- dates -------------------------------------------------------------------------
@dataclass(frozen=True)
class FoundDate:
    moment: datetime  # naive: the portal's local time
    has_time: bool
    start: int = 0  # where in the text


_TIME = r"(?P<H>\d{1,2})\s*[:hg]\s*(?P<M>\d{2})(?:\s*:\s*(?P<S>\d{2}))?"
_DMY = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
_DATE_PATTERNS = [
    # 2023-03-09 14:59:04, 2023-03-09T14:59
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]" + _TIME + ")?"),
    # 09/03/2023 14:59[:04], 09/03/2023 - 14:59, Thứ Năm, 09/03/2023 (the weekday is not needed)
    re.compile(_DMY + r"(?:\s*(?:,|-|\||lúc)?\s*" + _TIME + r")?"),
    # 14:59 09/03/2023, 08:30 | 16/03/2023, 14:59 ngày 09/03/2023
    re.compile(_TIME + r"\s*(?:,|-|\||ngày)?\s*" + _DMY),
    # ngày 9 tháng 3 năm 2023
    re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.I),
]


def find_dates(text: str) -> list[FoundDate]:
    """Every date (with its time, when written) in ``text``, in order; where
    two readings overlap ("08:30 | 16/03/2023"), the longer one wins."""
    matches = sorted(
        (match for pattern in _DATE_PATTERNS for match in pattern.finditer(text)),
        key=lambda match: (match.start() - match.end(), match.start()),
    )
    taken: list[tuple[int, int]] = []
    found: list[FoundDate] = []
    for match in matches:
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue
        parts = match.groupdict()
        try:
            moment = datetime(
                int(parts["y"]),
                int(parts["m"]),
                int(parts["d"]),
                int(parts.get("H") or 0),
                int(parts.get("M") or 0),
                int(parts.get("S") or 0),
            )
        except ValueError:
            continue  # 31/02, 25:61: not a date
        taken.append((match.start(), match.end()))
        found.append(FoundDate(moment, parts.get("H") is not None, match.start()))
    return sorted(found, key=lambda date: date.start)


def is_date_line(text: str) -> bool:
    """A line that only dates the item: "2023-03-09 14:59:04", "Cập nhật:
    23/05/2024 09:00:00 Lượt xem: 356"."""
    dates = find_dates(text)
    if not dates:
        return False
    rest = text
    for pattern in _DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = re.sub(
        r"(?i)thứ\s+(hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật|ngày đăng|cập nhật|đăng lúc|"
        r"lượt xem|lượt đọc|\d+|[|:,.()\-/]",
        " ",
        rest,
    )
    return len(rest.split()) <= 2


# --- file names, captions, bylines -------------------------------------------------
_IMAGE_EXTENSION = re.compile(r"\.(jpe?g|png|gif|bmp|webp|tiff?)$", re.I)


def _folded(text: str) -> str:
    return re.sub(r"[\s_\-.]+", "", _IMAGE_EXTENSION.sub("", text.casefold()))


def looks_like_file_name(text: str) -> bool:
    """ "Nhung-11", "IMG_2034", "DSC_0123.JPG": one word, a digit or an
    image's extension in it; a number alone is not one."""
    text = text.strip()
    if not text or len(text) > 60 or " " in text:
        return False
    if _IMAGE_EXTENSION.search(text):
        return True
    return bool(re.fullmatch(r"[\w\-.]*\d[\w\-.]*", text)) and not text.isdigit()


def is_file_name_line(text: str, photo: Photo) -> bool:
    """The portal printed the photo's file name (or an alt text that is a
    file name) as a line. A line repeating a descriptive alt text is a
    caption, not a leak."""
    text = text.strip()
    if not text or len(text) > 60:
        return False
    stem = photo.src.rsplit("/", 1)[-1].split("?")[0]
    names = {_folded(stem)} | {
        _folded(value) for value in (photo.alt, photo.title) if looks_like_file_name(value)
    }
    return _folded(text) in names - {""} or looks_like_file_name(text)


def looks_like_caption(block: Block) -> bool:
    """The short line under a photo: italic, or "Ảnh: …", or without the
    full stop that ends a sentence of the body."""
    if block.kind != "paragraph":
        return False
    text = block.plain
    if not text or len(text) > CAPTION_MAX or parse_byline(text, prefixed_only=True):
        return False
    if "i" in block.emphasis or re.match(r"(?i)ảnh\s*[:\-–]?\s", text):
        return True
    return len(text) <= 200 and not text.rstrip(" ”\"')").endswith((".", ";", ":", "?"))


_BYLINE_PREFIX = re.compile(
    r"^(?:(?P<source>theo|nguồn)\s*:?\s+|(?:tin|bài|ảnh|bài viết|tin bài)"
    r"(?:\s*(?:,|và|-|&)\s*ảnh)?\s*:\s*)",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w]*\.?|(?:[^\W\d_]\.)+[^\W\d_]?)$")


def parse_byline(text: str, prefixed_only: bool = False) -> list[str]:
    """The names a byline line gives, or [] if the line is not one.

    "Hồng Nhung!" → ["Hồng Nhung"]; "Tin, ảnh: Thu Hà - Minh Đức" → both;
    "Theo Báo Bắc Kạn" → ["Báo Bắc Kạn"]; "Xin trân trọng cảm ơn!" → [].
    """
    text = clean_text(text).strip(" .!")
    if not text or len(text) > BYLINE_MAX:
        return []
    prefix = _BYLINE_PREFIX.match(text)
    if prefix:
        rest = text[prefix.end() :].strip(" .!:")
        if not rest:
            return []
        if prefix.group("source"):
            # A source ("Báo Bắc Kạn") is one name, "và" and all; "Theo đó, …"
            # begins a sentence.
            source = _name(rest)
            return [source] if source[:1].isupper() and len(source.split()) <= 8 else []
        names = [_name(part) for part in re.split(r"\s*(?:,|;|&|\s-\s|–|\svà\s)\s*", rest)]
        ok = names and all(_is_name(name, alone=False) for name in names)
        return names if ok else []
    if prefixed_only:
        return []
    names = [_name(part) for part in re.split(r"\s*(?:,|;|\s-\s|–)\s*", text)]
    if names and all(names) and all(_is_name(name) for name in names):
        return names
    return []


def _name(part: str) -> str:
    part = re.sub(r"\s*\([^)]*\)\s*$", "", part)  # "Hồng Nhung (Văn phòng)"
    return " ".join(part.strip(" .!:").split())


def _is_name(name: str, alone: bool = True) -> bool:
    """Capitalised words, as a person's name is written; one word alone only
    as a newsroom's signature ("PV", "CTV", "BBT")."""
    words = name.split()
    if not words:
        return False
    if len(words) == 1 and alone:
        return 2 <= len(name) <= 5 and name.isupper()
    return len(words) <= 5 and all(_NAME_WORD.match(word) and word[0].isupper() for word in words)


# --- the title ----------------------------------------------------------------------
# A Vietnamese syllable, marks folded away: initial consonants, one to three
# vowels, a final consonant. "KCN", "UBND", "HĐND" are not: acronyms.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)


def is_syllable(word: str) -> bool:
    folded = unicodedata.normalize("NFD", word.casefold().replace("đ", "d"))
    return bool(_SYLLABLE.fullmatch("".join(c for c in folded if not unicodedata.combining(c))))


def recase_title(title: str, body: str) -> str:
    """A title in capitals as a sentence: each word as the body writes it
    most often (not counting the first word of a sentence), else lower case."""
    letters = [char for char in title if char.isalpha()]
    if not letters or any(char.islower() for char in letters):
        return title
    seen: dict[str, Counter] = {}
    for sentence in re.split(r"(?<=[.!?:;“\"(])\s+|\n", body):
        for position, word in enumerate(re.findall(r"\w+", sentence)):
            if position:  # a sentence's first word is capitalised anyway
                seen.setdefault(word.casefold(), Counter())[word] += 1
    words = []
    for position, word in enumerate(re.split(r"(\W+)", title)):
        if not word or not word[0].isalnum():
            words.append(word)
            continue
        forms = seen.get(word.casefold())
        written = forms.most_common(1)[0][0] if forms else word.lower()
        if not forms and word.isupper() and not is_syllable(word):
            written = word  # an acronym (KCN, UBND, HĐND): not a Vietnamese syllable
        words.append(written[:1].upper() + written[1:] if position == 0 else written)
    return "".join(words)


# --- everything, in order -----------------------------------------------------------
def apply(blocks: list[Block], title: str, captions: dict[str, str] | None = None) -> Cleaned:
    """The conventions on an extracted body. ``captions`` maps a photo's URL
    to the caption its page gave it in markup (``<figcaption>``, WordPress'
    ``[caption]``)."""
    captions = captions or {}
    cleaned = Cleaned(blocks=[])
    title_key = " ".join(title.casefold().split())
    kept: list[Block] = []
    for block in blocks:
        text = block.plain
        folded = " ".join(text.casefold().split())
        if block.kind in ("heading", "paragraph") and folded == title_key:
            continue  # the title again
        if block.kind == "paragraph" and title_key and title_key in folded:
            # A breadcrumb or header line around the title ("… Video: Hoạt động
            # tháng 8 05/08/2024 16:00"): short, and not a sentence.
            short = len(folded) - len(title_key) <= HEADER_LINE_MAX
            if short and not re.search(r"[.!?…]$", text.rstrip(" ”\"')")):
                continue
        if block.kind == "paragraph" and is_date_line(text):
            cleaned.dates.extend(find_dates(text))
            continue
        kept.append(block)
    kept = _photos(kept, captions, cleaned.notes)
    kept = _byline(kept, cleaned)
    kept = _sapo(kept, cleaned)
    cleaned.blocks = kept
    return cleaned


def _photos(blocks: list[Block], captions: dict[str, str], notes: list[str]) -> list[Block]:
    out: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if block.kind != "photo" or block.photo is None:
            out.append(block)
            continue
        photo = block.photo
        # A leaked file name just before the photo ("Nhung-11" above it).
        if out and out[-1].kind == "paragraph" and is_file_name_line(out[-1].plain, photo):
            notes.append(f'bỏ dòng tên tệp ảnh "{out.pop().plain}"')
        out.append(block)
        while index < len(blocks) and blocks[index].kind == "paragraph":
            following = blocks[index]
            if is_file_name_line(following.plain, photo):
                notes.append(f'bỏ dòng tên tệp ảnh "{following.plain}"')
                index += 1
                continue
            break
        marked = clean_text(captions.get(photo.src, ""))
        if marked:
            photo.caption = marked
            if index < len(blocks) and blocks[index].plain == marked:
                index += 1  # the caption as a paragraph too
        elif index < len(blocks) and looks_like_caption(blocks[index]):
            photo.caption = blocks[index].plain
            notes.append(f'chú thích ảnh: "{photo.caption}"')
            index += 1
    return out


def _byline(blocks: list[Block], cleaned: Cleaned) -> list[Block]:
    for position in range(len(blocks) - 1, -1, -1):
        block = blocks[position]
        if block.kind == "photo":
            return blocks  # a photo ends the article: no byline line after it
        if block.kind != "paragraph":
            continue
        names = parse_byline(block.plain)
        if names:
            cleaned.authors = names
            cleaned.notes.append(f'tác giả từ dòng cuối: "{block.plain}"')
            return blocks[:position] + blocks[position + 1 :]
        return blocks
    return blocks


def _sapo(blocks: list[Block], cleaned: Cleaned) -> list[Block]:
    first = next((b for b in blocks if b.kind != "photo"), None)
    if first is None or first.kind != "paragraph" or "b" not in first.emphasis:
        return blocks
    text = first.plain
    if len(text) > SUMMARY_MAX or len(blocks) < 2:
        return blocks
    cleaned.summary = text
    cleaned.notes.append("tóm tắt (sapo) từ đoạn in đậm đầu bài")
    return [block for block in blocks if block is not first]


def photo_alt(photo: Photo, title: str) -> tuple[str, bool]:
    """(alt text, whether it was made up): the page's alt when it describes
    the photo, else its caption, else the article's title."""
    alt = clean_text(photo.alt)
    if alt and not looks_like_file_name(alt) and alt.casefold() != title.casefold():
        return alt, False
    if photo.caption:
        return photo.caption, True
    return f"Ảnh minh họa: {title}", True
