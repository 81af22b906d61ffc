"""The photos of one build: what each file is, and where its derivatives live.

:func:`examine` is the one way a photo file is read for its header (and
hash), by the checks (:mod:`bulletin.photos.problems`) and the pipeline alike.
"""

from __future__ import annotations

from bulletin.photos.plan import PhotoInfo
from bulletin.photos.process import PhotoError, UnusablePhotoError, inspect_photo

LIBRARY_KEY = "photo_library"  # the build's PhotoLibrary, in Pelican's context


def examine(path: str, max_pixels: int, decode: bool = False) -> PhotoInfo | PhotoError:
    """A photo's :class:`~bulletin.photos.plan.PhotoInfo`, or the
    :class:`~bulletin.photos.process.PhotoError` that keeps it off the site."""
    try:
        return inspect_photo(path, max_pixels, decode)
    except UnusablePhotoError as problem:
        return problem.error
    except Exception as error:  # noqa: BLE001 - one bad photo is a problem, not a crash
        return PhotoError("damaged", f"{type(error).__name__}: {error}")
