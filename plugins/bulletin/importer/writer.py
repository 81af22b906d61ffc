"""Imported articles as files: ``content/articles/<year>/<slug>.md``, their
photos and attached documents in ``anh/<slug>/`` beside them.

The file is in the project's exact article format (``invoke new``'s keys
and order, :mod:`bulletin.editor.scaffold`): ``Title``, ``Date`` (local time,
seconds kept), ``Author``, ``Movement``, ``Tags``, ``Summary``, ``Slug``
(pinned, bounded: :func:`bulletin.content.vietnamese.bounded_slug`, made
unique in its year folder with :func:`~bulletin.content.vietnamese.unique_slug`),
``Status: draft`` only when no movement was found, and ``Redirect_from``:
the old address(es).

Never overwrites: :class:`ContentState` knows, before anything is written,
every old address already imported (the ``Redirect_from`` of every article)
and every title and date; files are created with ``open(…, "x")``. Every
path is built from slugs and checked to resolve inside ``content/`` (a
photo named ``../../x.jpg`` on the old portal is saved as ``x.jpg``).
"""

from __future__ import annotations

import io
import os
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

from bulletin.content.dates import DateError, parse_date
from bulletin.content.model import article_slug, read_header
from bulletin.content.vietnamese import bound_slug, bounded_slug, nfc, slugify, unique_slug
from bulletin.documents.model import LINKABLE_EXTENSIONS, NUMBER_RE
from bulletin.editor.scaffold import taken_slugs
from bulletin.importer.blocks import Block, to_markdown
from bulletin.site.old_link_maps import old_link_key

PHOTO_FOLDER = "anh"
# Files an article may link as a plain link, published beside it as they are
# (bulletin.documents: PDF, office documents, ZIP).
DOCUMENT_EXTENSIONS = tuple(sorted(f".{extension}" for extension in LINKABLE_EXTENSIONS))
KEPT_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 60_000_000  # as the build (PHOTO_MAX_PIXELS): larger is a decompression bomb
FILE_STEM_MAX = 60


class PhotoError(Exception):
    """Why a downloaded photo cannot be used, in Vietnamese."""


@dataclass
class Known:
    path: Path
    created: bool = False  # by this run (then, and only then, it may be written again)


@dataclass
class ContentState:
    """What ``content/articles`` already holds, for skipping and naming."""

    content: Path
    imported: dict[str, Known] = field(default_factory=dict)  # old address key → file
    titles: dict[tuple[str, str], Known] = field(default_factory=dict)  # (title, minute) → file
    slugs: dict[str, set[str]] = field(default_factory=dict)  # year → taken slugs

    @classmethod
    def scan(cls, content: Path) -> ContentState:
        state = cls(content)
        for path in sorted((content / "articles").glob("*/*.md")):
            try:
                text = nfc(path.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError):
                continue  # invoke check reports it
            meta = read_header(text).meta
            raw = {key: " ".join(values).strip() for key, values in meta.items()}
            known = Known(path)
            for old in filter(None, (p.strip() for p in raw.get("redirect_from", "").split(","))):
                state.imported.setdefault(old_link_key(old), known)
            try:
                moment = parse_date(raw.get("date", ""))
            except DateError:
                moment = None
            if moment and raw.get("title"):
                state.titles.setdefault(title_key(raw["title"], moment), known)
            year = path.parent.name
            slug = article_slug(raw.get("slug", ""), raw.get("title", ""))
            state.taken(year).update({path.stem, slug})
        return state

    def taken(self, year: str) -> set[str]:
        if year not in self.slugs:
            self.slugs[year] = taken_slugs(self.content / "articles" / year)
        return self.slugs[year]


def title_key(title: str, moment: datetime) -> tuple[str, str]:
    """Two items are one article when title (case aside) and minute agree."""
    return " ".join(nfc(title).casefold().split()), f"{moment:%Y-%m-%d %H:%M}"


# --- names ---------------------------------------------------------------------------
def file_name(url: str, extension: str, taken: set[str]) -> str:
    """A safe, unique file name from the last part of ``url``'s path:
    ``/uploads/../Ảnh 1.JPG`` → ``anh-1.jpg`` (never a folder, never ``..``)."""
    stem = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    stem = bound_slug(slugify(stem), FILE_STEM_MAX) or "tep"
    name = f"{stem}.{extension}"
    number = 2
    while name in taken:
        name = f"{stem}-{number}.{extension}"
        number += 1
    taken.add(name)
    return name


