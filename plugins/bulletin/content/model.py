"""The content model editors write, as pure rules: no Pelican, no I/O.

Metadata keys, date parsing, the movements registry and the ``Movement`` field.
Every rule returns :class:`Problem` records instead of raising, so that a
check reports every mistake in one run, each naming the file, line and field,
what is wrong and how to fix it, in Vietnamese.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime

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


# --- dates -----------------------------------------------------------------
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{2,4})"
    r"(?:,?\s+(?P<H>\d{1,2})[:hg](?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
DATE_FORMATS_HINT = (
    'viết theo dạng "2023-03-09 14:59" hoặc "09/03/2023 14:59" (ngày/tháng/năm giờ:phút)'
)


class DateError(ValueError):
    """A date that cannot be read without guessing."""


def parse_date(value: str) -> datetime:
    """Read an editor's date as Vietnam local time (a naive datetime).

    ISO ``2023-03-09 14:59[:04]`` and day-first ``09/03/2023 14:59``; never
    month-first (dateutil would read 09/03/2023 as 3 September).
    """
    text = nfc(value).strip()
    if not text:
        raise DateError("ngày đăng đang để trống")
    match = _ISO.match(text) or _DAY_FIRST.match(text)
    if not match:
        raise DateError(f'không đọc được ngày "{text}"')
    parts = match.groupdict()
    if len(parts["y"]) != 4:
        raise DateError(f'năm "{parts["y"]}" phải có đủ 4 chữ số (ví dụ 2023)')
    try:
        return datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts["H"] or 0),
            int(parts["M"] or 0),
            int(parts["S"] or 0),
        )
    except ValueError as error:
        raise DateError(f'ngày "{text}" không tồn tại ({error})') from None


# --- movements registry ----------------------------------------------------
MOVEMENT_KEYS = ("name", "start", "end", "launched_by", "description")


@dataclass(frozen=True)
class MovementEntry:
    """One table of ``content/movements.toml``."""

    slug: str
    name: str
    start: int
    end: int | None = None
    launched_by: str = ""
    description: str = ""


@dataclass
class Registry:
    """The movements registry: entries by slug, and how to find them by name."""

    entries: dict[str, MovementEntry] = field(default_factory=dict)

    def lookup(self, word: str) -> MovementEntry | None:
        """A movement by its slug or its exact name (case and spaces aside)."""
        word = " ".join(nfc(word).split())
        if word in self.entries:
            return self.entries[word]
        folded = word.casefold()
        for entry in self.entries.values():
            if " ".join(entry.name.split()).casefold() == folded:
                return entry
        return None

    def split(self, value: str) -> tuple[list[MovementEntry], list[str]]:
        """Split a ``Movement:`` value into known movements and unknown words.

        Names may contain commas ("Cán bộ, công chức, viên chức thi đua …"),
        so the longest run of comma-separated parts that is a known name or
        slug wins before the value is split further.
        """
        parts = [part.strip() for part in nfc(value).split(",")]
        found, unknown = [], []
        start = 0
        while start < len(parts):
            for stop in range(len(parts), start, -1):
                entry = self.lookup(", ".join(parts[start:stop]))
                if entry:
                    if entry not in found:
                        found.append(entry)
                    start = stop
                    break
            else:
                if parts[start]:
                    unknown.append(parts[start])
                start += 1
        return found, unknown

    def suggestions(self, word: str) -> list[str]:
        names = {entry.name: entry.slug for entry in self.entries.values()}
        near = suggest(word, list(names) + list(self.entries))
        out = []
        for item in near:
            slug = names.get(item, item)
            label = f'"{slug}" ({self.entries[slug].name})'
            if label not in out:
                out.append(label)
        return out


def _toml_error_line(error: tomllib.TOMLDecodeError) -> int:
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else 0


def load_registry(text: str, path: str) -> tuple[Registry, list[Problem]]:
    """Parse and check the movements registry; report every problem."""
    registry, problems = Registry(), []
    try:
        data = tomllib.loads(nfc(text))
    except tomllib.TOMLDecodeError as error:
        problems.append(
            Problem(
                path,
                _toml_error_line(error),
                f"Tệp danh mục phong trào không đúng cú pháp TOML ({error})",
                'mỗi phong trào bắt đầu bằng "[slug]", mỗi dòng "khóa = giá trị", '
                'chuỗi đặt trong dấu ngoặc kép "…"',
            )
        )
        return registry, problems

    lines = table_lines(text)
    for slug, table in data.items():
        line = lines.get(slug, 0)
        reported = len(problems)
        where = f'Phong trào "[{slug}]"'
        if not isinstance(table, dict):
            problems.append(
                Problem(
                    path,
                    line,
                    f'"{slug}" phải là một bảng [{slug}], không phải một giá trị',
                    f'viết "[{slug}]" rồi các dòng name = "…", start = 2023',
                )
            )
            continue
        if not SLUG_RE.match(slug):
            problems.append(
                Problem(
                    path,
                    line,
                    f'{where}: tên bảng phải là slug chữ thường không dấu, nối bằng "-"',
                    f'đổi thành "[{slugify(slug)}]"',
                )
            )
        for key in table:
            if key not in MOVEMENT_KEYS:
                near = suggest(key, MOVEMENT_KEYS, n=1)
                problems.append(
                    Problem(
                        path,
                        line,
                        f'{where}: khóa "{key}" không được hỗ trợ',
                        f'có phải ý bạn là "{near[0]}"?'
                        if near
                        else "các khóa hợp lệ: " + ", ".join(MOVEMENT_KEYS),
                    )
                )
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(
                Problem(
                    path,
                    line,
                    f'{where}: thiếu khóa "name" (tên phong trào)',
                    'thêm dòng name = "Tên đầy đủ của phong trào"',
                )
            )
        start, end = table.get("start"), table.get("end")
        if not _is_year(start):
            problems.append(
                Problem(
                    path,
                    line,
                    f'{where}: khóa "start" (năm bắt đầu) '
                    + ("bị thiếu" if start is None else f"không hợp lệ: {start!r}"),
                    "viết năm là số, không có ngoặc kép, ví dụ start = 2022",
                )
            )
        if end is not None and not _is_year(end):
            problems.append(
                Problem(
                    path,
                    line,
                    f'{where}: khóa "end" (năm kết thúc) không hợp lệ: {end!r}',
                    "viết năm là số, ví dụ end = 2025, hoặc bỏ dòng này",
                )
            )
        elif _is_year(start) and end is not None and end < start:
            problems.append(
                Problem(
                    path,
                    line,
                    f"{where}: năm kết thúc {end} trước năm bắt đầu {start}",
                    "kiểm tra lại start và end",
                )
            )
        for key in ("launched_by", "description"):
            if key in table and not isinstance(table[key], str):
                problems.append(
                    Problem(
                        path,
                        line,
                        f'{where}: khóa "{key}" phải là chuỗi văn bản',
                        f'đặt giá trị trong ngoặc kép: {key} = "…"',
                    )
                )
        if len(problems) > reported:
            continue
        registry.entries[slug] = MovementEntry(
            slug=slug,
            name=" ".join(name.split()),
            start=start,
            end=end,
            launched_by=table.get("launched_by", "").strip(),
            description=table.get("description", "").strip(),
        )
    return registry, problems


def _is_year(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100


def table_lines(text: str) -> dict[str, int]:
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r'^\s*\[\s*"?([^\]"]+)"?\s*\]', line)
        if match:
            lines.setdefault(match.group(1).strip(), number)
    return lines


# --- placeholders: what `invoke new` writes for the editor to replace --------
# bulletin.editor.scaffold writes these; check_placeholders finds them (an error once
# "Status: draft" is gone), so template text is never published. The web
# editor imports the same list. "{slug}" is filled in by the scaffold.
PLACEHOLDER_OPENING = "Viết đoạn mở đầu ở đây."
PLACEHOLDER_PARAGRAPHS = "Các đoạn văn cách nhau một dòng trống."
PLACEHOLDER_CONTINUE = "Viết tiếp nội dung ở đây."
PLACEHOLDER_PHOTO_HELP = (
    "Chép ảnh vào thư mục anh/{slug}/ cạnh bài viết và sửa tên tệp ở dòng ảnh phía trên."
)
PLACEHOLDER_PUBLISH_HELP = 'Khi bài đã sẵn sàng để đăng, xóa dòng "Status: draft".'
PLACEHOLDER_PHOTO_FILE = "ten-anh.jpg"
PLACEHOLDER_PHOTO_ALT = "Mô tả nội dung ảnh cho người khiếm thị"
PLACEHOLDER_PHOTO_CAPTION = "Chú thích hiển thị dưới ảnh"


@dataclass(frozen=True)
class Placeholder:
    """One piece of sample text; ``label`` names it in messages."""

    text: str
    label: str
    photo: bool = False  # part of the sample photo line

    @property
    def marker(self) -> str:
        """What the check looks for: the text before any ``{slug}``, without
        its final full stop (an editor may end it with "…" instead)."""
        return _fold(self.text.split("{", 1)[0]).rstrip(".…")


PLACEHOLDERS = (
    Placeholder(PLACEHOLDER_PHOTO_FILE, f'ảnh mẫu "{PLACEHOLDER_PHOTO_FILE}"', photo=True),
    Placeholder(PLACEHOLDER_PHOTO_ALT, f'mô tả ảnh mẫu "{PLACEHOLDER_PHOTO_ALT}"', photo=True),
    Placeholder(
        PLACEHOLDER_PHOTO_CAPTION, f'chú thích ảnh mẫu "{PLACEHOLDER_PHOTO_CAPTION}"', photo=True
    ),
    Placeholder(PLACEHOLDER_OPENING, f'câu mẫu "{PLACEHOLDER_OPENING}"'),
    Placeholder(PLACEHOLDER_PARAGRAPHS, f'câu mẫu "{PLACEHOLDER_PARAGRAPHS}"'),
    Placeholder(PLACEHOLDER_CONTINUE, f'câu mẫu "{PLACEHOLDER_CONTINUE}"'),
    Placeholder(PLACEHOLDER_PHOTO_HELP, 'câu hướng dẫn "Chép ảnh vào thư mục anh/…"'),
    Placeholder(PLACEHOLDER_PUBLISH_HELP, f'câu hướng dẫn "{PLACEHOLDER_PUBLISH_HELP}"'),
)


def _fold(text: str) -> str:
    return " ".join(nfc(text).split()).casefold()


def find_placeholders(text: str) -> list[tuple[int, list[Placeholder]]]:
    """(line number, placeholders on it) for every line of ``text`` that
    still holds sample text of :data:`PLACEHOLDERS` (case and spacing aside)."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        folded = _fold(line)
        on_line = [p for p in PLACEHOLDERS if p.marker in folded] if folded else []
        if on_line:
            found.append((number, on_line))
    return found


