"""The live preview (``invoke livereload``): an edited article shows at once.

Every save rebuilds the site (:mod:`bulletin.build.writer` renders again only
what changed), but reading a large archive's sources through Pelican's
reader cache alone takes over a second. For the most common edit — the
body of a published article — :meth:`Preview.changed` first renders that
one page from the last good build's state:

- the file is read again by that build's article generator (its readers
  and signals: decoding, scheduling, checks, movements, photo markup);
- it is shown at once only if nothing else can change but the feeds: no
  new error, the same URL and status, the same *listing record* (title,
  dates, summary, bylines, movements, tags — see
  :func:`bulletin.build.uptodate.listing_record`) and the same photos;
- attributes the build's later steps set on the old article (related
  news, previous/next, cover, frozen URL) carry over — they depend only on
  the listing records, which are unchanged;
- the page is rendered with the same template and arguments as
  ``ArticlesGenerator.generate_articles`` into a scratch folder and renamed
  over the page in the published build folder, under the build lock (a
  rename, never a write into the file: it may be a hard link shared with
  the previous build).

The full build follows in the background and leaves the output exactly as
a clean build (the page it writes is the same). Any other change (a new
file, a title, a photo, the theme) runs the full build before the browser
reloads. The search index is refreshed after each full build, in the
background (``SEARCH_DEFERRED``, :func:`bulletin.site.search.refresh_index`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from bulletin.build.main import build_lock, build_site
from bulletin.build.pelican_adapter import article_page_call
from bulletin.build.publication import PublicationError, scratch_folder
from bulletin.build.state import state_of
from bulletin.build.uptodate import listing_record
from bulletin.content.model import ERROR
from bulletin.site import search

logger = logging.getLogger(__name__)


def _photos(content) -> list:
    uses = getattr(content, "bulletin_photos", [])
    cover = getattr(content, "bulletin_cover", None)
    return [(u.path, u.plan.key, u.alt) for u in [*uses, *([cover] if cover else [])]]


def _errors(generator) -> int:
    return sum(p.severity == ERROR for p in getattr(generator, "bulletin_problems", []))


@dataclass
class Failure:
    """The last full build failed: its content problems (if that is why)
    and its whole report, for the browser's error page (bulletin.build.servers)."""

    problems: list = field(default_factory=list)
    report: str = ""


class _Tee(io.TextIOBase):
    def __init__(self, *streams):
        self.streams = streams

    def write(self, text):
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self):
        for stream in self.streams:
            stream.flush()


class Preview:
    """Builds ``output`` with the settings ``load_settings()`` returns."""

    def __init__(self, load_settings, output: str, stream=None):
        self.load_settings = load_settings
        self.stream = stream  # where to say what was shown (None: say nothing)
        self.output = os.path.abspath(output)
        self.building = threading.Lock()  # one build (or page swap) at a time
        self.indexing = threading.Lock()  # one Pagefind run at a time
        self.articles: ArticlesGenerator | None = None  # of the last good build
        self._pending: ArticlesGenerator | None = None
        self.background: threading.Thread | None = None
        self.failure: Failure | None = None  # the last full build's, until one succeeds
        signals.all_generators_finalized.connect(self._capture)

    def _capture(self, generators) -> None:
        # Signals reach every build of this process: keep only this preview's.
        if state_of(generators[0].settings).published_output == self.output:
            self._pending = next(g for g in generators if isinstance(g, ArticlesGenerator))

    # -- full builds ---------------------------------------------------------------

    def build(self) -> int:
        """The whole site (pages that did not change are kept), then the
        search index in the background."""
        settings = dict(self.load_settings(), SEARCH_DEFERRED=True)
        report, problems = io.StringIO(), []
        with self.building:
            self._pending = None
            code = build_site(
                settings, stream=_Tee(report, sys.stderr), live=True, problems=problems
            )
            if code == 0 and self._pending is not None:
                self.articles = self._pending
            self._pending = None
            self.failure = None if code == 0 else Failure(problems, report.getvalue())
        if code == 0:
            threading.Thread(target=self._index, args=(settings,), daemon=True).start()
        return code

    @contextlib.contextmanager
    def publishing(self, settings):
        """This preview's builds, then other processes' builds (the lock file)."""
        with self.building, build_lock(settings):
            yield

    def _index(self, settings) -> None:
        with self.indexing:
            search.refresh_index(settings, self.output, lock=self.publishing(settings))

    # -- a save ------------------------------------------------------------------------

    def changed(self, paths=None) -> None:
        """livereload's task: show the edited article first when possible,
        then build everything (in the background if the page is shown)."""
        paths = [os.path.abspath(p) for p in paths or []]
        # After a failed build the browser shows the error page until a full
        # build succeeds: never answer that save with one page first.
        if self.failure is None and len(paths) == 1 and self.show_first(paths[0]):
            self.background = threading.Thread(target=self.build, daemon=True)
            self.background.start()
            return
        self.build()

    def show_first(self, path: str) -> bool:
        """Render the page of the edited article ``path`` alone; False when
        the edit may change other pages (the full build shows it)."""
        started = time.perf_counter()
        generator = self.articles
        if generator is None or not path.endswith(".md"):
            return False
        old = next((a for a in generator.articles if a.source_path == path), None)
        if old is None:
            return False
        errors = _errors(generator)
        try:
            new = generator.readers.read_file(
                base_path=generator.path,
                path=os.path.relpath(path, generator.path),
                content_class=Article,
                context=generator.context,
                preread_signal=signals.article_generator_preread,
                preread_sender=generator,
                context_signal=signals.article_generator_context,
                context_sender=generator,
            )
        except Exception:  # noqa: BLE001 - the full build reports it
            return False
        if (
            not isinstance(new, Article)
            or _errors(generator) != errors
            or any(p.severity == ERROR for p in getattr(new, "bulletin_photo_problems", []))
            or new.status != old.status
            or new.save_as != old.save_as
            or _photos(new) != _photos(old)
        ):
            return False
        for name, value in vars(old).items():  # what later steps of the build set
            if name not in vars(new):
                setattr(new, name, value)
        if listing_record(new) != listing_record(old):
            return False
        try:
            self._write(generator, new)
        except (OSError, PublicationError) as error:  # the full build says what is wrong
            logger.info("Page not shown first: %s", error)
            return False
        if self.stream is not None:
            print(
                f"Đã cập nhật /{new.url} ({1000 * (time.perf_counter() - started):.0f} ms); "
                "đang dựng lại các trang khác…",
                file=self.stream,
            )
        return True

    def _write(self, generator, article) -> None:
        """Render as ``ArticlesGenerator.generate_articles`` does; swap it in."""
        settings = generator.settings
        scratch = scratch_folder(self.output)
        try:
            signals.article_generator_write_article.send(generator, content=article)
            args, kwargs = article_page_call(generator, article)
            Writer(scratch, settings=settings).write_file(
                *args, relative_urls=settings["RELATIVE_URLS"], **kwargs
            )
            with self.publishing(settings):
                target = os.path.join(self.output, article.save_as)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(os.path.join(scratch, article.save_as), target)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
