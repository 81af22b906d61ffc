"""Photos: small, private, responsive copies of every photo a page shows.

The original an editor drops in (12 megapixels, GPS coordinates, the phone's
serial number) is never published. Each page gets, in its own ``anh/``
folder, derivatives made by :mod:`bulletin.photos.process` at the sizes that
:mod:`bulletin.photos.plan` decides, referenced by the ``<picture>`` markup of
:mod:`bulletin.photos.markup`. Derivatives are cached outside the output,
keyed by the photo's bytes and the pipeline settings, and made in parallel.

Connects:

- ``initialized``: fills the ``PHOTO_*`` settings' defaults;
- ``get_generators``: adds :class:`PhotoGenerator`, which runs after the
  article and page generators: it processes what the cache lacks (in a
  process pool) and links or copies the derivatives into each page's folder
  after the pages are written (``generator.stats`` counts processed and
  cached photos);
- ``content_object_init``: rewrites each article's and page's HTML so that
  no ``{static}`` link to a photo remains (Pelican then never copies the
  original) and records on it the photos it shows (``bulletin_photos``), its
  cover and any bad photo (``bulletin_photo_problems``);
- ``article_generator_finalized``: sets ``article.cover_photo`` for listing
  cards and OpenGraph, reports bad photos through ``bulletin.content.validation``,
  keeps drafts' other static files private;
- ``page_generator_finalized``: reports pages' bad photos;
- ``feed_generated``: makes photo URLs in feeds absolute.

The generator's :class:`PhotoLibrary` (per build: photos inspected so far,
the index of photo fingerprints) is shared through the context as
``photo_library``. Must run after ``bulletin.content.reader`` (it reads
``bulletin_source``) and ``bulletin.content.validation`` (which stops the build).
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import Generator
from PIL import Image, features

from bulletin.build.cache import project_path
from bulletin.content.model import ERROR, Problem
from bulletin.content.reader import display_path
from bulletin.content.validation import ContentError, add_problems
from bulletin.content.vietnamese import slugify
from bulletin.photos.markup import (
    INTRASITE,
    Picture,
    absolute_photo_urls,
    picture_for,
    rewrite_photos,
)
from bulletin.photos.plan import (
    DEFAULTS,
    Derivative,
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

logger = logging.getLogger(__name__)

LIBRARY_KEY = "photo_library"
QUOTED = re.compile(r'"[^"]+"')  # the photo, as every message quotes it
INDEX_FILE = "index.json"
PROBLEM_TEXTS = {
    "missing": (
        'Không tìm thấy tệp ảnh "{src}"',
        "kiểm tra tên tệp (phân biệt chữ hoa, chữ thường) và thư mục ảnh",
    ),
    "outside": (
        'Ảnh "{src}" nằm ngoài thư mục content/',
        "chép ảnh vào thư mục anh/ cạnh bài viết và sửa đường dẫn",
    ),
    "unreadable": (
        'Không đọc được tệp ảnh "{src}" ({detail})',
        "kiểm tra quyền đọc tệp, rồi chép lại ảnh",
    ),
    "not-image": (
        'Tệp "{src}" không phải là ảnh',
        "chép lại ảnh gốc (JPEG hoặc PNG) từ máy ảnh hoặc điện thoại",
    ),
    "heif": (
        'Ảnh "{src}" ở định dạng HEIC/HEIF (ảnh iPhone), chưa được hỗ trợ',
        "xuất ảnh sang JPEG (trên iPhone: Cài đặt > Camera > Định dạng > Tương thích nhất) "
        "rồi chép lại",
    ),
    "unsupported": (
        'Ảnh "{src}" ở định dạng {detail}, không được hỗ trợ',
        "lưu lại ảnh dưới dạng JPEG hoặc PNG",
    ),
    "too-large": (
        'Ảnh "{src}" quá lớn: hơn {limit} triệu điểm ảnh ({detail})',
        "thu nhỏ ảnh (ví dụ còn 4000 × 3000 điểm ảnh) rồi chép lại",
    ),
    "damaged": (
        'Ảnh "{src}" bị hỏng hoặc chép chưa hết ({detail})',
        "mở ảnh bằng trình xem ảnh để kiểm tra, rồi chép lại tệp ảnh gốc",
    ),
    "changed": (
        'Ảnh "{src}" bị thay đổi trong khi đang dựng trang',
        "chạy lại lệnh dựng trang",
    ),
}


@dataclass(frozen=True)
class PhotoUse:
    """One photo as one page shows it."""

    path: str  # absolute path of the original
    value: str  # the src in the HTML (or the Cover metadata), for messages
    cover_line: int | None  # the Cover metadata's line, for a cover not in the body
    alt: str
    plan: PhotoPlan
    stem: str  # URL-safe name of the file, for the derivatives' names

    def file_name(self, derivative: Derivative) -> str:
        return self.plan.file_name(self.stem, derivative)


@dataclass(frozen=True)
class CoverPhoto:
    """What a listing card and the OpenGraph tags need (URLs from the site root)."""

    url: str  # the smallest thumbnail, JPEG
    width: int
    height: int
    candidates: tuple[tuple[str, int], ...]  # (url, width) of every thumbnail
    alt: str
    og_url: str  # absolute when SITEURL is
    og_width: int
    og_height: int
    # Every crop, largest first, for JSON-LD and the API: url, width, height, type.
    sizes: tuple[dict, ...] = ()


@dataclass
class PhotoStats:
    photos: int = 0  # distinct photos published by this build
    processed: int = 0  # decoded and encoded by this build
    cached: int = 0  # taken whole from the cache
    files: int = 0  # derivative files copied into the output
    workers: int = 0
    process_seconds: float = 0.0  # wall time from the start of processing to its end
    process_cpu_seconds: float = 0.0  # CPU time of the processing, workers included
    seconds: float = 0.0  # everything photos cost this build
    failures: list = field(default_factory=list)


def set_defaults(pelican) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    formats = [f.lower() for f in settings["PHOTO_FORMATS"]]
    if "avif" in formats and not features.check("avif"):
        logger.warning("PHOTO_FORMATS: this Pillow cannot write AVIF; making WebP and JPEG only")
        formats.remove("avif")
    settings["PHOTO_FORMATS"] = formats
    Image.MAX_IMAGE_PIXELS = int(settings["PHOTO_MAX_PIXELS"])


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
        self._found: dict[str, PhotoInfo | PhotoError] = {}
        self._plans: dict[str, PhotoPlan] = {}
        self._index = self._load_index()
        self._seen: dict[str, list] = {}
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

    def inspect(self, path: str) -> PhotoInfo | PhotoError:
        if path not in self._found:
            self._found[path] = self._inspect(path)
        return self._found[path]

    def _inspect(self, path: str) -> PhotoInfo | PhotoError:
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            return PhotoError("missing")
        except OSError as error:
            return PhotoError("unreadable", error.strerror or str(error))
        fingerprint = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        known = self._index.get(path)
        if isinstance(known, list) and len(known) == 8 and known[:3] == fingerprint:
            info = PhotoInfo(known[3], known[4], (known[5], known[6]), known[7])
            width, height = info.stored
            if info.format in ACCEPTED_FORMATS and width * height <= self.max_pixels:
                self._seen[path] = known
                return info
        try:
            info = inspect_photo(path, self.max_pixels)
        except UnusablePhotoError as problem:
            return problem.error
        except Exception as error:  # noqa: BLE001 - one bad photo is a problem, not a crash
            return PhotoError("damaged", f"{type(error).__name__}: {error}")
        self._seen[path] = [*fingerprint, info.sha256, info.format, *info.stored, info.orientation]
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


# --- reading: rewrite each content's HTML ---------------------------------------------


def source_display(content) -> str:
    source = getattr(content, "bulletin_source", None)
    if source is not None:
        return source.path
    return display_path(content.source_path, content.settings)


def line_of(content, *needles: str) -> tuple[int, str]:
    """First line of the source that mentions a needle, and that needle."""
    try:
        with open(content.source_path, encoding="utf-8-sig") as handle:
            lines = handle.readlines()
    except (OSError, UnicodeDecodeError):
        return 1, needles[-1]
    for needle in needles:
        for number, line in enumerate(lines, start=1):
            if needle in line:
                return number, needle
    return 1, needles[-1]


def resolve(content, path: str) -> str:
    """Where Pelican would look: ``/x`` in ``content/``, else beside the source."""
    if path.startswith("/"):
        base = content.settings["PATH"]
    else:
        base = os.path.dirname(content.source_path)
    return os.path.normpath(os.path.join(os.path.abspath(base), path.lstrip("/")))


def photo_problem(content, error: PhotoError, src: str, line: int, library) -> Problem:
    message, hint = PROBLEM_TEXTS.get(error.kind, PROBLEM_TEXTS["damaged"])
    limit = f"{library.max_pixels / 1_000_000:g}"
    detail = error.detail or error.kind
    return Problem(
        source_display(content),
        line,
        message.format(src=src, detail=detail, limit=limit),
        hint,
        ERROR,
    )


def locate(content, value: str, cover_line: int | None = None) -> tuple[int, str]:
    """The source line that shows a photo, and the photo as written there.

    Read only for messages: ``{static}anh/x.jpg`` in the HTML may have been
    written ``anh/x.jpg`` (the figures extension adds the marker).
    """
    if cover_line is not None:
        return cover_line, value
    return line_of(content, value, INTRASITE.sub("", value))


def use_photo(content, library, path: str, value: str, alt: str, *, cover_line: int | None = None):
    """A :class:`PhotoUse`, or a :class:`Problem` naming the page and the photo."""
    # Resolved through every symlink: a photo or cover that is a link to a
    # file outside content/ (a private photo, /etc/passwd) is never read.
    target = os.path.realpath(resolve(content, path))
    content_root = os.path.realpath(content.settings["PATH"])
    if os.path.commonpath([target, content_root]) != content_root:
        found = PhotoError("outside")
    else:
        found = library.inspect(target)
    if isinstance(found, PhotoError):
        line, src = locate(content, value, cover_line)
        return photo_problem(content, found, src, line, library)
    stem = slugify(os.path.splitext(os.path.basename(target))[0]) or "anh"
    return PhotoUse(target, value, cover_line, alt, library.plan(found), stem)


def rewrite_content(content) -> None:
    """``content_object_init``: photos of one article or page → ``<picture>``."""
    library = (getattr(content, "_context", None) or {}).get(LIBRARY_KEY)
    if library is None or not isinstance(content, (Article, Page)):
        return
    started = time.perf_counter()
    uses: list[PhotoUse] = []
    problems: list[Problem] = []

    def lookup(path: str, value: str, attrs: dict) -> Picture | str:
        found = use_photo(content, library, path, value, attrs.get("alt") or "")
        if isinstance(found, Problem):
            problems.append(found)
            return path  # never the {static} link: Pelican would copy the original
        uses.append(found)
        return picture_for(found.plan, found.stem, library.folder)

    if content._content:
        content._content = rewrite_photos(content._content, lookup, library.sizes)
    content.bulletin_photos = list({use.path: use for use in uses}.values())
    content.bulletin_cover = None
    wanted = content.metadata.get("cover")
    if isinstance(wanted, str) and wanted.strip():
        wanted = wanted.strip()
        source = getattr(content, "bulletin_source", None)
        line = source.line("cover") if source is not None else 1
        path = INTRASITE.sub("", wanted)  # written like a photo of the body
        found = use_photo(content, library, path, wanted, "", cover_line=line)
        if isinstance(found, Problem):
            problems.append(found)
        else:
            same = next((u for u in uses if u.path == found.path), None)
            content.bulletin_cover = same or found
    elif uses:
        content.bulletin_cover = uses[0]
    content.bulletin_photo_problems = problems
    library.seconds += time.perf_counter() - started


# --- generators finalized: covers, problems, drafts --------------------------------------


def photo_folder(content, folder: str) -> str:
    """Site path of a page's photo folder: beside its ``index.html``."""
    return posixpath.join(posixpath.dirname(content.save_as), folder)


