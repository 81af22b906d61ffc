"""Skip writing when nothing that shapes the output has changed.

Two layers, both comparing against the record of the last successful build
into the same output folder (``BUILD_DIGEST_FILE``):

1. ``initialized`` — before anything is read: an *input stamp* made from
   file metadata only (path, size, mtime, ctime, inode of every file under
   the content folder, the theme, the plugins and the vendored editor),
   the settings and the libraries' versions. Any write changes a file's
   ctime, so an equal stamp means no input changed; the build stops at
   once (an unchanged rebuild costs the imports). Scheduling is the one
   input that is not a file: the record keeps the moment of the next
   scheduled article, and the stamp is valid only between that build's
   "now" and that moment. A fresh checkout (new stats) always falls
   through to the second layer.
2. ``all_generators_finalized`` (after ``bulletin.content.validation``: a
   build with errors still fails). By then every source is read (from the
reader cache when unchanged), checked and resolved; this module hashes
everything the writers would turn into files — each page's rendered body,
URL and metadata, the movements registry, the theme's files, the plugins'
code, the settings, the libraries' versions and the web editor's
environment — into a *build digest*. If the digest equals that of the last
successful build into the same output folder, and that folder is still
there, it raises :class:`UpToDate` so nothing is written again: the
published files are already exactly what a full build would write
(``tests/test_incremental.py`` proves the digest covers edits, additions,
deletions, photos and registry changes).

``bulletin.build.main`` records both in ``BUILD_DIGEST_FILE`` after a
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
from datetime import datetime

from pelican import signals

from bulletin import PACKAGE_DIR
from bulletin.build.cache import LIBRARIES, fingerprint, project_path
from bulletin.build.publication import current_build, sync_folder
from bulletin.content.vietnamese import build_now, localize

logger = logging.getLogger(__name__)

DEFAULTS = {"BUILD_DIGEST_FILE": "cache/build-record.json", "SKIP_UNCHANGED_BUILDS": True}
# Settings that differ between two runs of the same build without changing it
# (the others are notes of this module and bulletin.build.writer on the build in progress).
VOLATILE_SETTINGS = {
    "OUTPUT_PATH",
    "CACHE_PATH",
    "BULLETIN_BUILD_DIGEST",
    "BULLETIN_INPUT_STAMP",
    "BULLETIN_BUILT_AT",
    "BULLETIN_NEXT_DUE",
    "BULLETIN_PREVIOUS_RECORD",
    "BULLETIN_RENDER_INDEX",
    "BULLETIN_RENDER_STATS",
    "BULLETIN_KEPT_FILES",
}


class UpToDate(Exception):  # noqa: N818 - not an error: the output is current
    """The published output already is what this build would write."""


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
            content.save_as,
            content.status,
            metadata,
            [str(m.slug) for m in getattr(content, "movements", [])],
            str(content.summary),
            repr(getattr(content, "cover_photo", None)),
        )
    )


class RenderKeys:
    """This build's keys for :mod:`bulletin.build.writer`, kept on the context.

    ``site``: everything every page may show — settings, code, theme,
    registry and every content's listing record; ``content_key(c)``: that
    plus the content's own body, for the page that shows it whole.
    """

    CONTEXT_KEY = "bulletin_render_keys"

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


def _environment(digest, settings) -> None:
    """What shapes every page besides the files: settings, code, versions."""
    digest.update(fingerprint(settings).encode())
    digest.update(platform.python_version().encode())
    for library in (*LIBRARIES, "pagefind", "pillow", "jinja2"):
        try:
            from importlib import metadata  # noqa: PLC0415

            digest.update(f"{library}={metadata.version(library)}".encode())
        except Exception:  # noqa: BLE001 - a missing library is part of the state
            digest.update(f"{library}=none".encode())
    digest.update(
        repr(
            sorted((k, repr(v)) for k, v in settings.items() if k not in VOLATILE_SETTINGS)
        ).encode()
    )
    digest.update(
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("CMS_"))).encode()
    )


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


def build_digest(generators) -> str:
    """The digest of the whole output; leaves :class:`RenderKeys` on the context."""
    settings = generators[0].settings
    digest = hashlib.sha256()
    _environment(digest, settings)
    _tree(digest, settings["THEME"])
    context = generators[0].context
    contents = [
        content
        for generator in generators
        for kind in ("articles", "drafts", "pages", "draft_pages", "hidden_pages")
        for content in getattr(generator, kind, [])
    ]
    records = [listing_record(content) for content in contents]
    for record in records:
        digest.update(record.encode())
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
    for link in sorted(context.get("static_links", ())):
        path = os.path.join(settings["PATH"], link)
        digest.update(link.encode())
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    site = digest.hexdigest()
    keys, names = {}, {}
    for number, (content, record) in enumerate(zip(contents, records, strict=True)):
        names[id(content)] = f"{number}:{content.url}"
        body = hashlib.sha256(site.encode())
        body.update(record.encode())
        body.update(getattr(content, "_content", "").encode())
        keys[id(content)] = body.hexdigest()
        digest.update(keys[id(content)].encode())
    context[RenderKeys.CONTEXT_KEY] = RenderKeys(site, keys, names)
    return digest.hexdigest()


def _record(settings) -> dict:
    """The last successful build's record, if ``output`` still shows that build."""
    published = settings.get("BULLETIN_PUBLISHED_OUTPUT")
    try:
        with open(digest_file(settings), encoding="utf-8") as handle:
            record = json.load(handle)
    except (OSError, ValueError):
        return {}
    if (
        not isinstance(record, dict)
        or not published
        or record.get("output") != os.path.abspath(published)
        or not record.get("build")
        or record.get("build") != current_build(published)
        or not os.path.isfile(os.path.join(published, "index.html"))
    ):
        return {}
    return record


