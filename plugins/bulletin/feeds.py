"""Feeds carry plain-text titles.

Connects ``feed_generated``: Pelican turns typogrified titles into text with
``Markup.striptags()``, which keeps widont's non-breaking space; a feed
reader shows titles as plain text, so it becomes an ordinary space.
"""

from __future__ import annotations

from pelican import signals


def plain_titles(_context, feed) -> None:
    # Titles are already plain text here (not HTML): only the space changes.
    feed.feed["title"] = feed.feed["title"].replace("\xa0", " ")
    for item in feed.items:
        item["title"] = item["title"].replace("\xa0", " ")


def register() -> None:
    signals.feed_generated.connect(plain_titles)
