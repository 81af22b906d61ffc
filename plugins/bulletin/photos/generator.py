"""Photos: small, private, responsive copies of every photo a page shows.

The original an editor drops in (12 megapixels, GPS coordinates, the phone's
serial number) is never published. Each page gets, in its own ``anh/``
folder, derivatives made by :mod:`bulletin.photos.process` at the sizes that
:mod:`bulletin.photos.plan` decides, referenced by the ``<picture>`` markup of
:mod:`bulletin.photos.markup`. Derivatives are cached outside the output,
keyed by the photo's bytes and the pipeline settings, and made in parallel.
This module is the signal glue; the rest of the room:

- :mod:`~bulletin.photos.library`: the build's :class:`PhotoLibrary` (each
  photo read once, an index of fingerprints in the cache), shared through
  the context as ``photo_library``;
- :mod:`~bulletin.photos.contents`: each content's HTML rewritten;
- :mod:`~bulletin.photos.covers`: the cover crops of listings and OpenGraph;
- :mod:`~bulletin.photos.problems`: every bad photo, in one table of messages.

Connects:

- ``initialized``: fills the ``PHOTO_*`` settings' defaults
  (:data:`bulletin.photos.plan.DEFAULTS`);
- ``get_generators``: adds :class:`PhotoGenerator`, which runs after the
  article and page generators: it processes what the cache lacks (in a
  process pool) and links or copies the derivatives into each page's folder
  after the pages are written (``generator.stats`` counts processed and
  cached photos);
- ``content_object_init``: :func:`bulletin.photos.contents.rewrite_content`
  (no ``{static}`` link to a photo remains; the content records the photos it
  shows, its cover and its bad photos);
- ``article_generator_write_article``: starts processing on the other cores;
- ``article_generator_finalized``: sets ``article.cover_photo`` for listing
  cards and OpenGraph, reports bad photos the checks did not report already,
  keeps drafts' other static files private;
- ``page_generator_finalized``: reports pages' bad photos;
- ``feed_generated``: makes photo URLs in feeds absolute.

Must run after ``bulletin.content.reader`` (it reads ``bulletin_source``) and
``bulletin.content.validation`` (its checks report a bad photo of the body
first; ``bulletin.content.report`` then stops the build on errors).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass, field

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import Generator
from PIL import Image, features

from bulletin.build.state import Outcome, state_of
from bulletin.content.model import ERROR, Problem
from bulletin.content.urls import save_as_of
from bulletin.content.validation import add_problems
from bulletin.photos.contents import PhotoUse, photo_problem, rewrite_content
from bulletin.photos.covers import cover_photo, photo_folder
from bulletin.photos.library import LIBRARY_KEY, PhotoLibrary, worker_count
from bulletin.photos.markup import absolute_photo_urls
from bulletin.photos.plan import DEFAULTS
from bulletin.photos.problems import unreported
from bulletin.photos.process import Job, PhotoError

logger = logging.getLogger(__name__)


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


# --- generators finalized: covers, problems, drafts --------------------------------------


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
    """Bad photos become problems: those the checks (which saw the same
    photo on the same line) did not report already, compared by their
    fields (:func:`bulletin.photos.problems.unreported`)."""
    library = generator.context.get(LIBRARY_KEY)
    if library is None:
        return
    found = [p for content in contents for p in getattr(content, "bulletin_photo_problems", [])]
    add_problems(generator, [p.problem() for p in unreported(library, found)])


def finish_articles(generator) -> None:
    articles = all_articles(generator)
    for article in articles:
        article.cover_photo = cover_photo(article, generator.settings)
    report_problems(generator, articles)


def finish_pages(generator) -> None:
    report_problems(generator, all_pages(generator))


def unpublish_draft_photos(generator) -> None:
    """A draft's static files stay private until the draft is published.

    Photos are never linked (see :func:`bulletin.photos.contents.rewrite_content`),
    but Pelican queues every other ``{static}`` link of drafts for copying
    too; drop those that no published article uses unless drafts are being
    previewed.
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
        return [c for c in contents if isinstance(c, (Article, Page)) and save_as_of(c)]

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
        # A draft's photo problems are warnings (bulletin.content.report): the
        # sample photo line of a new `invoke new` draft must not stop the site.
        problems = {
            p.problem()
            for c in self.context.get("generated_content", {}).values()
            if getattr(c, "status", "published") != "draft"
            for p in getattr(c, "bulletin_photo_problems", [])
        }
        if any(p.severity == ERROR for p in problems):
            # bulletin.content.report stops on these with every other problem
            # before anything is written; this only guards a site without it.
            state_of(self.settings).stop(Outcome.CONTENT_ERRORS, sorted(problems))
        if self.jobs:
            batch = self.library.start_processing()  # usually running since the first page
            results = batch.results()
            self.stats.process_seconds = time.perf_counter() - batch.started
            self.stats.process_cpu_seconds = batch.cpu_seconds
            failures = {r.source: r.error for r in results if r.error is not None}
            if failures:
                self.stats.failures = sorted(failures)
                state_of(self.settings).stop(
                    Outcome.CONTENT_ERRORS, self.failure_problems(failures)
                )
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
                found = photo_problem(
                    content,
                    error,
                    photo=use.path,
                    value=use.value,
                    cover_line=use.cover_line,
                    max_pixels=self.library.max_pixels,
                )
                problems.add(found.problem())
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
