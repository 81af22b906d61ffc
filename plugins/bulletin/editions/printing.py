"""An issue's print HTML made into its PDF with WeasyPrint, cached by digest. No Pelican.

- :func:`print_body`: an article's published HTML (already sanitised, its
  photos already ``<picture>`` markup) for paper: each photo becomes one
  ``<img>`` of its print version at its placed size; any other image goes
  (a printer has no network, and neither has this build).
- :class:`EditionFetcher`: the only way WeasyPrint reads anything. It serves
  files whose real path lies inside ``content/`` or ``theme/``, and the print
  photos this issue registered (``bulletin-print:photo/<key>.jpg``);
  everything else — ``http://``, ``file:///etc/passwd``, a symlink out of
  ``content/``, ``data:`` — is refused, so no URL is ever fetched.
- :func:`render`: the PDF, laid out until the colophon sits on the last
  page (PDF/A-3a: archival and tagged; metadata from the
  HTML: ``<title>``, ``lang="vi"``, the agency as author, the issue's date as
  creation date, so two builds write the same bytes), its page count and the
  boxes that overflow the page, kept in ``EDITION_CACHE_PATH`` under the
  digest of everything that shapes it (:func:`digest`): the print HTML — it
  names every text, setting and print photo —, the stylesheet and the
  versions of WeasyPrint and its libraries.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import unquote, urlparse

from markupsafe import Markup

from bulletin.editions.print_photos import PrintPhoto
from bulletin.photos.markup import format_tag, parse_attributes

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/a-3a"  # PDF/A-3 level A: archival, tagged (reading order, alt text)
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "fonttools")
# What bulletin.photos.markup writes for a photo: <picture>, maybe inside
# the figure's link to the large version.
_PICTURE = re.compile(
    r'(?:<a class="photo__link"[^>]*>)?<picture>(?P<inner>.*?)</picture>(?:</a>)?', re.DOTALL
)
_IMG = re.compile(r"<img\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)


def photo_stem(src: str) -> str:
    """``anh/nhung-11-1d78009f-768.jpg`` → ``nhung-11-1d78009f``: the photo
    (its stem and short hash, :meth:`bulletin.photos.plan.PhotoPlan.file_name`)."""
    name = src.rsplit("/", 1)[-1]
    return name.rsplit("-", 1)[0]


def print_body(html: str, photos: dict[str, PrintPhoto]) -> Markup:
    """The article body for paper. ``photos``: {photo_stem: PrintPhoto}.

    ``html`` is a body the reader already put through the one allow-list
    sanitiser (bulletin.content.sanitize); this only swaps its photos for print
    photos and drops any other ``<img>``, so the result is Markup and the print
    template needs no ``|safe``.
    """

    def picture(match: re.Match) -> str:
        img = _IMG.search(match["inner"])
        attrs = dict(parse_attributes(img.group(0))) if img else {}
        photo = photos.get(photo_stem(attrs.get("src") or ""))
        if photo is None:
            return ""
        return print_img(photo, attrs.get("alt") or "")

    html = _PICTURE.sub(picture, html)
    # Any <img> left is not one of the site's photos: nothing to print it from.
    return Markup(_IMG.sub(lambda m: m.group(0) if "bulletin-print:" in m.group(0) else "", html))


def print_img(photo: PrintPhoto, alt: str) -> Markup:
    """``<img>`` of a print photo at its placed size (escaped attributes)."""
    size = f"width: {photo.placement.width_mm}mm; height: {photo.placement.height_mm}mm"
    return Markup(
        format_tag(
            "img", [("src", photo.url), ("alt", alt), ("class", "print-photo"), ("style", size)]
        )
    )


# --- what WeasyPrint may read --------------------------------------------------------------
def _weasyprint():
    from PIL import ImageFile  # noqa: PLC0415

    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import:
    # the photo checks of every later build in this process (livereload, the
    # tests) would then take a half-copied photo for a good one. It only ever
    # reads our own print photos, so Pillow's default is put back.
    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    import weasyprint  # noqa: PLC0415 - imported when an issue is rendered (Pango loads)

    ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    return weasyprint


def _inside(path: str, root: str) -> bool:
    root = os.path.realpath(root)
    return path == root or path.startswith(root + os.sep)


def make_fetcher(roots, photos: dict[str, str]):
    """A WeasyPrint URL fetcher serving ``file:`` URLs inside ``roots`` and
    the print photos ``{url: path}``; every other URL raises."""
    weasyprint = _weasyprint()

    class EditionFetcher(weasyprint.URLFetcher):
        refused: list[str]

        def fetch(self, url, headers=None):
            path = photos.get(url)
            if path is None and url.startswith("file:"):
                real = os.path.realpath(unquote(urlparse(url).path))
                if any(_inside(real, root) for root in roots) and os.path.isfile(real):
                    path = real
            if path is None:
                self.refused.append(url)
                raise ValueError(f"not served to the print renderer: {url[:200]}")
            with open(path, "rb") as handle:
                body = handle.read()
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": kind}, status=200)

    fetcher = EditionFetcher(allowed_protocols=("file", "bulletin-print"), timeout=1)
    fetcher.refused = []
    return fetcher


# --- rendering and the cache ---------------------------------------------------------------
@dataclass(frozen=True)
class Rendered:
    """An issue's PDF in the cache, and what its layout said."""

    path: str
    pages: int
    size: int
    overflow: tuple[str, ...] = ()  # boxes wider than the page's content area
    refused: tuple[str, ...] = ()  # URLs the fetcher refused


