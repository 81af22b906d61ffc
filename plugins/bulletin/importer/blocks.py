"""An old page's body as blocks, and blocks as the project's Markdown (pure).

trafilatura's XML (``p``, ``head``, ``list``/``item``, ``quote``,
``table``/``row``/``cell``, ``graphic``, ``hi``, ``ref``, ``lb``) becomes a
list of :class:`Block`: paragraphs and headings keep their inline runs
(bold, italic, links) so links to attached documents can be pointed at the
downloaded copy when the article is written; photos are blocks of their own,
split out of the paragraph that held them (portals put a photo, its leaked
file name and its caption in one ``<p>`` separated by ``<br>``).

Everything a page says is text here: Markdown's own characters in it are
escaped (``*``, ``[``, a ``#`` or ``1.`` starting a line, ``<`` before a
letter), so an old page can never become markup the editor did not write.
The build sanitises the result again (:mod:`bulletin.content.sanitize`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from urllib.parse import quote, urljoin, urlsplit

from bulletin.content.characters import CONTROL_CHARACTERS, INVISIBLE_CHARACTERS

LINE_BREAK = "\n"
# The link schemes the sanitiser keeps (bulletin.content.sanitize.URL_SCHEMES).
LINK_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass(frozen=True)
class Run:
    """A piece of inline text: ``style`` holds "b" and/or "i"; ``href`` a link."""

    text: str
    style: frozenset = frozenset()
    href: str = ""


@dataclass
class Photo:
    """A photo of the old page; ``file`` is set once it is downloaded."""

    src: str  # absolute URL (or a local file for a saved page)
    alt: str = ""
    title: str = ""
    caption: str = ""
    file: str = ""  # the name in the article's photo folder


@dataclass
class Block:
    """One block of the body. ``kind``: paragraph, heading, item (of a
    list), quote, table or photo."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 2  # heading level; for items, "ol" lists are numbered (level 1)
    rows: list[list[str]] = field(default_factory=list)  # table cells, plain
    photo: Photo | None = None

    @property
    def plain(self) -> str:
        if self.kind == "table":
            return " ".join(" ".join(row) for row in self.rows)
        return clean_text("".join(run.text for run in self.runs))

    @property
    def emphasis(self) -> frozenset:
        """The styles every visible run shares ("i" for an italic caption)."""
        styles = [run.style for run in self.runs if run.text.strip()]
        return frozenset.intersection(*styles) if styles else frozenset()

    @property
    def links(self) -> list[str]:
        return [run.href for run in self.runs if run.href]


# --- text ---------------------------------------------------------------------
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2002-\u200a\u202f\u205f\u3000]+")


def clean_text(text: str, keep_breaks: bool = False) -> str:
    """NFC, no invisible or control characters, one space for every run of
    spaces and ``&nbsp;`` (portals indent with seven of them), trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = INVISIBLE_CHARACTERS.sub("", text)
    text = CONTROL_CHARACTERS.sub(" ", text.replace("\n", LINE_BREAK if keep_breaks else " "))
    if keep_breaks:
        return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()
    return _SPACES.sub(" ", text).strip()


def safe_url(url: str, base: str = "") -> str:
    """An absolute http(s)/mailto/tel URL, or "" (``javascript:``, ``data:``…)."""
    url = clean_text(url or "")
    if not url or url.startswith("#"):
        return ""
    absolute = urljoin(base, url) if base else url
    scheme = urlsplit(absolute).scheme.lower()
    return absolute if scheme in LINK_SCHEMES else ""


# --- trafilatura's XML → blocks ---------------------------------------------------
def from_xml(body, base_url: str = "") -> list[Block]:
    """Blocks of trafilatura's ``body`` element (see the module docstring)."""
    blocks: list[Block] = []
    _walk(body, blocks, base_url)
    return [block for block in blocks if block.kind == "photo" or block.plain or block.rows]