def document_extension(url: str) -> str:
    path = unquote(urlsplit(url).path).lower()
    return next((ext for ext in DOCUMENT_EXTENSIONS if path.endswith(ext)), "")


def prepare_photo(data: bytes) -> tuple[bytes, str]:
    """(bytes to save, extension): JPEG, PNG and WebP as they are; GIF, BMP
    and TIFF as PNG; anything else is a :class:`PhotoError`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise PhotoError(f"ảnh quá lớn ({width}×{height} điểm ảnh)")
                kind = image.format
                image.load()
                if kind in KEPT_FORMATS:
                    return data, KEPT_FORMATS[kind]
                converted = io.BytesIO()
                image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(
                    converted, "PNG"
                )
                return converted.getvalue(), "png"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("ảnh quá lớn, có thể là tệp độc hại") from None
    except UnidentifiedImageError:
        raise PhotoError("không phải tệp ảnh (máy chủ trả về trang lỗi?)") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise PhotoError(f"ảnh hỏng hoặc tải chưa hết ({error})") from None


# --- the article ----------------------------------------------------------------------
@dataclass
class Draft:
    """An article ready to be written."""

    title: str
    date: datetime
    authors: list[str]
    movements: list[str]
    tags: list[str]
    summary: str
    blocks: list[Block]
    old: list[str]  # Redirect_from values
    slug: str = ""
    path: Path | None = None
    links: dict[str, str] = field(default_factory=dict)  # document URL → local link


def plan(draft: Draft, state: ContentState) -> Path:
    """Choose the slug and the file (nothing is written)."""
    year = f"{draft.date:%Y}"
    base = bounded_slug(draft.title) or "bai-viet"
    draft.slug = unique_slug(base, state.taken(year))
    state.taken(year).add(draft.slug)
    draft.path = state.content / "articles" / year / f"{draft.slug}.md"
    return draft.path


def photo_folder(draft: Draft) -> Path:
    return draft.path.parent / PHOTO_FOLDER / draft.slug


def article_text(draft: Draft) -> str:
    def one_line(value: str) -> str:
        return " ".join(value.split())

    lines = [
        f"Title: {one_line(draft.title)}",
        f"Date: {draft.date:%Y-%m-%d %H:%M:%S}",
        f"Author: {', '.join(one_line(a) for a in draft.authors)}",
        f"Movement: {', '.join(draft.movements)}",
        f"Tags: {', '.join(one_line(t).replace(',', ' ') for t in draft.tags)}",
        f"Summary: {one_line(draft.summary)}",
        f"Slug: {draft.slug}",
    ]
    if not draft.movements:
        lines.append("Status: draft")
    if draft.old:
        lines.append(f"Redirect_from: {', '.join(draft.old)}")
    folder = f"{PHOTO_FOLDER}/{draft.slug}"
    return "\n".join(lines) + "\n\n" + to_markdown(draft.blocks, folder, draft.links)


def inside(path: Path, folder: Path) -> bool:
    real, root = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, root]) == root


def write_new(path: Path, data: bytes | str, content: Path) -> None:
    """Create ``path`` (never replace it); refuse anything outside ``content``."""
    if not inside(path.parent, content) and not inside(path.parent.parent, content):
        raise OSError(f"{path} nằm ngoài thư mục content/")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not inside(path, content):
        raise OSError(f"{path} nằm ngoài thư mục content/")
    mode = "x" if isinstance(data, str) else "xb"
    encoding = {"encoding": "utf-8", "newline": "\n"} if isinstance(data, str) else {}
    with open(path, mode, **encoding) as handle:
        handle.write(data)


def rewrite_own(path: Path, text: str, content: Path) -> None:
    """Write again a file this run created (a second old address of it)."""
    if not inside(path, content):
        raise OSError(f"{path} nằm ngoài thư mục content/")
    path.write_text(text, encoding="utf-8", newline="\n")


def document_numbers(text: str) -> list[str]:
    """Official document numbers in a link's text ("Kế hoạch số 45/KH-BQL"):
    what an entry of the register (``content/van-ban/``) would carry."""
    words = (word.strip('.,;:()“”"') for word in text.split())
    return [word for word in words if NUMBER_RE.match(word)]
