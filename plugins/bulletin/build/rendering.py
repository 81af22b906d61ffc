"""Render the pages of a large build on every core.

After reading (:mod:`bulletin.build.parallel`), rendering is the largest part
of a cold build: one Jinja render per article page, listing page, tag,
byline and movement — in a 2,000-article archive about 4,000 pages, one
after the other in one process. This module lets
:class:`bulletin.build.writer.IncrementalWriter` *defer* the pages Pelican
asks it to write while the articles' and pages' generators run, then render
them all at once in forked worker processes when the pages' generator is
done (``page_writer_finalized``, before the generators that read what was
written and before ``finalized``, where the search index is built):

- a forked worker inherits the whole built context (articles, templates
  already compiled); nothing but job numbers and file names crosses a pipe;
- each deferred call keeps the context as it was when Pelican made the call
  (a shallow snapshot, shared by the calls between two changes of it), so a
  worker renders what the same call would have rendered then;
- the build's process does Pelican's bookkeeping afterwards, in the calls'
  order (which files were written, the overwrite rules of ``_open_w``, the
  render index of the incremental build). A file written by more than one
  call, a call whose rendering raised in a worker or a worker that died:
  those calls are rendered again here, in order, exactly as Pelican would
  — with its errors and tracebacks.

Not deferred: calls with ``relative_urls`` (a development build's pages: a
render leaves its ``localsiteurl`` in the shared context for the next call,
an order only a serial build keeps), feeds (few), anything outside the
window (the photos', documents' and editions' generators). Fewer calls than
``BUILD_RENDER_FROM``, one core, or another thread alive in this process
(the live preview: forking would copy its locks; see :func:`safe_to_fork`)
render here, serially.
The output is byte-identical to a serial build
(``tests/build/test_parallel_rendering.py``).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Below this many pages to render, forking costs more than it saves (a
    # one-article edit renders a handful).
    "BUILD_RENDER_FROM": 64,
}


@dataclass(eq=False)
class Job:
    """One deferred ``write_file`` call."""

    name: str
    key: str | None
    override: bool
    context: dict  # the shared context Pelican passed
    snapshot: dict  # its items when the call was made (shared between calls)
    args: tuple
    kwargs: dict


# The deferred calls and their writer, set in the build's process just before
# it forks its workers: a forked worker finds them here (nothing is pickled).
_FORKED: tuple[Any, list[Job]] | None = None


def safe_to_fork() -> bool:
    """Whether every other thread of this process is a process pool's own.

    Forking copies the process with every lock its other threads hold at
    that moment: a worker could wait forever on one (the live preview's
    server and search threads). The photos' pool
    (:class:`bulletin.photos.process.Batch`, processing on the other cores
    while pages are rendered) runs two threads that a forked child never
    uses: its manager and its queue's feeder (``multiprocessing`` resets a
    queue's locks in a forked child and ignores its parent's finalizers)."""
    from concurrent.futures.process import _ExecutorManagerThread  # noqa: PLC0415

    return all(
        thread is threading.current_thread()
        or isinstance(thread, _ExecutorManagerThread)
        or thread.name == "QueueFeederThread"
        for thread in threading.enumerate()
    )


def _render_chunk(indices: list[int]) -> list[tuple[int, list[str]]]:
    """In a worker: render these calls; those that raise are left out (the
    build's process renders them again and reports the error)."""
    writer, jobs = _FORKED
    done = []
    for index in indices:
        try:
            done.append((index, writer.run_job(jobs[index])))
        except Exception:  # noqa: BLE001 - rendered again in the build's process
            continue
    return done


class DeferredRendering:
    """The calls one writer deferred, and how they are rendered."""

    def __init__(self, writer, workers: int, threshold: int):
        self.writer = writer
        self.workers = workers
        self.threshold = threshold
        self.jobs: list[Job] = []
        self._last: Job | None = None

    def defer(self, key: str | None, args: tuple, kwargs: dict) -> None:
        """Keep a ``write_file`` call (Pelican's positional arguments) for later."""
        name, context, override = args[0], args[2], args[6]
        last = self._last
        # Calls in a row share one snapshot until the context changes: a dict
        # comparison in C (identical values compare by identity), no copy.
        if last is not None and last.context is context and last.snapshot == context:
            snapshot = last.snapshot
        else:
            snapshot = dict(context)
        self._last = Job(name, key, override, context, snapshot, args, kwargs)
        self.jobs.append(self._last)

    def flush(self) -> None:
        """Render every deferred call; Pelican's bookkeeping in their order."""
        jobs, self.jobs, self._last = self.jobs, [], None
        if not jobs:
            return
        started = time.perf_counter()
        results: dict[int, list[str]] = {}
        workers = min(self.workers, len(jobs))
        in_workers = workers >= 2 and len(jobs) >= self.threshold and safe_to_fork()
        # What this process's context holds now: a call rendered again here
        # puts its own snapshot in place first.
        contexts = {id(job.context): job.context for job in jobs}.values()
        now = [(context, dict(context)) for context in contexts]
        if in_workers:
            results = self._in_workers(jobs, workers)
        contested = self.writer.contested(results)
        again = 0
        try:
            for index, job in enumerate(jobs):
                produced = results.get(index)
                if produced is None or contested.intersection(produced):
                    produced = self.writer.run_job(job)
                    again += in_workers
                    self.writer.record(job, produced, written=True)
                else:
                    self.writer.record(job, produced, written=False)
        finally:
            for context, items in now:
                context.clear()
                context.update(items)
        logger.info(
            "Dựng %d trang bằng %d tiến trình trong %.2f giây%s",
            len(jobs),
            workers if in_workers else 1,
            time.perf_counter() - started,
            f" ({again} trang dựng lại trong tiến trình chính)" if again else "",
        )

    def _in_workers(self, jobs: list[Job], workers: int) -> dict[int, list[str]]:
        global _FORKED  # noqa: PLW0603 - handed to the forked workers (see _FORKED)
        # Small chunks: a paginated listing renders hundreds of pages in one
        # call, an article page one; the pool hands chunks out as workers free up.
        size = max(1, min(32, len(jobs) // (workers * 8)))
        chunks = [list(range(i, min(i + size, len(jobs)))) for i in range(0, len(jobs), size)]
        results: dict[int, list[str]] = {}
        _FORKED = (self.writer, jobs)
        # Objects that exist now are never collected in a worker: the
        # collector would touch (and so copy) every page they live on.
        gc.freeze()
        try:
            with ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("fork")
            ) as pool:
                for future in [pool.submit(_render_chunk, chunk) for chunk in chunks]:
                    try:
                        results.update(future.result())
                    except BrokenProcessPool as error:
                        logger.warning(
                            "Một tiến trình dựng trang song song đã dừng bất thường (%s): "
                            "các trang của nó được dựng lại trong tiến trình chính.",
                            error,
                        )
                        break
        finally:
            _FORKED = None
            gc.unfreeze()
        return results


def render_deferred(generator, writer) -> None:
    """``page_writer_finalized``: the articles' and pages' generators are
    done — render what they deferred, before any later generator runs."""
    rendering = getattr(writer, "deferred", None)
    if rendering is not None:
        writer.deferred = None  # what comes later is rendered when asked
        rendering.flush()
