"""Search: a Pagefind index of the built site, that understands unaccented Vietnamese.

Connects:

- ``finalized``: runs Pagefind (the ``pagefind`` PyPI package ships the
  binary; nothing is downloaded) over the output folder, which is the
  build's own new folder, so a failed index fails the build. Official
  documents are searched by what their files say: each document page has
  an empty ``<div hidden data-search-text>`` (:data:`TEXT_HOOK`) that
  Pagefind reads filled with its files' text and its "đ" words folded
  (:mod:`bulletin.documents.index`) — swapped in and out of the build's own
  folder around Pagefind's run (:func:`texts_in_place`), or in a shadow of
  a published site: the published page stays as light as it is. The bundle is kept in
  ``SEARCH_CACHE_PATH`` under a hash of every HTML page and those texts:
  when nothing changed, the last bundle is reused (hard-linked) instead of
  indexing again (a third of an unchanged rebuild of a large archive). A
  cache entry appears whole, by a rename; a build that cannot read one
  indexes again.

With ``SEARCH_DEFERRED`` (the live preview, ``invoke livereload``) the build
keeps the previous bundle and :func:`refresh_index` indexes the published
build afterwards, in the background, and swaps the new bundle into it in
one atomic exchange: an edited page is shown without waiting seconds for
Pagefind to read the whole archive again.

Ranking exact matches first (Pagefind conflates "Hương" and "hướng") is
done in the browser by ``theme/static/js/search.js``.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata

from pelican import signals

from bulletin.build.cache import project_path
from bulletin.build.publication import (
    SCRATCH,
    PublicationError,
    exchange,
    in_use,
    link_or_copy,
    scratch_folder,
)
from bulletin.build.state import state_of
from bulletin.build.writer import link_kept_files
from bulletin.documents.index import PageText, page_texts

# fold: re-exported for the callers that imported it from here.
from bulletin.site.search_text import fold, folded_words  # noqa: F401

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_INDEX": True,
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_CACHE_PATH": "cache/search",
    "SEARCH_DEFERRED": False,
}
# In a page's data-pagefind-body: filled, for Pagefind only, with text the
# page does not show (theme/templates/document.html: its files' text).
TEXT_HOOK = "<div hidden data-search-text></div>"


class SearchIndexError(RuntimeError):
    """Pagefind failed: the build must not publish a site without search."""


def with_text(page: str, text: str) -> str | None:
    """``page`` (HTML) with ``text`` and its folded "đ" words in its
    :data:`TEXT_HOOK`, escaped; None when the page has no hook."""
    if TEXT_HOOK not in page:
        return None
    filled = (
        '<div hidden data-search-text data-pagefind-weight="0.5">'
        f"<p>{html.escape(text, quote=False)}</p><p>{folded_words(html.escape(text))}</p></div>"
    )
    return page.replace(TEXT_HOOK, filled, 1)


def pages_digest(output: str, bundle: str, texts: list[PageText] = ()) -> str:
    """Hash of every HTML page of the site and the texts given to them (what
    Pagefind indexes), and Pagefind's version."""
    digest = hashlib.sha256(metadata.version("pagefind").encode())
    for page in texts:
        digest.update(f"{page.path}\0".encode())
        digest.update(hashlib.sha256(page.text.encode()).digest())
    for folder, dirs, files in os.walk(output):
        dirs.sort()
        if os.path.relpath(folder, output).split(os.sep)[0] == bundle:
            continue
        for name in sorted(files):
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, output).encode() + b"\0")
                with open(path, "rb") as handle:
                    digest.update(handle.read())
    return digest.hexdigest()[:20]


def shadow_site(site: str, texts: list[PageText], bundle: str) -> str:
    """A scratch folder beside ``site`` with its HTML pages as Pagefind must
    read them: each hard-linked, except the pages of ``texts``, written with
    their text in the hook. The build folder itself is never written into."""
    filled = {}
    for page in texts:
        with open(os.path.join(site, page.path), encoding="utf-8") as handle:
            text = with_text(handle.read(), page.text)
        if text is not None:
            filled[os.path.normpath(page.path)] = text
    parent = os.path.dirname(os.path.realpath(site))
    scratch = tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=parent)
    for folder, dirs, files in os.walk(site):
        relative = os.path.relpath(folder, site)
        if relative.split(os.sep)[0] == bundle:
            dirs[:] = []
            continue
        for name in files:
            if not name.endswith(".html"):
                continue
            page = os.path.normpath(os.path.join(relative, name))
            target = os.path.join(scratch, page)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if page in filled:
                with open(target, "w", encoding="utf-8") as handle:
                    handle.write(filled[page])
            else:
                link_or_copy(os.path.join(folder, name), target)
    return scratch


@contextlib.contextmanager
def texts_in_place(site: str, texts: list[PageText]):
    """While Pagefind reads ``site`` — a build's own folder, not yet
    published — each page of ``texts`` is a new file with its text in the
    hook; the original is put back after, whatever happens.

    Replaced by rename, never written into: a page the build kept is a hard
    link of the published one, whose bytes must not change. A few hundred
    renames instead of :func:`shadow_site`'s link of every page.
    """
    parent = os.path.dirname(os.path.realpath(site))
    aside = tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=parent)
    swapped = []
    try:
        for number, page in enumerate(texts):
            path = os.path.join(site, page.path)
            with open(path, encoding="utf-8") as handle:
                filled = with_text(handle.read(), page.text)
            if filled is None:
                continue
            original, new = (os.path.join(aside, f"{number}.{kind}") for kind in ("old", "new"))
            os.link(path, original)
            with open(new, "w", encoding="utf-8") as handle:
                handle.write(filled)
            os.replace(new, path)
            swapped.append((original, path))
        yield
    finally:
        for original, path in reversed(swapped):
            os.replace(original, path)
        shutil.rmtree(aside, ignore_errors=True)


