"""Markdown extension: a plain link to a local PDF, DOCX… publishes that file.

``[Kế hoạch số 45](ke-hoach-45.pdf)`` in an article becomes Pelican's
``{static}ke-hoach-45.pdf``: the file is published beside the article's page
(``/tin-tuc/2023/<slug>/ke-hoach-45.pdf``, placed by
``bulletin.documents.generator.place_attachments``), through the same checks
as every linked file (``validation.check_linked_files``: inside ``content/``, never a
folder the site writes itself). Only the formats a document may have
(:data:`bulletin.documents.model.LINKABLE_EXTENSIONS`); addresses with a
scheme, ``/``, ``#`` or ``{`` are left as written.

Used through the ``MARKDOWN`` setting (``"bulletin.documents.links"``), not a signal.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlparse

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from bulletin.documents.model import LINKABLE_EXTENSIONS


def static_href(href: str) -> str:
    """``tep.pdf`` → ``{static}tep.pdf``; any other address unchanged."""
    parsed = urlparse(href)
    if parsed.scheme or parsed.netloc or href.startswith(("{", "/", "#")) or not parsed.path:
        return href
    extension = posixpath.splitext(unquote(parsed.path))[1].lower().lstrip(".")
    return "{static}" + href if extension in LINKABLE_EXTENSIONS else href


class StaticLinkTreeprocessor(Treeprocessor):
    def run(self, root) -> None:
        for link in root.iter("a"):
            if link.get("href"):
                link.set("href", static_href(link.get("href")))


class StaticLinkExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        # After the inline patterns (20) made the <a>, before prettify (10).
        md.treeprocessors.register(StaticLinkTreeprocessor(md), "bulletin_static_link", 14)


def makeExtension(**kwargs):  # noqa: N802 - Markdown's API name
    return StaticLinkExtension(**kwargs)
