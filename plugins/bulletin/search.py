"""Search: a Pagefind index of the built site, that understands unaccented Vietnamese.

Connects:

- ``generator_init``: the Jinja filter ``folded_words`` — the words of a
  text that contain "đ", folded to "d". Pagefind strips tone and vowel
  marks itself ("thi dua" finds "thi đua") but keeps "đ" a letter of its
  own, so "doan" would never find "Đoàn": templates put these folded words
  in a hidden, indexed element of each article;
- ``finalized``: runs Pagefind (the ``pagefind`` PyPI package ships the
  binary; nothing is downloaded) over the output folder, which is the
  build's staging folder, so a failed index fails the build. The bundle is
  kept in ``SEARCH_CACHE_PATH`` under a hash of every HTML page: when no
  page changed, the last bundle is reused instead of indexing again (a third
  of an unchanged rebuild of a large archive).

With ``SEARCH_DEFERRED`` (the live preview, ``invoke livereload``) the build
keeps the previous bundle and :func:`refresh_index` indexes the published
folder afterwards, in the background: an edited page is shown without
waiting seconds for Pagefind to read the whole archive again.

Ranking exact matches first (Pagefind conflates "Hương" and "hướng") is
done in the browser by ``theme/static/js/search.js``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from importlib import metadata

from markupsafe import Markup
from pelican import signals

from bulletin.cache import project_path
from bulletin.writer import link_kept_files

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_INDEX": True,
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_CACHE_PATH": "cache/search",
    "SEARCH_DEFERRED": False,
}
_WORD = re.compile(r"\w+")


class SearchIndexError(RuntimeError):
    """Pagefind failed: the build must not publish a site without search."""


def fold(word: str) -> str:
    """ "Đoàn" → "doan": no marks, "đ" → "d", lower case."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def folded_words(*texts) -> str:
    """Unique folded forms of the words containing "đ", in first-seen order."""
    seen = {}
    for text in texts:
        plain = Markup(str(text or "")).striptags()
        for word in _WORD.findall(plain):
            if "đ" in word or "Đ" in word:
                seen.setdefault(fold(word), None)
    return " ".join(seen)


def add_filter(generator) -> None:
    generator.env.filters["folded_words"] = folded_words


def pages_digest(output: str, bundle: str) -> str:
    """Hash of every HTML page of the site (what Pagefind indexes) and its version."""
    digest = hashlib.sha256(metadata.version("pagefind").encode())
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


def index_site(site: str, settings, target: str) -> None:
    """Pagefind's bundle for the pages of ``site``, into ``target`` (new)."""
    bundle = settings.get("SEARCH_BUNDLE_DIR", DEFAULTS["SEARCH_BUNDLE_DIR"])
    folder = project_path(settings, "SEARCH_CACHE_PATH", DEFAULTS["SEARCH_CACHE_PATH"])
    cached = os.path.join(folder, pages_digest(site, bundle))
    if os.path.isdir(cached):
        shutil.copytree(cached, target, dirs_exist_ok=True)
        logger.info("Search index unchanged: reused %s", cached)
        return
    command = [sys.executable, "-m", "pagefind", "--site", site, "--silent"]
    command += ["--output-path", os.path.abspath(target)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(
            "Không tạo được chỉ mục tìm kiếm (Pagefind): "
            + (result.stderr or result.stdout).strip()[-2000:]
        )
    # Keep only this bundle: the next build either matches it or starts over.
    shutil.rmtree(os.path.dirname(cached), ignore_errors=True)
    shutil.copytree(target, cached)
    logger.info("Search index written by Pagefind")


def build_index(pelican) -> None:
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", DEFAULTS["SEARCH_INDEX"]):
        return
    bundle = settings.get("SEARCH_BUNDLE_DIR", DEFAULTS["SEARCH_BUNDLE_DIR"])
    target = os.path.join(pelican.output_path, bundle)
    published = settings.get("BULLETIN_PUBLISHED_OUTPUT")
    if settings.get("SEARCH_DEFERRED", DEFAULTS["SEARCH_DEFERRED"]) and published:
        previous = os.path.join(published, bundle)
        if os.path.isdir(previous):  # searchable now, up to date in a moment
            shutil.copytree(previous, target, copy_function=os.link)
        return
    # Pagefind reads one folder: the unchanged pages join the staged ones.
    link_kept_files(settings, pelican.output_path, suffix=".html")
    index_site(pelican.output_path, settings, target)


def refresh_index(settings, output: str, lock=None) -> None:
    """Index the built site in ``output`` again and swap the new bundle in.

    For the live preview, after a build with ``SEARCH_DEFERRED``. The new
    bundle is made beside ``output`` (a build running meanwhile never sees
    it) and swapped in under ``lock``, the lock the preview's builds hold.
    A failure is logged: the preview keeps its previous bundle.
    """
    if not settings.get("SEARCH_INDEX", DEFAULTS["SEARCH_INDEX"]):
        return
    output = os.path.abspath(output)
    bundle = os.path.join(output, settings.get("SEARCH_BUNDLE_DIR", DEFAULTS["SEARCH_BUNDLE_DIR"]))
    work = tempfile.mkdtemp(
        prefix=f".{os.path.basename(output)}-search-", dir=os.path.dirname(output)
    )
    try:
        fresh = os.path.join(work, "new")
        index_site(output, settings, fresh)
        with lock or contextlib.nullcontext():
            if os.path.isdir(bundle):
                os.rename(bundle, os.path.join(work, "old"))
            os.rename(fresh, bundle)
    except (SearchIndexError, OSError) as error:
        logger.error("%s", error)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def register() -> None:
    signals.generator_init.connect(add_filter)
    signals.finalized.connect(build_index)
