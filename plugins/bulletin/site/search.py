"""Search: a Pagefind index of the built site, in bundles, that understands unaccented Vietnamese.

Connects:

- ``all_generators_finalized``: ``search_merge_bundles`` in the context —
  the addresses of the bundles the search page merges (``mergeIndex``) into
  the primary one, newest year first (:func:`add_merge_bundles`);
- ``finalized``: runs Pagefind (the ``pagefind`` PyPI package ships the
  binary; nothing is downloaded) for each bundle whose pages changed — one
  per year of articles, one of the other pages, the primary one
  (:mod:`bulletin.site.search_partitions`) — into the build's own new
  folder, so a failed index fails the build. Each bundle is cached in
  ``SEARCH_CACHE_PATH`` under a hash of what Pagefind reads of its pages
  (:mod:`bulletin.site.search_pages`) and those pages' texts; an unchanged
  bundle is hard-linked from there. A one-article edit runs Pagefind on that
  year only (~0.6 s for 200 pages here, instead of ~7 s for the whole
  archive), and Pagefind's memory is bounded by a bundle's pages. A cache
  entry appears whole, by a rename; a build that cannot read one indexes
  again.

Pagefind reads each bundle's pages in a shadow folder of hard links (the
pages a build kept are linked from the published build: nothing is linked
into the build's folder for it). Official documents are searched by what
their files say: each document page has an empty ``<div hidden
data-search-text>`` (:data:`TEXT_HOOK`), written filled in the shadow with
its files' text and its "đ" words folded (:mod:`bulletin.documents.index`):
the published page stays as light as it is.

With ``SEARCH_DEFERRED`` (the live preview, ``invoke livereload``) the build
keeps the previous bundles and :func:`refresh_index` indexes the published
build afterwards, in the background, and swaps the new bundle folder into it
in one atomic exchange.

Ranking exact matches first (Pagefind conflates "Hương" and "hướng") is
done in the browser by ``theme/static/js/search.js``.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from typing import NamedTuple

from pelican import signals
from pelican.utils import get_relative_path

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
from bulletin.documents.index import page_texts
from bulletin.site.search_pages import MEMO, Page, indexed, page_sources, read_pages
from bulletin.site.search_partitions import (
    article_pattern,
    bundle_urls,
    layout,
    partitions,
    safe_name,
)
from bulletin.site.search_stable import UnknownFormatError, stabilise_bundle

# fold: re-exported for the callers that imported it from here.
from bulletin.site.search_text import fold, folded_words  # noqa: F401

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_INDEX": True,
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_CACHE_PATH": "cache/search",
    "SEARCH_DEFERRED": False,
    # Articles of one year per bundle, at most (a year with more is split):
    # Pagefind's peak memory grows ~150 KB a page (~310 MB at 2,000 here).
    "SEARCH_PARTITION_PAGES": 2000,
    "SEARCH_JOBS": 0,  # Pagefind runs at once when several bundles change; 0: one per core
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


def partition_digest(pages: list[Page], texts: dict[str, str]) -> str:
    """Hash of what Pagefind reads for a bundle: its pages, the texts given
    to them, Pagefind's version."""
    digest = hashlib.sha256(metadata.version("pagefind").encode())
    for page in pages:
        digest.update(f"{page.path}\0{page.digest}\0".encode())
        if page.path in texts:
            digest.update(hashlib.sha256(texts[page.path].encode()).digest())
    return digest.hexdigest()[:20]


def shadow_of(pages: list[Page], texts: dict[str, str], parent: str) -> str:
    """A scratch folder in ``parent`` with ``pages`` as Pagefind must read
    them: each hard-linked from where it is (the build's folder or the
    published one), a document's page written anew with its files' text in
    its hook. No page of a build, kept or written, is ever written into."""
    scratch = tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=parent)
    made = set()
    for page in pages:
        target = os.path.join(scratch, *page.path.split("/"))
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        filled = None
        if page.path in texts:
            with open(page.source, encoding="utf-8") as handle:
                filled = with_text(handle.read(), texts[page.path])
        if filled is None:
            link_or_copy(page.source, target)
        else:
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(filled)
    return scratch


