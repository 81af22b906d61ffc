"""Feeds: plain-text titles in Atom, and a JSON Feed.

Connects:

- ``feed_generated``: Pelican turns typogrified titles into text with
  ``Markup.striptags()``, which keeps widont's non-breaking space; a feed
  reader shows titles as plain text, so it becomes an ordinary space;
- ``article_writer_finalized``: writes ``/feeds/all.json`` (JSON Feed 1.1)
  with the same items as the Atom feed.
"""

from __future__ import annotations

import json
import os

from pelican import signals

from bulletin.content.vietnamese import iso_datetime, plain
from bulletin.photos.markup import absolute_photo_urls
from bulletin.photos.plan import DEFAULTS as PHOTO_DEFAULTS

DEFAULTS = {"FEED_ALL_JSON": "feeds/all.json"}


def plain_titles(_context, feed) -> None:
    # Titles are already plain text here (not HTML): only the space changes.
    feed.feed["title"] = feed.feed["title"].replace("\xa0", " ")
    for item in feed.items:
        item["title"] = item["title"].replace("\xa0", " ")


def json_feed(generator, save_as: str) -> dict:
    settings = generator.settings
    siteurl = settings["SITEURL"].rstrip("/")
    items = []
    photos = settings.get("PHOTO_DIR", PHOTO_DEFAULTS["PHOTO_DIR"])
    # The same cut as Pelican's Atom writer: elements[:FEED_MAX_ITEMS].
    for article in generator.articles[: settings.get("FEED_MAX_ITEMS")]:
        url = f"{siteurl}/{article.url}"
        item = {
            "id": url,
            "url": url,
            "title": plain(article.title),
            "summary": plain(article.summary),
            # A JSON Feed has no base address: photos' page-relative URLs
            # (anh/…) made absolute against the item's page, as in Atom.
            "content_html": absolute_photo_urls(article.get_content(siteurl), url, photos),
            "date_published": iso_datetime(article.date),
            "authors": [{"name": a.name, "url": f"{siteurl}/{a.url}"} for a in article.authors],
            "tags": [tag.name for tag in getattr(article, "tags", [])]
            + [m.name for m in getattr(article, "movements", [])],
            "language": "vi",
        }
        if getattr(article, "modified", None):
            item["date_modified"] = iso_datetime(article.modified)
        items.append(item)
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": settings["SITENAME"],
        "description": settings.get("SITESUBTITLE", ""),
        "home_page_url": f"{siteurl}/",
        "feed_url": f"{siteurl}/{save_as}",
        "language": "vi",
        "items": items,
    }


def write_json_feed(generator, writer) -> None:
    save_as = generator.settings.get("FEED_ALL_JSON", DEFAULTS["FEED_ALL_JSON"])
    if not save_as:
        return
    path = os.path.join(writer.output_path, save_as)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(json_feed(generator, save_as), handle, ensure_ascii=False, indent=1)
        handle.write("\n")


def register() -> None:
    signals.feed_generated.connect(plain_titles)
    signals.article_writer_finalized.connect(write_json_feed)
