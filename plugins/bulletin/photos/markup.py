"""Photo markup as pure string functions over one content's HTML: no Pelican, no files.

:func:`rewrite_photos` finds every ``<img>`` whose ``src`` is an intrasite
``{static}``/``{attach}`` link (and every such link to a photo), asks a
callback what the photo became, and writes ``<picture>`` with ``srcset`` and
``sizes``, true ``width``/``height``, lazy loading (eager for the first photo
of the page) and, inside a ``<figure class="photo">``, a plain link to the
large version. :func:`absolute_photo_urls` makes the page-relative photo URLs
absolute for feeds.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlparse

from bulletin.photos.plan import MIME_TYPES, NOT_PHOTOS, RASTER_EXTENSIONS, Derivative, PhotoPlan

# Pelican's default INTRASITE_LINK_REGEX forms: {static}x.jpg and |static|x.jpg.
INTRASITE = re.compile(r"^[{|](?P<what>static|attach)[|}]")
_QUOTED = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
# A tag whose URL we may rewrite, optionally right after the <figure> that the
# figures extension wraps around a lone photo.
PHOTO_TAG = re.compile(
    rf"(?P<figure><figure\b{_QUOTED}>\s*)?(?P<tag><(?P<name>img|a)\b{_QUOTED}>)", re.IGNORECASE
)
# Attributes we set on the <img>; the editor's others (alt, title…) are kept.
OWN_ATTRIBUTES = frozenset(
    {"src", "srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority"}
)


@dataclass(frozen=True)
class Picture:
    """One photo's derivatives as URLs relative to the page that shows it."""

    sources: tuple[tuple[str, str], ...]  # (MIME type, srcset), best format first
    srcset: str  # the JPEG candidates
    src: str  # the default JPEG
    width: int
    height: int
    large: str  # the large JPEG the figure links to


def picture_for(plan: PhotoPlan, stem: str, folder: str) -> Picture:
    def url(derivative: Derivative) -> str:
        return posixpath.join(folder, plan.file_name(stem, derivative))

    def srcset(fmt: str) -> str:
        return ", ".join(f"{url(Derivative(w, h, fmt))} {w}w" for w, h in plan.responsive)

    return Picture(
        sources=tuple((MIME_TYPES[fmt], srcset(fmt)) for fmt in plan.formats if fmt != "jpeg"),
        srcset=srcset("jpeg"),
        src=url(Derivative(*plan.default, "jpeg")),
        width=plan.default[0],
        height=plan.default[1],
        large=url(Derivative(*plan.large, "jpeg")),
    )


def local_path(value: str) -> str:
    """``{static}anh/x%20y.jpg?v=1`` or ``anh/x%20y.jpg`` → ``anh/x y.jpg``:
    the file a photo's URL names, as Pelican resolves a ``{static}`` link."""
    return unquote(urlparse(INTRASITE.sub("", value, count=1)).path)


def intrasite_path(value: str) -> str | None:
    """``{static}anh/x%20y.jpg?v=1`` → ``anh/x y.jpg``; None if not intrasite."""
    if not INTRASITE.match(value):
        return None
    return local_path(value) or None


def is_photo_path(path: str, links_only: bool = False) -> bool:
    """Photos are everything an <img> shows except drawings; links need a photo suffix."""
    suffix = posixpath.splitext(path)[1].lower()
    if links_only:
        return suffix in RASTER_EXTENSIONS
    return suffix not in NOT_PHOTOS


class _TagParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.attrs = attrs

    handle_startendtag = handle_starttag


def parse_attributes(tag: str) -> list[tuple[str, str | None]]:
    """Attributes of one start tag, values unescaped, in order."""
    parser = _TagParser()
    parser.feed(tag)
    parser.close()
    return parser.attrs


def format_tag(name: str, attrs) -> str:
    parts = [name]
    for key, value in attrs:
        parts.append(key if value is None else f'{key}="{html.escape(value, quote=True)}"')
    return "<" + " ".join(parts) + ">"


