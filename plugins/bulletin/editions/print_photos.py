"""Photos for print: the original, rotated, sRGB, metadata-free, at print resolution.

The web derivatives are too small for paper (a 960 px photo 75 mm wide is
325 dpi, but the 1,600 px large version of a cover 120 mm wide is only 340
dpi — and a wider frame needs more). So each photo an issue prints is made
again from the *original*, read with the photo room's own functions
(:func:`bulletin.photos.process.open_photo`: the accepted formats and the
pixel limit; :func:`~bulletin.photos.process.to_srgb`; its EXIF rotation
table; :func:`~bulletin.photos.process.render` and
:func:`~bulletin.photos.process.save`, which write nothing but pixels) at the
size :func:`bulletin.editions.model.place_photo` decided, and kept in
``EDITION_CACHE_PATH/photos/`` by the photo's bytes and that size: a warm
build decodes nothing. No Pelican here.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass

from bulletin.editions.model import Placement
from bulletin.photos.plan import JPEG_FORMATS, Derivative, PhotoInfo, displayed_size, scaled_down
from bulletin.photos.process import TRANSPOSE, open_photo, render, save, to_srgb

# Bump when what is written changes: every print photo is made again.
PRINT_PHOTO_VERSION = 1
# Baseline JPEG (no progressive scans: older RIPs choke on them), high quality.
JPEG_OPTIONS = {"jpeg": {"quality": 90, "optimize": True}}


@dataclass(frozen=True)
class PrintPhoto:
    """One photo of one issue, as the print HTML shows it."""

    key: str  # cache key: the photo's bytes and its embedded size
    path: str  # the cached JPEG
    placement: Placement
    source: str  # the original's real path
    written: str  # the photo as the editor wrote it, for messages

    @property
    def url(self) -> str:
        """What the print HTML names (bulletin.editions.printing serves it)."""
        return f"bulletin-print:photo/{self.key}.jpg"


def print_key(info: PhotoInfo, placement: Placement) -> str:
    text = f"{info.sha256}:{placement.embed[0]}x{placement.embed[1]}:{PRINT_PHOTO_VERSION}"
    text += f":{sorted(JPEG_OPTIONS['jpeg'].items())}"
    return hashlib.sha256(text.encode()).hexdigest()


def cached_path(cache: str, key: str) -> str:
    return os.path.join(cache, "photos", key[:2], f"{key}.jpg")


def draft_scale(info: PhotoInfo, embed) -> int:
    """The smallest JPEG decode (1/8, 1/4, 1/2) still at least ``embed``."""
    if info.format not in JPEG_FORMATS:
        return 1
    for scale in (8, 4, 2):
        width, height = displayed_size(scaled_down(info.stored, scale), info.orientation)
        if width >= embed[0] and height >= embed[1]:
            return scale
    return 1


def make_print_photo(source: str, info: PhotoInfo, placement: Placement, cache: str,
                     max_pixels: int) -> str:  # fmt: skip
    """The cached print JPEG of ``source`` (made now if missing); raises
    ``OSError``/``UnusablePhotoError`` on a photo the checks let through
    but that changed since (the caller reports it)."""
    key = print_key(info, placement)
    target = cached_path(cache, key)
    if os.path.isfile(target):
        return target
    with open(source, "rb") as handle:
        data = handle.read()
    image = open_photo(data, max_pixels)
    scale = draft_scale(info, placement.embed)
    if scale > 1:
        # Before load(), in stored orientation: the decoder scales for free.
        image.draft("RGB", (info.stored[0] // scale, info.stored[1] // scale))
    image.load()
    image = to_srgb(image)
    method = TRANSPOSE.get(info.orientation)
    if method is not None:
        image = image.transpose(method)
    derivative = Derivative(*placement.embed, "jpeg")
    made = render(image, {derivative})[derivative]
    os.makedirs(os.path.dirname(target), exist_ok=True)
    folder = os.path.dirname(target)
    handle, temporary = tempfile.mkstemp(prefix=".print-", suffix=".jpg", dir=folder)
    os.close(handle)
    try:
        save(made, temporary, derivative, JPEG_OPTIONS)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return target
