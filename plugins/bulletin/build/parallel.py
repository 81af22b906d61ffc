"""Read the articles Pelican's reader cache lacks in worker processes.

A cold build (CI starts from a fresh checkout) spends most of its time in
``ArticlesGenerator.generate_context`` reading, one file after the other:
Markdown, the sanitiser, typogrify and the checks of each file's text. This
module spreads that work over the machine's cores through Pelican's own
reader cache, without touching how Pelican reads:

- ``article_generator_init``: the article files whose cache entry is missing
  or stale are handed to a pool of worker processes (forked: they inherit
  the generator's reader and settings, nothing is pickled on the way in).
  Each worker reads a file with the same :class:`BulletinMarkdownReader`
  and runs the checks of its text
  (:func:`bulletin.content.validation.article_text_checks`, kept on the
  file's ``bulletin_source``);
- ``article_generator_preread`` (sent by Pelican before it looks a file up in
  its reader cache): the result of the file about to be read is put in the
  cache with ``Readers.cache_data`` — Pelican then finds it there, as if a
  previous build had read it, and goes on as for any cached file (Article,
  ``article_generator_context``, our per-build checks). The parent builds
  the Articles of the first files while the workers read the next ones;
- ``article_generator_finalized``: the pool is shut down (also, whatever
  happens, by :mod:`bulletin.build.main` when Pelican's run ends).

Bylines, tags and categories (Pelican's URL wrappers, each holding the
settings) travel as names and are made again in the parent with the
generator's own settings, as the reader makes them.

Nothing here changes what a file reads to: a result that does not arrive —
a file whose reading raises, a worker killed — is simply not cached, and
Pelican reads that file itself, with its own error handling; a killed
worker is logged once, and the rest of the files are read in this process.
The output is byte-identical to a serial build
(``tests/build/test_parallel_reading.py``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from pelican import signals
from pelican.urlwrappers import URLWrapper

from bulletin.build.pelican_adapter import without_discarded
from bulletin.build.rendering import safe_to_fork
from bulletin.build.state import state_of
from bulletin.content.reader import BulletinMarkdownReader

logger = logging.getLogger(__name__)

DEFAULTS = {
    "BUILD_WORKERS": None,  # None: every core this process may use; 1: no workers
    # Below this many files to read, starting processes costs more than it
    # saves (an edit build reads one file).
    "BUILD_WORKERS_FROM": 48,
}


def worker_count(settings) -> int:
    wanted = settings.get("BUILD_WORKERS", DEFAULTS["BUILD_WORKERS"])
    if wanted:
        return max(1, int(wanted))
    if hasattr(os, "sched_getaffinity"):  # Linux: the cores this process may use
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# -- in a worker process -----------------------------------------------------------

_WORKER_READER = None  # this worker's reader, set once by _start_worker (one per process)


def _start_worker(reader) -> None:
    global _WORKER_READER  # noqa: PLW0603 - a worker process reads with one reader
    _WORKER_READER = reader


class Names:
    """URL wrappers (bylines, tags, a category) as their class and names."""

    def __init__(self, kind: type, names: list[str], many: bool):
        self.kind, self.names, self.many = kind, names, many

    def restore(self, settings):
        made = [self.kind(name, settings) for name in self.names]
        return made if self.many else made[0]


def pack(metadata: dict) -> dict:
    return {key: _packed(value) for key, value in metadata.items()}


def _packed(value):
    if isinstance(value, URLWrapper):
        return Names(type(value), [value.name], many=False)
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, URLWrapper) and type(v) is type(value[0]) for v in value)
    ):
        return Names(type(value[0]), [v.name for v in value], many=True)
    return value


def unpack(metadata: dict, settings) -> dict:
    return {
        key: value.restore(settings) if isinstance(value, Names) else value
        for key, value in metadata.items()
    }


def read_one(path: str):
    """(content, metadata) of one article, as Pelican would cache it, with
    the checks of its text done."""
    from bulletin.content.validation import article_text_checks  # noqa: PLC0415

    content, metadata = _WORKER_READER.read(path)
    metadata = without_discarded(metadata)
    source = metadata.get("bulletin_source")
    if source is not None and source.readable:
        article_text_checks(source, metadata)
    return content, pack(metadata)


# -- in the build's process ----------------------------------------------------------


class ParallelReading:
    """One generator's files read ahead in worker processes."""

    def __init__(self, generator, paths: list[str], missing: list[str], workers: int):
        self.generator = generator
        self.order = paths  # in the order Pelican will read them
        self.position = 0
        self.started = time.perf_counter()
        self.pool = ProcessPoolExecutor(
            max_workers=min(workers, len(missing)),
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(generator.readers.readers["md"],),
        )
        self.futures = {path: self.pool.submit(read_one, path) for path in missing}
        self.count, self.broken = len(missing), False

    def next_file(self) -> None:
        """Pelican is about to read its next file: have it in the cache.

        Pelican reads in the order :func:`files_to_read` listed; were it
        ever another, a file would only be read twice, never wrongly."""
        if self.position < len(self.order):
            self.collect(self.order[self.position])
            self.position += 1

    def collect(self, path: str) -> None:
        future = self.futures.pop(path, None)
        if future is None or self.broken:
            return
        try:
            content, metadata = future.result()
        except BrokenProcessPool as error:
            self.broken = True
            logger.warning(
                "Một tiến trình đọc bài song song đã dừng bất thường (%s): các bài còn lại "
                "được đọc lần lượt trong tiến trình chính; kết quả dựng không đổi.",
                error,
            )
            return
        except Exception:  # noqa: BLE001 - Pelican reads the file again and reports it
            return
        readers = self.generator.readers
        readers.cache_data(path, (content, unpack(metadata, readers.settings)))

    def close(self) -> None:
        if self.pool is None:
            return
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None
        logger.info(
            "Đọc %d bài bằng %d tiến trình song song trong %.2f giây",
            self.count,
            self.pool_size,
            time.perf_counter() - self.started,
        )

    @property
    def pool_size(self) -> int:
        return min(worker_count(self.generator.settings), max(self.count, 1))


