"""Markdown reader that accepts what editors really save, and says what is wrong.

Connects ``readers_init`` to replace the ``md`` reader with
:class:`BulletinMarkdownReader`, which:

- decodes UTF-8 with or without BOM and CRLF line endings, and turns any other
  encoding into a problem naming it instead of a traceback;
- normalises all text to NFC before Markdown, slugs or search see it;
- reads dates day-first or ISO (never month-first) as Vietnam local time;
- splits ``Author`` into several bylines;
- escapes ``Title`` and ``Summary``: metadata is text, never markup (Pelican
  treats titles as HTML and typogrifies them, so they must be escaped first);
- reads ``Modified`` as ``Date`` is read, renders ``Correction`` (Markdown)
  through the one sanitiser, and gives ``Photo_credit`` to the figures
  extension (the default credit of the article's photos);
- records problems and the line of every metadata key in the article's
  ``bulletin_source`` for the validation and movements modules.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from datetime import datetime

from markdown import Markdown
from markupsafe import Markup
from pelican import signals
from pelican.readers import MarkdownReader, ensure_metadata_list
from pelican.urlwrappers import Author

from bulletin.content.characters import (
    BIDI_CONTROLS,
    INVISIBLE_CHARACTERS,
    character_name,
    clean_controls,
    strip_invisible,
)
from bulletin.content.dates import DATE_FORMATS_HINT, DateError, parse_date
from bulletin.content.figures import group_galleries
from bulletin.content.model import (
    ERROR,
    SLUG_RE,
    WARNING,
    Problem,
    article_slug,
    field_name,
    read_header,
)
from bulletin.content.sanitize import policy_for, removed, sanitize
from bulletin.content.vietnamese import SLUG_MAX, bound_slug, bounded_slug, build_now, localize, nfc

# A date no article can have: keeps Pelican sorting while the build is
# stopped by the problem recorded next to it.
PLACEHOLDER_DATE = datetime(1970, 1, 1)


@dataclass
class SourceInfo:
    """Where an article came from, for messages that name file and line."""

    path: str  # as the editor sees it, e.g. content/articles/2023/x.md
    abspath: str = ""
    lines: dict[str, int] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)  # metadata as written
    problems: list[Problem] = field(default_factory=list)
    images: list = field(default_factory=list)  # bulletin.content.figures.ImageRef
    readable: bool = True  # False when the file could not be decoded
    text: str = field(default="", repr=False)  # the decoded source, for line lookups
    # Problems of checks that read nothing but this file's text (by kind,
    # e.g. "article"): kept in the reader cache with it, so an unchanged file
    # is not checked again on the next build (bulletin.content.validation).
    checks: dict[str, list[Problem]] = field(default_factory=dict, repr=False)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    def find_line(self, needle: str) -> int:
        """First body line mentioning ``needle`` (case aside), else 1."""
        needle = needle.lower()
        for number, line in enumerate(self.text.splitlines(), start=1):
            if needle in line.lower():
                return number
        return 1

    def add(self, key: str | None, message: str, hint: str = "", severity=ERROR):
        line = self.line(key) if key else 1
        self.problems.append(Problem(self.path, line, message, hint, severity))


def display_path(path: str, settings) -> str:
    """Path relative to the folder that holds ``content/``: what editors see."""
    root = os.path.dirname(os.path.abspath(settings["PATH"]))
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def decode(raw: bytes) -> tuple[str | None, str, str]:
    """Decode an editor's file: (text or None, problem, hint)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return (
            None,
            "Tệp được lưu bằng mã hóa UTF-16, không phải UTF-8",
            'mở tệp, chọn "Lưu thành" (Save As) và chọn mã hóa UTF-8',
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return (
            None,
            f"Tệp không phải UTF-8: byte 0x{raw[error.start]:02X} ở dòng {line} "
            "không đọc được (có thể tệp được lưu bằng Windows-1258 hoặc TCVN3)",
            'mở tệp, chọn "Lưu thành" (Save As) và chọn mã hóa UTF-8',
        )
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n")), "", ""


class BulletinMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, made forgiving of input and strict on meaning."""

    def read(self, source_path):
        self._source_path = source_path
        self._source = SourceInfo(
            display_path(source_path, self.settings), os.path.abspath(source_path)
        )
        with open(source_path, "rb") as handle:
            text, problem, hint = decode(handle.read())
        if text is None:
            self._source.readable = False
            self._source.add(None, problem, hint)
            stem = os.path.splitext(os.path.basename(source_path))[0]
            return "", {
                "title": html.escape(stem),
                "status": "draft",
                "date": PLACEHOLDER_DATE,
                "bulletin_source": self._source,
            }
        text = self._clean_text(text)
        header = read_header(text)
        self._source.lines = header.lines
        self._source.text = text

        self._md = Markdown(**self.settings["MARKDOWN"])
        self._md.bulletin_photo_credit = nfc(" ".join(header.meta.get("photo_credit", [])))
        # The header is read by read_header (an unknown key never ends it);
        # Markdown gets the body, its lines in place for line numbers.
        lines = text.split("\n")
        markup = self._md.convert("\n" * header.size + "\n".join(lines[header.size :]))
        # The one sanitiser; what it removes is reported (errors stop the build).
        policy = policy_for(tuple(self.settings.get("SAFE_IFRAME_HOSTS", ())))
        content = sanitize(markup, policy)
        for removal in removed(markup, content, policy):
            self._source.problems.append(
                Problem(
                    self._source.path,
                    next(
                        (n for n in map(self._source.find_line, removal.snippets) if n > 1),
                        1,
                    ),
                    removal.message,
                    removal.hint,
                    removal.severity,
                )
            )
        # After sanitising, so no editor's HTML can make or fake a gallery.
        content = group_galleries(content)
        meta = header.meta
        self._source.raw = {key: "\n".join(values).strip() for key, values in meta.items()}
        metadata = self._parse_metadata(meta)
        # Keep Pelican going with placeholders; the missing field is reported
        # by the validation module and the build stops there.
        stem = os.path.splitext(os.path.basename(source_path))[0]
        if not metadata.get("title"):
            metadata["title"] = html.escape(stem)
        metadata.setdefault("date", PLACEHOLDER_DATE)
        if metadata.get("modified") is None:
            metadata.pop("modified", None)  # empty or unreadable: reported
        if self._source.raw.get("correction"):
            metadata["correction"] = self._fragment("correction", policy)
        # The Slug line, else the bounded slug of the title (Pelican's own
        # would be as long as the title); bulletin.content.addresses computes the
        # URL of an older version of the file with the same rule.
        slug = article_slug(self._source.raw.get("slug", ""), self._source.raw.get("title", ""))
        if slug:
            metadata["slug"] = slug
        # The figures extension lists every image it saw, for the photo checks.
        self._source.images = list(getattr(self._md, "bulletin_images", []))
        # Several bylines: "Thu Hà, Minh Đức". Pelican's "author" is one name.
        metadata.pop("author", None)
        names = ensure_metadata_list(nfc(self._source.raw.get("author", "")))
        if names:
            metadata["authors"] = [Author(name, self.settings) for name in names]
        if self.settings.get("BULLETIN_TYPOGRIFY"):
            # Done here, not by Pelican after reading, so the reader cache
            # keeps the result (typogrify costs ~1 s per 1,000 articles).
            content = typogrify_html(content, self.settings)
            for key in ("title", "summary"):
                if isinstance(metadata.get(key), str):
                    metadata[key] = typogrify_html(metadata[key], self.settings)
        metadata["bulletin_source"] = self._source
        return content, metadata

    def _fragment(self, key: str, policy) -> str:
        """A metadata value written in Markdown, as sanitised HTML; what the
        sanitiser removes is reported at the key's line."""
        markup = Markdown().convert(self._source.raw[key])
        fragment = sanitize(markup, policy)
        for removal in removed(markup, fragment, policy):
            self._source.add(key, removal.message, removal.hint, removal.severity)
        return fragment

    def _clean_text(self, text: str) -> str:
        """Control characters out of the file, invisible ones out of the
        metadata and bidi overrides out of the body — each with a warning."""
        text, controls = clean_controls(text)
        for line, chars in sorted(controls.items()):
            names = ", ".join(character_name(c) for c in sorted(chars))
            self._source.problems.append(
                Problem(
                    self._source.path,
                    line,
                    f"Dòng có ký tự điều khiển vô hình {names} (thường do dán từ Word): đã bỏ",
                    "không cần làm gì; muốn hết cảnh báo, gõ lại dòng này hoặc dán dưới dạng "
                    "văn bản thuần (Ctrl+Shift+V)",
                    WARNING,
                )
            )
        lines, in_header = text.split("\n"), True
        for number, line in enumerate(lines, start=1):
            in_header = in_header and bool(line.strip())
            pattern = INVISIBLE_CHARACTERS if in_header else BIDI_CONTROLS
            cleaned, found = strip_invisible(line, pattern)
            if not found:
                continue
            lines[number - 1] = cleaned
            names = ", ".join(character_name(c) for c in sorted(found))
            where = "trong phần thông tin bài" if in_header else "đổi chiều chữ"
            self._source.problems.append(
                Problem(
                    self._source.path,
                    number,
                    f"Dòng có ký tự vô hình {names} ({where}): đã bỏ, để tên và tiêu đề "
                    "không bị tách làm hai hoặc hiển thị đảo ngược",
                    "không cần làm gì; muốn hết cảnh báo, gõ lại dòng này",
                    WARNING,
                )
            )
        return "\n".join(lines)

    def process_metadata(self, name, value):
        if isinstance(value, str):
            value = nfc(value).strip()
        source = getattr(self, "_source", None)
        if name in ("title", "summary") and isinstance(value, str):
            # Text, not markup; Pelican typogrifies these afterwards.
            value = html.escape(value, quote=False)
        elif name in ("date", "modified") and isinstance(value, str):
            # No date for Modified is no Modified (dropped in read()).
            missing = PLACEHOLDER_DATE if name == "date" else None
            if not value:
                return missing  # reported as an empty field
            try:
                return parse_date(value)
            except DateError as error:
                if source:
                    source.add(name, f"{field_name(name)}: {error}", DATE_FORMATS_HINT)
                return missing
        elif name == "slug" and isinstance(value, str) and value:
            if not SLUG_RE.match(value) and source:
                source.add(
                    "slug",
                    f'{field_name("slug")}: "{value}" chỉ được gồm chữ thường không dấu, '
                    'chữ số và dấu "-"',
                    f'dùng "{bounded_slug(value) or "bai-viet"}" hoặc bỏ dòng Slug',
                )
            elif len(value) > SLUG_MAX and source:
                source.add(
                    "slug",
                    f"{field_name('slug')} dài {len(value)} ký tự (tối đa {SLUG_MAX})",
                    f'dùng "{bound_slug(value)}" (cắt ở ranh giới giữa hai từ)',
                )
        return super().process_metadata(name, value)


