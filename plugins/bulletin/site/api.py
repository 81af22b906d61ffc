"""Structured data for other agencies: a static JSON API.

Circular 22/2023/TT-BTTTT asks agencies to share their information as
structured data. Writes, on ``article_writer_finalized``:

- ``/api/articles.json``: every published article (id, url, title, summary,
  date with +07:00, authors, movements, tags, cover photo with its sizes);
- ``/api/movements.json``: every movement of the registry with its counts;
- ``/api/editions.json``: every published issue of the printed bulletin
  (``bulletin.editions``, when enabled): number, year, date, title, its page,
  its PDF (URL, size in bytes, pages) and the articles it prints, in order;
- the JSON Schemas, from ``schemas/``, beside them.

Output is deterministic: fixed key order, articles newest first then by id,
no build timestamp. Must run after ``bulletin.site.movements`` and
``bulletin.photos.generator`` (the issues are read and laid out before any
writer runs).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator

from pelican import signals

from bulletin.content.ordering import newest_first
from bulletin.content.vietnamese import iso_datetime, plain

API_VERSION = 1
DEFAULTS = {
    "API_ARTICLES_SAVE_AS": "api/articles.json",
    "API_MOVEMENTS_SAVE_AS": "api/movements.json",
    "API_EDITIONS_SAVE_AS": "api/editions.json",
    "API_SCHEMA_PATH": os.path.join(os.path.dirname(__file__), "..", "..", "..", "schemas"),
}


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def absolute(siteurl: str, url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return f"{siteurl}/{url.lstrip('/')}"


def cover_record(article, siteurl: str):
    """The cover photo and every size of it, with absolute URLs."""
    cover = getattr(article, "cover_photo", None)
    if cover is None:
        return None
    sizes = getattr(cover, "sizes", None) or [{"url": cover.url}]
    return {
        "alt": cover.alt,
        "sizes": [
            {
                "url": absolute(siteurl, size["url"]),
                "width": size.get("width"),
                "height": size.get("height"),
                "type": size.get("type"),
            }
            for size in sizes
        ],
    }


def article_record(article, siteurl: str) -> dict:
    return {
        "id": f"{article.date:%Y}/{article.slug}",  # the schema's "<year>/<slug>", stable
        "url": absolute(siteurl, article.url),
        "title": plain(article.title),
        "summary": plain(article.summary),
        "date": iso_datetime(article.date),
        "modified": iso_datetime(article.modified) if hasattr(article, "modified") else None,
        "authors": [
            {"name": author.name, "url": absolute(siteurl, author.url)}
            for author in article.authors
        ],
        "movements": [
            {"slug": m.slug, "name": m.name, "url": absolute(siteurl, m.url)}
            for m in getattr(article, "movements", [])
        ],
        "tags": [
            {"name": tag.name, "slug": tag.slug, "url": absolute(siteurl, tag.url)}
            for tag in getattr(article, "tags", [])
        ],
        "cover": cover_record(article, siteurl),
    }


def movement_record(movement, siteurl: str) -> dict:
    return {
        "slug": movement.slug,
        "name": movement.name,
        "start": movement.start,
        "end": movement.end,
        "launched_by": movement.launched_by or None,
        "description": plain(movement.description) or None,
        "url": absolute(siteurl, movement.url),
        "feed": absolute(siteurl, movement.feed_url)
        if movement.feed_url and movement.articles
        else None,
        "article_count": len(movement.articles),
        "years": [
            {"year": y.year, "article_count": len(y.articles), "url": absolute(siteurl, y.url)}
            for y in movement.years
        ],
    }


def edition_record(edition, siteurl: str) -> dict:
    """One printed issue: what its page and its PDF are, and what it prints."""
    rendered = getattr(edition, "rendered", None)
    return {
        "id": f"{edition.date:%Y}/so-{edition.number}",  # the schema's "<year>/so-<n>"
        "number": edition.number,
        "year": edition.date.year,
        "date": iso_datetime(edition.date),
        "title": plain(edition.title),
        "url": absolute(siteurl, edition.url),
        "pdf": {
            "url": absolute(siteurl, edition.pdf_url),
            "size": rendered.size,
            "pages": rendered.pages,
        }
        if rendered
        else None,
        "articles": [
            {
                "id": f"{article.date:%Y}/{article.slug}",
                "url": absolute(siteurl, article.url),
                "title": plain(article.title),
            }
            for article in edition.stories
        ],
    }


# Compact JSON, encoded in C (json.dump with a file never is: a tenth of the
# time on a 2,000-article archive, and a smaller file).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def write_json(output_path: str, save_as: str, data: dict) -> None:
    """``data`` as compact JSON. A value that is an iterator (the records of
    every article) is encoded and written one item at a time, so that a
    20,000-article archive never holds all its records and their text at
    once; the bytes are those of ``json.dumps(data)`` with the list."""
    path = os.path.join(output_path, save_as)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("{")
        for index, (key, value) in enumerate(data.items()):
            handle.write(("," if index else "") + _encode(key) + ":")
            if not isinstance(value, Iterator):
                handle.write(_encode(value))
                continue
            handle.write("[")
            for number, item in enumerate(value):
                handle.write(("," if number else "") + _encode(item))
            handle.write("]")
        handle.write("}\n")


def write_api(generator, writer) -> None:
    settings = generator.settings
    siteurl = settings["SITEURL"].rstrip("/")
    site = {"name": settings["SITENAME"], "url": siteurl + "/", "language": "vi"}
    articles = sorted(generator.articles, key=newest_first)  # same order on every machine
    write_json(
        writer.output_path,
        settings["API_ARTICLES_SAVE_AS"],
        {
            "version": API_VERSION,
            "site": site,
            "articles": (article_record(a, siteurl) for a in articles),
        },
    )
    write_json(
        writer.output_path,
        settings["API_MOVEMENTS_SAVE_AS"],
        {
            "version": API_VERSION,
            "site": site,
            "movements": [
                movement_record(m, siteurl) for m in generator.context.get("movements", [])
            ],
        },
    )
    # Only where the printed bulletin is enabled (its generator put the issues there).
    if "editions" in generator.context and settings.get("API_EDITIONS_SAVE_AS"):
        write_json(
            writer.output_path,
            settings["API_EDITIONS_SAVE_AS"],
            {
                "version": API_VERSION,
                "site": site,
                "editions": [edition_record(e, siteurl) for e in generator.context["editions"]],
            },
        )
    schemas = os.path.normpath(settings["API_SCHEMA_PATH"])
    target = os.path.join(writer.output_path, os.path.dirname(settings["API_ARTICLES_SAVE_AS"]))
    for name in sorted(os.listdir(schemas)):
        if name.endswith(".schema.json"):
            shutil.copyfile(os.path.join(schemas, name), os.path.join(target, name))


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_writer_finalized.connect(write_api)