def check_placeholders(path: str, text: str) -> list[Problem]:
    """Sample text left in an article, one error per line (a warning in a
    draft: :func:`bulletin.content.validation.soften`)."""
    problems = []
    for line, placeholders in find_placeholders(text):
        labels = ", ".join(p.label for p in placeholders)
        hint = (
            "chép ảnh thật vào thư mục anh/ của bài, rồi sửa tên tệp, mô tả và chú thích ở dòng "
            "này — hoặc xóa cả dòng ảnh"
            if any(p.photo for p in placeholders)
            else "viết nội dung thật thay cho câu mẫu, hoặc xóa câu đó"
        )
        problems.append(
            Problem(path, line, f'Còn văn bản mẫu của lệnh "invoke new": {labels}', hint)
        )
    return problems


# --- invisible and control characters --------------------------------------
# Word and web pages leave characters no one can see. Control characters make
# feeds invalid XML (the build died on them with no file or line); zero-width
# and bidi-override characters make two "different" names of one person, or
# reorder a title on screen while search and slugs read it in another order.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Word writes a manual line break (Shift+Enter) as a vertical tab.
LINE_BREAKING_CONTROLS = {"\x0b", "\x0c"}
INVISIBLE_CHARACTERS = re.compile(
    r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def character_name(char: str) -> str:
    """'U+200B (ZERO WIDTH SPACE)': what to look for in an editor's search box."""
    import unicodedata  # noqa: PLC0415 - only for messages

    return f"U+{ord(char):04X} ({unicodedata.name(char, 'CONTROL')})"


def clean_controls(text: str) -> tuple[str, dict[int, set[str]]]:
    """Control characters out of a whole file: (text, {line: characters}).

    In the body, a vertical tab or form feed becomes a Markdown line break
    (two spaces, newline); in the metadata header (before the first blank
    line) a space, so a value never spills onto a line of its own. Every
    other control character is removed; tab and newline are kept.
    """
    found: dict[int, set[str]] = {}
    if not CONTROL_CHARACTERS.search(text):
        return text, found
    lines, in_header = [], True
    for number, line in enumerate(text.split("\n"), start=1):
        in_header = in_header and bool(line.strip())
        for char in CONTROL_CHARACTERS.findall(line):
            found.setdefault(number, set()).add(char)
        breaking = " " if in_header else "  \n"
        lines.append(
            CONTROL_CHARACTERS.sub(
                lambda m, b=breaking: b if m.group() in LINE_BREAKING_CONTROLS else "", line
            )
        )
    return "\n".join(lines), found


def strip_invisible(value: str, pattern=INVISIBLE_CHARACTERS) -> tuple[str, set[str]]:
    """``value`` without zero-width and bidi-override characters, and which."""
    found = set(pattern.findall(value))
    return (pattern.sub("", value) if found else value), found
