"""What the search index reads of the documents: each document page and the text of its files.

Works from a built site folder alone — the one a build stages, or the
published one the live preview indexes again afterwards
(:func:`bulletin.site.search.refresh_index`) — through the site's own
``api/documents.json`` (each document's page, its files and their SHA-256)
and the text the build extracted, kept by SHA-256 in ``DOCUMENT_CACHE_PATH``
(:class:`~bulletin.documents.files.Inspector`). A file that cache has lost
is read again from its published copy, which is the source byte for byte.

:mod:`bulletin.site.search` puts each :class:`PageText` into the document
page it names when Pagefind reads that page, so a phrase that appears only
inside a PDF finds the document (one result, the document page) while the
published page stays as light as it is.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from urllib.parse import unquote

from bulletin.build.cache import project_path
from bulletin.documents.files import Inspector

# The documents plugin's defaults (bulletin.documents.generator.DEFAULTS), for
# settings read outside a build (the preview's refresh of the index).
API_DEFAULT = "api/documents.json"
CACHE_DEFAULT = "cache/documents"


@dataclass(frozen=True)
class PageText:
    """The text of a document's files, for its page in the search index."""

    path: str  # the page's file below the site: "van-ban/2023/<slug>/index.html"
    text: str  # each file's text layer (NFC, single spaces), one after another


def site_relative(url: str, site_url: str) -> str | None:
    """``https://example.vn/van-ban/a/`` → ``van-ban/a/`` (None: another site)."""
    if not url.startswith(site_url):
        return None
    return unquote(url[len(site_url) :]).lstrip("/")


def _inside(site: str, relative: str) -> str | None:
    path = os.path.realpath(os.path.join(site, relative))
    return (
        path
        if os.path.commonpath([path, os.path.realpath(site)]) == os.path.realpath(site)
        else None
    )


def _found(folders: list[str], relative: str) -> str | None:
    """The file ``relative`` in the first of ``folders`` that has it, inside it."""
    for folder in folders:
        path = _inside(folder, relative)
        if path is not None and os.path.isfile(path):
            return path
    return None


def page_texts(site: str, settings, published: str | None = None) -> list[PageText]:
    """One :class:`PageText` for each published document whose files carry
    text (a scan carries none: its page is indexed with its fields only).

    ``published``: where the files a build kept are (its folder holds only
    what it wrote)."""
    folders = [site, published] if published else [site]
    api = _found(folders, settings.get("API_DOCUMENTS_SAVE_AS") or API_DEFAULT)
    if api is None:
        return []  # no register in this site
    try:
        with open(api, encoding="utf-8") as handle:
            register = json.load(handle)
        site_url, documents = register["site"]["url"], register["documents"]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # no register in this site
    inspector = Inspector(project_path(settings, "DOCUMENT_CACHE_PATH", CACHE_DEFAULT))
    found = []
    for record in documents:
        page = site_relative(record.get("url", ""), site_url)
        if page is None:
            continue
        path = page + "index.html" if page.endswith("/") or not page else page
        if _found(folders, path) is None:
            continue
        texts = []
        for file in record.get("files", []):
            relative = site_relative(file.get("url", ""), site_url)
            target = _found(folders, relative) if relative else None
            if target is None:
                continue
            extension = os.path.splitext(file.get("name", ""))[1].lower().lstrip(".")
            texts.append(inspector.text_of(target, extension, file.get("sha256", "")))
        text = " ".join(t for t in texts if t)
        if text:
            found.append(PageText(path, text))
    return found
