"""Each article's and page's photos: its HTML rewritten, what it shows recorded.

:func:`rewrite_content` (on ``content_object_init``, connected by
``bulletin.photos.generator``) turns every photo of a content's HTML into
``<picture>`` markup (:mod:`bulletin.photos.markup`) so that no ``{static}``
link to a photo remains (Pelican then never copies the original), and
records on the content the photos it shows (``bulletin_photos``, a list of
:class:`PhotoUse`), its cover (``bulletin_cover``) and its bad photos
(``bulletin_photo_problems``, :class:`~bulletin.photos.problems.PhotoProblem`).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from pelican.contents import Article, Page

from bulletin.content.reader import display_path
from bulletin.content.vietnamese import slugify
from bulletin.photos.library import LIBRARY_KEY
from bulletin.photos.markup import INTRASITE, Picture, picture_for, rewrite_photos
from bulletin.photos.plan import Derivative, PhotoPlan
from bulletin.photos.problems import PhotoProblem, describe, first_line, locate_photo
from bulletin.photos.process import PhotoError


@dataclass(frozen=True)
class PhotoUse:
    """One photo as one page shows it."""

    path: str  # absolute path of the original
    value: str  # the src in the HTML (or the Cover metadata), for messages
    cover_line: int | None  # the Cover metadata's line, for a cover not in the body
    alt: str
    plan: PhotoPlan
    stem: str  # URL-safe name of the file, for the derivatives' names

    def file_name(self, derivative: Derivative) -> str:
        return self.plan.file_name(self.stem, derivative)


def source_display(content) -> str:
    source = getattr(content, "bulletin_source", None)
    if source is not None:
        return source.path
    return display_path(content.source_path, content.settings)


def locate(content, value: str, cover_line: int | None = None) -> tuple[int, str]:
    """The source line that shows a photo, and the photo as written there.

    Found as the checks find it (:func:`~bulletin.photos.problems.first_line`):
    ``{static}anh/x.jpg`` in the HTML may have been written ``anh/x.jpg`` (the
    figures extension adds the marker).
    """
    if cover_line is not None:
        return cover_line, value
    source = getattr(content, "bulletin_source", None)
    return first_line(source.text if source is not None else "", (value, INTRASITE.sub("", value)))


def photo_problem(content, error: PhotoError, *, photo, value, cover_line, max_pixels):
    """The :class:`PhotoProblem` of a photo (real path ``photo``) this content shows."""
    line, src = locate(content, value, cover_line)
    return PhotoProblem(source_display(content), line, photo, src, *describe(error, max_pixels))


def use_photo(content, library, path: str, value: str, alt: str, *, cover_line: int | None = None):
    """A :class:`PhotoUse`, or a :class:`PhotoProblem` naming the page and the photo."""
    folder = os.path.dirname(os.path.abspath(content.source_path))
    target, inside = locate_photo(content.settings["PATH"], folder, path)
    found = library.inspect(target) if inside else PhotoError("outside")
    if isinstance(found, PhotoError):
        return photo_problem(
            content,
            found,
            photo=target,
            value=value,
            cover_line=cover_line,
            max_pixels=library.max_pixels,
        )
    stem = slugify(os.path.splitext(os.path.basename(target))[0]) or "anh"
    return PhotoUse(target, value, cover_line, alt, library.plan(found), stem)


def rewrite_content(content) -> None:
    """``content_object_init``: photos of one article or page → ``<picture>``."""
    library = (getattr(content, "_context", None) or {}).get(LIBRARY_KEY)
    if library is None or not isinstance(content, (Article, Page)):
        return
    started = time.perf_counter()
    uses: list[PhotoUse] = []
    problems: list[PhotoProblem] = []

    def lookup(path: str, value: str, attrs: dict) -> Picture | str:
        found = use_photo(content, library, path, value, attrs.get("alt") or "")
        if isinstance(found, PhotoProblem):
            problems.append(found)
            return path  # never the {static} link: Pelican would copy the original
        uses.append(found)
        return picture_for(found.plan, found.stem, library.folder)

    if content._content:
        content._content = rewrite_photos(content._content, lookup, library.sizes)
    content.bulletin_photos = list({use.path: use for use in uses}.values())
    content.bulletin_cover = None
    wanted = content.metadata.get("cover")
    if isinstance(wanted, str) and wanted.strip():
        wanted = wanted.strip()
        source = getattr(content, "bulletin_source", None)
        line = source.line("cover") if source is not None else 1
        path = INTRASITE.sub("", wanted)  # written like a photo of the body
        found = use_photo(content, library, path, wanted, "", cover_line=line)
        if isinstance(found, PhotoProblem):
            problems.append(found)
        else:
            same = next((u for u in uses if u.path == found.path), None)
            content.bulletin_cover = same or found
    elif uses:
        content.bulletin_cover = uses[0]
    content.bulletin_photo_problems = problems
    library.seconds += time.perf_counter() - started