def run_pagefind(site: str, target: str) -> int:
    """Pagefind's bundle of the pages in ``site`` into ``target``; its peak
    memory (KB). The CLI rather than Pagefind's Python API: the API's
    service can be stopped while it still writes the bundle (empty files
    were seen). ``python -m pagefind`` replaces itself with the binary
    (``execv``), so the child's own figures are Pagefind's."""
    command = [sys.executable, "-m", "pagefind", "--site", site, "--silent"]
    command += ["--output-path", os.path.abspath(target)]
    with tempfile.TemporaryFile() as said:
        child = subprocess.Popen(command, stdout=said, stderr=said)
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            said.seek(0)
            raise SearchIndexError(
                "Không tạo được chỉ mục tìm kiếm (Pagefind): "
                + said.read().decode("utf-8", "replace").strip()[-2000:]
            )
    try:  # Pagefind 1.5.2 orders filters at random: the same pages, other bytes
        stabilise_bundle(target)
    except (UnknownFormatError, OSError) as error:
        raise SearchIndexError(
            f"Không sắp xếp được chỉ mục Pagefind ({target}): {error}"
        ) from error
    return usage.ru_maxrss


class Partition(NamedTuple):
    """One bundle of the index: where it goes below the bundle folder ("":
    the primary one, the folder itself), its pages and their hash."""

    folder: str
    pages: list[Page]
    digest: str


def plan(pages: list[Page], texts: dict[str, str], settings) -> list[Partition]:
    """The bundles of these pages (:mod:`bulletin.site.search_partitions`), the primary first."""
    pattern = article_pattern(settings.get("ARTICLE_SAVE_AS") or "")
    limit = settings.get("SEARCH_PARTITION_PAGES", DEFAULTS["SEARCH_PARTITION_PAGES"])
    others, named = partitions([page.path for page in pages], pattern, limit)
    primary, merged = layout(bool(others), named)
    by_path = {page.path: page for page in pages}
    groups = [("", others or named.get(primary, []))]
    groups += [(safe_name(name), named[name]) for name in merged]
    result = []
    for folder, paths in groups:
        chosen = [by_path[path] for path in paths]
        result.append(Partition(folder, chosen, partition_digest(chosen, texts)))
    return result


def index_site(
    site: str, settings, target: str, published: str | None = None, kept=()
) -> dict[str, int]:
    """Pagefind's bundles for the pages of ``site`` (and the ``kept`` ones
    of ``published``), into ``target`` (new). Only a bundle whose pages
    changed is made again; the others are hard-linked from the cache.
    Returns each new bundle's Pagefind peak memory (KB) by folder."""
    bundle = settings.get("SEARCH_BUNDLE_DIR", DEFAULTS["SEARCH_BUNDLE_DIR"])
    cache = project_path(settings, "SEARCH_CACHE_PATH", DEFAULTS["SEARCH_CACHE_PATH"])
    sources = page_sources(site, bundle, published, kept)
    pages = indexed(read_pages(sources, os.path.join(cache, MEMO)))
    texts = {text.path: text.text for text in page_texts(site, settings, published)}
    partitions_ = plan(pages, texts, settings)
    parent = os.path.dirname(os.path.realpath(site))
    run = _Run(texts, settings, parent, _work_folder(cache, parent), cache)
    try:
        run.ready = {p.digest: os.path.join(cache, p.digest) for p in partitions_}
        run.index([p for p in partitions_ if not os.path.isdir(run.ready[p.digest])])
        for partition in partitions_:
            try:
                _place(partition, run.ready[partition.digest], target)
            except (OSError, shutil.Error):  # removed meanwhile by another process's index
                shutil.rmtree(_destination(partition, target), ignore_errors=True)
                run.index([partition])
                _place(partition, run.ready[partition.digest], target)
        logger.info(
            "Search index: %d bundles, %d made by Pagefind, the others reused from %s",
            len(partitions_),
            len(run.peaks),
            cache,
        )
    finally:
        shutil.rmtree(run.work, ignore_errors=True)
    _prune(cache, {partition.digest for partition in partitions_})
    return run.peaks


def _work_folder(cache: str, parent: str) -> str:
    """A scratch folder in the cache (new bundles are renamed into it from
    there), or beside the site when the cache cannot be written."""
    try:
        os.makedirs(cache, exist_ok=True)
        return tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=cache)
    except OSError as error:
        logger.warning("Search index not cached: %s", error)
        return tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=parent)


