"""Reading photos and making their derivatives: the pipeline's I/O, no Pelican.

:func:`inspect_photo` reads a photo's header (and hashes its bytes) while
Pelican reads the article; :func:`process` runs in a worker process and makes
every derivative of one photo into the cache: decode once (at reduced scale
for JPEG, see :mod:`bulletin.photos.plan`), rotate by EXIF, convert to sRGB,
then resize from the largest result down, each file saved without any
metadata. Errors are returned as :class:`PhotoError` values, never raised
across the process boundary, so that every bad photo is reported at once.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageFile, UnidentifiedImageError

from bulletin.photos.plan import JPEG_FORMATS, Derivative, PhotoInfo, PhotoPlan, crop_box

# What editors may use — formats every browser shows — the one list the
# checks (bulletin.photos.problems) and the pipeline share; everything else is
# refused before it is decoded (Pillow's EPS reader, for one, would run
# Ghostscript). Pillow's JPEG opener also gives MPO, the multi-picture JPEG
# some cameras write.
OPENERS = ("JPEG", "PNG", "WEBP")
ACCEPTED_FORMATS = frozenset({*OPENERS, "MPO"})
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"hevm", b"mif1", b"msf1")


def is_heif(head: bytes) -> bool:
    """An iPhone's HEIC/HEIF photo, by the first 12 bytes of the file."""
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
ORIENTATION_TAG = 0x0112
WHITE = (255, 255, 255)
PILLOW_FORMATS = {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}


@dataclass(frozen=True)
class PhotoError:
    """Why a photo cannot be published; ``kind`` picks the editor's message."""

    kind: str  # missing, unreadable, not-image, heif, unsupported, too-large, damaged
    detail: str = ""


class UnusablePhotoError(Exception):
    def __init__(self, error: PhotoError):
        super().__init__(error.detail or error.kind)
        self.error = error


@dataclass(frozen=True)
class Job:
    """Make the derivatives of ``roles`` for one photo into its cache entry."""

    source: str
    plan: PhotoPlan
    roles: tuple[str, ...]
    entry: str  # cache folder of this photo: one sub-folder per role
    max_pixels: int
    options: dict  # per format: Pillow save() keywords, see encoder_options()


@dataclass(frozen=True)
class Result:
    source: str
    error: PhotoError | None = None
    seconds: float = 0.0


