"""Which Pagefind bundle each indexed page goes into (pure: no Pelican, no I/O).

Pagefind cannot update an index (its issue #71) and its memory grows with
the pages of one run (~150 KB a page here; 4.3 GB at 20,000, its #842). So
the site's index is several bundles, merged in the browser
(``mergeIndex``), and a build runs Pagefind only for the bundles whose pages
changed (:mod:`bulletin.site.search`):

- one bundle per **year of articles**: the year is in an article's address
  (``ARTICLE_SAVE_AS``'s ``{date:%Y}``), so an article stays in its bundle
  whatever else is published, and an edit, a new article or a removal
  changes one year's bundle — most often this year's. Chosen over "every N
  pages in date order", where an article published with an old date, or
  one removed, would shift every later page into another bundle;
- a year with more than ``max_pages`` articles is split into
  ``ceil(n / max_pages)`` bundles by a hash of each page's address (a page
  keeps its part while the year's number of parts stays the same): Pagefind's
  memory stays bounded whatever the archive's size;
- the pages that are not articles (Pelican's pages, the documents) make
  the **primary** bundle, at the bundle folder itself — what the search
  page's ``data-pagefind-path`` names — and the years' bundles are below it,
  ``pagefind/2024/``, merged newest first. A site without such pages has
  its newest year as the primary bundle.

The same functions give the search page its list of bundles (from the
articles, before anything is written) and the index step its runs of
Pagefind (from the pages written): both name the same bundles.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable

# A bundle's name is a year, or a year and a part, or "bai" and a part when
# the articles' addresses carry no year: never anything taken from a slug.
_NAME = re.compile(r"(?:[0-9]{4}|bai)(?:-[0-9]{1,4})?\Z")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
NO_YEAR = "bai"  # the one group of articles whose addresses carry no year


def article_pattern(save_as: str) -> re.Pattern:
    """``tin-tuc/{date:%Y}/{slug}/index.html`` → a pattern that matches an
    article's page below the site and captures its ``year``."""
    parts, year, position = [], False, 0
    for placeholder in _PLACEHOLDER.finditer(save_as):
        parts.append(re.escape(save_as[position : placeholder.start()]))
        field = placeholder.group(1)
        if field == "date:%Y":
            parts.append(r"(?P=year)" if year else r"(?P<year>[0-9]{4})")
            year = True
        elif field.startswith("date"):
            parts.append(r".+?")
        else:
            parts.append(r"[^/]+")
        position = placeholder.end()
    parts.append(re.escape(save_as[position:]))
    return re.compile("".join(parts) + r"\Z")


def group_of(path: str, pattern: re.Pattern) -> str | None:
    """The year of an article's page (``NO_YEAR`` if its address has none);
    None for a page that is not an article."""
    match = pattern.match(path) if path else None
    if match is None:
        return None
    return match.groupdict().get("year") or NO_YEAR


def _part(path: str, parts: int) -> int:
    return int(hashlib.sha256(path.encode()).hexdigest()[:8], 16) % parts + 1


def partitions(
    paths: Iterable[str], pattern: re.Pattern, max_pages: int
) -> tuple[list[str], dict[str, list[str]]]:
    """(the pages that are not articles, {bundle name: its article pages}),
    each list sorted."""
    others, groups = [], {}
    for path in sorted(set(paths)):
        group = group_of(path, pattern)
        if group is None:
            others.append(path)
        else:
            groups.setdefault(group, []).append(path)
    named = {}
    for group, pages in groups.items():
        parts = math.ceil(len(pages) / max(1, max_pages))
        if parts <= 1:
            named[group] = pages
            continue
        for path in pages:
            named.setdefault(f"{group}-{_part(path, parts)}", []).append(path)
    return others, named


def newest_first(names: Iterable[str]) -> list[str]:
    """Years newest first, a year's parts in order: the merge order."""

    def key(name: str):
        group, _, part = name.partition("-")
        return (group, -int(part or 0))

    return sorted(names, key=key, reverse=True)


def layout(has_others: bool, names: Iterable[str]) -> tuple[str | None, list[str]]:
    """(the year bundle that is the primary one — None when the pages that
    are not articles are —, the bundles merged into it, in order)."""
    ordered = newest_first(names)
    if has_others or not ordered:
        return None, ordered
    return ordered[0], ordered[1:]


def safe_name(name: str) -> str:
    """``name`` if it can only be a folder directly below the bundle folder."""
    if not _NAME.match(name):
        raise ValueError(f"not a search bundle's name: {name!r}")
    return name


def bundle_urls(site_url: str, bundle_dir: str, names: Iterable[str]) -> list[str]:
    """The merged bundles' addresses, as the search page lists them."""
    base = f"{site_url.rstrip('/')}/{bundle_dir.strip('/')}"
    return [f"{base}/{safe_name(name)}/" for name in names]
