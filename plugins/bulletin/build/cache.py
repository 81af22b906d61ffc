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

Also on ``generator_init``: each generator's Jinja environment keeps its
compiled templates in that folder (:func:`compiled_templates`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from importlib import metadata

import jinja2
from jinja2 import FileSystemBytecodeCache
from pelican import signals

from bulletin import PACKAGE_DIR
from bulletin.build.pelican_adapter import cache_file_name
from bulletin.build.rendering import safe_to_fork
from bulletin.build.state import STATE_KEY, state_of

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


# ".saving-<cache file>" is present while Pelican writes that cache file.
SAVING_MARKER = ".saving"


def use_fingerprinted_cache(pelican) -> None:
    settings = pelican.settings
    if settings.get("CACHE_CONTENT"):
        folder = os.path.join(settings["CACHE_PATH"], fingerprint(settings))
        if any(name.startswith(SAVING_MARKER) for name in _listing(folder)):
            logger.info("Reader cache %s was being written when a build stopped: dropped", folder)
            shutil.rmtree(folder, ignore_errors=True)
        settings["CACHE_PATH"] = folder


def _listing(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def _guarded(save, folder: str, name: str, on_end: list | None):
    def save_cache():
        marker = os.path.join(folder, f"{SAVING_MARKER}-{name}")
        os.makedirs(folder, exist_ok=True)
        with open(marker, "w", encoding="utf-8"):
            pass
        if on_end is not None and hasattr(os, "fork") and safe_to_fork():
            in_child(save, marker, on_end)
            return
        save()
        os.remove(marker)

    save_cache.bulletin_guarded = True
    return save_cache


def in_child(save, marker: str, on_end: list) -> None:
    """Pickle the cache in a forked child while the build goes on.

    Pickling the reader cache of a large archive takes a second and, in
    CPython 3.11, leaves a real ``__dict__`` on every object it pickles (the
    bylines, tags and categories of every article: about 100 MB on 20,000
    articles, for the rest of the build). The child pickles its own copy of
    the cache and exits; the build waits for it when Pelican's run ends
    (``BuildState.on_end``), under the build lock. A child that does not
    end well leaves the marker: the next build starts with an empty cache.
    """
    pid = os.fork()
    if pid == 0:  # the child: nothing else, never back into the build
        code = 1
        try:
            save()
            os.remove(marker)
            code = 0
        finally:
            os._exit(code)

    def wait() -> None:
        _pid, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            logger.warning(
                "Không lưu được bộ đệm đọc bài (%s): lần dựng sau đọc lại mọi bài.", marker
            )

    on_end.append(wait)


def guard_cache_saves(generator) -> None:
    folder = generator.settings.get("CACHE_PATH")
    if not generator.settings.get("CACHE_CONTENT") or not folder:
        return
    # Only a run of bulletin.build.main waits for a child (BuildState.on_end):
    # a plain `pelican` run saves in its own process.
    on_end = state_of(generator.settings).on_end if STATE_KEY in generator.settings else None
    for cacher in (generator, getattr(generator, "readers", None)):
        save = getattr(cacher, "save_cache", None)
        if callable(save) and not getattr(save, "bulletin_guarded", False):
            cacher.save_cache = _guarded(save, folder, cache_file_name(cacher), on_end)


def compiled_templates(generator) -> None:
    """Keep the generator's compiled templates in the cache.

    Every generator has its own Jinja environment, and each compiles the
    templates it uses again on every build (about 30 compilations, 0.2–0.4 s
    of a one-article edit on 2,000 articles). Jinja's own bytecode cache
    checks each template's source checksum and the Python version; the
    environment's options are in the folder's name."""
    settings = generator.settings
    env = getattr(generator, "env", None)
    if env is None or env.bytecode_cache is not None or not settings.get("CACHE_CONTENT"):
        return
    options = f"{jinja2.__version__}\n{settings.get('JINJA_ENVIRONMENT')!r}"
    name = "templates-" + hashlib.sha256(options.encode()).hexdigest()[:12]
    folder = os.path.join(settings["CACHE_PATH"], name)
    os.makedirs(folder, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(folder)


def register() -> None:
    signals.initialized.connect(use_fingerprinted_cache)
    signals.generator_init.connect(guard_cache_saves)
    signals.generator_init.connect(compiled_templates)