def open_photo(data: bytes, max_pixels: int) -> Image.Image:
    """Open (header only) a photo an editor gave, or raise :class:`UnusablePhotoError`."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    # A half-copied photo is an error, whatever a library imported in this
    # process set (WeasyPrint turns truncated loading on when it is imported).
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    Image.init()  # registers every opener before ``formats=`` names them
    with warnings.catch_warnings():
        # Between the limit and twice the limit Pillow only warns.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=OPENERS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise UnusablePhotoError(PhotoError("too-large", str(error))) from None
        except UnidentifiedImageError:
            raise UnusablePhotoError(identify_refused(data)) from None
        except (OSError, ValueError, SyntaxError) as error:
            raise UnusablePhotoError(PhotoError("damaged", str(error))) from None
    width, height = image.size
    if width * height > max_pixels:
        raise UnusablePhotoError(PhotoError("too-large", f"{width}×{height}"))
    return image


def identify_refused(data: bytes) -> PhotoError:
    """Tell an unsupported image format from something that is no image."""
    if is_heif(data):
        return PhotoError("heif", "HEIC/HEIF")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(data))  # header only: nothing is decoded
    except Exception:  # noqa: BLE001 - whatever it is, it is not an image we know
        return PhotoError("not-image")
    return PhotoError("unsupported", image.format or "?")


def inspect_photo(path: str, max_pixels: int, decode: bool = False) -> PhotoInfo:
    """Hash the bytes and read the header: format, stored size, orientation.

    With ``decode``, also decodes at reduced scale (``draft``) so that a
    truncated file is caught without paying for a full 12-megapixel decode:
    what ``invoke check`` does, since it makes no derivative. A build reads
    only the header: the pipeline decodes every new photo anyway and reports
    a broken one, while cached photos were decoded once already.
    """
    try:
        # A folder, or a FIFO (opening one would wait forever), is no photo.
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise FileNotFoundError(path)
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise UnusablePhotoError(PhotoError("missing")) from None
    except OSError as error:
        raise UnusablePhotoError(PhotoError("unreadable", error.strerror or str(error))) from None
    image = open_photo(data, max_pixels)
    stored = image.size  # before draft(), which scales it
    if decode:
        try:
            image.draft("RGB", (max(1, stored[0] // 8), max(1, stored[1] // 8)))
            image.load()
        except (OSError, ValueError, SyntaxError) as error:
            raise UnusablePhotoError(PhotoError("damaged", str(error))) from None
    orientation = 1
    try:
        # PNG may keep EXIF after the pixels; reading it there would decode
        # the whole file, so only what the header already holds counts.
        exif = image.getexif() if image.format != "PNG" else _png_header_exif(image)
        orientation = int(exif.get(ORIENTATION_TAG, 1) or 1)
    except Exception:  # noqa: BLE001 - broken EXIF: show the photo as stored
        orientation = 1
    if orientation not in range(1, 9):
        orientation = 1
    return PhotoInfo(
        sha256=hashlib.sha256(data).hexdigest(),
        format=image.format,
        stored=stored,
        orientation=orientation,
    )


def _png_header_exif(image) -> Image.Exif:
    exif = Image.Exif()
    if raw := image.info.get("exif"):
        exif.load(raw)
    return exif


def to_srgb(image: Image.Image) -> Image.Image:
    """8-bit sRGB, RGB or RGBA, with no metadata left in ``info``."""
    icc = image.info.get("icc_profile")
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # convert("L") clips 16-bit values at 255 instead of scaling them.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif mode == "F":
        image = image.point(lambda value: value * 255).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode == "P" and "transparency" in image.info
    )
    target = "RGBA" if has_alpha else "RGB"
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L", "LA"):
        converted = _apply_profile(image, icc, target)
        if converted is not None:
            image = converted
    if image.mode != target:
        image = image.convert(target)
    if target == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # alpha that hides nothing
    image.info = {}
    return image


def _apply_profile(image: Image.Image, icc: bytes, target: str) -> Image.Image | None:
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = ImageCms.getProfileDescription(profile).strip()
    except (OSError, ImageCms.PyCMSError):
        return None  # a broken profile: better the colours as stored than no photo
    if image.mode in ("RGB", "RGBA") and description.startswith("sRGB"):
        return None  # already sRGB: a transform would only cost time
    if image.mode == "LA":
        return None  # littleCMS has no grey + alpha transform: grey as stored
    try:
        return ImageCms.profileToProfile(
            image,
            profile,
            ImageCms.createProfile("sRGB"),
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode="RGB" if image.mode in ("L", "CMYK") else target,
        )
    except ImageCms.PyCMSError:
        return None


def decode(data: bytes, plan: PhotoPlan, max_pixels: int) -> Image.Image:
    """Decode once, at reduced scale where the plan allows, then rotate."""
    image = open_photo(data, max_pixels)
    request = plan.draft_request
    if request is not None and image.format in JPEG_FORMATS:
        # Before load(), in stored orientation: the decoder scales by 1/2…1/8.
        image.draft(None, request)
    try:
        image.load()
    except (OSError, ValueError, SyntaxError) as error:
        raise UnusablePhotoError(PhotoError("damaged", str(error))) from None
    if request is not None and image.size != plan.decoded_size:
        # Not what the plan expected (an unusual JPEG): decode at full scale.
        image = open_photo(data, max_pixels)
        image.load()
    image = to_srgb(image)
    method = TRANSPOSE.get(plan.info.orientation)
    if method is not None:
        image = image.transpose(method)
    return image


def render(decoded: Image.Image, derivatives) -> dict[Derivative, Image.Image]:
    """Every derivative, each resized from the smallest result that suffices.

    Largest first: 2048 from the decoded image, 1600 from the 2048, 960
    from the 1600… each step reuses the last instead of starting again from
    megapixels. Crops are cut (and scaled) from the same chain.
    """
    full = decoded.size
    scaled = [decoded]  # ever smaller, same framing as ``decoded``
    results = {}
    # A fixed order (scaled before cropped at equal scale): which image each
    # derivative is made from must not depend on set order, or two builds
    # could differ by a pixel.
    ordered = sorted(derivatives, key=lambda d: (-d.scale(full), d.crop, d.name))
    for derivative in ordered:
        need = derivative.scale(full)
        base = min(
            (image for image in scaled if image.width / full[0] >= need - 1e-9),
            key=lambda image: image.width,
            default=decoded,
        )
        if derivative.crop:
            box = crop_box(base.size, derivative.size)
            whole = tuple(round(v) for v in box)
            if (
                all(abs(a - b) < 1e-6 for a, b in zip(box, whole, strict=True))
                and (
                    whole[2] - whole[0],
                    whole[3] - whole[1],
                )
                == derivative.size
            ):
                image = base.crop(whole)  # already the right scale: cut, do not resample
            else:
                image = base.resize(derivative.size, Image.Resampling.LANCZOS, box=box)
        elif base.size == derivative.size:
            image = base
        else:
            image = base.resize(derivative.size, Image.Resampling.LANCZOS)
            scaled.append(image)
        results[derivative] = image
    return results


def save(image: Image.Image, path: str, derivative: Derivative, options: dict) -> None:
    """Encode with no EXIF, ICC, XMP or comment: nothing but pixels.

    The file is made read-only: published trees hard-link to it, so nothing
    should ever write into it again.
    """
    if derivative.format == "jpeg" and image.mode == "RGBA":
        # JPEG has no alpha: flatten onto white (WebP and AVIF keep it).
        flat = Image.new("RGB", image.size, WHITE)
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    image.save(path, PILLOW_FORMATS[derivative.format], **options[derivative.format])
    os.chmod(path, 0o444)


def process(job: Job) -> Result:
    """Make one photo's derivatives into its cache entry (in a worker process).

    Each role's files are written into a temporary folder renamed into place
    when complete: an entry that exists is whole, even after a crash.
    """
    started = time.perf_counter()
    try:
        try:
            with open(job.source, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            raise UnusablePhotoError(PhotoError("missing")) from None
        if hashlib.sha256(data).hexdigest() != job.plan.info.sha256:
            raise UnusablePhotoError(PhotoError("changed"))
        decoded = decode(data, job.plan, job.max_pixels)
        wanted = {role: job.plan.derivatives(role) for role in job.roles}
        images = render(decoded, {d for derivatives in wanted.values() for d in derivatives})
        os.makedirs(job.entry, exist_ok=True)
        for role, derivatives in wanted.items():
            folder = tempfile.mkdtemp(prefix=f".{role}-", dir=job.entry)
            try:
                for derivative in derivatives:
                    save(
                        images[derivative],
                        os.path.join(folder, derivative.name),
                        derivative,
                        job.options,
                    )
                os.rename(folder, os.path.join(job.entry, role))
            except OSError:
                if os.path.isdir(os.path.join(job.entry, role)):
                    continue  # another build made it meanwhile: same bytes
                raise
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    except UnusablePhotoError as problem:
        return Result(job.source, problem.error, time.perf_counter() - started)
    except (OSError, ValueError, SyntaxError) as error:
        return Result(job.source, PhotoError("damaged", str(error)), time.perf_counter() - started)
    return Result(job.source, None, time.perf_counter() - started)


class Batch:
    """Jobs on ``workers`` processes, started now, collected by :meth:`results`
    (in this process, at that moment, when one worker is all it takes).

    The build starts its batch when it begins writing pages, so the photos
    are processed while the pages are rendered.
    """

    def __init__(self, jobs: list[Job], workers: int):
        self.jobs = jobs
        self.started = time.perf_counter()
        self.pool = self.futures = None
        self.cpu_seconds = 0.0  # of the workers (or of this process without them)
        if workers > 1 and len(jobs) > 1:
            self._before = os.times()
            self.pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)))
            self.futures = [self.pool.submit(process, job) for job in jobs]

    def results(self) -> list[Result]:
        if self.pool is None:
            before = os.times()
            done = [process(job) for job in self.jobs]
            self.cpu_seconds = sum(os.times()[:2]) - sum(before[:2])
            return done
        try:
            return [future.result() for future in self.futures]
        finally:
            self.pool.shutdown(cancel_futures=True)
            # Reaped workers only: this process renders pages meanwhile.
            self.cpu_seconds = sum(os.times()[2:4]) - sum(self._before[2:4])
