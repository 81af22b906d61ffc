"""Markdown extension: a photo alone in its paragraph becomes a ``<figure>``.

``![Alt text](anh/slug/photo.jpg "Caption")`` standing alone in a paragraph
becomes ``<figure class="photo"><img alt=…><figcaption>Caption</figcaption>
</figure>``. A caption ending in the photographer's credit, Vietnamese style
("… Ảnh: Hồng Nhung", "… (Ảnh: Hồng Nhung)", "Tin, ảnh: …"), shows the credit
set apart in a ``<small>`` (HTML's element for attribution); without one, the
article's ``Photo_credit`` (``md.bulletin_photo_credit``, set by the reader)
is the credit. A plain relative path is rewritten to Pelican's ``{static}`` form,
resolved against the article's folder; ``bulletin.photos.generator`` then replaces the
``<img>`` with derivatives (the original is never published). The ``{static}``
form works as written. Every image seen is listed on the Markdown
instance as ``bulletin_images`` for the photo checks.

Used through the ``MARKDOWN`` setting (``"bulletin.content.figures"``), not a signal.
"""

from __future__ import annotations

import re
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
    credit: str = ""  # the photographer's name ("Ảnh: <name>" or Photo_credit)

    @property
    def is_local(self) -> bool:
        parsed = urlparse(self.src)
        return not parsed.scheme and not parsed.netloc and not self.src.startswith("//")


# The credit at the end of a caption: "(Ảnh: Hồng Nhung)" in any case, or
# "Ảnh: Hồng Nhung" / "Tin, ảnh: …" capitalised, starting the caption or after
# a space ("Bức ảnh: đẹp" is not a credit).
_NAME = r"\s*:\s*(?P<name>[^():]*[^\s():.])"
CREDIT_RES = (
    re.compile(rf"\(\s*(?P<label>(?:tin\s*,\s*)?ảnh){_NAME}\s*\)\s*\.?\s*$", re.IGNORECASE),
    re.compile(rf"(?:^|(?<=\s))(?P<label>(?:Tin|TIN)\s*,\s*[ảẢ]nh|Ảnh|ẢNH){_NAME}\s*\.?\s*$"),
)


@dataclass(frozen=True)
class Credit:
    """A photo's credit: "Ảnh" (or "Tin, ảnh", as written) and the name."""

    label: str
    name: str

    def __str__(self) -> str:
        return f"{self.label}: {self.name}"


def split_credit(caption: str, default: str = "") -> tuple[str, Credit | None]:
    """(caption without its credit, the credit): the caption's own "Ảnh: …",
    else ``default`` (the article's ``Photo_credit``), else None."""
    match = next(filter(None, (pattern.search(caption) for pattern in CREDIT_RES)), None)
    if match is None:
        default = " ".join(default.split())
        return caption, (Credit("Ảnh", default) if default else None)
    text = caption[: match.start()].rstrip()
    label = match["label"]
    label = label[:1].upper() + label[1:]
    return text, Credit(" ".join(label.split()), " ".join(match["name"].split()))


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
        credits = {}  # id(img) → credit name
        default = getattr(self.md, "bulletin_photo_credit", "")
        for paragraph in list(root.iter("p")):
            if not is_lone_image(paragraph):
                continue
            img = paragraph[0]
            caption = (img.attrib.pop("title", "") or "").strip()
            captions[id(img)] = caption
            paragraph.tag = "figure"
            paragraph.set("class", "photo")
            img.tail = None
            text, credit = split_credit(caption, default)
            if text or credit:
                figcaption = etree.SubElement(paragraph, "figcaption")
                figcaption.text = text
            if credit:
                credits[id(img)] = credit.name
                small = etree.SubElement(figcaption, "small")
                small.text = str(credit)
                if text:
                    figcaption.text = text + " "
        for img in root.iter("img"):
            src = img.get("src", "")
            standalone = id(img) in captions
            caption = captions[id(img)] if standalone else img.get("title", "")
            self.md.bulletin_images.append(
                ImageRef(src, img.get("alt", ""), caption, standalone, credits.get(id(img), ""))
            )
            img.set("src", static_src(src))


class FigureExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        self.md = md
        md.bulletin_images = []
        md.bulletin_photo_credit = ""  # the article's Photo_credit (the reader sets it)
        md.registerExtension(self)
        # After the inline patterns (20) have made the <img>, before prettify (10).
        md.treeprocessors.register(FigureTreeprocessor(md), "bulletin_figure", 15)

    def reset(self):
        self.md.bulletin_images = []


def makeExtension(**kwargs):  # noqa: N802 - Markdown's API name
    return FigureExtension(**kwargs)
