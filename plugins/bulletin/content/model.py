"""The content model editors write, as pure rules: no Pelican, no I/O.

Metadata keys, the :class:`Problem` record every check returns, the header
reader and slugs. Every rule returns :class:`Problem` records instead of
raising, so that a check reports every mistake in one run, each naming the
file, line and field, what is wrong and how to fix it, in Vietnamese. Dates
are in :mod:`bulletin.content.dates`, the movements registry in
:mod:`bulletin.content.registry`, sample text in
:mod:`bulletin.content.placeholders`, invisible characters in
:mod:`bulletin.content.characters`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from bulletin.content.vietnamese import bound_slug, bounded_slug, nfc, slugify

ERROR = "error"
WARNING = "warning"

# Metadata keys an article may carry, in the order `invoke new` writes them.
ARTICLE_KEYS = (
    "title",
    "date",
    "author",
    "movement",
    "tags",
    "summary",
    "slug",
    "status",
    "cover",
    "modified",
    "redirect_from",
    "documents",  # official documents cited, by number (bulletin.documents)
    # Added last: the web editor keeps the order of the keys before them.
    "correction",  # đính chính: Markdown, one paragraph (bulletin.site.corrections)
    "photo_credit",  # the default "Ảnh: <name>" of every photo of the article
    "featured",  # tin tiêu điểm: yes/no (bulletin.site.featured)
    "featured_until",  # the moment an article stops being featured
    "video_poster",  # the poster of the article's video facades (bulletin.content.video)
)
REQUIRED_ARTICLE_KEYS = ("title", "date", "author", "movement")
PAGE_KEYS = ("title", "slug", "summary", "status", "template")
# Vietnamese label of each field, used in messages next to the key itself.
FIELD_LABELS = {
    "title": "tiêu đề",
    "date": "ngày đăng",
    "author": "tác giả",
    "movement": "phong trào",
    "tags": "chủ đề",
    "summary": "tóm tắt",
    "slug": "đường dẫn",
    "status": "trạng thái",
    "documents": "văn bản liên quan",
    "modified": "ngày cập nhật",
    "correction": "đính chính",
    "photo_credit": "tác giả ảnh",
    "featured": "tin tiêu điểm",
    "featured_until": "tiêu điểm đến ngày",
    "video_poster": "ảnh nền video",
}
# Editors sometimes write the field names in Vietnamese.
VIETNAMESE_KEYS = {
    "tieu-de": "title",
    "ngay": "date",
    "ngay-dang": "date",
    "tac-gia": "author",
    "phong-trao": "movement",
    "chu-de": "tags",
    "the": "tags",
    "tom-tat": "summary",
    "duong-dan": "slug",
    "trang-thai": "status",
    "anh-dai-dien": "cover",
    "van-ban": "documents",
    "ngay-cap-nhat": "modified",
    "cap-nhat": "modified",
    "dinh-chinh": "correction",
    "anh": "photo_credit",
    "tac-gia-anh": "photo_credit",
    "tieu-diem": "featured",
    "tin-tieu-diem": "featured",
    "tieu-diem-den": "featured_until",
    "anh-video": "video_poster",
    "anh-nen-video": "video_poster",
}
STATUSES = ("published", "draft")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, reported as ``path:line: message — hint``."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "lỗi" if self.severity == ERROR else "cảnh báo"
        text = f"{where}: {label}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


def field_name(key: str) -> str:
    """'Trường "Movement" (phong trào)' — the key as written, and its meaning."""
    label = FIELD_LABELS.get(key)
    name = key.capitalize()
    return f'Trường "{name}" ({label})' if label else f'Trường "{name}"'


def suggest(word: str, choices, n: int = 3) -> list[str]:
    """Nearest spellings, compared without diacritics or case."""
    keyed = {}
    for choice in choices:
        keyed.setdefault(slugify(choice) or choice.lower(), choice)
    folded = slugify(word) or word.lower()
    close = difflib.get_close_matches(folded, list(keyed), n=n, cutoff=0.5)
    return [keyed[c] for c in close]


# --- addresses ---------------------------------------------------------------
def article_slug(slug_line: str, title: str) -> str:
    """An article's slug from its header as written: the ``Slug:`` line, else
    the bounded slug of the title (:func:`bulletin.content.vietnamese.bounded_slug`).

    The one rule for the reader (the URL it publishes) and for
    :mod:`bulletin.content.addresses` (the URL an older version of the file had). A
    ``Slug:`` line that is not a valid slug, or too long, is reported by the
    reader and replaced by its bounded slug, as here.
    """
    slug_line = " ".join(nfc(slug_line).split())
    if not slug_line:
        return bounded_slug(" ".join(nfc(title).split()))
    if not SLUG_RE.match(slug_line):
        return bounded_slug(slug_line) or "bai-viet"
    return bound_slug(slug_line)


# --- metadata header -------------------------------------------------------
# Keys as Python-Markdown's meta extension reads them, plus words with
# Vietnamese letters and spaces ("Tác giả:") so they are reported, not lost.
HEADER_LINE = re.compile(r"^([^\W\d_][\w-]*(?: [\w-]+){0,2})\s*:(.*)$")


@dataclass
class Header:
    """The ``Key: value`` lines at the top of a Markdown file."""

    meta: dict[str, list[str]] = field(default_factory=dict)  # as Python-Markdown's Meta
    lines: dict[str, int] = field(default_factory=dict)  # key → line of its first use
    size: int = 0  # lines the header takes, its closing blank line excluded


def read_header(text: str) -> Header:
    """Read the metadata header the way an editor means it.

    Like Python-Markdown's ``meta`` extension — the run of ``Key: value``
    lines (with indented continuation lines) before the first blank line, an
    optional ``---`` fence around it — except that a key written with
    Vietnamese letters or spaces ("Tác giả:") is read as a key too, so it is
    reported as unknown instead of ending the header there and hiding every
    key after it (they would be reported missing: a false second error).
    """
    header = Header()
    lines = text.split("\n")
    fenced = bool(lines) and re.match(r"^-{3}(\s.*)?$", lines[0]) is not None
    key, header.size = None, int(fenced)
    for number, line in enumerate(lines[header.size :], start=header.size + 1):
        if fenced and re.match(r"^(-{3}|\.{3})(\s.*)?$", line):
            header.size = number  # the closing fence belongs to the header
            break
        match = HEADER_LINE.match(line) if line.strip() else None
        if match:
            key = match.group(1).lower().strip()
            header.meta.setdefault(key, []).append(match.group(2).strip())
            header.lines.setdefault(key, number)
        elif key and line.strip() and line.startswith((" ", "\t")):
            header.meta[key].append(line.strip())
        else:
            break  # a blank line, or the body begins
        header.size = number
    return header


def header_lines(text: str) -> dict[str, int]:
    """Line number of each metadata key in a Markdown file's header."""
    return read_header(text).lines


def check_keys(path: str, lines: dict[str, int], known=ARTICLE_KEYS) -> list[Problem]:
    """Unknown keys are almost always typos ("Movment", "Tác giả")."""
    problems = []
    for key, line in lines.items():
        if key in known:
            continue
        alias = VIETNAMESE_KEYS.get(slugify(key))
        near = [alias] if alias in known else suggest(key, known, n=1)
        hint = (
            f'có phải ý bạn là "{near[0].capitalize()}"?'
            if near
            else "các trường hợp lệ: " + ", ".join(k.capitalize() for k in known)
        )
        hint += "; nếu dòng này là nội dung bài, thêm một dòng trống phía trên nó"
        problems.append(Problem(path, line, f'Trường "{key}" không được hỗ trợ', hint))
    return problems
