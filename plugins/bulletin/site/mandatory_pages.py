"""The site map (``/so-do-trang/``) and the accessibility statement (``/tuyen-bo-tiep-can/``).

Pages a state agency's site must offer (docs/mandatory-information.md),
linked from every page's footer. Connects ``article_writer_finalized``:
writes both with the theme's ``site_map`` and ``accessibility`` templates
at ``SITE_MAP_SAVE_AS`` / ``ACCESSIBILITY_SAVE_AS`` (defaults in
:data:`bulletin.site.identity.DEFAULTS`; :func:`bulletin.content.urls.reserved_paths`
keeps pages and redirects off them). The site map lists what the context
already holds — the menu's sections, the movements and their years, the
years, the pages, the register of documents and the printed issues when
there are any — through :func:`site_map`, a pure function.

Must run after ``bulletin.site.movements`` (its ``movements`` in the context)
and ``bulletin.site.identity`` (the defaults).
"""

from __future__ import annotations

import os
from datetime import datetime
from functools import partial
from typing import NamedTuple

from pelican import signals

from bulletin.content.vietnamese import collation_key, plain


class Entry(NamedTuple):
    """One link of the site map; ``children`` below it. A tuple, so that
    bulletin.build.writer can key the page by it and keep it unchanged."""

    label: str
    url: str
    children: tuple = ()


def site_map(settings, context, articles) -> list[tuple[str, list[Entry]]]:
    """(heading, entries) groups of the site map, in reading order."""
    groups = [("Chuyên mục", [Entry(label, link) for label, link in settings["MENUITEMS"]])]
    movements = [
        Entry(m.name, m.url, tuple(Entry(f"Năm {y.year}", y.url) for y in m.years))
        for m in context.get("movements", [])
    ]
    if movements:
        groups.append(("Phong trào thi đua", movements))
    years = sorted({article.date.year for article in articles}, reverse=True)
    pattern = settings.get("YEAR_ARCHIVE_URL")
    if years and pattern:
        entries = [Entry(f"Năm {y}", pattern.format(date=datetime(y, 1, 1))) for y in years]
        groups.append(("Tin theo năm", entries))
    pages = sorted(context.get("pages", []), key=lambda p: collation_key(plain(p.title)))
    if pages:
        groups.append(("Trang thông tin", [Entry(plain(p.title), p.url) for p in pages]))
    more = []
    if context.get("documents") and settings.get("DOCUMENTS_URL"):
        more.append(Entry("Văn bản (danh mục văn bản)", settings["DOCUMENTS_URL"]))
    if context.get("editions") and settings.get("EDITIONS_URL"):
        more.append(Entry("Bản tin in (các số bản tin)", settings["EDITIONS_URL"]))
    if settings.get("DINH_CHINH_SAVE_AS"):  # bulletin.site.corrections: always written
        more.append(Entry("Đính chính (các bài đã đính chính)", settings["DINH_CHINH_URL"]))
    more += [
        Entry("Tìm kiếm", settings["SEARCH_URL"]),
        Entry("Tác giả", settings["AUTHORS_URL"]),
        Entry("Chủ đề", settings["TAGS_URL"]),
        Entry("Tuyên bố về khả năng tiếp cận", settings["ACCESSIBILITY_URL"]),
        Entry("Nguồn tin Atom", settings["FEED_ALL_ATOM"]),
    ]
    groups.append(("Tra cứu", more))
    return groups


def write_pages(generator, writer) -> None:
    settings, context = generator.settings, generator.context
    write = partial(writer.write_file, relative_urls=settings["RELATIVE_URLS"])
    groups = site_map(settings, context, generator.articles)
    for name, extra in (("site_map", {"site_map_groups": groups}), ("accessibility", {})):
        save_as = settings[f"{name.upper()}_SAVE_AS"]
        write(
            save_as,
            generator.get_template(name),
            context,
            template_name=name,
            url=settings[f"{name.upper()}_URL"],
            page_name=os.path.splitext(save_as)[0],
            **extra,
        )


def register() -> None:
    signals.article_writer_finalized.connect(write_pages)
