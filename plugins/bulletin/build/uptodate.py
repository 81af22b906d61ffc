"""Skip writing when nothing that shapes the output has changed.

Two layers, both comparing against the record of the last successful build
into the same output folder (``BUILD_DIGEST_FILE``):

1. ``initialized`` — before anything is read: an *input stamp* made from
   file metadata only (path, size, mtime, ctime, inode of every file under
   the content folder, the theme, the plugins and the vendored editor),
   the settings and the libraries' versions. Any write changes a file's
   ctime, so an equal stamp means no input changed; the build stops at
   once (an unchanged rebuild costs the imports), with the outcome
   :attr:`~bulletin.build.state.Outcome.UP_TO_DATE`. Scheduling is the one
   input that is not a file: the record keeps the moment of the next
   scheduled article, and the stamp is valid only between that build's
   "now" and that moment. A fresh checkout (new stats) always falls
   through to the second layer.
2. ``all_generators_finalized`` (after ``bulletin.content.report``: a
   build with errors still fails). By then every source is read (from the
reader cache when unchanged), checked and resolved; this module hashes
everything the writers would turn into files — each page's rendered body,
URL and metadata, each official document with its files' hashes (keyed
apart from the site key: :mod:`bulletin.documents.keys`), the movements
registry, the theme's files, the plugins'
code, the settings, the libraries' versions and the web editor's
environment — into a *build digest*. If the digest equals that of the last
successful build into the same output folder, and that folder is still
there, the build stops with that outcome so nothing is written again: the
published files are already exactly what a full build would write
(``tests/build/test_incremental.py`` proves the digest covers edits, additions,
deletions, photos and registry changes).

What this module finds goes on the build's :class:`~bulletin.build.state.BuildState`
(stamp, "now", the previous record, digest, next due moment, render keys),
never into the settings. The settings enter both digests as
``BuildState.configuration`` — what ``bulletin.build.main`` was given — so
nothing a build notes while it runs can make it look changed. A run
without a published output (``invoke check``, a plain ``pelican`` run) has
nothing to compare with: both layers do nothing.

``bulletin.build.main`` records both (:func:`record_build`) in ``BUILD_DIGEST_FILE`` after a
successful build, once ``output`` points at it (:mod:`bulletin.build.publication`),
with the name of that build's folder. The record is trusted — by both
layers here and by :mod:`bulletin.build.writer`'s reuse of pages — only while
``output`` still points at exactly that folder: a build killed between its
switch and its record, an output removed or replaced by hand, or a record
of another output means a full build (every page rendered). Never edit
``output/`` by hand: it would not be noticed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import tempfile
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pelican import signals

from bulletin import PACKAGE_DIR
from bulletin.build.cache import LIBRARIES, fingerprint, project_path
from bulletin.build.publication import current_build, sync_folder
from bulletin.build.state import STATE_KEY, BuildState, Outcome, state_of
from bulletin.content.urls import save_as_of
from bulletin.content.vietnamese import build_now, localize
from bulletin.documents.keys import document_keys, document_names, registers
from bulletin.editions.keys import edition_records
from bulletin.editor.vendor import bundle_stamp

logger = logging.getLogger(__name__)

DEFAULTS = {"BUILD_DIGEST_FILE": "cache/build-record.json", "SKIP_UNCHANGED_BUILDS": True}


def digest_file(settings) -> str:
    return project_path(settings, "BUILD_DIGEST_FILE", DEFAULTS["BUILD_DIGEST_FILE"])


def lock_file(settings) -> str:
    """The build lock, beside the record it protects (and the caches beside it)."""
    return os.path.join(os.path.dirname(digest_file(settings)), "build.lock")


def listing_record(content) -> str:
    """All a page can show of a content besides its own page: what listings,
    "related news", feeds' entries and menus print (its body is not here)."""
    metadata = sorted(
        (key, str(value)) for key, value in content.metadata.items() if key != "bulletin_source"
    )
    return repr(
        (
            content.url,
            save_as_of(content),
            content.status,
            metadata,
            [str(m.slug) for m in getattr(content, "movements", [])],
            str(content.summary),
            repr(getattr(content, "cover_photo", None)),
        )
    )


class RenderKeys:
    """This build's keys for :mod:`bulletin.build.writer` (``BuildState.render_keys``).

    ``site``: everything every page may show — settings, code, theme,
    registry and every content's listing record; ``content_key(c)``: that
    plus the content's own body, for the page that shows it whole.
    """

    def __init__(self, site: str, contents: dict[int, str], names: dict[int, str]):
        self.site = site
        self._contents = contents
        self._names = names

    def content_key(self, content) -> str | None:
        return self._contents.get(id(content))

    def content_name(self, content) -> str | None:
        """A content's identity in a list: its listing record is in ``site``."""
        return self._names.get(id(content))


