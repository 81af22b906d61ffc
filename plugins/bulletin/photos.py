"""Photos of articles: the cover photo shown on listing cards.

Connects ``article_generator_finalized``: sets ``article.cover_photo`` (url,
alt) from the ``Cover`` metadata or the article's first photo. Photos are
published by Pelican's ``{static}`` links at their path under ``content/``.

Must run after ``bulletin.reader`` (it reads ``bulletin_source.images``).
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass

from pelican import signals


@dataclass(frozen=True)
class CoverPhoto:
    url: str
    alt: str


def cover_path(article_path: str, src: str) -> str:
    """Path of a photo relative to ``content/``, as Pelican publishes it."""
    src = src.removeprefix("{static}")
    if src.startswith("/"):
        return posixpath.normpath(src.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(article_path), src))


def find_cover(article, content_path: str):
    source = getattr(article, "bulletin_source", None)
    if source is None:
        return None
    relative = os.path.relpath(source.abspath, content_path).replace(os.sep, "/")
    wanted = getattr(article, "cover", None)
    for image in source.images:
        if not image.is_local:
            continue
        if wanted and image.src.removeprefix("{static}") != wanted:
            continue
        path = cover_path(relative, image.src)
        static = article._context.get("static_content", {}).get(path)
        url = static.url if static is not None else path
        return CoverPhoto(url=url, alt=image.alt)
    return None


def set_covers(generator) -> None:
    for article in generator.articles + generator.drafts:
        article.cover_photo = find_cover(article, generator.path)


def unpublish_draft_photos(generator) -> None:
    """A draft's photos stay private until the draft is published.

    Pelican queues every ``{static}`` link of drafts for copying too; drop
    those that no published article uses unless drafts are being previewed.
    """
    if generator.settings.get("DRAFT_SAVE_AS"):
        return
    published = set()
    for article in generator.articles:
        published |= article.get_static_links()
    links = generator.context["static_links"]
    for draft in generator.drafts:
        links -= draft.get_static_links() - published


def register() -> None:
    signals.article_generator_finalized.connect(set_covers)
    signals.article_generator_finalized.connect(unpublish_draft_photos)
