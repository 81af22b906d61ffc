"""The photos of one build: what each file is, and where its derivatives live.

:func:`examine` is the one way a photo file is read for its header (and
hash), by the checks (:mod:`bulletin.photos.problems`) and the pipeline alike;
a :class:`PhotoLibrary`, made by the photo generator for each build and put
in Pelican's context as ``photo_library``, remembers what it found so that a
photo is read once per build, and across builds through an index in the
cache folder. No signals here.
"""

from __future__ import annotations

import json
import os
import tempfile

from bulletin.build.cache import project_path
from bulletin.photos.plan import (
    DEFAULTS,
    PhotoInfo,
    PhotoPlan,
    PipelineSettings,
    plan_photo,
)
from bulletin.photos.process import (
    ACCEPTED_FORMATS,
    Batch,
    Job,
    PhotoError,
    UnusablePhotoError,
    inspect_photo,
)

LIBRARY_KEY = "photo_library"  # the build's PhotoLibrary, in Pelican's context
INDEX_FILE = "index.json"


def examine(path: str, max_pixels: int, decode: bool = False) -> PhotoInfo | PhotoError:
    """A photo's :class:`~bulletin.photos.plan.PhotoInfo`, or the
    :class:`~bulletin.photos.process.PhotoError` that keeps it off the site."""
    try:
        return inspect_photo(path, max_pixels, decode)
    except UnusablePhotoError as problem:
        return problem.error
    except Exception as error:  # noqa: BLE001 - one bad photo is a problem, not a crash
        return PhotoError("damaged", f"{type(error).__name__}: {error}")


def cache_path(settings) -> str:
    return project_path(settings, "PHOTO_CACHE_PATH", DEFAULTS["PHOTO_CACHE_PATH"])


def worker_count(settings) -> int:
    wanted = settings.get("PHOTO_WORKERS")
    if wanted:
        return max(1, int(wanted))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class PhotoLibrary:
    """Photos inspected during one build, and how to find their derivatives.

    Reading a photo's header means hashing all its bytes (the cache key): an
    index in the cache folder remembers, per file, its size, mtime and inode
    with the hash and header, so a rebuild reads only photos that changed. A
    fresh checkout (new mtimes) simply hashes everything again.
    """

    def __init__(self, settings):
        self.settings = settings
        self.pipeline = PipelineSettings.from_settings(settings)
        self.digest = self.pipeline.digest()
        self.cache_path = cache_path(settings)
        self.max_pixels = int(settings["PHOTO_MAX_PIXELS"])
        self.folder = settings["PHOTO_DIR"]
        self.sizes = settings["PHOTO_SIZES"]
        self.seconds = 0.0
        # path → (what was found, whether the photo was decoded to find it)
        self._found: dict[str, tuple[PhotoInfo | PhotoError, bool]] = {}
        self._plans: dict[str, PhotoPlan] = {}
        self._index = self._load_index()
        self._seen: dict[str, list] = {}
        # PhotoProblem keys reported this build, by the checks or the
        # pipeline: a bad photo is reported once (bulletin.photos.problems).
        self.reported: set[tuple] = set()
        # The photos this build must process (PhotoGenerator.generate_context)
        # and their batch, started when the pages start being written.
        self.jobs: list[Job] = []
        self.workers = 1
        self.batch: Batch | None = None

    def start_processing(self) -> Batch:
        if self.batch is None:
            self.batch = Batch(self.jobs, self.workers)
        return self.batch

    def _load_index(self) -> dict:
        try:
            with open(os.path.join(self.cache_path, INDEX_FILE), encoding="utf-8") as handle:
                index = json.load(handle)
        except (OSError, ValueError):
            return {}
        return index if isinstance(index, dict) else {}

    def save_index(self) -> None:
        os.makedirs(self.cache_path, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".index-", dir=self.cache_path)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(self._seen, out, sort_keys=True)
        os.replace(temporary, os.path.join(self.cache_path, INDEX_FILE))

    def inspect(self, path: str, decode: bool = False) -> PhotoInfo | PhotoError:
        """What ``path`` is; ``decode`` as :func:`examine` (a decoded answer
        also serves those that did not ask for one)."""
        found = self._found.get(path)
        if found is None or (decode and not found[1]):
            found = (self._inspect(path, decode), decode)
            self._found[path] = found
        return found[0]

    def _inspect(self, path: str, decode: bool) -> PhotoInfo | PhotoError:
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            return PhotoError("missing")
        except OSError as error:
            return PhotoError("unreadable", error.strerror or str(error))
        fingerprint = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        known = self._index.get(path)
        if not decode and isinstance(known, list) and len(known) == 8 and known[:3] == fingerprint:
            info = PhotoInfo(known[3], known[4], (known[5], known[6]), known[7])
            width, height = info.stored
            if info.format in ACCEPTED_FORMATS and width * height <= self.max_pixels:
                self._seen[path] = known
                return info
        info = examine(path, self.max_pixels, decode)
        if isinstance(info, PhotoInfo):
            header = [info.sha256, info.format, *info.stored, info.orientation]
            self._seen[path] = [*fingerprint, *header]
        return info

    def plan(self, info: PhotoInfo) -> PhotoPlan:
        if info.sha256 not in self._plans:
            self._plans[info.sha256] = plan_photo(info, self.pipeline, self.digest)
        return self._plans[info.sha256]

    def entry(self, plan: PhotoPlan) -> str:
        return os.path.join(self.cache_path, plan.key[:2], plan.key)

    def job(self, path: str, plan: PhotoPlan, roles) -> Job:
        return Job(
            source=path,
            plan=plan,
            roles=tuple(roles),
            entry=self.entry(plan),
            max_pixels=self.max_pixels,
            options=self.pipeline.encoder_options(),
        )