def _stat_tree(digest, folder: str) -> None:
    """Path and stat of every file below ``folder``; never its bytes."""
    for current, dirs, files in os.walk(folder):
        dirs.sort()
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in sorted(files):
            path = os.path.join(current, name)
            try:
                stat = os.stat(path)
            except OSError:
                digest.update(f"{path}\0gone\n".encode())
                continue
            facts = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
            digest.update(f"{path}\0{facts}\n".encode())


def digested_settings(settings) -> Mapping[str, Any]:
    """The settings a digest hashes: during a build, as ``bulletin.build.main``
    was given them (``BuildState.configuration``), so every key counts and
    nothing the run adds — its state, its build folder, the reader cache's
    folder — does; outside a build (the web editor's status), ``settings``."""
    state = settings.get(STATE_KEY)
    return state.configuration if isinstance(state, BuildState) else settings


def _environment(digest, settings) -> None:
    """What shapes every page besides the files: settings, code, versions."""
    given = digested_settings(settings)
    digest.update(fingerprint(given).encode())
    digest.update(platform.python_version().encode())
    for library in (*LIBRARIES, "pagefind", "pillow", "jinja2"):
        try:
            from importlib import metadata  # noqa: PLC0415

            digest.update(f"{library}={metadata.version(library)}".encode())
        except Exception:  # noqa: BLE001 - a missing library is part of the state
            digest.update(f"{library}=none".encode())
    digest.update(repr(sorted((k, repr(v)) for k, v in given.items())).encode())
    digest.update(
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("CMS_"))).encode()
    )
    # Without the web editor's bundle a build writes only a notice at /admin/
    # (bulletin.editor.cms): the first build after set-up vendors it must not look unchanged.
    digest.update(bundle_stamp(settings.get("CMS_VENDOR_DIR")).encode())


def input_stamp(settings) -> str:
    digest = hashlib.sha256()
    _environment(digest, settings)
    folders = [settings["PATH"], settings["THEME"], PACKAGE_DIR]
    folders += [settings["CMS_VENDOR_DIR"]] if settings.get("CMS_VENDOR_DIR") else []
    for folder in folders:
        digest.update(f"{os.path.abspath(folder)}\n".encode())
        _stat_tree(digest, folder)
    return digest.hexdigest()


def _tree(digest, folder: str) -> None:
    for current, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(current, name)
            digest.update(os.path.relpath(path, folder).encode() + b"\0")
            with open(path, "rb") as handle:
                digest.update(handle.read())


def build_digest(generators, state: BuildState) -> str:
    """The digest of the whole output; leaves :class:`RenderKeys` on ``state``."""
    settings = generators[0].settings
    digest = hashlib.sha256()
    _environment(digest, settings)
    _tree(digest, settings["THEME"])
    context = generators[0].context
    # Documents are keyed apart (bulletin.documents.keys), not in the site key.
    documents, shown, names = document_names(generators)
    contents = [
        content
        for generator in generators
        if generator not in registers(generators)
        for kind in ("articles", "drafts", "pages", "draft_pages", "hidden_pages")
        for content in getattr(generator, kind, [])
    ]
    # Each record's hash, not the record: a 20,000-article archive's records
    # (summaries, metadata) were ~50 MB held at once, the build's peak.
    records = [hashlib.sha256(listing_record(c).encode()).digest() for c in contents]
    for record in records:
        digest.update(record)
    for movement in context.get("movements", []):
        digest.update(
            repr(
                (
                    movement.slug,
                    movement.name,
                    movement.start,
                    movement.end,
                    movement.launched_by,
                    str(movement.description),
                )
            ).encode()
        )
    # The dated banner shown at this build's "now" (bulletin.site.identity):
    # the same settings show it or not depending on the day.
    digest.update(repr(context.get("site_notice")).encode())
    # The moments still ahead at which the output changes (``output_changes``:
    # a notice's start or end, a featured article's Featured_until): once one
    # passes, it leaves the list, and the pages show something else.
    digest.update(repr(sorted(context.get("output_changes", []))).encode())
    for link in sorted(context.get("static_links", ())):
        path = os.path.join(settings["PATH"], link)
        digest.update(link.encode())
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    site = digest.hexdigest()
    keys = {}
    for number, (content, record) in enumerate(zip(contents, records, strict=True)):
        names[id(content)] = f"{number}:{content.url}"
        body = hashlib.sha256(site.encode())
        body.update(record)
        body.update(getattr(content, "_content", "").encode())
        # An article's "Văn bản liên quan" box (bulletin.documents).
        for document in getattr(content, "documents", ()):
            body.update(names.get(id(document), repr(document.url)).encode() + b"\0")
        keys[id(content)] = body.hexdigest()
        digest.update(keys[id(content)].encode())
    keys |= document_keys(site, documents, shown, names)
    for document in documents:
        digest.update(keys[id(document)].encode())
    # The printed issues by content (their cover's bytes, their PDF's layout
    # key): only their own pages show them, and those are always rendered.
    for record in edition_records(generators):
        digest.update(record.encode())
    state.render_keys = RenderKeys(site, keys, names)
    return digest.hexdigest()


