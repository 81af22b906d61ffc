"""What the photo pipeline makes of one photo, as pure rules: no Pelican, no I/O.

Given what a photo's header says (format, stored size, EXIF orientation) and
the pipeline settings, :func:`plan_photo` decides every derivative: the
responsive widths (never upscaled, nor wider than the large version), the
large version the figure links to, the listing thumbnails and the OpenGraph
crop, and the JPEG draft scale that lets the photo be decoded once, at the
smallest scale that still serves every derivative. File names and the cache
key come from here too, so the markup (written while Pelican reads the
article) and the files (made later, in other processes) cannot disagree.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field

# Bump when the processing code changes what it writes: every cached
# derivative is then made again.
PIPELINE_VERSION = 1

# Formats whose decoder can scale by 1/2, 1/4 or 1/8 while decoding (draft).
JPEG_FORMATS = frozenset({"JPEG", "MPO"})
# EXIF orientations that turn the stored image by 90°: width and height swap.
ROTATED = frozenset({5, 6, 7, 8})
EXTENSIONS = {"jpeg": "jpg", "webp": "webp", "avif": "avif"}
MIME_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}
# Files that a link or an <img> may point to and that are treated as photos:
# never published as they are. (SVG drawings are not photos: left to Pelican.)
NOT_PHOTOS = frozenset({".svg", ".svgz"})
RASTER_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp"}
    | {".heic", ".heif", ".avif"}
)

Size = tuple[int, int]


@dataclass(frozen=True)
class PipelineSettings:
    """The settings that shape derivatives: a change to any makes them again."""

    widths: tuple[int, ...] = (480, 960, 1600)
    default_width: int = 960
    large: int = 2048
    # The large version may be this much smaller than ``large`` when that lets
    # a JPEG decode at 1/2 or 1/4 scale (4000 px → 2000 px instead of 2048 px:
    # about twice as fast, and nobody can tell).
    large_tolerance: float = 0.05
    thumbs: tuple[Size, ...] = ((480, 320), (960, 640))
    og: Size = (1200, 630)
    formats: tuple[str, ...] = ("webp",)  # besides JPEG, best first
    jpeg_quality: int = 82
    webp_quality: int = 78
    webp_method: int = 4
    avif_quality: int = 60
    avif_speed: int = 8
    version: int = field(default=PIPELINE_VERSION)

    @classmethod
    def from_settings(cls, settings) -> PipelineSettings:
        return cls(
            widths=tuple(sorted({int(w) for w in settings["PHOTO_WIDTHS"]})),
            default_width=int(settings["PHOTO_DEFAULT_WIDTH"]),
            large=int(settings["PHOTO_LARGE_SIZE"]),
            large_tolerance=float(settings["PHOTO_LARGE_TOLERANCE"]),
            thumbs=tuple((int(w), int(h)) for w, h in settings["PHOTO_THUMB_SIZES"]),
            og=tuple(int(v) for v in settings["PHOTO_OG_SIZE"]),
            formats=tuple(f.lower() for f in settings["PHOTO_FORMATS"] if f.lower() != "jpeg"),
            jpeg_quality=int(settings["PHOTO_JPEG_QUALITY"]),
            webp_quality=int(settings["PHOTO_WEBP_QUALITY"]),
            webp_method=int(settings["PHOTO_WEBP_METHOD"]),
            avif_quality=int(settings["PHOTO_AVIF_QUALITY"]),
            avif_speed=int(settings["PHOTO_AVIF_SPEED"]),
        )

    def digest(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def encoder_options(self) -> dict[str, dict]:
        """Pillow ``save()`` keywords per format."""
        return {
            # Progressive: a whole blurry photo at once on a slow connection.
            "jpeg": {"quality": self.jpeg_quality, "progressive": True, "optimize": True},
            "webp": {"quality": self.webp_quality, "method": self.webp_method},
            "avif": {"quality": self.avif_quality, "speed": self.avif_speed},
        }


# Every PHOTO_* setting's fallback, the one place (pelicanconf.py shows the
# ones an agency tunes): the pipeline's come from PipelineSettings above.
_PIPELINE = PipelineSettings()
DEFAULTS = {
    # Widths of the responsive set (never wider than the photo), and which
    # one <img src> names for browsers without srcset.
    "PHOTO_WIDTHS": list(_PIPELINE.widths),
    "PHOTO_DEFAULT_WIDTH": _PIPELINE.default_width,
    # The version a click on a figure opens: longest side, JPEG.
    "PHOTO_LARGE_SIZE": _PIPELINE.large,
    "PHOTO_LARGE_TOLERANCE": _PIPELINE.large_tolerance,
    # Listing-card crops (3:2) and the OpenGraph image (cropped to fill).
    "PHOTO_THUMB_SIZES": list(_PIPELINE.thumbs),
    "PHOTO_OG_SIZE": _PIPELINE.og,
    # Besides JPEG, which is always made: "webp", "avif" (best first).
    "PHOTO_FORMATS": list(_PIPELINE.formats),
    "PHOTO_JPEG_QUALITY": _PIPELINE.jpeg_quality,
    "PHOTO_WEBP_QUALITY": _PIPELINE.webp_quality,
    "PHOTO_WEBP_METHOD": _PIPELINE.webp_method,
    "PHOTO_AVIF_QUALITY": _PIPELINE.avif_quality,
    "PHOTO_AVIF_SPEED": _PIPELINE.avif_speed,
    # The column is at most 42rem wide (--w-text in the theme).
    "PHOTO_SIZES": "(min-width: 50rem) 42rem, 100vw",
    # Folder beside each page's index.html that holds its photos.
    "PHOTO_DIR": "anh",
    # Relative to the folder that holds content/ (the project root).
    "PHOTO_CACHE_PATH": "cache/photos",
    "PHOTO_WORKERS": None,  # None: every available core
    # Published derivatives are hard links into the (read-only) cache files;
    # False copies them instead.
    "PHOTO_HARDLINKS": True,
    # Larger is refused as a decompression bomb (a 50-megapixel phone photo is fine).
    "PHOTO_MAX_PIXELS": 60_000_000,
}


@dataclass(frozen=True)
class PhotoInfo:
    """What a photo's header says, and the hash of its bytes."""

    sha256: str
    format: str  # Pillow's name: JPEG, PNG, WEBP…
    stored: Size  # as stored, before EXIF rotation
    orientation: int = 1