def files_to_read(generator) -> tuple[list[str], list[str]]:
    """Every article file in Pelican's reading order (absolute paths, as its
    reader cache names them), and those the cache has no current entry for."""
    settings = generator.settings
    paths = [
        os.path.abspath(os.path.join(generator.path, relative))
        for relative in generator.get_files(
            settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]
        )
    ]
    readers = generator.readers
    ours = {
        ext for ext, reader in readers.readers.items() if isinstance(reader, BulletinMarkdownReader)
    }
    missing = [
        path
        for path in paths
        if path.rsplit(".", 1)[-1] in ours
        and readers.get_cached_data(path, (None, None))[0] is None
    ]
    return paths, missing


def start_reading(generator) -> None:
    settings = generator.settings
    # Only through Pelican's reader-level cache: the generator-level one
    # skips the reading (and the signal this module waits on) altogether.
    if not settings.get("CACHE_CONTENT") or settings.get("CONTENT_CACHING_LAYER") != "reader":
        return
    workers = worker_count(settings)
    if workers < 2 or not isinstance(generator.readers.readers.get("md"), BulletinMarkdownReader):
        return
    # Forking beside other threads (the live preview's server and search
    # threads) could copy a lock one holds: such a process reads itself.
    if not safe_to_fork():
        return
    paths, missing = files_to_read(generator)
    if len(missing) < int(settings.get("BUILD_WORKERS_FROM", DEFAULTS["BUILD_WORKERS_FROM"])):
        return
    reading = ParallelReading(generator, paths, missing, workers)
    generator.bulletin_reading = reading
    state_of(settings).on_end.append(reading.close)


def read_next(generator) -> None:
    reading = getattr(generator, "bulletin_reading", None)
    if reading is not None and reading.pool is not None:
        reading.next_file()


def stop_reading(generator) -> None:
    reading = getattr(generator, "bulletin_reading", None)
    if reading is not None:
        reading.close()


def register() -> None:
    signals.article_generator_init.connect(start_reading)
    signals.article_generator_preread.connect(read_next)
    signals.article_generator_finalized.connect(stop_reading)
