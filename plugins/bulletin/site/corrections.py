"""Đính chính: the page listing every corrected article.

Connects:

- ``initialized``: the ``DINH_CHINH_*`` settings' defaults;
- ``article_generator_finalized``: ``corrections`` in the context — the
  published articles with a ``Correction``, newest correction first;
- ``article_writer_finalized``: writes ``/dinh-chinh/`` (template
  ``corrections``), even with no correction yet: the address stays valid.

The reader reads ``Modified`` and renders ``Correction`` through the one
sanitiser; :mod:`bulletin.content.desk` checks them. The article page shows
the notice and "Cập nhật"; JSON-LD, Atom and the sitemap carry the date.
Must run after ``bulletin.content.ordering``.
"""

from __future__ import annotations

import os

from pelican import signals

from bulletin.content.ordering import newest_first

DEFAULTS = {"DINH_CHINH_URL": "dinh-chinh/", "DINH_CHINH_SAVE_AS": "dinh-chinh/index.html"}


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def corrected(articles) -> list:
    """Articles with a correction, the latest correction first (ties: as listed)."""
    found = [a for a in articles if getattr(a, "correction", None) and hasattr(a, "modified")]
    return sorted(found, key=lambda a: (-a.modified.timestamp(), *newest_first(a)))


def collect(generator) -> None:
    generator.context["corrections"] = corrected(generator.articles)


def write_page(generator, writer) -> None:
    settings = generator.settings
    save_as = settings["DINH_CHINH_SAVE_AS"]
    if not save_as:
        return
    writer.write_file(
        save_as,
        generator.get_template("corrections"),
        generator.context,
        relative_urls=settings["RELATIVE_URLS"],
        template_name="corrections",
        url=settings["DINH_CHINH_URL"],
        page_name=os.path.splitext(save_as)[0],
    )


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_generator_finalized.connect(collect)
    signals.article_writer_finalized.connect(write_page)