def _record(settings, published: str) -> dict:
    """The last successful build's record, if ``output`` still shows that build."""
    try:
        with open(digest_file(settings), encoding="utf-8") as handle:
            record = json.load(handle)
    except (OSError, ValueError):
        return {}
    if (
        not isinstance(record, dict)
        or record.get("output") != os.path.abspath(published)
        or not record.get("build")
        or record.get("build") != current_build(published)
        or not os.path.isfile(os.path.join(published, "index.html"))
    ):
        return {}
    return record


def _comparing(state: BuildState) -> bool:
    """A build that replaces a published output (not a check, not a plain run)."""
    return bool(state.published_output) and not state.check_only


def skip_if_inputs_unchanged(pelican) -> None:
    """Layer 1: no input file was touched and no scheduled article is due."""
    settings, state = pelican.settings, state_of(pelican.settings)
    if not _comparing(state):
        return
    now = build_now(settings)
    stamp = input_stamp(settings)
    state.input_stamp, state.built_at = stamp, now
    if not settings.get("SKIP_UNCHANGED_BUILDS", DEFAULTS["SKIP_UNCHANGED_BUILDS"]):
        return
    # Read once: layer 2 compares its digest, bulletin.build.writer reuses the
    # pages whose keys its render index holds.
    record = state.previous_record = _record(settings, state.published_output)
    try:
        built_at = datetime.fromisoformat(record["built_at"])
        due = record.get("next_due")
        due = datetime.fromisoformat(due) if due else None
    except (KeyError, TypeError, ValueError):
        return
    if record.get("inputs") == stamp and built_at <= now and (due is None or now < due):
        logger.info("No input changed since the last build of %s", record["output"])
        state.stop(Outcome.UP_TO_DATE)


def next_due(generators) -> datetime | None:
    """The date of the first scheduled article, or the first of the moments
    modules put in the context's ``output_changes`` (a dated notice's start
    or end, bulletin.site.identity; a featured article's Featured_until,
    bulletin.site.featured): the output changes then."""
    dates = [
        localize(draft.date)
        for generator in generators
        for draft in getattr(generator, "drafts", [])
        if draft.metadata.get("scheduled") and isinstance(getattr(draft, "date", None), datetime)
    ]
    dates += generators[0].context.get("output_changes", []) if generators else []
    return min(dates, default=None)


def skip_if_unchanged(generators) -> None:
    """Layer 2: the sources were read; nothing they turn into changed."""
    state = state_of(generators[0].settings)
    if not _comparing(state):
        return
    state.build_digest = build_digest(generators, state)
    state.next_due = next_due(generators)
    # The previous record is read only when SKIP_UNCHANGED_BUILDS allows it.
    if state.previous_record.get("digest") == state.build_digest:
        # Its path makes the line new to Pelican's log filter, which drops a
        # message it has logged before in this process (livereload, tests).
        logger.info("Nothing to write: the last build of %s is current", state.published_output)
        state.stop(Outcome.UP_TO_DATE)


def record_build(settings, state: BuildState, build: str) -> None:
    """Called by bulletin.build.main once ``state.published_output`` points at
    the folder ``build``: what the next build compares with and reuses."""
    path = digest_file(settings)
    if not state.build_digest or not state.published_output:
        return
    record = {
        "output": os.path.abspath(state.published_output),
        "build": build,
        "digest": state.build_digest,
        "inputs": state.input_stamp,
        "built_at": state.built_at.isoformat() if state.built_at else None,
        "next_due": state.next_due.isoformat() if state.next_due else None,
        "render_index": state.render_index,
    }
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):  # what a killed build left (we hold the lock)
        if name.startswith(f"{os.path.basename(path)}.") and name.endswith(".tmp"):
            os.remove(os.path.join(folder, name))
    descriptor, temporary = tempfile.mkstemp(
        prefix=f"{os.path.basename(path)}.", suffix=".tmp", dir=folder
    )
    with open(descriptor, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(record, sort_keys=True))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    sync_folder(folder)


def register() -> None:
    signals.initialized.connect(skip_if_inputs_unchanged)
    signals.all_generators_finalized.connect(skip_if_unchanged)