def _walk(element, blocks: list[Block], base: str) -> None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("p", "head", "quote"):
            kind = {"p": "paragraph", "head": "heading", "quote": "quote"}[tag]
            level = _heading_level(child.get("rend", "")) if tag == "head" else 2
            _split_paragraph(child, kind, level, blocks, base)
        elif tag == "list":
            numbered = child.get("rend", "") == "ol"
            for item in child.iter("item"):
                _split_paragraph(item, "item", 1 if numbered else 0, blocks, base, nested=False)
        elif tag == "table":
            rows = [
                [clean_text("".join(cell.itertext())) for cell in row.iter("cell")]
                for row in child.iter("row")
            ]
            rows = [row for row in rows if any(row)]
            if rows:
                blocks.append(Block("table", rows=rows))
        elif tag == "graphic":
            if photo := _photo(child, base):
                blocks.append(Block("photo", photo=photo))
            if (child.text or "").strip():
                blocks.append(Block("paragraph", runs=_trim([Run(child.text)])))
        elif tag:
            _walk(child, blocks, base)


def _heading_level(rend: str) -> int:
    match = re.fullmatch(r"h([1-6])", rend or "")
    # The page's own <h1> is the title; headings inside the body start at 2.
    return min(max(int(match.group(1)) if match else 2, 2), 4)


def _photo(element, base: str) -> Photo | None:
    src = safe_url(element.get("src", ""), base)
    if not src or urlsplit(src).scheme not in ("http", "https"):
        return None
    return Photo(src, clean_text(element.get("alt", "")), clean_text(element.get("title", "")))


def _split_paragraph(element, kind, level, blocks, base, *, nested=True) -> None:
    """One paragraph, or several: a photo inside it ends the text before it,
    and a line break right after a photo starts a new paragraph (a caption)."""
    current: list[Run] = []

    def close():
        if "".join(run.text for run in current).strip():
            blocks.append(Block(kind, runs=_trim(current), level=level))
        current.clear()

    for run in _runs(element, frozenset(), "", base, nested):
        if isinstance(run, Photo):
            close()
            blocks.append(Block("photo", photo=run))
        elif run.text == LINE_BREAK and blocks and blocks[-1].kind == "photo" and not current:
            continue  # the break between a photo and its caption
        elif run.text == LINE_BREAK and _after_photo(blocks, current):
            close()
        else:
            current.append(run)
    close()


def _after_photo(blocks: list[Block], current: list[Run]) -> bool:
    """Inside the paragraph, the text since the last photo ends here."""
    return bool(blocks) and blocks[-1].kind == "photo" and bool(current)


def _runs(element, style, href, base, nested):
    """Inline runs (and photos) of ``element``, in order."""
    if element.text:
        yield Run(element.text, style, href)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "lb":
            yield Run(LINE_BREAK, style, href)
        elif tag == "graphic":
            if photo := _photo(child, base):
                yield photo
            if child.text:  # trafilatura puts the text after <img src=x> inside it
                yield Run(child.text, style, href)
        elif tag == "hi":
            rend = child.get("rend", "")
            added = {"#b": "b", "#i": "i"}.get(rend)
            yield from _runs(child, style | {added} if added else style, href, base, nested)
        elif tag == "ref":
            yield from _runs(child, style, safe_url(child.get("target", ""), base), base, nested)
        elif tag == "list" and not nested:
            pass  # a nested list's items come from the outer iter("item")
        elif tag:
            yield from _runs(child, style, href, base, nested)
        if child.tail:
            yield Run(child.tail, style, href)


def _trim(runs: list[Run]) -> list[Run]:
    """Runs with clean text: line breaks kept inside, none at either end."""
    cleaned = []
    for run in runs:
        text = run.text if run.text == LINE_BREAK else _inline_spaces(run.text)
        if text:
            cleaned.append(replace(run, text=text))
    while cleaned and not cleaned[0].text.strip():
        cleaned.pop(0)
    while cleaned and not cleaned[-1].text.strip():
        cleaned.pop()
    if cleaned:
        cleaned[0] = replace(cleaned[0], text=cleaned[0].text.lstrip())
        cleaned[-1] = replace(cleaned[-1], text=cleaned[-1].text.rstrip())
    return cleaned


