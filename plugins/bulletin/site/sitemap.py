"""``/sitemap.xml`` and ``/robots.txt`` for search engines.

Connects ``page_writer_finalized`` (the last writer: articles, pages and
movements are all in the context by then). The sitemap lists the home page,
every article (``lastmod``: its modified or published date, +07:00), page,
movement, movement × year and year page, ``/dinh-chinh/`` (``lastmod``: the
latest correction), the register of documents, its
type, year and issuer pages and every document (``lastmod``: the newest
document's date of issue), the printed issues' list and each issue's page;
listings' later pages are left out (search
engines find them through ``rel=next``). Deterministic order.
"""

from __future__ import annotations

import os
from xml.sax.saxutils import escape

from pelican import signals

from bulletin.content.vietnamese import iso_datetime


def sitemap_entries(context, settings) -> list[tuple[str, str | None]]:
    """(url relative to SITEURL, lastmod or None), in a stable order."""
    articles = context.get("articles", [])
    newest = iso_datetime(articles[0].date) if articles else None
    entries = [("", newest), (settings["MOVEMENTS_URL"], newest)]
    for article in articles:
        changed = getattr(article, "modified", None) or article.date
        entries.append((article.url, iso_datetime(changed)))
    for page in sorted(context.get("pages", []), key=lambda p: p.url):
        entries.append((page.url, None))
    for movement in context.get("movements", []):
        latest = iso_datetime(movement.articles[0].date) if movement.articles else None
        entries.append((movement.url, latest))
        for year in movement.years:
            entries.append((year.url, iso_datetime(year.articles[0].date)))
    if "corrections" in context and settings.get("DINH_CHINH_SAVE_AS"):
        corrections = context["corrections"]  # bulletin.site.corrections
        latest = iso_datetime(corrections[0].modified) if corrections else None
        entries.append((settings["DINH_CHINH_URL"], latest))
    if settings.get("ARCHIVES_SAVE_AS"):
        entries.append((settings["ARCHIVES_URL"], newest))
    for archive in context.get("period_archives", {}).get("year", []):
        entries.append((archive["url"], iso_datetime(archive["articles"][0].date)))
    return entries + document_entries(context, settings) + edition_entries(context, settings)


def document_entries(context, settings) -> list[tuple[str, str | None]]:
    """The register (``bulletin.documents``), its facets, each document."""
    if "documents" not in context:
        return []  # the documents plugin is not enabled
    documents = context["documents"]
    newest = iso_datetime(documents[0].date) if documents else None
    entries = [(settings["DOCUMENTS_URL"], newest)]
    for group in context.get("document_facets", {}).values():
        entries += [(facet.url, iso_datetime(facet.documents[0].date)) for facet in group]
    entries += [(document.url, iso_datetime(document.date)) for document in documents]
    return entries


def edition_entries(context, settings) -> list[tuple[str, str | None]]:
    """The printed issues (``bulletin.editions``): their list and each issue's page."""
    if "editions" not in context or not settings.get("EDITIONS_SAVE_AS"):
        return []  # the editions plugin is not enabled
    editions = context["editions"]
    newest = iso_datetime(editions[0].date) if editions else None
    return [(settings["EDITIONS_URL"], newest)] + [
        (edition.url, iso_datetime(edition.date)) for edition in editions
    ]


def sitemap_xml(siteurl: str, entries) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in entries:
        lines.append(f"<url><loc>{escape(f'{siteurl}/{url}')}</loc>")
        if lastmod:
            lines[-1] += f"<lastmod>{lastmod}</lastmod>"
        lines[-1] += "</url>"
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(siteurl: str, drafts: str) -> str:
    """``drafts``: the folder drafts are previewed in (``DRAFT_URL``'s first part)."""
    return f"User-agent: *\nDisallow: /{drafts}/\n\nSitemap: {siteurl}/sitemap.xml\n"


def write_sitemap(generator, writer) -> None:
    settings = generator.settings
    siteurl = settings["SITEURL"].rstrip("/")
    files = {
        "sitemap.xml": sitemap_xml(siteurl, sitemap_entries(generator.context, settings)),
        "robots.txt": robots_txt(siteurl, settings["DRAFT_URL"].split("/", 1)[0]),
    }
    for name, text in files.items():
        with open(os.path.join(writer.output_path, name), "w", encoding="utf-8") as handle:
            handle.write(text)


def register() -> None:
    signals.page_writer_finalized.connect(write_sitemap)