@dataclass
class _Run:
    """One index step's Pagefind runs: the documents' texts, the scratch
    folders, the cache, and what each bundle was made from."""

    texts: dict[str, str]
    settings: dict
    parent: str  # beside the site: the pages' shadows
    work: str  # Pagefind's output, renamed into the cache
    cache: str
    ready: dict[str, str] = field(default_factory=dict)  # digest: its bundle
    peaks: dict[str, int] = field(default_factory=dict)  # folder: Pagefind's peak (KB)

    def index(self, missing: list[Partition]) -> None:
        """Pagefind for each of ``missing``, several at once (one per core by
        default: a run of Pagefind keeps about one busy); each new bundle
        cached as it is done, by a rename: never half a bundle under a digest."""
        jobs = self.settings.get("SEARCH_JOBS", DEFAULTS["SEARCH_JOBS"]) or os.cpu_count() or 1
        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(missing) or 1))) as pool:
            peaks = list(pool.map(self.one, missing))
        for partition, peak in zip(missing, peaks, strict=True):
            self.peaks[partition.folder] = peak
            logger.info(
                "Search bundle %s: %d pages, Pagefind peak %d MB",
                partition.folder or "chính",
                len(partition.pages),
                peak // 1024,
            )

    def one(self, partition: Partition) -> int:
        shadow = shadow_of(partition.pages, self.texts, self.parent)
        made = os.path.join(self.work, partition.digest)
        try:
            peak = run_pagefind(shadow, made)
        finally:
            shutil.rmtree(shadow, ignore_errors=True)
        kept = os.path.join(self.cache, partition.digest)
        try:
            os.rename(made, kept)
        except OSError:  # another process cached the same pages, or no cache
            kept = kept if os.path.isdir(kept) else made
        self.ready[partition.digest] = kept
        return peak


# What a merged bundle does not need: the browser loads pagefind.js, its
# worker, the WebAssembly and the UI files of the primary bundle only.
_PRIMARY_ONLY = re.compile(r"(?:pagefind[\w.-]*\.(?:js|css)|wasm\.[\w-]+\.pagefind)\Z")


def _destination(partition: Partition, target: str) -> str:
    # safe_name: a year or a part, never a path (a slug never reaches it).
    return os.path.join(target, safe_name(partition.folder)) if partition.folder else target


def _place(partition: Partition, bundle: str, target: str) -> None:
    """Hard-link ``bundle`` into the bundle folder: the primary bundle is the
    folder itself, each other one a folder below it, without the files only
    the primary one's are loaded of."""

    def ignore(folder, names):
        return [n for n in names if folder == bundle and _PRIMARY_ONLY.match(n)]

    shutil.copytree(
        bundle,
        _destination(partition, target),
        copy_function=link_or_copy,
        ignore=ignore if partition.folder else None,
        dirs_exist_ok=True,
    )


def _prune(cache: str, digests: set[str]) -> None:
    """Drop the cached bundles no page of this site needs any more."""
    with contextlib.suppress(OSError):
        for name in os.listdir(cache):
            path = os.path.join(cache, name)
            if name in digests or in_use(name) or not os.path.isdir(path):
                continue
            shutil.rmtree(path, ignore_errors=True)


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
    # The pages this build kept are read where they are, in the published build.
    index_site(pelican.output_path, settings, target, published, state.kept_files)


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


def add_merge_bundles(generators) -> None:
    """``search_merge_bundles`` in the context: the addresses of the bundles
    the search page merges into the primary one, newest year first — the
    same plan :func:`index_site` follows, made here from the contents before
    anything is written (the articles' addresses; whether any page or
    document is indexed, as their templates carry ``data-pagefind-body``)."""
    if not generators:
        return
    context, settings = generators[0].context, generators[0].settings
    if not settings.get("SEARCH_INDEX", DEFAULTS["SEARCH_INDEX"]):
        context["search_merge_bundles"] = []
        return
    pattern = article_pattern(settings.get("ARTICLE_SAVE_AS") or "")
    limit = settings.get("SEARCH_PARTITION_PAGES", DEFAULTS["SEARCH_PARTITION_PAGES"])
    paths = [a.save_as for a in context.get("articles", []) if getattr(a, "save_as", "")]
    _others, named = partitions(paths, pattern, limit)
    has_others = any(
        getattr(content, "save_as", "")
        for key in ("pages", "hidden_pages", "documents")
        for content in context.get(key) or ()
    )
    _primary, merged = layout(has_others, named)
    bundle = settings.get("SEARCH_BUNDLE_DIR", DEFAULTS["SEARCH_BUNDLE_DIR"])
    site_url = context.get("SITEURL", "")
    if settings.get("RELATIVE_URLS"):  # as the search page's own SITEURL will be
        site_url = get_relative_path(settings.get("SEARCH_SAVE_AS") or "index.html")
    context["search_merge_bundles"] = bundle_urls(site_url, bundle, merged)


def register() -> None:
    signals.all_generators_finalized.connect(add_merge_bundles)
    signals.finalized.connect(build_index)