def typogrify_html(text: str, settings) -> str:
    """Typogrify as Pelican would (its TYPOGRIFY_* settings), minus its timing."""
    import smartypants  # noqa: PLC0415 - only when typogrify is on
    from typogrify.filters import typogrify  # noqa: PLC0415

    dashes = settings.get("TYPOGRIFY_DASHES", "default")
    smartypants.Attr.default = {
        "oldschool": smartypants.Attr.set2,
        "oldschool_inverted": smartypants.Attr.set3,
    }.get(dashes, smartypants.Attr.set1) | smartypants.Attr.w
    omit = dict.fromkeys(settings.get("TYPOGRIFY_OMIT_FILTERS", []), False)
    return typogrify(text, settings.get("TYPOGRIFY_IGNORE_TAGS", []), **omit)


def schedule(generator, metadata) -> None:
    """Dated in the future: a draft until a build after that moment.

    Decided on every build (not cached with the file): "now" is the clock,
    or ``SOURCE_DATE_EPOCH`` to rebuild a past moment exactly.
    """
    date = metadata.get("date")
    if isinstance(date, datetime) and localize(date) > build_now(generator.settings):
        metadata["status"] = "draft"
        metadata["scheduled"] = True


def use_bulletin_reader(readers) -> None:
    for extension in BulletinMarkdownReader.file_extensions:
        readers.reader_classes[extension] = BulletinMarkdownReader


def mark_text_safe(_generator, metadata) -> None:
    """Title and summary were escaped on reading, then typogrified, and a
    correction sanitised: safe HTML.

    Marking them ``Markup`` lets autoescaping templates print them as HTML,
    while ``|plain`` gives back plain text for ``<title>`` and attributes.
    """
    for key in ("title", "summary", "correction"):
        if isinstance(metadata.get(key), str):
            metadata[key] = Markup(metadata[key])


def register() -> None:
    signals.readers_init.connect(use_bulletin_reader)
    signals.article_generator_context.connect(schedule)
    signals.article_generator_context.connect(mark_text_safe)
    signals.page_generator_context.connect(mark_text_safe)