def versions() -> str:
    found = []
    for library in LIBRARIES:
        try:
            found.append(f"{library}={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            found.append(f"{library}=none")
    return ",".join(found)


def digest(html: str, css: str) -> str:
    text = "\0".join((html, css, PDF_VARIANT, versions()))
    return hashlib.sha256(text.encode()).hexdigest()


def cached(cache: str, key: str) -> Rendered | None:
    folder = os.path.join(cache, "pdf", key[:2])
    try:
        with open(os.path.join(folder, f"{key}.json"), encoding="utf-8") as handle:
            facts = json.load(handle)
        path = os.path.join(folder, f"{key}.pdf")
        return Rendered(
            path,
            int(facts["pages"]),
            os.path.getsize(path),
            tuple(facts.get("overflow", ())),
            tuple(facts.get("refused", ())),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def render(make_html: Callable[[int], str], css: str, *, cache: str, roots,
           photos: dict[str, str], base_url: str, max_pages: int) -> Rendered:  # fmt: skip
    """The PDF of ``make_html(last_page)`` styled by ``css``, from the cache
    when rendered before.

    The colophon belongs at the foot of the *last* page, which only a
    layout can tell: the first pass (``last_page`` 0) counts the pages, the
    next gives that page the colophon's margin; if the margin pushed text
    onto a new page, once more with that number. Over ``max_pages`` the
    first layout is all: nothing is written (the build stops on it).
    """
    first = make_html(0)
    key = digest(first, css)  # the later passes follow from the first
    found = cached(cache, key)
    if found is not None:
        return found
    weasyprint = _weasyprint()
    fetcher = make_fetcher(roots, photos)
    stylesheet = weasyprint.CSS(string=css, url_fetcher=fetcher)

    def lay_out(html: str):
        return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[stylesheet]
        )

    pages = len(lay_out(first).pages)
    if pages > max_pages:  # the build stops on it: no second layout, no file
        return Rendered("", pages, 0)
    for _attempt in range(3):
        document = lay_out(make_html(pages))
        if len(document.pages) == pages:
            break
        pages = len(document.pages)
    from bulletin.editions.layout import overflowing  # noqa: PLC0415 - WeasyPrint internals

    overflow = overflowing(document)
    data = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=key[:32].encode())
    folder = os.path.join(cache, "pdf", key[:2])
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".pdf-", dir=folder)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o444)  # published as a hard link: never written again
    os.replace(temporary, os.path.join(folder, f"{key}.pdf"))
    refused = sorted(set(fetcher.refused))
    facts = {"pages": len(document.pages), "overflow": overflow, "refused": refused}
    handle, temporary = tempfile.mkstemp(prefix=".json-", dir=folder)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(facts, out)
    os.replace(temporary, os.path.join(folder, f"{key}.json"))
    return Rendered(
        os.path.join(folder, f"{key}.pdf"),
        len(document.pages),
        len(data),
        tuple(overflow),
        tuple(refused),
    )