def cover_photo(article, settings) -> CoverPhoto | None:
    use = getattr(article, "bulletin_cover", None)
    if use is None or not article.save_as:
        return None
    folder = photo_folder(article, settings["PHOTO_DIR"])
    plan = use.plan

    def url(size) -> str:
        return posixpath.join(folder, use.file_name(Derivative(*size, "jpeg", crop=True)))

    og = url(plan.og)
    site = settings.get("SITEURL", "").rstrip("/")
    return CoverPhoto(
        url=url(plan.thumbs[0]),
        width=plan.thumbs[0][0],
        height=plan.thumbs[0][1],
        candidates=tuple((url(size), size[0]) for size in plan.thumbs),
        alt=use.alt,
        og_url=f"{site}/{og}",
        og_width=plan.og[0],
        og_height=plan.og[1],
        sizes=tuple(
            {"url": url(size), "width": size[0], "height": size[1], "type": "image/jpeg"}
            for size in sorted({plan.og, *plan.thumbs}, key=lambda s: (-s[0], -s[1]))
        ),
    )


def all_articles(generator):
    return (
        generator.articles
        + generator.translations
        + generator.hidden_articles
        + generator.hidden_translations
        + generator.drafts
        + generator.drafts_translations
    )


def all_pages(generator):
    return (
        generator.pages
        + generator.translations
        + generator.hidden_pages
        + generator.hidden_translations
        + generator.draft_pages
        + generator.draft_translations
    )