def run_pagefind(site: str, target: str, texts: list[PageText], bundle: str, staged: bool) -> None:
    """Pagefind's bundle of ``site`` into ``target``: its CLI, the pages of
    ``texts`` given their text — in place in a build's own folder
    (``staged``), else (the published build) in a shadow of the site.

    The CLI rather than Pagefind's Python API: the API's service can be
    stopped while it still writes the bundle (empty files were seen).
    """
    shadow = None
    swap = texts_in_place(site, texts) if texts and staged else contextlib.nullcontext()
    try:
        with swap:
            shadow = shadow_site(site, texts, bundle) if texts and not staged else None
            command = [sys.executable, "-m", "pagefind", "--site", shadow or site, "--silent"]
            command += ["--output-path", os.path.abspath(target)]
            result = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        if shadow:
            shutil.rmtree(shadow, ignore_errors=True)
    if result.returncode != 0:
        raise SearchIndexError(
            "Không tạo được chỉ mục tìm kiếm (Pagefind): "
            + (result.stderr or result.stdout).strip()[-2000:]
        )


def index_site(site: str, settings, target: str, staged: bool = False) -> None:
    """Pagefind's bundle for the pages of ``site``, into ``target`` (new).
    ``staged``: ``site`` is a build's own folder, not published yet."""
    bundle = settings.get("SEARCH_BUNDLE_DIR", DEFAULTS["SEARCH_BUNDLE_DIR"])
    folder = project_path(settings, "SEARCH_CACHE_PATH", DEFAULTS["SEARCH_CACHE_PATH"])
    texts = page_texts(site, settings)
    digest = pages_digest(site, bundle, texts)
    cached = os.path.join(folder, digest)
    if os.path.isdir(cached):
        try:
            shutil.copytree(cached, target, copy_function=link_or_copy)
        except (OSError, shutil.Error):  # removed meanwhile by an indexing of other pages
            shutil.rmtree(target, ignore_errors=True)
        else:
            logger.info("Search index unchanged: reused %s", cached)
            return
    run_pagefind(site, target, texts, bundle, staged)
    logger.info(
        "Search index written by Pagefind (%d documents with their files' text)", len(texts)
    )
    try:
        keep_in_cache(target, folder, digest)
    except (OSError, shutil.Error) as error:  # a cache: the next build indexes again
        logger.warning("Search index not cached: %s", error)


def keep_in_cache(bundle: str, folder: str, digest: str) -> None:
    """Keep only this bundle: the next build either matches it or starts over.

    It is linked into a scratch folder, then renamed to its name: a build
    killed meanwhile never leaves half a bundle under a digest."""
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name != digest and not in_use(name):
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)
    scratch = tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=folder)
    try:
        shutil.copytree(bundle, os.path.join(scratch, digest), copy_function=link_or_copy)
        with contextlib.suppress(OSError):  # another process just cached the same pages
            os.rename(os.path.join(scratch, digest), os.path.join(folder, digest))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def build_index(pelican) -> None:
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", DEFAULTS["SEARCH_INDEX"]):
        return
    bundle = settings.get("SEARCH_BUNDLE_DIR", DEFAULTS["SEARCH_BUNDLE_DIR"])
    target = os.path.join(pelican.output_path, bundle)
    state = state_of(settings)
    published = state.published_output
    if settings.get("SEARCH_DEFERRED", DEFAULTS["SEARCH_DEFERRED"]) and published:
        previous = os.path.join(published, bundle)
        if os.path.isdir(previous):  # searchable now, up to date in a moment
            shutil.copytree(previous, target, copy_function=link_or_copy)
        return
    # Pagefind reads one folder: the unchanged pages join the staged ones.
    link_kept_files(state, pelican.output_path, suffix=".html")
    # A build into a folder of its own (bulletin.build.main) may give the
    # document pages their text in place; a plain run writes a served folder.
    staged = bool(published) and os.path.realpath(published) != os.path.realpath(
        pelican.output_path
    )
    index_site(pelican.output_path, settings, target, staged=staged)


def refresh_index(settings, output: str, lock=None) -> None:
    """Index the published build of ``output`` again; swap the new bundle in.

    For the live preview, after a build with ``SEARCH_DEFERRED``. Pagefind
    reads the build folder ``output`` points at now, writing into a scratch
    folder; under ``lock`` (the preview's builds and the build lock), if
    ``output`` still points at that folder, the new bundle and the old one
    change places in one atomic exchange (never a build folder without a
    bundle). A failure is logged: the preview keeps its previous bundle.
    """
    if not settings.get("SEARCH_INDEX", DEFAULTS["SEARCH_INDEX"]):
        return
    name = settings.get("SEARCH_BUNDLE_DIR", DEFAULTS["SEARCH_BUNDLE_DIR"])
    build = os.path.realpath(output)
    work = None
    try:
        work = scratch_folder(output)
        fresh = os.path.join(work, "new")
        index_site(build, settings, fresh)
        with lock or contextlib.nullcontext():
            if os.path.realpath(output) != build:
                logger.info("A newer build replaced %s: its own index follows", build)
                return
            bundle = os.path.join(build, name)
            if os.path.isdir(bundle):
                exchange(fresh, bundle)
            else:
                os.rename(fresh, bundle)
    except (SearchIndexError, OSError, PublicationError) as error:
        if os.path.realpath(output) == build:
            logger.error("%s", error)
        else:  # the folder was replaced (and removed) while Pagefind read it
            logger.info("A newer build replaced %s: its own index follows", build)
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def register() -> None:
    signals.finalized.connect(build_index)
