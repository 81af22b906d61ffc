"""Old addresses with a query string keep working (``/news/news?news_id=152``).

An article imported from an old portal lists its old address in
``Redirect_from``. A path (``/tin/phat-dong.html``) gets a redirect page
from :mod:`bulletin.site.redirects`; an address with a query string cannot
(a static host serves one file for every ``?news_id=…``), so this module
writes, from all of them (the rules: :mod:`bulletin.site.old_link_maps`):

- at each old path, a fallback page (``news/news/index.html``, template
  ``old_link.html``) whose script (``old_links.js``, a file: the pages' CSP
  runs no inline script) looks the query up in the page's JSON map and goes
  on to the article; without JavaScript, or for an address the map does not
  have, the page offers the search box and the archive;
- ``OLD_LINKS_NGINX_SAVE_AS``, an nginx ``map`` to include in the agency's
  server, and ``OLD_LINKS_APACHE_SAVE_AS`` (``.htaccess``), ``mod_rewrite``
  rules: a server that reads either answers with a 301 before any page.

Nothing is written when no article has such an address.

Connects ``initialized`` (defaults), ``article_generator_finalized`` (after
``bulletin.site.redirects``, which leaves these addresses here: collects
them, reports an address two articles claim, a fallback page that would
replace a page of the site, and an address at the site's root, which only
the server maps can route) and ``article_writer_finalized`` (writes).
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals

from bulletin.content.model import ERROR, WARNING, Problem
from bulletin.content.urls import reserved_by, save_as_of
from bulletin.content.validation import add_problems
from bulletin.content.vietnamese import plain
from bulletin.site.old_link_maps import (
    OldLink,
    apache_rules,
    fallback_data,
    fallback_save_as,
    has_query,
    nginx_map,
    old_link_key,
)
from bulletin.site.security import script_json

DEFAULTS = {
    "OLD_LINKS_NGINX_SAVE_AS": "duong-dan-cu.nginx.conf",
    "OLD_LINKS_APACHE_SAVE_AS": ".htaccess",
    "OLD_LINKS_SCRIPT_SAVE_AS": "theme/js/old-links.js",
}
SCRIPT = Path(__file__).with_name("old_links.js")


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def _problem(source, old: str, message: str, hint: str, severity=ERROR) -> Problem:
    return Problem(
        source.path,
        source.line("redirect_from"),
        f'Trường "Redirect_from": "{old}" {message}',
        hint,
        severity,
    )


def collect_old_links(generator) -> None:
    """``generator.old_links``: {fallback save_as or None: [OldLink]}."""
    settings = generator.settings
    taken = {save_as_of(a) for a in generator.articles} | set(getattr(generator, "redirects", {}))
    articles_folder = settings["ARTICLE_SAVE_AS"].split("/", 1)[0]
    claimed: dict[str, list] = defaultdict(list)
    found = []
    for article in generator.articles:
        raw = getattr(article, "redirect_from", "") or ""
        for old in (part.strip() for part in raw.split(",")):
            if old and has_query(old):
                claimed[old_link_key(old)].append(article)
                found.append((old, article))
    problems, links, owners = [], defaultdict(list), {}
    for old, article in found:
        source = article.bulletin_source
        others = [a for a in claimed[old_link_key(old)] if a is not article]
        save_as = fallback_save_as(urlsplit(old).path)
        if others:
            names = ", ".join(a.bulletin_source.path for a in others)
            problems.append(
                _problem(
                    source,
                    old,
                    f"cũng là địa chỉ cũ của {names}",
                    "mỗi địa chỉ cũ chỉ dẫn tới một bài: xóa nó khỏi một trong hai bài",
                )
            )
            continue
        if save_as is None:
            problems.append(
                _problem(
                    source,
                    old,
                    "nằm ở trang chủ: chỉ máy chủ (cấu hình nginx/Apache) chuyển hướng được",
                    "dùng tệp " + settings["OLD_LINKS_NGINX_SAVE_AS"] + " hoặc .htaccess (README)",
                    WARNING,
                )
            )
        elif reserved := reserved_by(save_as, settings, frozenset({articles_folder})):
            problems.append(
                _problem(
                    source,
                    old,
                    f'là địa chỉ của chính trang web ("/{reserved}")',
                    "xóa địa chỉ này khỏi Redirect_from: nó không thể là địa chỉ cũ",
                )
            )
            continue
        elif save_as in taken:
            problems.append(
                _problem(source, old, "đang là một trang khác", "chỉ ghi địa chỉ cũ không còn dùng")
            )
            continue
        links[save_as].append(OldLink(old, article.url, plain(str(article.title))))
        if save_as is not None:
            owners.setdefault(save_as, source.path)
    add_problems(generator, problems)
    generator.old_links = dict(links)
    # Pages are read after articles: bulletin.content.validation checks them against these.
    targets = generator.context.setdefault("redirect_targets", {})
    for save_as, path in owners.items():
        targets.setdefault(save_as, path)


def write_old_links(generator, writer) -> None:
    links = getattr(generator, "old_links", {})
    if not links:
        return
    settings = generator.settings
    every = [link for group in links.values() for link in group]
    prefix = (urlsplit(settings.get("SITEURL", "")).path.rstrip("/") or "") + "/"
    files = {
        settings["OLD_LINKS_NGINX_SAVE_AS"]: nginx_map(every, prefix),
        settings["OLD_LINKS_APACHE_SAVE_AS"]: apache_rules(every, prefix),
        settings["OLD_LINKS_SCRIPT_SAVE_AS"]: SCRIPT.read_text(encoding="utf-8"),
    }
    for save_as, text in files.items():
        path = os.path.join(writer.output_path, save_as)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    template = generator.get_template("old_link")
    for save_as, group in sorted((k, v) for k, v in links.items() if k is not None):
        writer.write_file(
            save_as,
            template,
            generator.context,
            relative_urls=settings["RELATIVE_URLS"],
            template_name="old_link",
            old_link_map=script_json(fallback_data(group)),
        )


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_generator_finalized.connect(collect_old_links)
    signals.article_writer_finalized.connect(write_old_links)
