"""The register's pages, feed and API: what :class:`DocumentsGenerator` writes.

Connects ``generator_init`` (the Jinja filter ``document_ld``: schema.org
JSON-LD of a document). Called by the generator's ``generate_output``:

- ``/van-ban/``: every published document newest first, paginated
  (``PAGINATED_TEMPLATES["documents"]``), with links to the facets;
- ``/van-ban/loai/<type>/``, ``/van-ban/nam/<year>/``,
  ``/van-ban/co-quan/<issuer>/``: the same table for one type, year, issuer;
- ``/van-ban/<year>/<slug>/``: one document, and its files beside it, copied
  byte for byte (never re-encoded: official PDFs carry digital signatures);
- ``/feeds/van-ban.atom.xml`` and ``/api/documents.json`` (its JSON Schema
  is ``schemas/documents.schema.json``, published by ``bulletin.site.api``).
"""

from __future__ import annotations

import html
import os
import shutil
from dataclasses import dataclass, field
from functools import partial

from markupsafe import Markup
from pelican import signals
from pelican.utils import sanitised_join

from bulletin.content.vietnamese import collation_key, slugify
from bulletin.documents.model import is_normative
from bulletin.site.api import API_VERSION, absolute, write_json
from bulletin.site.security import script_json

FACETS = (("type", "Loại văn bản"), ("year", "Năm ban hành"), ("issuer", "Cơ quan ban hành"))


@dataclass
class Facet:
    """The documents of one type, year or issuer: one paginated page."""

    kind: str  # "type", "year" or "issuer"
    name: str
    slug: str
    documents: list = field(default_factory=list)
    url: str = ""
    save_as: str = ""


def facets(documents, settings) -> dict[str, list[Facet]]:
    """{kind: [Facet]}: types and issuers in Vietnamese order, years newest first."""
    keys = {
        "type": lambda d: (d.kind.name, d.kind.slug) if d.kind else None,
        "year": lambda d: (str(d.date.year), str(d.date.year)),
        "issuer": lambda d: (d.issuer, slugify(d.issuer)) if d.issuer else None,
    }
    grouped = {}
    for kind, key in keys.items():
        found: dict[str, Facet] = {}
        for document in documents:  # newest first: each facet's list is too
            name_slug = key(document)
            if not name_slug or not name_slug[1]:
                continue
            name, slug = name_slug
            fields = {"slug": slug}
            facet = found.setdefault(
                slug,
                Facet(
                    kind,
                    name,
                    slug,
                    url=settings[f"DOCUMENT_{kind.upper()}_URL"].format(**fields),
                    save_as=settings[f"DOCUMENT_{kind.upper()}_SAVE_AS"].format(**fields),
                ),
            )
            facet.documents.append(document)
        order = (lambda f: -int(f.slug)) if kind == "year" else (lambda f: collation_key(f.name))
        grouped[kind] = sorted(found.values(), key=order)
    return grouped


# --- pages -------------------------------------------------------------------------------
def write_documents(generator, writer) -> None:
    settings, context = generator.settings, generator.context
    # Every listing shows every facet's count: they are part of its key
    # (bulletin.build.writer keys what a call is given, the site key the rest).
    write = partial(
        writer.write_file,
        relative_urls=settings["RELATIVE_URLS"],
        document_facets=context["document_facets"],
    )
    documents = generator.documents
    listing = generator.get_template("documents")
    write(
        settings["DOCUMENTS_SAVE_AS"],
        listing,
        context,
        paginated={"documents": documents},
        template_name="documents",
        url=settings["DOCUMENTS_URL"],
        page_name=os.path.splitext(settings["DOCUMENTS_SAVE_AS"])[0],
        facet=None,
    )
    for group in context["document_facets"].values():
        for facet in group:
            write(
                facet.save_as,
                listing,
                context,
                paginated={"documents": facet.documents},
                template_name="documents",
                url=facet.url,
                page_name=os.path.splitext(facet.save_as)[0],
                facet=facet,
            )
    page = generator.get_template("document")
    for document in documents:
        writer.write_file(
            document.save_as,
            page,
            context,
            relative_urls=settings["RELATIVE_URLS"],
            document=document,
            url=document.url,
        )
        copy_files(document, writer.output_path)
    write_feed(generator, writer)
    write_api(generator, writer.output_path)