def picture_markup(picture: Picture, attrs, sizes: str, first: bool) -> str:
    """``<picture>`` with one ``<source>`` per modern format and the JPEG ``<img>``."""
    sources = "".join(
        format_tag("source", [("type", kind), ("srcset", srcset), ("sizes", sizes)])
        for kind, srcset in picture.sources
    )
    kept = [(k, v) for k, v in attrs if k not in OWN_ATTRIBUTES]
    if not any(k == "alt" for k, _v in kept):
        kept.insert(0, ("alt", ""))
    # The first photo is most likely the largest thing on screen: fetch it
    # first; the others only when the reader scrolls near them.
    loading = (
        [("loading", "eager"), ("fetchpriority", "high")]
        if first
        else [("loading", "lazy"), ("decoding", "async")]
    )
    img = format_tag(
        "img",
        [
            ("src", picture.src),
            ("srcset", picture.srcset),
            ("sizes", sizes),
            ("width", str(picture.width)),
            ("height", str(picture.height)),
            *kept,
            *loading,
        ],
    )
    return f"<picture>{sources}{img}</picture>"


Lookup = Callable[[str, str, dict], "Picture | str | None"]


def rewrite_photos(content: str, lookup: Lookup, sizes: str) -> str:
    """Replace every intrasite photo in ``content``.

    ``lookup(path, value, attrs)`` gets the intrasite path (``anh/x.jpg``),
    the attribute as written and the tag's attributes; it returns the
    :class:`Picture`, a plain URL to put instead (a photo that could not be
    used: never the ``{static}`` link, so Pelican copies nothing), or None to
    leave the tag alone.
    """
    first = [True]

    def replace(match: re.Match) -> str:
        figure, tag, name = match["figure"] or "", match["tag"], match["name"].lower()
        attrs = parse_attributes(tag)
        key = "src" if name == "img" else "href"
        value = next((v for k, v in attrs if k == key), None) or ""
        path = intrasite_path(value)
        if path is None or not is_photo_path(path, links_only=name == "a"):
            return match.group(0)
        found = lookup(path, value, dict(attrs))
        if found is None:
            return match.group(0)
        if isinstance(found, str):
            return figure + format_tag(name, [(k, found if k == key else v) for k, v in attrs])
        if name == "a":
            return figure + format_tag(
                name, [(k, found.large if k == key else v) for k, v in attrs]
            )
        markup = picture_markup(found, attrs, sizes, first[0])
        first[0] = False
        if figure and "photo" in (dict(parse_attributes(figure)).get("class") or "").split():
            # A plain link: the large photo opens without any script. Its
            # accessible name is the alt text of the image inside.
            href = html.escape(found.large, quote=True)
            markup = f'<a class="photo__link" href="{href}">{markup}</a>'
        return figure + markup

    return PHOTO_TAG.sub(replace, content)


_URL_ATTRIBUTE = re.compile(r'(?P<name>\b(?:src|srcset|href))="(?P<value>[^"]*)"')


def absolute_photo_urls(content: str, base: str, folder: str) -> str:
    """Page-relative ``anh/…`` URLs (src, srcset, href) joined onto ``base``."""
    prefix = folder.rstrip("/") + "/"

    def join(url: str) -> str:
        return urljoin(base, url) if url.startswith(prefix) else url

    def replace(match: re.Match) -> str:
        name, value = match["name"], match["value"]
        if name.endswith("srcset"):
            candidates = []
            for candidate in value.split(","):
                url, _sep, descriptor = candidate.strip().partition(" ")
                candidates.append(f"{join(url)} {descriptor}".strip())
            value = ", ".join(candidates)
        else:
            value = join(value)
        return f'{name}="{value}"'

    if prefix not in content:
        return content
    return _URL_ATTRIBUTE.sub(replace, content)
