"""Render again only the pages that an edit changes.

Pelican renders every page on every build: in a ten-year archive, about
3,000 template renders for a one-word fix. Connects ``get_writer``: Pelican
writes through :class:`IncrementalWriter`, its own ``Writer`` plus one step
before each ``write_file`` / ``write_feed`` call — a *key* of everything
the call can show:

- the site key (:class:`bulletin.build.uptodate.RenderKeys`): settings, code,
  theme, the movements registry and the *listing record* of every article
  and page (URL, title, dates, summary, bylines, movements, tags, cover) —
  all that a listing, a "related news" box or a menu can print of any
  content;
- the call's own arguments: file name, template, URL; a content passed by
  keyword (``article=``, ``page=``) with its whole body; contents inside
  lists by URL only (their listing records are in the site key);
- for a feed, the whole body of each entry it carries.

When a key equals the one the last successful build into the same output
recorded (in ``BUILD_DIGEST_FILE``, trusted only while ``output`` still
points at that build: :mod:`bulletin.build.uptodate`), the files that call wrote
then are *kept*: nothing is rendered or written, their names go in the
build's ``BuildState.kept_files`` and, once Pelican is done,
``bulletin.build.main`` hard-links
them from the published build into the new one (same inode and mtime:
:func:`bulletin.build.publication.fill_in`). Otherwise Pelican's own
``write_file`` renders them. An argument without a stable
description makes its call render, never guess. A clean build and an
incremental one are byte-identical (``tests/build/test_incremental.py``). The
writer's index of this build's calls and its counts go on the same
:class:`~bulletin.build.state.BuildState`; a run without a published
output (``invoke check``, a plain ``pelican`` run) renders everything.

``content_written`` / ``feed_written`` are not sent for reused files (no
template context exists for them); nothing in this project listens to them.
"""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import date

from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

from bulletin.build.parallel import worker_count
from bulletin.build.pelican_adapter import record_written, was_written
from bulletin.build.publication import fill_in
from bulletin.build.rendering import DEFAULTS as RENDER_DEFAULTS
from bulletin.build.rendering import DeferredRendering, render_deferred
from bulletin.build.state import BuildState, state_of
from bulletin.build.uptodate import RenderKeys

logger = logging.getLogger(__name__)


class Unkeyable(Exception):  # noqa: N818 - a reason to render, not an error
    """A value without a stable description: its page is rendered."""


def describe(value, keys: RenderKeys, whole: bool = False, depth: int = 0) -> str:
    """A stable text for ``value``; contents whole (``whole``) or by URL."""
    if depth > 6:
        raise Unkeyable("too deep")
    if value is None or isinstance(value, (str, int, float, bool)):
        return repr(value)
    if isinstance(value, Content):
        key = keys.content_key(value) if whole else keys.content_name(value)
        if key is None:
            raise Unkeyable(repr(value))
        return key
    if isinstance(value, URLWrapper):
        return f"{type(value).__name__}:{value.name}|{value.slug}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(describe(v, keys, False, depth + 1) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(
                f"{describe(k, keys, False, depth + 1)}:{describe(v, keys, False, depth + 1)}"
                for k, v in sorted(value.items(), key=lambda item: repr(item[0]))
            )
            + "}"
        )
    # The project's own small objects (MovementYear…): their attributes.
    if type(value).__module__.startswith("bulletin.") and hasattr(value, "__dict__"):
        return f"{type(value).__name__}" + describe(vars(value), keys, False, depth + 1)
    raise Unkeyable(type(value).__name__)


class IncrementalWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.state = state_of(settings or {})
        self.published = self.state.published_output
        # The last build's {name: [key, files]} (bulletin.build.uptodate read it).
        self.previous = self.state.previous_record.get("render_index") or {}
        self.produced: list[str] | None = None
        # Pages deferred to worker processes (bulletin.build.rendering), or None.
        self.deferred = deferred_rendering(self, settings or {})

    # -- Pelican's entry points -------------------------------------------------------

    def write_file(  # noqa: PLR0917 - Pelican's signature
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        if not name:
            return None
        key = self._key(
            context,
            "page",
            (name, template.name, relative_urls, template_name, override_output, url),
            paginated,
            kwargs,
        )
        if key and self._reuse(name, key, override_output):
            if relative_urls:  # what Pelican's rendering leaves in the shared context
                files = self.state.render_index[name][1]
                last = files[-1] if files else name
                context["localsiteurl"] = path_to_url(get_relative_path(last))
            return None
        if self.deferred is not None and not relative_urls:
            arguments = (name, template, context, relative_urls, paginated, template_name)
            self.deferred.defer(key, (*arguments, override_output, url), kwargs)
            return None
        return self._render(
            name,
            key,
            super().write_file,
            name,
            template,
            context,
            relative_urls,
            paginated,
            template_name,
            override_output,
            url,
            **kwargs,
        )

    def write_feed(  # noqa: PLR0917 - Pelican's signature
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        key = None
        if path:
            entries = elements[: self.settings["FEED_MAX_ITEMS"]]
            key = self._key(
                context,
                "feed",
                (path, url, feed_type, override_output, feed_title),
                None,
                {f"entry{number}": entry for number, entry in enumerate(entries)},
            )
            if key and self._reuse(path, key, override_output):
                return None
        return self._render(
            path,
            key,
            super().write_feed,
            elements,
            context,
            path,
            url,
            feed_type,
            override_output,
            feed_title,
        )

    def _open_w(self, filename, encoding, override=False):  # WRITER_OPEN_HOOK
        if self.produced is not None:
            self.produced.append(filename)
        return super()._open_w(filename, encoding, override=override)

    # -- keys and reuse ---------------------------------------------------------------

    def _key(self, context, kind, arguments, paginated, kwargs) -> str | None:
        keys = self.state.render_keys
        if keys is None or not self.published:
            return None
        try:
            text = "\n".join(
                [
                    keys.site,
                    kind,
                    describe(arguments, keys),
                    describe(paginated, keys),
                    *(
                        f"{name}={describe(value, keys, whole=True)}"
                        for name, value in sorted(kwargs.items())
                    ),
                ]
            )
        except Unkeyable as reason:
            logger.debug("Rendering %s: %s cannot be keyed", arguments[0], reason)
            return None
        return hashlib.sha256(text.encode()).hexdigest()

    def _reuse(self, name: str, key: str, override: bool) -> bool:
        entry = self.previous.get(name)
        if not entry or entry[0] != key:
            return False
        targets = []
        for relative in entry[1]:
            target = sanitised_join(self.output_path, relative)
            if was_written(self, target) or not os.path.isfile(
                os.path.join(self.published, relative)
            ):
                return False
            targets.append(target)
        for target in targets:
            # Pelican's bookkeeping: a second write to the name is still caught.
            record_written(self, target, override)
        self.state.kept_files.update(entry[1])
        self.state.render_index[name] = entry
        self.state.reused += 1
        return True

    def _render(self, name, key, write, *args, **kwargs):
        self.produced = []
        try:
            result = write(*args, **kwargs)
        finally:
            produced, self.produced = self.produced, None
        self._index(name, key, produced)
        return result

    def _index(self, name, key, produced: list[str]) -> None:
        self.state.rendered += 1
        if key:
            root = os.path.abspath(self.output_path) + os.sep
            files = [
                os.path.relpath(path, self.output_path)
                for path in produced
                if os.path.abspath(path).startswith(root)
            ]
            self.state.render_index[name] = [key, files]

    # -- deferred calls (bulletin.build.rendering) ------------------------------------

    def run_job(self, job) -> list[str]:
        """Render one deferred call as Pelican would have when it was made;
        the files it wrote."""
        if job.context != job.snapshot:
            job.context.clear()
            job.context.update(job.snapshot)
        self.produced = []
        try:
            super().write_file(*job.args, **job.kwargs)
        finally:
            produced, self.produced = self.produced, None
        return produced

    def contested(self, results: dict[int, list[str]]) -> set[str]:
        """Files that more than one call writes (or that were written before
        the deferred calls): only a serial render keeps Pelican's rules."""
        seen = set(self._written_files)
        contested = set()
        for produced in results.values():
            for path in produced:
                (contested if path in seen else seen).add(path)
        return contested

    def record(self, job, produced: list[str], written: bool) -> None:
        """Pelican's bookkeeping of a deferred call, in the calls' order;
        ``written``: rendered in this process (``_open_w`` did it)."""
        if not written:
            for path in produced:
                record_written(self, path, job.override)
        self._index(job.name, job.key, produced)


def deferred_rendering(writer, settings):
    """A :class:`DeferredRendering` when this build may render in workers."""
    state = writer.state
    workers = worker_count(settings)
    if state.check_only or workers < 2:  # BUILD_WORKERS = 1: everything in this process
        return None
    threshold = int(settings.get("BUILD_RENDER_FROM", RENDER_DEFAULTS["BUILD_RENDER_FROM"]))
    return DeferredRendering(writer, workers, threshold)


def link_kept_files(state: BuildState, output_path: str, suffix: str = "") -> None:
    """Hard-link the kept published files (ending in ``suffix``) into the
    build folder now, for a step that needs the whole site in one folder
    (the search index); ``bulletin.build.main`` links the others at the end."""
    kept = [name for name in state.kept_files if name.endswith(suffix)]
    if state.published_output and kept:
        fill_in(output_path, state.published_output, kept)


def use_incremental_writer(_pelican):
    return IncrementalWriter


def register() -> None:
    signals.get_writer.connect(use_incremental_writer)
    signals.page_writer_finalized.connect(render_deferred)