def _skipping(settings) -> bool:
    return not settings.get("BULLETIN_CHECK_ONLY") and settings.get(
        "SKIP_UNCHANGED_BUILDS", DEFAULTS["SKIP_UNCHANGED_BUILDS"]
    )


def skip_if_inputs_unchanged(pelican) -> None:
    """Layer 1: no input file was touched and no scheduled article is due."""
    settings = pelican.settings
    if settings.get("BULLETIN_CHECK_ONLY"):
        return
    now = build_now(settings)
    stamp = input_stamp(settings)
    settings["BULLETIN_INPUT_STAMP"] = stamp
    settings["BULLETIN_BUILT_AT"] = now.isoformat()
    if not _skipping(settings):
        return
    record = _record(settings)
    # Read once: layer 2 compares its digest, bulletin.build.writer reuses the
    # pages whose keys its render index holds.
    settings["BULLETIN_PREVIOUS_RECORD"] = record
    try:
        built_at = datetime.fromisoformat(record["built_at"])
        due = record.get("next_due")
        due = datetime.fromisoformat(due) if due else None
    except (KeyError, TypeError, ValueError):
        return
    if record.get("inputs") == stamp and built_at <= now and (due is None or now < due):
        logger.info("No input changed since the last build of %s", record["output"])
        raise UpToDate(record.get("digest", ""))


def next_due(generators) -> datetime | None:
    """The date of the first scheduled article: the output changes then."""
    dates = [
        localize(draft.date)
        for generator in generators
        for draft in getattr(generator, "drafts", [])
        if draft.metadata.get("scheduled") and isinstance(getattr(draft, "date", None), datetime)
    ]
    return min(dates, default=None)


def skip_if_unchanged(generators) -> None:
    """Layer 2: the sources were read; nothing they turn into changed."""
    settings = generators[0].settings
    if settings.get("BULLETIN_CHECK_ONLY"):
        return
    current = build_digest(generators)
    settings["BULLETIN_BUILD_DIGEST"] = current
    due = next_due(generators)
    settings["BULLETIN_NEXT_DUE"] = due.isoformat() if due else None
    previous = settings.get("BULLETIN_PREVIOUS_RECORD") or {}
    if _skipping(settings) and previous.get("digest") == current:
        logger.info("Nothing to write: the output of the last build is current")
        raise UpToDate(current)


def record_digest(settings, output: str, build: str) -> None:
    """Called by bulletin.build.main once ``output`` points at the folder ``build``."""
    current = settings.get("BULLETIN_BUILD_DIGEST")
    path = digest_file(settings)
    if not current:
        return
    record = {
        "output": os.path.abspath(output),
        "build": build,
        "digest": current,
        "inputs": settings.get("BULLETIN_INPUT_STAMP"),
        "built_at": settings.get("BULLETIN_BUILT_AT"),
        "next_due": settings.get("BULLETIN_NEXT_DUE"),
        "render_index": settings.get("BULLETIN_RENDER_INDEX") or {},
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