def copy_files(document, output_path: str) -> None:
    """Bytes as they are: a copy, never a re-encoding (digital signatures)."""
    for file in document.files:
        target = sanitised_join(output_path, file.save_as)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(file.source, target)


# --- feed --------------------------------------------------------------------------------
@dataclass
class FeedEntry:
    """A document as Pelican's feed writer reads an item (title as HTML)."""

    title: str
    url: str
    date: object
    summary: str
    body: str

    def get_content(self, _siteurl) -> str:
        return self.body


def feed_entry(document) -> FeedEntry:
    kind = document.kind.name if document.kind else ""
    line = f"{kind} số {document.number} của {document.issuer}"
    files = "".join(
        f"<li>{html.escape(file.name)} ({html.escape(file.label)}, {file.size_text})</li>"
        for file in document.files
    )
    return FeedEntry(
        title=html.escape(f"{kind} số {document.number}: {document.title}"),
        url=document.url,
        date=document.date,
        summary=html.escape(line),
        body=f"<p>{html.escape(line)}</p><p>{html.escape(document.title)}</p><ul>{files}</ul>",
    )


def write_feed(generator, writer) -> None:
    settings = generator.settings
    path = settings.get("DOCUMENT_FEED_ATOM")
    if not path or not generator.documents:
        return  # an empty feed would carry the build time as <updated>
    writer.write_feed(
        [feed_entry(d) for d in generator.documents],
        generator.context,
        path,
        feed_title="Văn bản mới",
    )


# --- API and structured data --------------------------------------------------------------
def document_record(document, siteurl: str) -> dict:
    def day(moment):
        return moment.date().isoformat() if moment else None

    return {
        "id": f"{document.date:%Y}/{document.slug}",
        "url": absolute(siteurl, document.url),
        "number": document.number,
        "title": document.title,
        "type": document.kind.name if document.kind else None,
        "issuer": document.issuer,
        "signer": document.signer or None,
        "date": day(document.date),
        "effective": day(document.effective),
        "expires": day(document.expires),
        "replaced_by": document.replaced_by.number if document.replaced_by else None,
        "field": document.field or None,
        "movements": [m.slug for m in document.movements],
        "files": [
            {
                "url": absolute(siteurl, file.url),
                "name": file.name,
                "media_type": file.media_type,
                "size": file.size,
                "sha256": file.facts.sha256,
            }
            for file in document.files
        ],
        "articles": [absolute(siteurl, article.url) for article in document.articles],
    }


def write_api(generator, output_path: str) -> None:
    settings = generator.settings
    siteurl = settings["SITEURL"].rstrip("/")
    write_json(
        output_path,
        settings["API_DOCUMENTS_SAVE_AS"],
        {
            "version": API_VERSION,
            "site": {"name": settings["SITENAME"], "url": siteurl + "/", "language": "vi"},
            "documents": [document_record(d, siteurl) for d in generator.documents],
        },
    )


def document_ld(document, site_url: str, organization: str) -> Markup:
    """schema.org ``Legislation`` for a normative document (numbered with a
    year), ``DigitalDocument`` otherwise; escaped for a ``<script>`` block."""
    site_url = site_url.rstrip("/")
    url = f"{site_url}/{document.url}"
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation" if is_normative(document.number) else "DigitalDocument",
        "@id": url,
        "url": url,
        "name": document.title,  # plain text already: plain() would read it as HTML
        "identifier": document.number,
        "inLanguage": "vi",
        "dateCreated": document.date.date().isoformat(),
        "genre": document.kind.name if document.kind else None,
        "creator": {"@type": "GovernmentOrganization", "name": document.issuer},
        "publisher": {"@type": "GovernmentOrganization", "name": organization},
        "encoding": [
            {
                "@type": "MediaObject",
                "contentUrl": absolute(site_url, file.url),
                "encodingFormat": file.media_type,
                "contentSize": str(file.size),
            }
            for file in document.files
        ],
    }
    if data["@type"] == "Legislation":
        data["legislationIdentifier"] = data.pop("identifier")
        data["legislationDate"] = data["dateCreated"]
        data["legislationPassedBy"] = data.pop("creator")
    return script_json({k: v for k, v in data.items() if v is not None})


def add_filters(generator) -> None:
    generator.env.filters["document_ld"] = document_ld
    generator.env.filters["iso_day"] = lambda moment: moment.date().isoformat()


def register() -> None:
    signals.generator_init.connect(add_filters)
