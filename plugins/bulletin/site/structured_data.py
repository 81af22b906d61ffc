"""schema.org ``NewsArticle`` JSON-LD for every article.

Connects ``generator_init`` to add the Jinja filter ``news_article_ld``,
which returns the JSON text for a ``<script type="application/ld+json">``
(escaped by :func:`bulletin.site.security.script_json`, as every JSON in a script):
headline, dates with +07:00 (``dateModified`` from ``Modified``), authors,
image (the cover's sizes; ``ImageObject`` with its ``creator`` when the photo
has a credit), publisher, and ``correction`` for a corrected article.
"""

from __future__ import annotations

from markupsafe import Markup
from pelican import signals

from bulletin.content.vietnamese import iso_datetime, plain
from bulletin.photos.markup import local_path
from bulletin.site.api import absolute
from bulletin.site.security import script_json


def news_article(article, site_url: str, site_name: str, organization: str) -> dict:
    url = f"{site_url}/{article.url}"
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": plain(article.title)[:110],
        "description": plain(article.summary),
        "inLanguage": "vi",
        "datePublished": iso_datetime(article.date),
        "dateModified": iso_datetime(getattr(article, "modified", None) or article.date),
        "author": [
            {"@type": "Person", "name": author.name, "url": f"{site_url}/{author.url}"}
            for author in article.authors
        ],
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": organization,
            "url": f"{site_url}/",
        },
        "isPartOf": {"@type": "WebSite", "name": site_name, "url": f"{site_url}/"},
    }
    movements = getattr(article, "movements", [])
    if movements:
        data["articleSection"] = [m.name for m in movements]
    tags = getattr(article, "tags", [])
    if tags:
        data["keywords"] = ", ".join(tag.name for tag in tags)
    cover = getattr(article, "cover_photo", None)
    if cover is not None:
        sizes = getattr(cover, "sizes", None) or [{"url": cover.url}]
        data["image"] = [absolute(site_url, size["url"]) for size in sizes]
        credit = cover_credit(article)
        if credit:
            creator = {"@type": "Person", "name": credit}
            data["image"] = [
                {"@type": "ImageObject", "url": url, "creator": creator, "creditText": credit}
                for url in data["image"]
            ]
    correction = getattr(article, "correction", None)
    if correction and getattr(article, "modified", None):
        data["correction"] = {
            "@type": "CorrectionComment",
            "text": plain(correction),
            "datePublished": iso_datetime(article.modified),
        }
    return data


def cover_credit(article) -> str:
    """The credit of the photo the cover was made from: its caption's "Ảnh: …",
    else the article's ``Photo_credit`` (a cover not shown in the body too)."""
    source = getattr(article, "bulletin_source", None)
    use = getattr(article, "bulletin_cover", None)
    if source is None or use is None:
        return ""
    for image in source.images:
        if local_path(image.src) == local_path(use.value):
            return getattr(image, "credit", "")
    return " ".join(source.raw.get("photo_credit", "").split())


def news_article_ld(article, site_url, site_name, organization) -> Markup:
    return script_json(news_article(article, site_url.rstrip("/"), site_name, organization))


def add_filter(generator) -> None:
    generator.env.filters["news_article_ld"] = news_article_ld


def register() -> None:
    signals.generator_init.connect(add_filter)
