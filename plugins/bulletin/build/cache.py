"""Pelican's reader cache, safe to keep between builds.

Pelican keys its content cache by file only: change a Markdown extension, a
typogrify setting or this project's reader, and stale HTML survives. On
``initialized``, this module moves ``CACHE_PATH`` into a subfolder named
after a hash of everything a file's reading depends on besides the file
itself: the plugins' source code, the reading settings and the versions of
the libraries. Any change starts a fresh cache; an unchanged setup reuses it.

What must be decided on every build is not cached: scheduling, movements,
photo checks and cross-file checks run in signal handlers after the cache.

Pelican writes its cache files in place: a build killed while writing one
leaves a torn gzip, and the next build stops on it (``EOFError``, which
Pelican does not catch). On ``generator_init``, each generator's and
reader's ``save_cache`` is wrapped to leave a marker file while it writes;
a build that finds the marker starts with an empty cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from importlib import metadata

from pelican import signals

from bulletin import PACKAGE_DIR

logger = logging.getLogger(__name__)

# Settings that change what a source file reads to.
READING_SETTINGS = (
    "MARKDOWN",
    "TYPOGRIFY",
    "BULLETIN_TYPOGRIFY",
    "TYPOGRIFY_DASHES",
    "TYPOGRIFY_IGNORE_TAGS",
    "TYPOGRIFY_OMIT_FILTERS",
    "FORMATTED_FIELDS",
    "SLUG_REGEX_SUBSTITUTIONS",
    "SLUGIFY_SOURCE",
    "SLUGIFY_USE_UNICODE",
    "SLUGIFY_PRESERVE_CASE",
    "DEFAULT_METADATA",
    "DEFAULT_CATEGORY",
    "DEFAULT_LANG",
    "TIMEZONE",
    "SAFE_IFRAME_HOSTS",
    "READERS",
    "GZIP_CACHE",  # the cache file's format: a switch must not read the other one
)
LIBRARIES = ("pelican", "markdown", "typogrify", "smartypants", "babel", "unidecode")


def project_path(settings, key: str, default: str) -> str:
    """A path setting: absolute as given, else relative to the project folder
    (the one that holds ``content/``), whatever the working directory."""
    path = settings.get(key, default)
    if os.path.isabs(path):
        return path
    return os.path.join(os.path.dirname(os.path.abspath(settings["PATH"])), path)


def package_files() -> list[str]:
    """Every file of the plugin package, subpackages and assets included
    (the web editor's scripts are copied into the site), sorted."""
    found = []
    for current, dirs, files in os.walk(PACKAGE_DIR):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [os.path.join(current, name) for name in sorted(files)]
    return found


def fingerprint(settings) -> str:
    digest = hashlib.sha256()
    for path in package_files():
        with open(path, "rb") as handle:
            name = os.path.relpath(path, PACKAGE_DIR).replace(os.sep, "/")
            digest.update(name.encode() + b"\0" + handle.read())
    for key in READING_SETTINGS:
        digest.update(f"{key}={settings.get(key)!r}\n".encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}=={metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} missing\n".encode())
    return digest.hexdigest()[:16]


SAVING_MARKER = ".saving"  # present while Pelican writes a cache file


def use_fingerprinted_cache(pelican) -> None:
    settings = pelican.settings
    if settings.get("CACHE_CONTENT"):
        folder = os.path.join(settings["CACHE_PATH"], fingerprint(settings))
        if os.path.exists(os.path.join(folder, SAVING_MARKER)):
            logger.info("Reader cache %s was being written when a build stopped: dropped", folder)
            shutil.rmtree(folder, ignore_errors=True)
        settings["CACHE_PATH"] = folder


def _guarded(save, folder: str):
    def save_cache():
        marker = os.path.join(folder, SAVING_MARKER)
        os.makedirs(folder, exist_ok=True)
        with open(marker, "w", encoding="utf-8"):
            pass
        save()
        os.remove(marker)

    save_cache.bulletin_guarded = True
    return save_cache


def guard_cache_saves(generator) -> None:
    folder = generator.settings.get("CACHE_PATH")
    if not generator.settings.get("CACHE_CONTENT") or not folder:
        return
    for cacher in (generator, getattr(generator, "readers", None)):
        save = getattr(cacher, "save_cache", None)
        if callable(save) and not getattr(save, "bulletin_guarded", False):
            cacher.save_cache = _guarded(save, folder)


def register() -> None:
    signals.initialized.connect(use_fingerprinted_cache)
    signals.generator_init.connect(guard_cache_saves)
