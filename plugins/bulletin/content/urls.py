"""Fix each article's and page's URL once, instead of on every use.

Pelican formats ``content.url`` from ``ARTICLE_URL`` on every access (a
relpath and a ``str.format`` each time); listings and "related" lists read it
tens of thousands of times on a large archive (a sixth of the build time on
2,000 articles). Once all URLs are known, each is stored as Pelican's own
``override_url``, which ``url`` returns first. ``save_as`` (formatted just
as often by this project's site-wide steps) is kept beside it, read with
:func:`save_as_of` — not as ``override_save_as``, which Pelican reads as
"may overwrite another file".

Connects ``article_generator_finalized`` and ``page_generator_finalized``;
must run after anything that changes slugs or URL settings.
"""

from __future__ import annotations

from pelican import signals


def freeze_urls(generator) -> None:
    for kind in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages"):
        for content in getattr(generator, kind, []):
            content.override_url = content.url
            content.bulletin_save_as = content.save_as


def save_as_of(content) -> str:
    """``content.save_as``: as :func:`freeze_urls` kept it once all URLs are
    known (the generator's ``*_finalized`` signal), computed before."""
    saved = getattr(content, "bulletin_save_as", None)
    return content.save_as if saved is None else saved


def register() -> None:
    signals.article_generator_finalized.connect(freeze_urls)
    signals.page_generator_finalized.connect(freeze_urls)


# --- addresses the site writes itself ----------------------------------------------
# Files at the root that no page, slug or redirect may take.
ROOT_FILES = frozenset({"index.html", "404.html", "sitemap.xml", "robots.txt", "favicon.ico"})


def reserved_paths(settings) -> tuple[frozenset[str], frozenset[str]]:
    """(folders, root files) the site itself writes: ``admin``, ``tim-kiem``,
    ``feeds``, ``api``, ``pagefind``, ``theme``, ``tin-tuc``, ``404.html``…

    Read from the ``*_SAVE_AS``/``*_URL``/feed settings, so a renamed section
    stays reserved; a page, slug or ``Redirect_from`` taking one would
    silently replace the web editor, the search page or a feed.
    """
    folders = {
        settings.get("THEME_STATIC_DIR") or "theme",
        settings.get("SEARCH_BUNDLE_DIR") or "pagefind",
        settings.get("CMS_ADMIN_DIR") or "admin",
        "trang",  # the home page's pages: PAGINATION_PATTERNS' {base_name}/trang/
    }
    files = set(ROOT_FILES)
    for key, value in settings.items():
        if not isinstance(value, str) or not key.isupper():
            continue
        if not key.endswith(("_SAVE_AS", "_URL", "_ATOM", "_RSS", "_JSON")) or "SITEURL" in key:
            continue
        path = value.strip().lstrip("/")
        head = path.split("/", 1)[0]
        if not head or "{" in head or "://" in value:
            continue
        (folders if "/" in path else files).add(head)
    return frozenset(folders), frozenset(files)


def reserved_by(save_as: str, settings, allowed: frozenset[str] = frozenset()) -> str | None:
    """The reserved folder or file ``save_as`` falls in (``allowed`` aside)."""
    folders, files = reserved_paths(settings)
    parts = save_as.strip("/").split("/")
    if parts[0] in files:  # the file itself, or a folder where it must be
        return parts[0]
    if len(parts) > 1 and parts[0] in folders - allowed:
        return parts[0] + "/"
    return None