def report_problems(generator, contents) -> None:
    """Bad photos become problems, once per photo and line.

    ``bulletin.content.validation`` checks photos too (for ``invoke check``), in its
    own words: an error it already gave on the same line about the same photo
    is not repeated.
    """
    known = [p for p in getattr(generator, "bulletin_problems", []) if p.severity == ERROR]
    new = []
    for content in contents:
        for problem in getattr(content, "bulletin_photo_problems", []):
            photo = QUOTED.search(problem.message)
            if not any(
                old.path == problem.path
                and old.line == problem.line
                and (old.message == problem.message or (photo and photo.group(0) in old.message))
                for old in known
            ):
                known.append(problem)
                new.append(problem)
    add_problems(generator, new)


def finish_articles(generator) -> None:
    articles = all_articles(generator)
    for article in articles:
        article.cover_photo = cover_photo(article, generator.settings)
    report_problems(generator, articles)


def finish_pages(generator) -> None:
    report_problems(generator, all_pages(generator))


def unpublish_draft_photos(generator) -> None:
    """A draft's static files stay private until the draft is published.

    Photos are never linked (see :func:`rewrite_content`), but Pelican queues
    every other ``{static}`` link of drafts for copying too; drop those that
    no published article uses unless drafts are being previewed.
    """
    if generator.settings.get("DRAFT_SAVE_AS"):
        return
    published = set()
    for article in generator.articles:
        published |= article.get_static_links()
    links = generator.context["static_links"]
    for draft in generator.drafts:
        links -= draft.get_static_links() - published


