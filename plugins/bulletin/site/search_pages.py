"""The pages a search index reads, each with the hash of its bytes.

For :mod:`bulletin.site.search`. A build's folder holds only the pages it
wrote: the pages it kept are read where they are, in the published build
(``BuildState.kept_files``), instead of being linked in first. Pagefind
reads only the pages with a ``data-pagefind-body`` element when there are
any (otherwise every page): the same rule picks the pages here, so a list
page (home, tags, years) changing never makes a bundle stale.

Reading every page to hash it costs ~0.4 s per 1,000 pages here, most of a
rebuild's index step once Pagefind runs for one year only: what was found
of each page is kept in ``pages.json`` in the search cache under its file's
identity (device, inode, size, modification time). A kept page is a hard
link of the published one — the same inode —, so only the pages a build
wrote are read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass

MEMO = "pages.json"
# An element (not text: "<" is escaped in text) with the attribute.
_BODY = re.compile(rb"<([a-zA-Z][\w-]*)[^>]*\sdata-pagefind-body[\s>=/]")
# Elements after the body Pagefind still reads (meta, filters, sorting).
_AFTER = re.compile(rb"<[^>]*\sdata-pagefind-[^>]*>[^<]*")


def what_pagefind_reads(data: bytes) -> tuple[bytes, bool]:
    """The part of a page its bundle depends on: everything up to the end of
    its ``data-pagefind-body`` element (the head, the language, the body),
    and any ``data-pagefind-*`` element after it — not the lists of other
    articles after the article (latest news, related), which change with
    every new article and would make every year's bundle stale. And
    whether the page has such a body."""
    body = _BODY.search(data)
    if body is None:
        return data, False
    name = re.escape(body.group(1))
    depth, end = 0, len(data)
    for tag in re.finditer(rb"<(/?)" + name + rb"[\s>/]", data[body.start() :], re.IGNORECASE):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = body.start() + tag.end()
            break
    return data[:end] + b"".join(_AFTER.findall(data, end)), True


@dataclass(frozen=True)
class Page:
    """One HTML page of the site."""

    path: str  # below the site, "/"-separated: "tin-tuc/2024/<slug>/index.html"
    source: str  # the file: in the build's folder, or the published one
    digest: str  # SHA-256 of what Pagefind reads of it (:func:`what_pagefind_reads`)
    body: bool  # it has a data-pagefind-body element


def page_sources(
    site: str, skip: str, published: str | None = None, kept: Iterable[str] = ()
) -> dict[str, str]:
    """``{path below the site: file}`` of every HTML page: those in ``site``
    (not below the folder ``skip``) and the ``kept`` ones of ``published``."""
    found = {}
    for folder, dirs, files in os.walk(site):
        relative = os.path.relpath(folder, site)
        if relative.split(os.sep)[0] == skip:
            dirs[:] = []
            continue
        for name in files:
            if name.endswith(".html"):
                path = os.path.normpath(os.path.join(relative, name)).replace(os.sep, "/")
                found[path] = os.path.join(folder, name)
    for name in kept if published else ():
        path = os.path.normpath(name).replace(os.sep, "/")
        outside = os.path.isabs(path) or path.split("/")[0] in {"..", skip}
        if path.endswith(".html") and path not in found and not outside:
            found[path] = os.path.join(published, path)
    return found


def _identity(stat: os.stat_result) -> list[int]:
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns]


def read_pages(sources: dict[str, str], memo_path: str | None) -> list[Page]:
    """Each page of ``sources`` with its hash, read only when its file is not
    the one ``memo_path`` remembers (then the memo is written anew)."""
    try:
        with open(memo_path, encoding="utf-8") as handle:
            memo = json.load(handle)
        memo = memo if isinstance(memo, dict) else {}
    except (OSError, TypeError, ValueError):  # none yet, unreadable: read every page
        memo = {}
    pages, fresh, changed = [], {}, False
    for path, source in sorted(sources.items()):
        try:
            identity = _identity(os.stat(source))
        except OSError:
            continue  # removed meanwhile: not a page of this site any more
        known = memo.get(path)
        if isinstance(known, list) and len(known) == 3 and known[0] == identity:
            digest, body = known[1], bool(known[2])
        else:
            try:
                with open(source, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            read, body = what_pagefind_reads(data)
            digest, changed = hashlib.sha256(read).hexdigest(), True
        fresh[path] = [identity, digest, body]
        pages.append(Page(path, source, digest, body))
    if memo_path and (changed or len(fresh) != len(memo)):
        with contextlib.suppress(OSError):  # a cache: the next build reads the pages again
            _write_atomically(memo_path, fresh)
    return pages


def indexed(pages: list[Page]) -> list[Page]:
    """The pages Pagefind indexes: those with a body element, if any has one."""
    with_body = [page for page in pages if page.body]
    return with_body or pages


def _write_atomically(path: str, data) -> None:
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".pages-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, separators=(",", ":"))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
