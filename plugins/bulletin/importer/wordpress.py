"""WordPress exports (WXR: *Tools › Export* of a WordPress site) as items.

The reading follows Pelican's own ``pelican-import`` (``wp2fields``,
``get_attachments``): posts are the ``<item>`` elements whose ``wp:post_type``
is ``post``; title, ``content:encoded``, ``wp:post_date`` (the site's local
time, seconds kept), categories (``domain="category"``) and tags
(``domain="post_tag"``); attachments are items of type ``attachment`` whose
``wp:post_parent`` is the post. The body goes through Pelican's
``decode_wp_content`` (WordPress' ``wpautop``: blank lines become paragraphs,
``[caption]`` shortcodes become figures), used as it is.

Unlike ``pelican-import``: the byline is the author's display name from
``<wp:author>`` (``dc:creator`` is a login such as ``admin``); the old
address is the post's ``<link>``; only published posts are imported (a draft,
a private post, a page or a menu item is a report line); attachments are not
downloaded here, by path, but like every other file, by
:mod:`bulletin.importer.writer`, into the article's own folder.
"""

from __future__ import annotations

from datetime import datetime

from pelican.tools.pelican_import import decode_wp_content

from bulletin.importer.sources import Item, child_text, children, local_name


def wxr_items(root, source: str) -> list[Item]:
    channel = next((c for c in root if local_name(c) == "channel"), root)
    names = {
        child_text(author, "author_login"): child_text(author, "author_display_name")
        for author in children(channel, "author")
    }
    posts = children(channel, "item")
    attachments: dict[str, list[str]] = {}
    for post in posts:
        if child_text(post, "post_type") == "attachment":
            url = child_text(post, "attachment_url")
            if url:
                attachments.setdefault(child_text(post, "post_parent"), []).append(url)
    items = []
    for post in posts:
        kind, status = child_text(post, "post_type"), child_text(post, "status")
        if kind == "attachment":
            continue
        link = child_text(post, "link") or child_text(post, "guid")
        title = child_text(post, "title")
        if kind != "post" or status != "publish":
            why = {
                "page": "trang tĩnh (page) của WordPress, không phải tin",
                "draft": "bản nháp trên WordPress",
                "private": "bài riêng tư trên WordPress",
                "pending": "bài chờ duyệt trên WordPress",
                "trash": "bài trong thùng rác của WordPress",
            }
            reason = why.get(kind) or why.get(status) or f"loại {kind or '?'} / {status or '?'}"
            items.append(Item(old_url=link, source=source, hints={"title": title, "skip": reason}))
            continue
        content = "".join(
            "".join(child.itertext())
            for child in post
            if local_name(child) == "encoded" and "content" in (child.tag or "")
        )
        excerpt = "".join(
            "".join(child.itertext())
            for child in post
            if local_name(child) == "encoded" and "excerpt" in (child.tag or "")
        )
        login = child_text(post, "creator")
        hints = {
            "title": title,
            "date": _wp_date(child_text(post, "post_date")),
            "authors": [names.get(login) or login] if login else [],
            "categories": _terms(post, "category"),
            "tags": _terms(post, "post_tag"),
            "summary": " ".join(excerpt.split()),
            "documents": attachments.get(child_text(post, "post_id"), []),
        }
        items.append(
            Item(
                old_url=link,
                url=link,
                source=source,
                fragment=decode_wp_content(content),
                hints={key: value for key, value in hints.items() if value},
            )
        )
    return items


def _terms(post, domain: str) -> list[str]:
    return [
        " ".join("".join(term.itertext()).split())
        for term in children(post, "category")
        if term.get("domain") == domain and "".join(term.itertext()).strip()
    ]


def _wp_date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None  # "0000-00-00 00:00:00": never published
