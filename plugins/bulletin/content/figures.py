"""Markdown extension: a photo alone in its paragraph becomes a ``<figure>``.

``![Alt text](anh/slug/photo.jpg "Caption")`` standing alone in a paragraph
becomes ``<figure class="photo"><img alt=…><figcaption>Caption</figcaption>
</figure>``. A plain relative path is rewritten to Pelican's ``{static}`` form,
resolved against the article's folder; ``bulletin.photos.generator`` then replaces the
``<img>`` with derivatives (the original is never published). The ``{static}``
form works as written. Every image seen is listed on the Markdown
instance as ``bulletin_images`` for the photo checks.

Used through the ``MARKDOWN`` setting (``"bulletin.content.figures"``), not a signal.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree  # noqa: N813 - Python-Markdown's own alias
from dataclasses import dataclass
from urllib.parse import urlparse

from markdown import Extension
from markdown.treeprocessors import Treeprocessor


@dataclass(frozen=True)
class ImageRef:
    """An image as the editor wrote it."""

    src: str
    alt: str
    caption: str
    standalone: bool

    @property
    def is_local(self) -> bool:
        parsed = urlparse(self.src)
        return not parsed.scheme and not parsed.netloc and not self.src.startswith("//")


def static_src(src: str) -> str:
    """``anh/x.jpg`` → ``{static}anh/x.jpg``; other forms are left alone."""
    ref = ImageRef(src, "", "", False)
    if not ref.is_local or src.startswith(("{", "/", "#")):
        return src
    return "{static}" + src


def is_lone_image(paragraph: etree.Element) -> bool:
    if len(paragraph) != 1 or paragraph[0].tag != "img":
        return False
    return not (paragraph.text or "").strip() and not (paragraph[0].tail or "").strip()


class FigureTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        captions = {}  # id(img) → caption, for the images that became figures
        for paragraph in list(root.iter("p")):
            if not is_lone_image(paragraph):
                continue
            img = paragraph[0]
            caption = (img.attrib.pop("title", "") or "").strip()
            captions[id(img)] = caption
            paragraph.tag = "figure"
            paragraph.set("class", "photo")
            img.tail = None
            if caption:
                etree.SubElement(paragraph, "figcaption").text = caption
        for img in root.iter("img"):
            src = img.get("src", "")
            standalone = id(img) in captions
            caption = captions[id(img)] if standalone else img.get("title", "")
            self.md.bulletin_images.append(ImageRef(src, img.get("alt", ""), caption, standalone))
            img.set("src", static_src(src))


class FigureExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        self.md = md
        md.bulletin_images = []
        md.registerExtension(self)
        # After the inline patterns (20) have made the <img>, before prettify (10).
        md.treeprocessors.register(FigureTreeprocessor(md), "bulletin_figure", 15)

    def reset(self):
        self.md.bulletin_images = []


def makeExtension(**kwargs):  # noqa: N802 - Markdown's API name
    return FigureExtension(**kwargs)