def _inline_spaces(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = INVISIBLE_CHARACTERS.sub("", text)
    return _SPACES.sub(" ", CONTROL_CHARACTERS.sub(" ", text.replace("\n", " ")))


# --- blocks → Markdown ------------------------------------------------------------
# What starts a heading, quote, list or setext underline at a line's start.
_LINE_START = re.compile(r"^([ ]*)(?:([#>+-])|(\d+)([.)])(?=\s)|(=))", re.MULTILINE)
_MARKDOWN_CHARS = re.compile(r"([\\`*_\[\]])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_INNER_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def escape(text: str) -> str:
    """Text that Markdown prints as itself (see the module docstring)."""
    text = _MARKDOWN_CHARS.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text)  # before "<" becomes "&lt;", which it would catch
    return _TAG_START.sub("&lt;", text)


def _escape_line_starts(text: str) -> str:
    """``# ``, ``> ``, ``- ``, ``1. `` or ``===`` opening a line stays text
    (``=`` is not one of Markdown's escapable characters: an entity)."""

    def fix(match):
        spaces, mark, number, dot, _equals = match.groups()
        if mark:
            return f"{spaces}\\{mark}"
        if number:
            return f"{spaces}{number}\\{dot}"
        return f"{spaces}&#61;"

    return _LINE_START.sub(fix, text)


def markdown_url(url: str) -> str:
    """A URL Markdown reads whole: spaces, parentheses and angle brackets encoded."""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._[]")


def inline_markdown(runs: list[Run], links: dict[str, str] | None = None) -> str:
    """Runs as Markdown; ``links`` maps an old URL to its downloaded copy."""
    links = links or {}
    parts: list[str] = []
    for group in _group_by_link(runs):
        text = "".join(_styled(run) for run in group)
        href = group[0].href
        if href and text.strip():
            target = links.get(href) or markdown_url(href)
            parts.append(f"[{text}]({target})")
        else:
            parts.append(text)
    text = _INNER_SPACES.sub(" ", "".join(parts).strip())  # a removed element's two spaces
    return _escape_line_starts(text).replace(LINE_BREAK, "  \n")


def _group_by_link(runs: list[Run]) -> list[list[Run]]:
    groups: list[list[Run]] = []
    for run in runs:
        if groups and groups[-1][0].href == run.href:
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


def _styled(run: Run) -> str:
    if run.text == LINE_BREAK:
        return LINE_BREAK
    text = escape(run.text)
    core = text.strip()
    if not core or not run.style:
        return text
    marker = ("**" if "b" in run.style else "") + ("*" if "i" in run.style else "")
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead}{marker}{core}{marker[::-1]}{trail}"


def photo_markdown(photo: Photo, folder: str) -> str:
    """``![alt](anh/<slug>/<file> "caption")``: the project's figure syntax."""
    alt = escape(photo.alt).replace("\n", " ")
    caption = photo.caption.replace('"', "”").replace("\\", "/")
    title = f' "{caption}"' if caption else ""
    return f"![{alt}]({folder}/{photo.file}{title})"


def table_markdown(rows: list[list[str]]) -> str:
    width = max(len(row) for row in rows)
    lines = []
    for number, row in enumerate(rows):
        cells = [escape(cell).replace("|", "\\|") for cell in row + [""] * (width - len(row))]
        lines.append("| " + " | ".join(cells) + " |")
        if number == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines)


def to_markdown(blocks: list[Block], folder: str, links: dict[str, str] | None = None) -> str:
    """The article body: blocks separated by blank lines (a list's items
    kept together)."""
    out: list[str] = []
    previous = ""
    for block in blocks:
        if block.kind == "photo":
            if not block.photo or not block.photo.file:
                continue
            text = photo_markdown(block.photo, folder)
        elif block.kind == "table":
            text = table_markdown(block.rows)
        else:
            text = inline_markdown(block.runs, links)
            if not text:
                continue
            if block.kind == "heading":
                text = "#" * block.level + " " + text.replace("  \n", " ")
            elif block.kind == "quote":
                text = "> " + text.replace("\n", "\n> ")
            elif block.kind == "item":
                text = ("1. " if block.level == 1 else "- ") + text.replace("\n", "\n   ")
        joiner = "\n" if block.kind == "item" and previous == "item" else "\n\n"
        out.append((joiner if out else "") + text)
        previous = block.kind
    return "".join(out) + "\n" if out else ""
