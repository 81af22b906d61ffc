"""Articles newest first, equal dates by slug: the order never depends on the disk.

Connects ``article_generator_pretaxonomy`` (Pelican has ordered the lists by
``ARTICLE_ORDER_BY``; taxonomies, archives and listings are built next).
A sort key in the settings would be a function, and settings must stay
picklable for Pelican's content cache.
"""

from __future__ import annotations

from pelican import signals


def newest_first(article) -> tuple:
    return (-article.date.timestamp(), article.slug)


def order_articles(generator) -> None:
    for name in ("articles", "drafts", "hidden_articles"):
        getattr(generator, name, []).sort(key=newest_first)


def register() -> None:
    signals.article_generator_pretaxonomy.connect(order_articles)
