"""An article's cover: the crops a listing card, OpenGraph, JSON-LD and the API show.

Pure: from the cover :class:`~bulletin.photos.contents.PhotoUse` the article
recorded while it was read, and the settings; ``bulletin.photos.generator``
sets the result as ``article.cover_photo`` on ``article_generator_finalized``.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from bulletin.photos.plan import Derivative


@dataclass(frozen=True)
class CoverPhoto:
    """What a listing card and the OpenGraph tags need (URLs from the site root)."""

    url: str  # the smallest thumbnail, JPEG
    width: int
    height: int
    candidates: tuple[tuple[str, int], ...]  # (url, width) of every thumbnail
    alt: str
    og_url: str  # absolute when SITEURL is
    og_width: int
    og_height: int
    # Every crop, largest first, for JSON-LD and the API: url, width, height, type.
    sizes: tuple[dict, ...] = ()


def photo_folder(content, folder: str) -> str:
    """Site path of a page's photo folder: beside its ``index.html``."""
    return posixpath.join(posixpath.dirname(content.save_as), folder)


def cover_photo(article, settings) -> CoverPhoto | None:
    use = getattr(article, "bulletin_cover", None)
    if use is None or not article.save_as:
        return None
    folder = photo_folder(article, settings["PHOTO_DIR"])
    plan = use.plan

    def url(size) -> str:
        return posixpath.join(folder, use.file_name(Derivative(*size, "jpeg", crop=True)))

    og = url(plan.og)
    site = settings.get("SITEURL", "").rstrip("/")
    return CoverPhoto(
        url=url(plan.thumbs[0]),
        width=plan.thumbs[0][0],
        height=plan.thumbs[0][1],
        candidates=tuple((url(size), size[0]) for size in plan.thumbs),
        alt=use.alt,
        og_url=f"{site}/{og}",
        og_width=plan.og[0],
        og_height=plan.og[1],
        sizes=tuple(
            {"url": url(size), "width": size[0], "height": size[1], "type": "image/jpeg"}
            for size in sorted({plan.og, *plan.thumbs}, key=lambda s: (-s[0], -s[1]))
        ),
    )
