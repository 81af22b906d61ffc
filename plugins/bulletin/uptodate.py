"""Skip writing when nothing that shapes the output has changed.

Connects ``all_generators_finalized`` (after ``bulletin.validation``: a
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

``bulletin.build`` records the digest in ``BUILD_DIGEST_FILE`` after a
successful build. Never edit ``output/`` by hand: it would not be noticed.
"""

from __future__ import annotations

import hashlib
import os
import platform

from pelican import signals

from bulletin.cache import LIBRARIES, fingerprint, project_path

DEFAULTS = {"BUILD_DIGEST_FILE": "cache/build-digest.txt", "SKIP_UNCHANGED_BUILDS": True}
# Settings that differ between two runs of the same build without changing it.
VOLATILE_SETTINGS = {"OUTPUT_PATH", "CACHE_PATH", "BULLETIN_BUILD_DIGEST"}


class UpToDate(Exception):  # noqa: N818 - not an error: the output is current
    """The published output already is what this build would write."""


def digest_file(settings) -> str:
    return project_path(settings, "BUILD_DIGEST_FILE", DEFAULTS["BUILD_DIGEST_FILE"])


def _content_record(content) -> str:
    metadata = sorted(
        (key, str(value)) for key, value in content.metadata.items() if key != "bulletin_source"
    )
    return repr(
        (
            content.url,
            content.save_as,
            content.status,
            getattr(content, "_content", ""),
            metadata,
            [str(m.slug) for m in getattr(content, "movements", [])],
        )
    )


def _tree(digest, folder: str) -> None:
    for current, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(current, name)
            digest.update(os.path.relpath(path, folder).encode() + b"\0")
            with open(path, "rb") as handle:
                digest.update(handle.read())


def build_digest(generators) -> str:
    settings = generators[0].settings
    digest = hashlib.sha256(fingerprint(settings).encode())
    digest.update(platform.python_version().encode())
    for library in (*LIBRARIES, "pagefind", "pillow", "jinja2"):
        try:
            from importlib import metadata  # noqa: PLC0415

            digest.update(f"{library}={metadata.version(library)}".encode())
        except Exception:  # noqa: BLE001 - a missing library is part of the state
            digest.update(f"{library}=none".encode())
    volatile = VOLATILE_SETTINGS
    digest.update(
        repr(sorted((k, repr(v)) for k, v in settings.items() if k not in volatile)).encode()
    )
    digest.update(
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("CMS_"))).encode()
    )
    _tree(digest, settings["THEME"])
    context = generators[0].context
    for generator in generators:
        for kind in ("articles", "drafts", "pages", "draft_pages", "hidden_pages"):
            for content in getattr(generator, kind, []):
                digest.update(_content_record(content).encode())
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
    return digest.hexdigest()


def skip_if_unchanged(generators) -> None:
    settings = generators[0].settings
    if settings.get("BULLETIN_CHECK_ONLY"):
        return
    current = build_digest(generators)
    settings["BULLETIN_BUILD_DIGEST"] = current
    if not settings.get("SKIP_UNCHANGED_BUILDS", DEFAULTS["SKIP_UNCHANGED_BUILDS"]):
        return
    published = settings.get("BULLETIN_PUBLISHED_OUTPUT")
    try:
        with open(digest_file(settings), encoding="utf-8") as handle:
            recorded = handle.read().split()
    except OSError:
        return
    if (
        published
        and os.path.isfile(os.path.join(published, "index.html"))
        and recorded == [current, os.path.abspath(published)]
    ):
        raise UpToDate(current)


def record_digest(settings, output: str) -> None:
    """Called by bulletin.build once ``output`` holds this build's files."""
    current = settings.get("BULLETIN_BUILD_DIGEST")
    path = digest_file(settings)
    if not current:
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"{current} {os.path.abspath(output)}\n")


def register() -> None:
    signals.all_generators_finalized.connect(skip_if_unchanged)
