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

Photos on consecutive lines of one paragraph are split into a figure each.
:func:`group_galleries`, which the reader calls on the *sanitised* body, wraps
two or more consecutive photo figures in one gallery
(``<div class="gallery" role="group" aria-label="Phóng sự ảnh: N ảnh">``);
``theme/static/js/gallery.js`` adds the lightbox on pages that have one.

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


def is_photo_lines(paragraph: etree.Element) -> bool:
    """Two or more photos and nothing else: one photo a line, no blank line
    between (a gallery written compactly). Line breaks Markdown made of
    trailing spaces count as nothing."""
    images = [child for child in paragraph if child.tag == "img"]
    others = [child for child in paragraph if child.tag not in {"img", "br"}]
    if len(images) < 2 or others or (paragraph.text or "").strip():
        return False
    return not any((child.tail or "").strip() for child in paragraph)


def split_photo_lines(root: etree.Element) -> None:
    """Each photo of a photo-lines paragraph into a paragraph of its own, so
    each becomes a figure and, consecutive, one gallery (:func:`group_galleries`)."""
    for parent in list(root.iter()):
        for index in reversed(range(len(parent))):
            paragraph = parent[index]
            if paragraph.tag != "p" or not is_photo_lines(paragraph):
                continue
            parent.remove(paragraph)
            images = [child for child in paragraph if child.tag == "img"]
            for offset, img in enumerate(images):
                single = etree.Element("p")
                img.tail = None
                single.append(img)
                parent.insert(index + offset, single)


class FigureTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        captions = {}  # id(img) → caption, for the images that became figures
        credits = {}  # id(img) → credit name
        default = getattr(self.md, "bulletin_photo_credit", "")
        split_photo_lines(root)
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


# --- galleries: after sanitising -------------------------------------------------
#
# Consecutive photo figures become one gallery. The wrapper is made here, on the
# sanitiser's output, not by Markdown before it: the allow-list never has to let a
# "gallery" class, a role or an aria-label through, so an editor's own
# <div class="gallery" role="group"> loses all three, and the only wrapper a page
# carries is this one, around figures the sanitiser already kept. The input is
# html5ever's serialisation (bulletin.content.sanitize): attribute values are
# double-quoted with '"' escaped and text has '<' escaped, so scanning tags
# (quoted values skipped) finds exactly the elements a browser would.

GALLERY_LABEL = "Phóng sự ảnh: {count} ảnh"
_TAG = re.compile(
    r"""<(?P<end>/?)(?P<name>[a-zA-Z][^\s/>]*)(?P<attrs>(?:[^>"']|"[^"]*"|'[^']*')*)>"""
)
_PHOTO_CLASS = re.compile(r"""\sclass="photo"(?:\s|/?$)""")


def _photo_figures(html: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost ``<figure class="photo">`` that shows an image."""
    found, depth, start, has_image = [], 0, 0, False
    for tag in _TAG.finditer(html):
        name = tag["name"].lower()
        if name == "img" and depth:
            has_image = True
        if name != "figure":
            continue
        if tag["end"]:
            depth = max(depth - 1, 0)
            if depth == 0 and start >= 0 and has_image:
                found.append((start, tag.end()))
            continue
        if depth == 0:
            start = tag.start() if _PHOTO_CLASS.search(tag["attrs"]) else -1
            has_image = False
        depth += 1
    return found


def gallery_runs(html: str) -> list[list[tuple[int, int]]]:
    """Runs of two or more photo figures with only whitespace between them."""
    runs: list[list[tuple[int, int]]] = []
    for figure in _photo_figures(html):
        if runs and not html[runs[-1][-1][1] : figure[0]].strip():
            runs[-1].append(figure)
        else:
            runs.append([figure])
    return [run for run in runs if len(run) >= 2]


def group_galleries(html: str) -> str:
    """Sanitised ``html`` with each run of consecutive photo figures wrapped in
    ``<div class="gallery" role="group" aria-label="Phóng sự ảnh: N ảnh">``.

    Anything without such a run is returned as it came, byte for byte.
    """
    if html.count("<figure") < 2:
        return html
    pieces, done = [], 0
    for run in gallery_runs(html):
        start, end = run[0][0], run[-1][1]
        label = GALLERY_LABEL.format(count=len(run))
        pieces += [html[done:start], f'<div class="gallery" role="group" aria-label="{label}">']
        pieces += [html[start:end], "</div>"]
        done = end
    return "".join(pieces) + html[done:] if pieces else html


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