# --- writing: process what the cache lacks, copy into the output -----------------------


class PhotoGenerator(Generator):
    """Publishes the derivatives of every photo a written page shows.

    Runs after the article and page generators (Pelican appends plugin
    generators after its own): every content's status and ``save_as`` are
    final, and the pages are written before the photos.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.library = PhotoLibrary(self.settings)
        self.context[LIBRARY_KEY] = self.library
        self.stats = PhotoStats(workers=worker_count(self.settings))
        self.deliveries: list[tuple[object, PhotoUse, str]] = []
        self.jobs: list[Job] = []

    def written_contents(self):
        contents = self.context.get("generated_content", {}).values()
        return [c for c in contents if isinstance(c, (Article, Page)) and c.save_as]

    def generate_context(self):
        started = time.perf_counter()
        roles: dict[str, dict] = {}  # plan.key → {"path", "plan", "roles"}
        for content in self.written_contents():
            wanted = [(use, "body") for use in getattr(content, "bulletin_photos", [])]
            cover = getattr(content, "bulletin_cover", None)
            if cover is not None and isinstance(content, Article):
                wanted.append((cover, "cover"))
            for use, role in wanted:
                self.deliveries.append((content, use, role))
                entry = roles.setdefault(use.plan.key, {"use": use, "roles": set()})
                entry["roles"].add(role)
        for entry in roles.values():
            use = entry["use"]
            missing = [
                role
                for role in sorted(entry["roles"])
                if not os.path.isdir(os.path.join(self.library.entry(use.plan), role))
            ]
            if missing:
                self.jobs.append(self.library.job(use.path, use.plan, missing))
        self.library.jobs, self.library.workers = self.jobs, self.stats.workers
        self.stats.photos = len(roles)
        self.stats.processed = len(self.jobs)
        self.stats.cached = len(roles) - len(self.jobs)
        self.library.seconds += time.perf_counter() - started

    def generate_output(self, writer):
        started = time.perf_counter()
        # A draft's photo problems are warnings (bulletin.content.validation): the
        # sample photo line of a new `invoke new` draft must not stop the site.
        problems = {
            p
            for c in self.context.get("generated_content", {}).values()
            if getattr(c, "status", "published") != "draft"
            for p in getattr(c, "bulletin_photo_problems", [])
        }
        if any(p.severity == ERROR for p in problems):
            # bulletin.content.validation reports these with every other problem
            # before anything is written; this only guards a site without it.
            raise ContentError(sorted(problems))
        if self.jobs:
            batch = self.library.start_processing()  # usually running since the first page
            results = batch.results()
            self.stats.process_seconds = time.perf_counter() - batch.started
            self.stats.process_cpu_seconds = batch.cpu_seconds
            failures = {r.source: r.error for r in results if r.error is not None}
            if failures:
                self.stats.failures = sorted(failures)
                raise ContentError(self.failure_problems(failures))
        self.copy_derivatives(writer.output_path)
        self.library.save_index()
        self.library.seconds += time.perf_counter() - started
        self.stats.seconds = self.library.seconds
        logger.info(
            "Photos: %d published, %d processed (%d workers, %.2f s), %d from cache; "
            "%d files copied; %.2f s on photos in all",
            self.stats.photos,
            self.stats.processed,
            self.stats.workers,
            self.stats.process_seconds,
            self.stats.cached,
            self.stats.files,
            self.stats.seconds,
        )

    def failure_problems(self, failures: dict[str, PhotoError]) -> list[Problem]:
        problems = set()
        for content, use, _role in self.deliveries:
            error = failures.get(use.path)
            if error is not None:
                line, src = locate(content, use.value, use.cover_line)
                problems.add(photo_problem(content, error, src, line, self.library))
        return sorted(problems)

    def copy_derivatives(self, output_path: str) -> None:
        """Put each page's derivatives in its folder: hard links where possible.

        A rebuild would otherwise copy every derivative again (about 1.6 MB
        a photo), most of a warm build's photo time. Cache files are written
        read-only, and nothing edits a published file in place (each build
        writes a new tree), so sharing the inode is safe; across file
        systems, or with ``PHOTO_HARDLINKS = False``, the files are copied.
        """
        link = bool(self.settings.get("PHOTO_HARDLINKS", True))
        folders, placed = set(), set()
        for content, use, role in self.deliveries:
            folder = os.path.join(output_path, photo_folder(content, self.library.folder))
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            entry = os.path.join(self.library.entry(use.plan), role)
            for derivative in use.plan.derivatives(role):
                target = os.path.join(folder, use.file_name(derivative))
                if target in placed:  # a cover is usually a body photo too
                    continue
                source = os.path.join(entry, derivative.name)
                if link:
                    try:
                        os.link(source, target)
                    except OSError:  # another file system, or no hard links
                        link = False
                if not link:
                    shutil.copyfile(source, target)
                placed.add(target)
        self.stats.files = len(placed)


def get_generators(_pelican):
    return PhotoGenerator


def start_processing(generator, content=None) -> None:
    """The first article is about to be written: every check has passed and
    the build will write, so the photos start processing on the other cores
    while this one renders the pages (PhotoGenerator collects them last)."""
    library = generator.context.get(LIBRARY_KEY)
    if library is not None and library.jobs:
        library.start_processing()


# --- feeds -------------------------------------------------------------------------------


def absolute_feed_photos(context, feed) -> None:
    """Feed readers have no page to resolve ``anh/…`` against: the item's link."""
    folder = context.get("PHOTO_DIR", DEFAULTS["PHOTO_DIR"])
    for item in feed.items:
        link = item.get("link")
        if not link:
            continue
        for key in ("description", "content"):
            if item.get(key):
                item[key] = absolute_photo_urls(item[key], link, folder)


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.get_generators.connect(get_generators)
    signals.article_generator_write_article.connect(start_processing)
    signals.content_object_init.connect(rewrite_content)
    signals.article_generator_finalized.connect(finish_articles)
    signals.article_generator_finalized.connect(unpublish_draft_photos)
    signals.page_generator_finalized.connect(finish_pages)
    signals.feed_generated.connect(absolute_feed_photos)