@dataclass(frozen=True)
class Derivative:
    """One file made from a photo: a scaled copy or a centred crop."""

    width: int
    height: int
    format: str  # jpeg, webp, avif
    crop: bool = False

    @property
    def size(self) -> Size:
        return (self.width, self.height)

    @property
    def name(self) -> str:
        """``960.webp``, ``480x320.jpg``: unique within one photo's files."""
        ext = EXTENSIONS[self.format]
        if self.crop:
            return f"{self.width}x{self.height}.{ext}"
        return f"{self.width}.{ext}"

    def scale(self, source: Size) -> float:
        """Output pixels per source pixel: how much detail it needs."""
        if self.crop:
            region = crop_region(source, self.size)
            return self.width / region[0]
        return max(self.width / source[0], self.height / source[1])


@dataclass(frozen=True)
class PhotoPlan:
    """Every derivative of one photo, and how to decode it."""

    info: PhotoInfo
    key: str  # cache key: the photo's bytes and the pipeline settings
    size: Size  # as displayed, after EXIF rotation
    responsive: tuple[Size, ...]  # ascending widths
    default: Size  # the <img src> one
    large: Size  # what the figure links to
    thumbs: tuple[Size, ...]
    og: Size
    formats: tuple[str, ...]  # of the responsive set, best first, JPEG last
    draft_scale: int = 1  # JPEG decoded at 1/draft_scale

    @property
    def short_hash(self) -> str:
        return self.key[:8]

    @property
    def decoded_size(self) -> Size:
        """Stored-orientation size the decoder gives at ``draft_scale``."""
        return scaled_down(self.info.stored, self.draft_scale)

    @property
    def draft_request(self) -> Size | None:
        """The size to pass to ``Image.draft`` (stored orientation), if any.

        Pillow picks the scale as ``min(w // rw, h // rh)``, so asking for
        the floor of the scaled size makes it pick exactly ``draft_scale``.
        """
        if self.draft_scale == 1:
            return None
        width, height = self.info.stored
        return (width // self.draft_scale, height // self.draft_scale)

    def derivatives(self, role: str) -> tuple[Derivative, ...]:
        """``body``: responsive set and large version; ``cover``: thumbnails, OG."""
        if role == "body":
            made = [Derivative(w, h, fmt) for w, h in self.responsive for fmt in self.formats]
            made.append(Derivative(*self.large, "jpeg"))
        elif role == "cover":
            made = [Derivative(w, h, "jpeg", crop=True) for w, h in (*self.thumbs, self.og)]
        else:
            raise ValueError(role)
        return tuple(dict.fromkeys(made))  # a tiny photo's sizes coincide

    def file_name(self, stem: str, derivative: Derivative) -> str:
        return f"{stem}-{self.short_hash}-{derivative.name}"


def displayed_size(stored: Size, orientation: int) -> Size:
    """Size after the EXIF orientation is applied: portraits stay portrait."""
    width, height = stored
    return (height, width) if orientation in ROTATED else (width, height)


def scaled_size(size: Size, width: int) -> Size:
    """``size`` scaled to ``width``, aspect kept."""
    return (width, max(1, round(size[1] * width / size[0])))


def scaled_down(size: Size, scale: int) -> Size:
    """What a JPEG decoder gives at 1/scale: every side rounded up."""
    return (math.ceil(size[0] / scale), math.ceil(size[1] / scale))


def responsive_sizes(size: Size, widths) -> tuple[Size, ...]:
    """One size per configured width, never wider than the photo itself."""
    return tuple(scaled_size(size, w) for w in sorted({min(w, size[0]) for w in widths}))


def fit_long_side(size: Size, long_side: int) -> Size:
    """Scaled so that the longer side is at most ``long_side``."""
    width, height = size
    if max(width, height) <= long_side:
        return size
    if width >= height:
        return (long_side, max(1, round(height * long_side / width)))
    return (max(1, round(width * long_side / height)), long_side)


def crop_region(size: Size, target: Size) -> Size:
    """The largest centred region of ``size`` with the aspect of ``target``."""
    width, height = size
    if width * target[1] > height * target[0]:  # wider than the target
        return (max(1, round(height * target[0] / target[1])), height)
    return (width, max(1, round(width * target[1] / target[0])))


def crop_size(size: Size, target: Size) -> Size:
    """``target``, or the crop region itself when the photo is too small."""
    region = crop_region(size, target)
    if region[0] >= target[0] and region[1] >= target[1]:
        return target
    return region


def crop_box(size: Size, target: Size) -> tuple[float, float, float, float]:
    """Centred box of ``size`` with the exact aspect of ``target`` (floats)."""
    width, height = size
    box_width = min(width, height * target[0] / target[1])
    box_height = box_width * target[1] / target[0]
    left = (width - box_width) / 2
    top = (height - box_height) / 2
    return (left, top, left + box_width, top + box_height)


def cache_key(sha256: str, digest: str) -> str:
    """Same bytes and same settings, same derivatives: wherever the file lives."""
    return hashlib.sha256(f"{sha256}:{digest}".encode()).hexdigest()


def plan_photo(info: PhotoInfo, settings: PipelineSettings, digest: str | None = None) -> PhotoPlan:
    """Every derivative of one photo, and the JPEG decoding scale that serves them all.

    The large version is the biggest file published: the responsive widths
    are capped at its width (a 1600 px wide portrait would be taller than it).
    A JPEG decodes at the smallest scale (1/8, 1/4, 1/2) whose result is at
    least as large as the large version — or, within ``large_tolerance`` of
    ``settings.large``, becomes the large version itself — and serves every
    other derivative without upscaling.
    """
    size = displayed_size(info.stored, info.orientation)
    nominal = fit_long_side(size, settings.large)
    candidates = [(1, nominal)]
    if info.format in JPEG_FORMATS:
        for scale in (2, 4, 8):
            decoded = displayed_size(scaled_down(info.stored, scale), info.orientation)
            if max(decoded) >= max(nominal):
                candidates.append((scale, nominal))
            elif max(decoded) >= settings.large * (1 - settings.large_tolerance):
                candidates.append((scale, decoded))
    for scale, large in reversed(candidates):  # the smallest decode first
        responsive = responsive_sizes(size, [min(w, large[0]) for w in settings.widths])
        thumbs = tuple(dict.fromkeys(crop_size(size, t) for t in settings.thumbs))
        og = crop_size(size, settings.og)
        made = [Derivative(*large, "jpeg")]
        made += [Derivative(w, h, "jpeg") for w, h in responsive]
        made += [Derivative(w, h, "jpeg", crop=True) for w, h in (*thumbs, og)]
        decoded = displayed_size(scaled_down(info.stored, scale), info.orientation)
        ratio = min(decoded[0] / size[0], decoded[1] / size[1])
        # A pixel of rounding is no upscale worth a four times slower decode.
        if scale == 1 or all(d.scale(size) <= ratio * 1.001 for d in made):
            break
    at_most_default = [s for s in responsive if s[0] <= settings.default_width]
    return PhotoPlan(
        info=info,
        key=cache_key(info.sha256, digest or settings.digest()),
        size=size,
        responsive=responsive,
        default=at_most_default[-1] if at_most_default else responsive[0],
        large=large,
        thumbs=thumbs,
        og=og,
        formats=(*settings.formats, "jpeg"),
        draft_scale=scale,
    )
